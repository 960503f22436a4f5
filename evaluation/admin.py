"""Admin of the evaluation: settings and the catalogue of behaviours are edited here (staff and
administrators); the forms, their scores and notes are read-only here: they change only through
evaluation.services, which write the procedure's notes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation import access
from evaluation.models import Comportamento, EvaluationSettings, NotaScheda, PunteggioComportamento, Scheda


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["peg", "objectives_share", "behaviours_share", "scale_min", "scale_max", "review_days"]
    list_select_related = ["peg"]
    fields = ["peg", ("objectives_share", "behaviours_share"), ("scale_min", "scale_max"), "review_days"]


@admin.register(Comportamento)
class ComportamentoAdmin(SimpleHistoryAdmin):
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
