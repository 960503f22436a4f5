# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Read-only in the admin: a publication is made only by transparency.services.publish and never changes."""

from django.contrib import admin

from transparency.models import Pubblicazione


@admin.register(Pubblicazione)
class PubblicazioneAdmin(admin.ModelAdmin):
    list_display = ["peg", "version", "published_at", "published_by", "peg_status", "licence"]
    list_select_related = ["peg", "published_by"]
    exclude = ["card_fragments", "relazione_html", "digest"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
