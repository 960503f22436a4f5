# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The variations in the admin: read-only (they are recorded only by cycle.services.apply_variazione)."""

from django.contrib import admin

from cycle.models import ModificaVariazione, Variazione
from objectives.admin import ReadOnlyAdmin


class ModificaInline(admin.TabularInline):
    model = ModificaVariazione
    extra = 0
    can_delete = False
    fields = ["kind", "fase_label", "old_value", "new_value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Variazione)
class VariazioneAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "obiettivo", "peg", "author", "created_at"]
    list_filter = ["peg__year"]
    list_select_related = ["peg", "obiettivo", "obiettivo__settore", "author"]
    search_fields = ["number", "reason", "obiettivo__title"]
    inlines = [ModificaInline]
