# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Presentation helpers for PEG pages: percentages and dates the Italian way, state badges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html

from objectives.models import FaseState, ObiettivoStatus

register = template.Library()

STATUS_CLASSES = {
    ObiettivoStatus.IN_CORSO: "bg-primary",
    ObiettivoStatus.RENDICONTATO: "bg-warning text-dark",
    ObiettivoStatus.RINVIATO: "bg-danger",
    ObiettivoStatus.VALIDATO: "bg-success",
}
PHASE_STATE_CLASSES = {
    FaseState.DA_AVVIARE: "bg-secondary",
    FaseState.IN_CORSO: "bg-primary",
    FaseState.COMPLETATA: "bg-success",
    FaseState.NON_REALIZZATA: "bg-danger",
}


@register.filter
def percent(value, decimals=2) -> str:
    """Decimal('87.5') → '87,50%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.{int(decimals)}f}".replace(".", ",") + "%"


@register.filter
def weight(value) -> str:
    """A phase weight as printed: Decimal('12.50') → '12,5%'; None → '—'."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}".replace(".", ",") + "%"


@register.filter
def it_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    return value.strftime("%d/%m/%Y")


@register.simple_tag
def status_badge(obiettivo):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_CLASSES.get(obiettivo.status, "bg-secondary"),
        obiettivo.get_status_display(),
    )


@register.simple_tag
def phase_badge(fase):
    return format_html(
        '<span class="badge {}">{}</span>',
        PHASE_STATE_CLASSES.get(fase.state, "bg-secondary"),
        fase.get_state_display(),
    )


@register.filter
def bar_width(value) -> str:
    """A percentage as a CSS width between 0 and 100 (dot decimal separator)."""
    if value is None:
        return "0"
    return f"{max(Decimal('0'), min(Decimal('100'), Decimal(value))):.1f}"


@register.filter
def person(user) -> str:
    """A user as pages show them: full name, else username; '—' for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.simple_tag
def bootstrap_widget(field):
    """The field's widget with Bootstrap's classes and ARIA states, as crispy-bootstrap5 writes them,
    for the list's filters (objectives/_filter_field.html): crispy's templates cost that page a third
    of its time, on every request."""
    widget = field.field.widget
    if getattr(widget, "input_type", None) == "checkbox":
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
