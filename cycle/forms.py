# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Forms of the cycle's acts: they read the input; the rules and the writes are cycle.services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cycle import services
from objectives.forms import ItalianDateField, ItalianDecimalField
from objectives.models import Fase, Obiettivo

NUMBER_HELP = "Il numero della deliberazione della Giunta Comunale, come registrato (es. 45 o 45/2021)."


def _no_null(value: str) -> str:
    if "\x00" in value:
        raise ValidationError("I caratteri null non sono ammessi.")
    return value


class ResolutionFields(forms.Form):
    number = forms.CharField(label="Deliberazione n.", max_length=services.NUMBER_MAX, help_text=NUMBER_HELP)
    date = ItalianDateField(label="Deliberazione del")

    def clean_number(self):
        return _no_null(self.cleaned_data["number"]).strip()


class ApprovalForm(ResolutionFields):
    note = forms.CharField(label="Nota (facoltativa)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_note(self):
        return _no_null(self.cleaned_data["note"]).strip()


class ObjectiveChoiceForm(forms.Form):
    """Which objective the variation changes: those a variation may still change."""

    obiettivo = forms.ModelChoiceField(
        label="Obiettivo da variare",
        queryset=Obiettivo.objects.none(),
        empty_label="Scegliere l'obiettivo",
        error_messages={"invalid_choice": "Scegliere un obiettivo dell'elenco."},
    )

    def __init__(self, *args, peg, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["obiettivo"]
        field.queryset = services.variable_objectives(peg)
        field.label_from_instance = lambda o: f"{o.settore.name} – Obiettivo {o.code}: {o.title[:90]}"


class VariazioneForm(ResolutionFields):
    """One variation of one objective: the resolution, the reason, and the plan's values as they
    should become (what differs from the plan in force is a change)."""

    reason = forms.CharField(label="Motivazione", widget=forms.Textarea(attrs={"rows": 3}))
    final_deadline_text = forms.CharField(
        label="Scadenza finale per il raggiungimento dell'obiettivo",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_label = forms.CharField(label="Nuova fase: etichetta", required=False, max_length=20)
    new_description = forms.CharField(
        label="Nuova fase: descrizione", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_weight = ItalianDecimalField(
        label="Nuova fase: incidenza %", required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    new_deadline = forms.CharField(label="Nuova fase: scadenza prevista", required=False, max_length=500)
    new_year = forms.IntegerField(
        label="Nuova fase: annualità",
        required=False,
        min_value=1900,
        max_value=2200,
        error_messages={"invalid": "Indicare un anno, ad esempio 2021."},
    )
    withdraw = forms.BooleanField(label="Ritira l'obiettivo (resta agli atti, non è più valutato)", required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, obiettivo: Obiettivo, **kwargs):
        self.obiettivo = obiettivo
        self.phases = list(Fase.objects.filter(obiettivo=obiettivo).order_by("sort_order", "pk"))
        initial = {
            "final_deadline_text": obiettivo.final_deadline_text,
            "seen": services.plan_fingerprint(obiettivo),
            "new_year": obiettivo.peg.year,
        }
        for fase in self.phases:
            initial[f"deadline_{fase.pk}"] = fase.deadline_text
            initial[f"weight_{fase.pk}"] = fase.weight
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        for fase in self.phases:
            self.fields[f"deadline_{fase.pk}"] = forms.CharField(
                label=f"Fase {fase.label}: scadenza prevista", required=False, max_length=500
            )
            self.fields[f"weight_{fase.pk}"] = ItalianDecimalField(
                label=f"Fase {fase.label}: incidenza %",
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
            )

    def phase_rows(self):
        """(phase, deadline field, weight field) for the template."""
        return [(fase, self[f"deadline_{fase.pk}"], self[f"weight_{fase.pk}"]) for fase in self.phases]

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, "I caratteri null non sono ammessi.")
        return cleaned

    def changes(self) -> services.Changes:
        """The changes the typed values ask for, against the plan in force (call after is_valid())."""
        data = self.cleaned_data
        changes = services.Changes(withdraw=bool(data.get("withdraw")))
        final = (data.get("final_deadline_text") or "").strip()
        if final != self.obiettivo.final_deadline_text.strip():
            changes.final_deadline_text = final
        for fase in self.phases:
            deadline = (data.get(f"deadline_{fase.pk}") or "").strip()
            if deadline != fase.deadline_text.strip():
                changes.phase_deadlines[fase.pk] = deadline
            weight = data.get(f"weight_{fase.pk}")
            if weight != fase.weight:
                changes.phase_weights[fase.pk] = weight
        if (data.get("new_label") or "").strip() or (data.get("new_description") or "").strip():
            changes.new_phase = services.NewPhase(
                label=data.get("new_label") or "",
                description=data.get("new_description") or "",
                weight=data.get("new_weight"),
                deadline_text=data.get("new_deadline") or "",
                year=data.get("new_year"),
            )
        return changes
