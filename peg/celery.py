# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Celery application: the queue of long documents (jobs/), read from the CELERY_* settings.

A worker: `make worker` (CELERY_BROKER_URL set, e.g. redis://127.0.0.1:6379/0).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")

app = Celery("peg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
