# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
# The Celery application is loaded with Django, so that tasks queued by the site use it.
from peg.celery import app as celery_app

__all__ = ("celery_app",)
