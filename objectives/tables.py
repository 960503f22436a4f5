# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list as a django-tables2 table over a queryset annotated by
objectives.figures.with_figures: sorted and paged in SQL, 25 rows read a page."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from objectives.models import LIST_ORDER
from objectives.templatetags.peg_tags import percent, status_badge


class ObjectiveTable(tables.Table):
    settore = tables.Column(verbose_name="Struttura", accessor="settore__name", order_by=LIST_ORDER[:-1])
    code = tables.Column(verbose_name="Ob.", order_by=LIST_ORDER)
    title = tables.Column(verbose_name="Titolo")
    status = tables.Column(verbose_name="Stato")
    score_value = tables.Column(verbose_name="Raggiungimento", attrs={"td": {"class": "text-end"}})
    late_count = tables.Column(verbose_name="Fasi in ritardo", attrs={"td": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "obiettivi"}
        orderable = True
        empty_text = "Nessun obiettivo corrisponde ai filtri."

    def order_score_value(self, queryset, is_descending):
        return _by_figure(queryset, "score_value", is_descending), True

    def order_late_count(self, queryset, is_descending):
        return _by_figure(queryset, "late_count", is_descending), True

    def render_code(self, record):
        return format_html('<a href="{}">{}</a>', reverse("objectives:detail", args=[record.pk]), record.code)

    def render_title(self, record, value):
        short = value if len(value) <= 140 else value[:137] + "…"
        return format_html('<a href="{}">{}</a>', reverse("objectives:detail", args=[record.pk]), short)

    def render_status(self, record):
        return status_badge(record)

    def render_score_value(self, value):
        return percent(value)

    def render_late_count(self, value):
        if not value:
            return "—"
        return format_html('<span class="badge bg-danger">{}</span>', value)


# Ties (and objectives without a score, always last) in print order.
def _by_figure(queryset, name: str, descending: bool):
    figure = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return queryset.order_by(figure, *LIST_ORDER)
