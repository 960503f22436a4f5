# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Read-only in the admin: the Relazione is written and validated only through relazione.services."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from relazione.models import Relazione, ValidazioneRelazione


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Relazione)
class RelazioneAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["peg", "updated_at", "updated_by"]
    list_select_related = ["peg", "updated_by"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # No revert by the history: the narrative changes only through relazione.services.
        raise PermissionDenied("La Relazione si modifica dalla sua pagina.")


@admin.register(ValidazioneRelazione)
class ValidazioneRelazioneAdmin(ReadOnlyAdmin):
    list_display = ["relazione", "date", "outcome", "author", "created_at"]
    list_select_related = ["relazione__peg", "author"]
    exclude = ["document_docx"]
