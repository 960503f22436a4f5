# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list's filters: year, unit, state, late only, text search, all in SQL.

The queryset is the user's visible objectives of one PEG, not yet annotated with their figures:
the view counts the filtered rows as they are and reads the figures of one page of them only.
"Late only" asks for evaluable phases late at the monitoring date (objectives.figures.late_at_date).
The text search reads Obiettivo.search_text (kept by objectives/facts.py): on PostgreSQL
an Italian full-text search of its stored tsvector (search_vector), which the GIN index
obiettivo_search_vector_gin answers; elsewhere
(SQLite) each word contained in it. A search that is exactly an objective's code finds it too.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from objectives.figures import late_at_date
from objectives.models import SEARCH_CONFIG, Obiettivo, ObiettivoStatus, Peg

# The text search stays short (on SQLite it runs one condition per word).
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20


def validate_search_words(value: str) -> None:
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        raise ValidationError(
            f"La ricerca può contenere al massimo {SEARCH_MAX_WORDS} parole (ne ha {words}): non è stata applicata."
        )


class PlainSelect(forms.Select):
    """A select whose options are written in one pass: Django renders each option through a template
    of its own, which for the 300 units of a large PEG costs more than the rest of the list page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        if not chosen:
            chosen = {""}
        options = []
        for option, label in self.choices:
            selected = " selected" if str(option) in chosen else ""
            options.append(
                f'<option value="{conditional_escape(option)}"{selected}>{conditional_escape(label)}</option>'
            )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return format_html("<select{}>{}</select>", attributes, mark_safe("".join(options)))


class ObjectiveFilter(django_filters.FilterSet):
    """Filters a queryset already limited to what the user may see and to one PEG.

    The year picks the PEG (the view scopes the queryset and the figures to it); "late only"
    looks at the monitoring date `on` (None: year end).
    """

    anno = django_filters.ChoiceFilter(label="Anno", method="filter_noop", empty_label=None)
    # The units' choices are read as (id, name) pairs: a model choice field would build a Settore for
    # each of a large PEG's 300 units on every page, through a server-side cursor on PostgreSQL.
    settore = django_filters.ChoiceFilter(
        label="Struttura", field_name="settore_id", empty_label="Tutte le strutture", widget=PlainSelect
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

    def __init__(self, *args, settori=None, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.filters["anno"].extra["choices"] = [
            (year, str(year)) for year in Peg.objects.values_list("year", flat=True)
        ]
        self.filters["settore"].extra["choices"] = (
            list(settori.values_list("pk", "name")) if settori is not None else []
        )

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_late(self, queryset, name, value):
        return queryset.filter(late_at_date(self.on)) if value else queryset

    def filter_text(self, queryset, name, value):
        return queryset.filter(text_search(queryset, value))


def text_search(queryset, value: str) -> Q:
    """Objectives whose search text matches every word of `value`, or whose code is `value`."""
    words = value.split()
    if not words:
        return Q()
    code = Q(code__iexact=" ".join(words))
    if connections[queryset.db].vendor != "postgresql":
        matches = Q()
        for word in words:
            matches &= Q(search_text__icontains=word)
        return matches | code
    from django.contrib.postgres.search import SearchQuery

    # The code's match is read first (a few ids), so that PostgreSQL can OR the two index scans
    # instead of reading every row.
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    coded = list(queryset.filter(code).order_by().values_list("pk", flat=True))
    return Q(search_vector=query) | Q(pk__in=coded)
