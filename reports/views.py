# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""'Stampa PDF': the card of an objective, a unit's cards, the whole PEG; for whoever may see them.

What a user may see is decided by objectives.access alone; anything outside it is a 404, never
a hint that it exists.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from objectives import access
from objectives.models import Obiettivo, Peg
from objectives.selectors import default_monitoring_date, monitoring_span
from reports import documents, services
from reports.responses import document_response


@login_required
@require_GET
def objective_pdf(request, pk):
    obiettivo = access.get_objective_for_user(request.user, pk, Obiettivo.objects.select_related("peg", "settore"))
    name = f"peg-{obiettivo.peg.year}-{slugify(obiettivo.settore.name)[:60]}-obiettivo-{obiettivo.code}"
    return document_response(services.objective_pdf(obiettivo), f"{name}.pdf")


@login_required
@require_GET
def objective_monitoring_pdf(request, pk):
    """The monitoring card at ?al=YYYY-MM-DD (default: the objective page's date)."""
    obiettivo = access.get_objective_for_user(request.user, pk, Obiettivo.objects.select_related("peg", "settore"))
    try:
        on = (
            dt.date.fromisoformat(request.GET["al"])
            if request.GET.get("al")
            else default_monitoring_date(obiettivo.peg)
        )
    except ValueError:
        raise Http404("Data non valida.") from None
    first, last = monitoring_span(obiettivo.peg)
    if not first <= on <= last:
        raise Http404("Data di monitoraggio fuori dagli anni del PEG.")
    name = f"monitoraggio-{obiettivo.peg.year}-{slugify(obiettivo.settore.name)[:60]}-{obiettivo.code}-{on:%Y%m%d}"
    return document_response(services.monitoring_pdf(obiettivo, on), f"{name}.pdf")


@login_required
@require_GET
def unit_pdf(request, pk, year):
    """The unit's cards of that year that the user may see."""
    ids = list(
        access.visible_objectives(request.user).filter(settore_id=pk, peg__year=year).values_list("pk", flat=True)
    )
    if not ids:
        raise Http404("Struttura non trovata.")
    obiettivi = list(documents.objectives_for(year=year, obiettivo_ids=ids))
    settore = obiettivi[0].settore
    title = f"{settore.name} – Obiettivi {year}"
    return document_response(services.cards_pdf(obiettivi, title=title), f"peg-{year}-{slugify(settore.name)[:60]}.pdf")


@login_required
@require_GET
def peg_pdf(request, year):
    """The whole printed PEG, for those who see every objective (Nucleo, staff, administrators)."""
    if not access.sees_everything(request.user):
        raise Http404("PEG non trovato.")
    peg = get_object_or_404(Peg, year=year)
    return document_response(services.peg_pdf(peg), f"peg-{year}.pdf")
