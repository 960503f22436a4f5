# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = "Amministrazione Trasparente"

    def ready(self):
        from transparency.opendata import LICENCES

        if settings.PEG_OPEN_DATA_LICENSE not in LICENCES:
            raise ImproperlyConfigured(
                f"PEG_OPEN_DATA_LICENSE must be one of {', '.join(sorted(LICENCES))}, "
                f"not {settings.PEG_OPEN_DATA_LICENSE!r}."
            )
