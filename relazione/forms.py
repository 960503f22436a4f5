# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from __future__ import annotations

from django import forms

from relazione.models import Esito, Relazione

TEXTAREA = {"class": "form-control", "rows": 8}


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Relazione
        fields = ["introduction", "context", "critical_issues"]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in fields}
        help_texts = {
            "introduction": "Presentazione della Relazione e sintesi dei risultati dell'anno.",
            "context": "Il contesto esterno e interno in cui l'ente ha operato.",
            "critical_issues": "Le criticità emerse e le azioni di miglioramento.",
        }


class ValidationForm(forms.Form):
    date = forms.DateField(
        label="Data del documento di validazione",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "gg/mm/aaaa"}),
        error_messages={"invalid": "Una data nel formato gg/mm/aaaa.", "required": "La data è obbligatoria."},
    )
    outcome = forms.ChoiceField(
        label="Esito",
        choices=Esito.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Scegliere l'esito.", "invalid_choice": "Esito non riconosciuto."},
    )
    notes = forms.CharField(
        label="Osservazioni e motivazioni",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
        help_text="Obbligatorie se la Relazione è validata con osservazioni o non validata.",
    )
