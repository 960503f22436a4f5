# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Obiettivi del PEG"

    def ready(self):
        # The signals that keep the stored figures; the `__among` lookup.
        from objectives import facts, lookups  # noqa: F401
