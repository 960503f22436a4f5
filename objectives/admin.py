# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The admin used by Programmazione e Controllo to enter and correct the plan.

Every door of these pages (change form and its inlines, add, delete, the "delete selected" bulk
action, the history pages and their revert) asks the same rules as the workflow, from
objectives.access, and writes through objectives.workflow: a reported or validated objective
changes only through the procedure's acts; no admin form or history version writes a status, a
validated score or a phase's progress.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

import objectives.admin_auth  # noqa: F401  (registers users and groups: administrators only)
from objectives import access, workflow
from objectives.forms import ItalianDecimalField
from objectives.models import (
    FASE_PROGRESS_FIELDS,
    INDICATORE_PROGRESS_FIELDS,
    Allegato,
    AllegatoIndicatore,
    Annualita,
    Fase,
    Indicatore,
    Nota,
    Obiettivo,
    Peg,
    PegNota,
    ScoreBand,
    weight_errors,
)

# The evaluation policy of a PEG, read-only once one of its objectives is reported or validated.
PEG_POLICY_FIELDS = workflow.POLICY_FIELDS
# The PEG's state and the references of its acts: written only by the acts of the cycle
# (cycle.services: approval, closing; objectives.workflow: the year-end review), never here.
PEG_CYCLE_FIELDS = ["status", "approval_number", "approval_date", "closed_on", "evaluation_closing_date"]


class DoorRulesMixin:
    """One set of rules for every door of a model's admin pages.

    Subclasses say, per object, what may change (`may_change`), what may be removed (`may_delete`),
    which fields this user may not write (`locked_fields`, shown read-only) and how a row is written
    (`write`, `remove`); every door below asks them.
    """

    def locked_fields(self, request, obj=None) -> list[str]:
        return []

    def may_change(self, request, obj) -> bool:
        return True

    def may_delete(self, request, obj) -> bool:
        return True

    # Why may_delete refuses, in Italian: shown on the 403 page.
    removal_refused_message = workflow.REMOVAL_REFUSED_MESSAGE

    def write(self, request, obj) -> None:
        obj._history_user = request.user
        if obj.pk is None or obj._state.adding:
            obj.save()
        else:
            obj.save(update_fields=workflow.plan_fields(type(obj), self.locked_fields(request, obj)))

    def remove(self, request, obj) -> None:
        obj._history_user = request.user
        obj.delete()

    # --- the doors ---

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in self.locked_fields(request, obj) if name not in readonly]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self.may_change(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.may_delete(request, obj))

    def save_model(self, request, obj, form, change):
        try:
            self.write(request, obj)
        except workflow.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None

    def _refuse_removal(self, request, objs) -> None:
        for obj in objs:
            if not self.has_delete_permission(request, obj):
                raise PermissionDenied(f"«{obj}» non può essere eliminato: {self.removal_refused_message}")

    def get_deleted_objects(self, objs, request):
        # The confirmation page of a delete and of the "delete selected" action: refused outright.
        self._refuse_removal(request, objs)
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        self.delete_queryset(request, [obj])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._refuse_removal(request, queryset)
            for obj in queryset:
                try:
                    self.remove(request, obj)
                except workflow.NotAllowed as exc:
                    raise PermissionDenied(str(exc)) from None


class GuardedHistoryAdmin(DoorRulesMixin, SimpleHistoryAdmin):
    """The history pages too: a version is shown, and restored only where the object as stored now
    may change, and only through `write` (so never a field the user may not write)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None:
                raise Http404("Oggetto non trovato: non si ripristina un oggetto eliminato.")
            if not self.has_change_permission(request, current):
                raise PermissionDenied("Questa versione non può essere ripristinata: l'oggetto non è modificabile.")
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class PlanRowAdminMixin:
    """Objectives, phases and tranches: written and removed only through objectives.workflow."""

    def write(self, request, obj) -> None:
        workflow.save_plan(instance=obj, user=request.user, excluded=self.locked_fields(request, obj))

    def remove(self, request, obj) -> None:
        workflow.delete_plan(instance=obj, user=request.user)


class OpenObjectiveInlineMixin:
    """An inline of an objective is editable only while the objective's plan is."""

    def _parent_open(self, obj) -> bool:
        return obj is None or access.plan_is_editable_now(obj.pk)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_open(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_open(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_open(obj)


class FaseInlineFormSet(forms.BaseInlineFormSet):
    """The rule across rows: the weights of each annualità sum to 100 (empty weights ignored);
    a phase that carries monitoring, notes or attachments is never removed here."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        phases = [
            form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        errors = weight_errors(phases)
        errors += [
            f"La fase {form.instance.label} ha monitoraggio, note o allegati: non può essere eliminata."
            for form in self.deleted_forms
            if form.instance.pk and not access.may_remove_phase(form.instance)
        ]
        if errors:
            raise ValidationError(errors)


class FaseInline(OpenObjectiveInlineMixin, admin.StackedInline):
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


class AnnualitaInline(OpenObjectiveInlineMixin, admin.TabularInline):
    model = Annualita
    extra = 0
    fields = ["year", "label", "deadline_text", "deadline"]


def may_remove_indicator(indicatore: Indicatore) -> bool:
    """An indicator with a recorded value, a review or an attachment is part of the evaluation."""
    return access.plan_is_editable_now(indicatore.obiettivo_id) and not (
        indicatore.pk and Indicatore.objects.filter(pk=indicatore.pk).carrying_evaluation().exists()
    )


class IndicatoreInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        errors = [
            f"L'indicatore «{form.instance.name}» ha un valore rilevato, una verifica o allegati: "
            "non può essere eliminato."
            for form in self.deleted_forms
            if form.instance.pk and not may_remove_indicator(form.instance)
        ]
        if errors:
            raise ValidationError(errors)


class IndicatoreInline(OpenObjectiveInlineMixin, admin.StackedInline):
    """The plan side of the indicators; the values are the head's and the Nucleo's (read-only here)."""

    model = Indicatore
    formset = IndicatoreInlineFormSet
    extra = 0
    ordering = ["sort_order", "pk"]
    fields = [
        ("name", "sort_order", "counts"),
        ("kind", "unit", "direction"),
        ("baseline_value", "baseline_period"),
        ("target_value", "target_date"),
        "data_source",
        "card_text",
        ("actual_value", "actual_date", "review", "reviewed_value", "reviewed_date"),
    ]
    readonly_fields = ["actual_value", "actual_date", "review", "reviewed_value", "reviewed_date"]
    formfield_overrides = {models.DecimalField: {"form_class": ItalianDecimalField}}  # 85,5 and 85.5


@admin.register(Obiettivo)
class ObiettivoAdmin(PlanRowAdminMixin, GuardedHistoryAdmin):
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
    inlines = [FaseInline, AnnualitaInline, IndicatoreInline]
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
        ("Calcolo del grado (fasi e indicatori)", {"fields": [("score_mode", "indicator_cap", "phase_share")]}),
        ("Validazione", {"fields": [("status", "validated_on", "validated_score")]}),
    ]

    def may_change(self, request, obj) -> bool:
        return access.plan_is_editable_now(obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A reported or validated objective is shown read-only; an administrator may reopen it
        through the workflow's page (a reason, a note), never by editing it here."""
        obiettivo = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obiettivo is not None and not access.plan_is_editable(obiettivo):
            extra_context["peg_locked_note"] = workflow.plan_locked_message(obiettivo)
            if access.can_reopen(request.user, obiettivo):
                extra_context["peg_reopen_url"] = reverse("objectives:reopen", args=[obiettivo.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def may_delete(self, request, obj) -> bool:
        return access.may_remove_objective(obj)

    def save_formset(self, request, form, formset, change):
        """Phases and tranches are written and removed one by one through the workflow's service."""
        instances = formset.save(commit=False)
        try:
            for obj in formset.deleted_objects:
                workflow.delete_plan(instance=obj, user=request.user)
            for obj in instances:
                workflow.save_plan(instance=obj, user=request.user)
        except workflow.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        formset.save_m2m()

    @admin.display(description="titolo", ordering="title")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    @admin.display(description="anno", ordering="peg__year")
    def peg_year(self, obj):
        return obj.peg.year


@admin.register(Fase)
class FaseAdmin(PlanRowAdminMixin, GuardedHistoryAdmin):
    list_display = ["__str__", "obiettivo", "weight", "year", "deadline_text", "state"]
    list_filter = ["obiettivo__peg__year", "year", "state", "neutralised", "deadline_kind"]
    list_select_related = ["obiettivo", "obiettivo__settore"]
    search_fields = ["description", "obiettivo__title", "deadline_text", "responsabili_text"]
    autocomplete_fields = ["obiettivo", "responsabili"]
    readonly_fields = FaseInline.readonly_fields + FASE_PROGRESS_FIELDS

    def locked_fields(self, request, obj=None) -> list[str]:
        # A phase stays with its objective: moving it would change two objectives' plans at once.
        return ["obiettivo"] if obj is not None else []

    def may_change(self, request, obj) -> bool:
        return access.plan_is_editable_now(obj.obiettivo_id)

    def may_delete(self, request, obj) -> bool:
        return access.may_remove_phase(obj)


@admin.register(Indicatore)
class IndicatoreAdmin(PlanRowAdminMixin, GuardedHistoryAdmin):
    list_display = ["name", "obiettivo", "kind", "target_value", "target_date", "review"]
    list_filter = ["obiettivo__peg__year", "kind", "review"]
    list_select_related = ["obiettivo", "obiettivo__settore"]
    search_fields = ["name", "card_text", "obiettivo__title"]
    autocomplete_fields = ["obiettivo"]
    readonly_fields = INDICATORE_PROGRESS_FIELDS
    formfield_overrides = IndicatoreInline.formfield_overrides

    def locked_fields(self, request, obj=None) -> list[str]:
        return ["obiettivo"] if obj is not None else []

    def may_change(self, request, obj) -> bool:
        return access.plan_is_editable_now(obj.obiettivo_id)

    def may_delete(self, request, obj) -> bool:
        return may_remove_indicator(obj)


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


@admin.register(AllegatoIndicatore)
class AllegatoIndicatoreAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "indicatore", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["indicatore", "uploaded_by"]
    search_fields = ["original_name"]


@admin.register(PegNota)
class PegNotaAdmin(ReadOnlyAdmin):
    list_display = ["kind", "peg", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["peg", "author"]
    search_fields = ["text"]


@admin.register(Nota)
class NotaAdmin(ReadOnlyAdmin):
    list_display = ["kind", "obiettivo", "fase", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["obiettivo", "obiettivo__settore", "fase", "author"]
    search_fields = ["text"]


class ScoreBandInline(admin.TabularInline):
    """The score bands decide the result pay: fixed once an objective of the PEG is reported."""

    model = ScoreBand
    extra = 0
    formfield_overrides = {models.DecimalField: {"form_class": ItalianDecimalField}}  # 85,5 and 85.5

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and access.peg_policy_is_editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and access.peg_policy_is_editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and access.peg_policy_is_editable(obj)


class PegNotaInline(admin.TabularInline):
    """The PEG's notes (policy changes, the year-end review): written by objectives.workflow only."""

    model = PegNota
    extra = 0
    fields = ["created_at", "kind", "text", "author"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PegForm(forms.ModelForm):
    """The PEG with the reason a change of its evaluation policy needs once monitoring has begun."""

    policy_reason = forms.CharField(
        label="Motivazione della modifica della politica di valutazione",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obbligatoria se il monitoraggio è già iniziato: resta nelle note del PEG e nella cronologia.",
    )

    class Meta:
        model = Peg
        fields = [f.name for f in Peg._meta.concrete_fields if f.editable and not f.primary_key]

    def clean(self):
        cleaned = super().clean()
        peg = self.instance
        if peg.pk is None:
            return cleaned
        stored = Peg.objects.get(pk=peg.pk)
        changed = [name for name in PEG_POLICY_FIELDS if name in cleaned and cleaned[name] != getattr(stored, name)]
        if changed and not (cleaned.get("policy_reason") or "").strip() and workflow.monitoring_has_begun(stored):
            self.add_error(
                "policy_reason",
                "Il monitoraggio del PEG è già iniziato: la modifica della politica di valutazione richiede la "
                "motivazione.",
            )
        return cleaned


@admin.register(Peg)
class PegAdmin(GuardedHistoryAdmin):
    form = PegForm
    formfield_overrides = {models.DecimalField: {"form_class": ItalianDecimalField}}  # 12,5 and 12.5
    list_display = ["year", "title", "status", "late_policy", "evaluation_closing_date"]
    list_filter = ["status"]
    inlines = [ScoreBandInline, PegNotaInline]
    readonly_fields = PEG_CYCLE_FIELDS

    def may_change(self, request, obj) -> bool:
        return not access.peg_is_closed(obj)

    def locked_fields(self, request, obj=None) -> list[str]:
        return [] if access.peg_policy_is_editable(obj) else PEG_POLICY_FIELDS

    def save_model(self, request, obj, form, change):
        obj._policy_reason = form.cleaned_data.get("policy_reason", "")
        super().save_model(request, obj, form, change)

    def write(self, request, obj) -> None:
        """A new PEG is saved as entered; on an existing one the policy goes through
        workflow.change_policy (the note and the history of the change), the rest field by field."""
        if obj.pk is None or obj._state.adding:
            super().write(request, obj)
            return
        values = {name: getattr(obj, name) for name in PEG_POLICY_FIELDS}
        obj._history_user = request.user
        obj.save(update_fields=workflow.plan_fields(Peg, [*PEG_POLICY_FIELDS, *PEG_CYCLE_FIELDS]))
        workflow.change_policy(peg=obj, user=request.user, values=values, reason=getattr(obj, "_policy_reason", ""))

    removal_refused_message = "ha obiettivi rendicontati, validati o con monitoraggio, note o allegati."

    def may_delete(self, request, obj) -> bool:
        return access.may_remove_peg(obj)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed() and not access.peg_policy_is_editable(form.instance):
            raise PermissionDenied("Le fasce di valutazione non sono modificabili: il PEG ha obiettivi rendicontati.")
        super().save_formset(request, form, formset, change)
