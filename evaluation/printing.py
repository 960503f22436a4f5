# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The evaluation form printed as PDF, in the style of the PEG cards.

The HTML comes from evaluation/templates/evaluation/scheda_pdf.html with the cards' own
stylesheet (reports/static/reports/print.css); WeasyPrint runs behind the reports' safe fetcher
(reports.rendering.html_to_pdf), so the print reads no resource but the reports' static files.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from evaluation.selectors import SchedaView
from reports.documents import print_css
from reports.rendering import html_to_pdf


def head_role(view: SchedaView) -> str:
    """'Il Dirigente': the signature line of the head's first unit, as the cards print it."""
    settori = view.head.settori if view.head else []
    return settori[0].signature if settori else "Il Responsabile"


def scheda_html(view: SchedaView) -> str:
    return render_to_string(
        "evaluation/scheda_pdf.html",
        {"view": view, "scheda": view.scheda, "css": print_css(), "head_role": head_role(view)},
    )


def scheda_pdf(view: SchedaView) -> bytes:
    return html_to_pdf(scheda_html(view))
