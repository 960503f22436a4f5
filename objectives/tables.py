# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list as a django-tables2 table over a queryset annotated by
objectives.figures.with_figures: sorted and paged in SQL, 25 rows read a page."""

from __future__ import annotations

from functools import cached_property

import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from objectives.links import by_id
from objectives.models import LIST_ORDER
from objectives.templatetags.peg_tags import percent, status_badge


class ObjectiveTable(tables.Table):
    """Give it figures.page_by_ids(rows): only the print order has an index, so any other sort (a
    figure, the title, the state) sorts every visible objective, and it had better sort ids alone."""

    settore = tables.Column(verbose_name="Struttura", accessor="settore__name", order_by=LIST_ORDER[:-1])
    code = tables.Column(verbose_name="Ob.", order_by=LIST_ORDER)
    # Ties in print order: without a total order a row could show on two pages, or on none.
    title = tables.Column(verbose_name="Titolo", order_by=("title", *LIST_ORDER))
    status = tables.Column(verbose_name="Stato", order_by=("status", *LIST_ORDER))
    score_value = tables.Column(verbose_name="Raggiungimento", attrs={"td": {"class": "text-end"}})
    late_count = tables.Column(verbose_name="Fasi in ritardo", attrs={"td": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "obiettivi"}
        orderable = True
        empty_text = "Nessun obiettivo corrisponde ai filtri."
        template_name = "objectives/_objective_table.html"

    def rows_html(self) -> str:
        """The page's rows in one pass, as django-tables2 writes them (its template's <td> attributes
        and data-label, the columns' render_* methods, the default for an empty value): its own cell
        machinery — a signature inspection and an attributes dict per cell — cost the list page a
        third of its time. Each column's attributes are worked out once."""
        columns = [
            (
                column,
                getattr(self, f"render_{column.name}", None),
                format_html('<td {} data-label="{}">', column.attrs["td"].as_html(), column.header),
            )
            for column in self.columns
        ]
        lines = []
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for column, render, opening in columns:
                value = column.accessor.resolve(record, quiet=True)
                if value in column.column.empty_values:
                    html = column.default
                elif render is not None:
                    html = render(record=record, value=value)
                else:
                    html = value
                cells.append(format_html("{}{}</td>", opening, html))
            lines.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells))))
        if not lines and self.empty_text:
            return format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text)
        return mark_safe("\n".join(lines))

    def order_score_value(self, queryset, is_descending):
        return _by_figure(queryset, "score_value", is_descending), True

    def order_late_count(self, queryset, is_descending):
        return _by_figure(queryset, "late_count", is_descending), True

    @cached_property
    def _detail_url(self):
        return by_id("objectives:detail")

    # Every render_* takes (record, value): rows_html calls them so.
    def render_code(self, record, value):
        return format_html('<a href="{}">{}</a>', self._detail_url(record.pk), record.code)

    def render_title(self, record, value):
        short = value if len(value) <= 140 else value[:137] + "…"
        return format_html('<a href="{}">{}</a>', self._detail_url(record.pk), short)

    def render_status(self, record, value):
        return status_badge(record)

    def render_score_value(self, record, value):
        return percent(value)

    def render_late_count(self, record, value):
        if not value:
            return "—"
        return format_html('<span class="badge bg-danger">{}</span>', value)


# Ties (and objectives without a score, always last) in print order.
def _by_figure(queryset, name: str, descending: bool):
    figure = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return queryset.order_by(figure, *LIST_ORDER)
