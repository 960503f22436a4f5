# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Forms of the indicators' acts: they read the typed value (objectives.indicators.parse_value, so
'85,5' and '85.5' both read 85,5); the writes are objectives.workflow's."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from objectives import indicators
from objectives.forms import MultipleFileField
from objectives.models import Indicatore, IndicatoreKind

_PLACEHOLDERS = {
    IndicatoreKind.NUMBER: "es. 85,5",
    IndicatoreKind.PERCENT: "es. 85,5",
    IndicatoreKind.YES_NO: "sì o no",
    IndicatoreKind.DATE: "gg/mm/aaaa",
}


class IndicatorValueField(forms.CharField):
    """The value of one indicator, as its kind reads it; the cleaned value is typed (Decimal, bool, date)."""

    def __init__(self, *, indicatore: Indicatore, **kwargs):
        self.indicatore = indicatore
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": _PLACEHOLDERS[indicatore.kind], "autocomplete": "off"})
        )
        unit = f" ({indicatore.unit})" if indicatore.unit and indicatore.kind == IndicatoreKind.NUMBER else ""
        kwargs.setdefault("help_text", f"{indicatore.get_kind_display()}{unit}; target {indicatore.target_display}.")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            typed = indicators.parse_value(self.indicatore.kind, text)
        except indicators.IndicatorValueError as exc:
            message = str(exc)
            raise ValidationError(message[0].upper() + message[1:]) from None
        if typed is None and self.required:
            raise ValidationError("Indicare il valore.")
        return typed


class IndicatorActualForm(forms.Form):
    """The head's actual value, with evidence and attachments."""

    evidence = forms.CharField(
        label="Evidenze",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Da dove viene il valore: report, estrazione, protocollo.",
    )
    attachments = MultipleFileField(label="Allegati", required=False, help_text="PDF, PNG o JPEG.")

    def __init__(self, *args, indicatore: Indicatore, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"value": IndicatorValueField(indicatore=indicatore, label="Valore rilevato"), **self.fields}


class IndicatorConfirmForm(forms.Form):
    """The Nucleo confirms the value it was shown (`seen`: refused if it changed meanwhile)."""

    note = forms.CharField(
        label="Nota (facoltativa)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


class IndicatorCorrectForm(forms.Form):
    reason = forms.CharField(label="Motivazione", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicatore: Indicatore, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"value": IndicatorValueField(indicatore=indicatore, label="Valore accertato"), **self.fields}

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("La motivazione è obbligatoria.")
        return reason
