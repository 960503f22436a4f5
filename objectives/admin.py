from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from objectives import access
from objectives.models import (
    FASE_PROGRESS_FIELDS,
    Allegato,
    Annualita,
    Fase,
    Nota,
    Obiettivo,
    Peg,
    ScoreBand,
    weight_errors,
)


def is_locked(obiettivo) -> bool:
    return obiettivo is not None and access.is_locked(obiettivo)


class FaseInlineFormSet(forms.BaseInlineFormSet):
    """The rule across rows: the weights of each annualità sum to 100 (empty weights ignored)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        phases = [
            form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        errors = weight_errors(phases)
        if errors:
            raise ValidationError(errors)


class FaseInline(admin.StackedInline):
    model = Fase
    formset = FaseInlineFormSet
    extra = 0
    ordering = ["sort_order"]
    autocomplete_fields = ["responsabili"]
    fields = [
        ("label", "sort_order", "weight", "year"),
        "description",
        ("responsabili_text", "responsabili"),
        ("deadline_text", "deadline_anchor_date"),
        ("deadline_kind", "deadline_date", "deadline_offset_days", "deadline_offset_months", "deadline_anchor_label"),
    ]
    readonly_fields = [
        "deadline_kind",
        "deadline_date",
        "deadline_offset_days",
        "deadline_offset_months",
        "deadline_anchor_label",
    ]


class AnnualitaInline(admin.TabularInline):
    model = Annualita
    extra = 0
    fields = ["year", "label", "deadline_text", "deadline"]


@admin.register(Obiettivo)
class ObiettivoAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_title", "settore", "peg_year", "status"]
    list_display_links = ["code", "short_title"]
    list_filter = ["peg__year", "settore__kind", "settore", "status"]
    list_select_related = ["peg", "settore"]
    search_fields = [
        "title",
        "title_detail",
        "strategic_aims",
        "directives",
        "expected_result",
        "achieved_text",
        "indicators",
        "constraints_text",
        "fasi__description",
    ]
    autocomplete_fields = ["settore", "dirigente"]
    inlines = [FaseInline, AnnualitaInline]
    readonly_fields = ["status", "validated_on", "validated_score"]
    fieldsets = [
        (
            None,
            {"fields": [("peg", "settore", "dirigente"), ("code", "print_order", "weight"), "title", "title_detail"]},
        ),
        (
            "Testi della scheda",
            {
                "fields": [
                    "strategic_aims",
                    "directives",
                    "timing",
                    ("final_deadline_text", "final_deadline"),
                    "expected_result",
                    "achieved_text",
                    "not_achieved_text",
                    "indicators",
                    "constraints_text",
                    "human_resources",
                    "financial_resources",
                    "headings",
                ]
            },
        ),
        ("Validazione", {"fields": [("status", "validated_on", "validated_score")]}),
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_locked(obj)

    @admin.display(description="titolo", ordering="title")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    @admin.display(description="anno", ordering="peg__year")
    def peg_year(self, obj):
        return obj.peg.year


@admin.register(Fase)
class FaseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "obiettivo", "weight", "year", "deadline_text", "state"]
    list_filter = ["obiettivo__peg__year", "year", "state", "neutralised", "deadline_kind"]
    list_select_related = ["obiettivo", "obiettivo__settore"]
    search_fields = ["description", "obiettivo__title", "deadline_text", "responsabili_text"]
    autocomplete_fields = ["obiettivo", "responsabili"]
    readonly_fields = FaseInline.readonly_fields + FASE_PROGRESS_FIELDS

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and is_locked(obj.obiettivo))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and is_locked(obj.obiettivo))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of acts: they are written by the workflow and never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Allegato)
class AllegatoAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "fase", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["fase", "fase__obiettivo", "uploaded_by"]
    search_fields = ["original_name"]


@admin.register(Nota)
class NotaAdmin(ReadOnlyAdmin):
    list_display = ["kind", "obiettivo", "fase", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["obiettivo", "obiettivo__settore", "fase", "author"]
    search_fields = ["text"]


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0


@admin.register(Peg)
class PegAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "status", "late_policy"]
    list_filter = ["status"]
    inlines = [ScoreBandInline]
