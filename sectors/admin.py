# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The organisation in the admin, under the same door rules as the plan (objectives.admin)."""

from django.contrib import admin

from objectives import access
from objectives.admin import DoorRulesMixin, GuardedHistoryAdmin
from sectors.models import Dirigente, Responsabile, Settore


@admin.register(Responsabile)
class ResponsabileAdmin(DoorRulesMixin, admin.ModelAdmin):
    list_display = ["code", "description", "print_order"]
    search_fields = ["code", "description"]

    removal_refused_message = "è citato da fasi di obiettivi rendicontati o validati."

    def may_delete(self, request, obj) -> bool:
        return access.may_remove_responsabile(obj)


@admin.register(Dirigente)
class DirigenteAdmin(GuardedHistoryAdmin):
    list_display = ["name", "honorific", "user"]
    list_select_related = ["user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]

    def locked_fields(self, request, obj=None) -> list[str]:
        # The link to a login hands out the head's rights (monitoring, report).
        return [] if access.can_link_user_account(request.user) else ["user"]

    removal_refused_message = "è collegato a un utente: solo un amministratore può eliminarlo."

    def may_delete(self, request, obj) -> bool:
        # Removing a linked head unlinks the login: the same decision as linking it.
        return obj.user_id is None or access.can_link_user_account(request.user)


@admin.register(Settore)
class SettoreAdmin(GuardedHistoryAdmin):
    list_display = ["name", "kind", "head", "head_role", "responsabile", "print_order"]
    list_filter = ["kind", "head_role"]
    list_select_related = ["head", "responsabile"]
    search_fields = ["name", "head__name", "responsabile__code"]
    autocomplete_fields = ["head", "responsabile"]
