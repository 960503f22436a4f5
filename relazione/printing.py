# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Relazione and its document of validation as HTML and PDF, in the style of the PEG cards.

The body (relazione/templates/relazione/_document.html) is drawn from the plan's data while the
Relazione is a draft, and is the one frozen at validation afterwards. The PDF wraps it with the
cards' stylesheet (reports/static/reports/print.css) and goes through reports.rendering.html_to_pdf,
behind the reports' safe fetcher: the print reads no resource but the reports' static files.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from relazione import charts
from relazione.models import Relazione, ValidazioneRelazione
from relazione.selectors import RelazioneData, relazione_data
from reports.documents import print_css
from reports.rendering import html_to_pdf

RELAZIONE_CSS = Path(__file__).resolve().parent / "static" / "relazione" / "relazione.css"


def relazione_css() -> str:
    return RELAZIONE_CSS.read_text(encoding="utf-8")


def chart_context(data: RelazioneData) -> dict:
    return {
        "unit_chart": charts.bar_chart(
            [(unit.settore.name, unit.result.score) for unit in data.units],
            title=f"Grado di raggiungimento medio per struttura – {data.peg.year}",
        ),
        "band_chart": charts.histogram(
            [(row.label, row.heads) for row in data.distribution],
            title=f"Responsabili per fascia di valutazione – {data.peg.year}",
        ),
    }


def draw_document(relazione: Relazione, *, validation: ValidazioneRelazione | None = None) -> str:
    """The body of the Relazione drawn now from the plan's figures."""
    data = relazione_data(relazione.peg)
    context = {"relazione": relazione, "peg": relazione.peg, "data": data, "validation": validation}
    return render_to_string("relazione/_document.html", {**context, **chart_context(data)})


def document_body(relazione: Relazione) -> str:
    """The validated document once validated, else the draft drawn now."""
    validated = relazione.validated if relazione.pk else None
    if validated is not None and validated.document_html:
        return validated.document_html
    return draw_document(relazione)


def body_pdf(body: str, *, title: str) -> bytes:
    html = render_to_string(
        "relazione/relazione_pdf.html",
        {"body": mark_safe(body), "css": print_css(), "relazione_css": relazione_css(), "title": title},
    )
    return html_to_pdf(html)


def relazione_pdf(relazione: Relazione) -> bytes:
    return body_pdf(document_body(relazione), title=str(relazione))


def validation_html(validation: ValidazioneRelazione) -> str:
    return render_to_string(
        "relazione/validazione_pdf.html",
        {
            "validation": validation,
            "relazione": validation.relazione,
            "peg": validation.relazione.peg,
            "css": print_css(),
        },
    )


def validation_pdf(validation: ValidazioneRelazione) -> bytes:
    return html_to_pdf(validation_html(validation))
