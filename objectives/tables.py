# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list as a django-tables2 table (rows carry their computed score)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from objectives.templatetags.peg_tags import percent, status_badge


class ObjectiveTable(tables.Table):
    settore = tables.Column(verbose_name="Struttura", accessor="settore__name", order_by=("settore__print_order",))
    code = tables.Column(verbose_name="Ob.", order_by=("settore__print_order", "print_order"))
    title = tables.Column(verbose_name="Titolo")
    status = tables.Column(verbose_name="Stato")
    score_value = tables.Column(verbose_name="Raggiungimento", attrs={"td": {"class": "text-end"}})
    late_count = tables.Column(verbose_name="Fasi in ritardo", attrs={"td": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "obiettivi"}
        orderable = True
        empty_text = "Nessun obiettivo corrisponde ai filtri."

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
