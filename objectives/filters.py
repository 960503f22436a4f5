# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list's filters: year, unit, state, late only, text search."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from objectives.models import Obiettivo, ObiettivoStatus, Peg
from sectors.models import Settore

# The text search runs one condition over six columns per word: it stays short.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20


def validate_search_words(value: str) -> None:
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        raise ValidationError(
            f"La ricerca può contenere al massimo {SEARCH_MAX_WORDS} parole (ne ha {words}): non è stata applicata."
        )


class ObjectiveFilter(django_filters.FilterSet):
    """Filters a queryset already limited to what the user may see and to one PEG.

    The year picks the PEG (the view scopes the queryset and the scores to it); "late only"
    needs the calculator, so the view passes the ids of the objectives with a late phase.
    """

    anno = django_filters.ChoiceFilter(label="Anno", method="filter_noop", empty_label=None)
    settore = django_filters.ModelChoiceFilter(
        label="Struttura", queryset=Settore.objects.none(), empty_label="Tutte le strutture"
    )
    status = django_filters.ChoiceFilter(label="Stato", choices=ObiettivoStatus.choices, empty_label="Tutti gli stati")
    late = django_filters.BooleanFilter(
        label="Solo con fasi in ritardo", method="filter_late", widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(
        label="Cerca",
        method="filter_text",
        max_length=SEARCH_MAX_CHARS,
        validators=[validate_search_words],
        error_messages={
            "max_length": f"La ricerca può contenere al massimo {SEARCH_MAX_CHARS} caratteri "
            "(ne ha %(show_value)d): non è stata applicata."
        },
        help_text=f"Al massimo {SEARCH_MAX_WORDS} parole.",
    )

    class Meta:
        model = Obiettivo
        fields = ["anno", "settore", "status", "late", "q"]

    def __init__(self, *args, late_ids=(), settori=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.late_ids = set(late_ids)
        self.filters["anno"].extra["choices"] = [
            (year, str(year)) for year in Peg.objects.values_list("year", flat=True)
        ]
        if settori is not None:
            self.filters["settore"].queryset = settori

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_late(self, queryset, name, value):
        return queryset.filter(pk__in=self.late_ids) if value else queryset

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(code__iexact=word)
                | Q(settore__name__icontains=word)
                | Q(strategic_aims__icontains=word)
                | Q(directives__icontains=word)
                | Q(expected_result__icontains=word)
            )
        return queryset
