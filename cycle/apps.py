# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.apps import AppConfig


class CycleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cycle"
    verbose_name = "Ciclo della performance"
