# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Admin of the evaluation: settings and the catalogue of behaviours are edited here (staff and
administrators); the forms, their scores and notes are read-only here: they change only through
evaluation.services, which write the procedure's notes."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from evaluation import access
from evaluation.models import Comportamento, EvaluationSettings, NotaScheda, PunteggioComportamento, Scheda

RULES_LOCKED = (
    "Le regole di valutazione di questo PEG non sono più modificabili: almeno una scheda è già stata "
    "notificata al valutato."
)


class PegRulesAdmin(SimpleHistoryAdmin):
    """The PEG's evaluation rules: editable by any door only while evaluation.access says so."""

    def _editable(self, obj) -> bool:
        return obj is None or access.rules_are_editable(obj.peg)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def save_model(self, request, obj, form, change):
        # Also the add form, list_editable and the history revert: the stored PEG decides.
        stored = type(obj).objects.filter(pk=obj.pk).select_related("peg").first() if obj.pk else None
        if not access.rules_are_editable(obj.peg) or (stored and not access.rules_are_editable(stored.peg)):
            raise PermissionDenied(RULES_LOCKED)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not access.rules_are_editable(obj.peg):
            raise PermissionDenied(RULES_LOCKED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(not access.rules_are_editable(obj.peg) for obj in queryset.select_related("peg")):
            raise PermissionDenied(RULES_LOCKED)
        super().delete_queryset(request, queryset)


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(PegRulesAdmin):
    list_display = ["peg", "objectives_share", "behaviours_share", "scale_min", "scale_max", "review_days"]
    list_select_related = ["peg"]
    fields = ["peg", ("objectives_share", "behaviours_share"), ("scale_min", "scale_max"), "review_days"]


@admin.register(Comportamento)
class ComportamentoAdmin(PegRulesAdmin):
    list_display = ["name", "peg", "weight", "print_order"]
    list_filter = ["peg"]
    list_select_related = ["peg"]
    list_editable = ["weight", "print_order"]
    search_fields = ["name", "description"]
    ordering = ["-peg__year", "print_order", "pk"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PunteggioInline(ReadOnlyInline):
    model = PunteggioComportamento
    fields = ["comportamento", "score", "comment"]
    readonly_fields = fields


class NotaSchedaInline(ReadOnlyInline):
    model = NotaScheda
    fields = ["created_at", "kind", "author", "text", "total"]
    readonly_fields = fields


@admin.register(Scheda)
class SchedaAdmin(admin.ModelAdmin):
    """Read-only: who may see a form is evaluation.access's decision, here as on the pages."""

    list_display = ["dirigente", "peg", "status", "total", "band_label", "pay_share"]
    list_filter = ["peg", "status"]
    list_select_related = ["peg", "dirigente"]
    inlines = [PunteggioInline, NotaSchedaInline]

    def get_queryset(self, request):
        return access.visible_schede(request.user).select_related("peg", "dirigente")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Scheda._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
