# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.contrib import admin

from ente.models import Ente


@admin.register(Ente)
class EnteAdmin(admin.ModelAdmin):
    list_display = ["name", "crest"]

    def has_add_permission(self, request):
        # One ente per installation: once entered, it is changed, not added again.
        return super().has_add_permission(request) and not Ente.objects.exists()
