# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""'Stampa PDF': the card of an objective, a unit's cards, the whole PEG; for whoever may see them.

What a user may see is decided by objectives.access alone; anything outside it is a 404, never
a hint that it exists. One card is sent at once; a unit's cards and the whole PEG are long: their
page offers "Prepara il PDF", which asks for a job (jobs.services) and leads to its progress bar.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from cycle import services as cycle_services
from jobs.services import request_document
from objectives import access
from objectives.models import Obiettivo, Peg
from objectives.selectors import default_monitoring_date, monitoring_span
from reports import services
from reports.responses import document_response


@login_required
@require_GET
def objective_pdf(request, pk):
    obiettivo = access.get_objective_for_user(request.user, pk, Obiettivo.objects.select_related("peg", "settore"))
    name = f"peg-{obiettivo.peg.year}-{slugify(obiettivo.settore.name)[:60]}-obiettivo-{obiettivo.code}"
    # ?versione=approvato: the card as the Giunta approved it, before its variations (cycle).
    version = request.GET.get("versione", "")
    if version not in ("", cycle_services.VERSION_APPROVED, cycle_services.VERSION_VARIED):
        raise Http404("Versione della scheda non riconosciuta.")
    if version == cycle_services.VERSION_APPROVED:
        name += "-approvata"
    return document_response(cycle_services.objective_card_pdf(obiettivo, version), f"{name}.pdf")


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


def _prepare(request, *, kind: str, params: dict, title: str, description: str):
    """GET: the page with "Prepara il PDF"; POST: the job, then its page."""
    if request.method == "POST":
        job = request_document(user=request.user, kind=kind, params=params, title=title)
        return redirect(job)
    return render(request, "reports/prepare.html", {"title": title, "description": description})


@login_required
@require_http_methods(["GET", "POST"])
def unit_pdf(request, pk, year):
    """The unit's cards of that year that the user may see, prepared as a job."""
    visible = access.visible_objectives(request.user).filter(settore_id=pk, peg__year=year)
    first = visible.select_related("settore").order_by().first()
    if first is None:
        raise Http404("Struttura non trovata.")
    count = visible.count()
    return _prepare(
        request,
        kind="unit_pdf",
        params={"settore": pk, "year": year},
        title=f"Schede PDF di {first.settore.name} – Obiettivi {year}",
        description=f"{count} {'scheda' if count == 1 else 'schede'} di obiettivo, con il sommario dei segnalibri.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def peg_pdf(request, year):
    """The whole printed PEG, for those who see every objective (Nucleo, staff, administrators)."""
    if not access.sees_everything(request.user):
        raise Http404("PEG non trovato.")
    peg = get_object_or_404(Peg, year=year)
    return _prepare(
        request,
        kind="peg_pdf",
        params={"year": peg.year},
        title=f"PEG {peg.year} completo (PDF)",
        description="Copertina, indice, tutte le schede degli obiettivi ed Elenco Responsabili.",
    )
