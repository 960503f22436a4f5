# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Forms of the evaluation pages: they check input; the writes are evaluation.services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms


class ScoreForm(forms.Form):
    """One score on the PEG's scale and one comment per behaviour of the catalogue, and the overall judgement."""

    def __init__(self, *args, catalogue, settings, existing=None, comment="", **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        choices = [("", "—")] + [(str(n), str(n)) for n in range(settings.scale_min, settings.scale_max + 1)]
        self.catalogue = list(catalogue)
        for comportamento in self.catalogue:
            punteggio = existing.get(comportamento.pk)
            self.fields[f"score_{comportamento.pk}"] = forms.TypedChoiceField(
                label=f"{comportamento.name} (peso {_number(comportamento.weight)})",
                choices=choices,
                coerce=int,
                help_text=comportamento.description,
                initial=str(punteggio.score) if punteggio else "",
                error_messages={
                    "required": "Attribuire un punteggio.",
                    "invalid_choice": f"Il punteggio va da {settings.scale_min} a {settings.scale_max}.",
                },
            )
            self.fields[f"comment_{comportamento.pk}"] = forms.CharField(
                label="Commento",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=punteggio.comment if punteggio else "",
            )
        self.fields["comment"] = forms.CharField(
            label="Giudizio complessivo del Nucleo",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=comment,
        )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            comportamento.pk: (
                self.cleaned_data[f"score_{comportamento.pk}"],
                self.cleaned_data[f"comment_{comportamento.pk}"],
            )
            for comportamento in self.catalogue
        }


def _number(value) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


class ConfirmForm(forms.Form):
    """An act with nothing to type: the button confirms it."""
