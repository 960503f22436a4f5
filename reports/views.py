"""'Stampa PDF': the card of an objective, a unit's cards, the whole PEG; for whoever may see them.

What a user may see is decided by objectives.access.visible_objectives alone; anything outside
it is a 404, never a hint that it exists.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from objectives.access import visible_objectives
from objectives.models import Obiettivo, Peg
from reports import documents, services


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _visible_objective(user, pk) -> Obiettivo:
    try:
        return visible_objectives(user).select_related("peg", "settore").get(pk=pk)
    except Obiettivo.DoesNotExist:
        raise Http404("Obiettivo non trovato.") from None


@login_required
@require_GET
def objective_pdf(request, pk):
    obiettivo = _visible_objective(request.user, pk)
    name = f"peg-{obiettivo.peg.year}-{slugify(obiettivo.settore.name)[:60]}-obiettivo-{obiettivo.code}"
    return _pdf_response(services.objective_pdf(obiettivo), name)


@login_required
@require_GET
def objective_monitoring_pdf(request, pk):
    """The monitoring card at ?al=YYYY-MM-DD (default: today)."""
    obiettivo = _visible_objective(request.user, pk)
    try:
        on = dt.date.fromisoformat(request.GET["al"]) if request.GET.get("al") else timezone.localdate()
    except ValueError:
        raise Http404("Data non valida.") from None
    name = f"monitoraggio-{obiettivo.peg.year}-{slugify(obiettivo.settore.name)[:60]}-{obiettivo.code}-{on:%Y%m%d}"
    return _pdf_response(services.monitoring_pdf(obiettivo, on), name)


@login_required
@require_GET
def unit_pdf(request, pk, year):
    """The unit's cards of that year that the user may see."""
    ids = list(visible_objectives(request.user).filter(settore_id=pk, peg__year=year).values_list("pk", flat=True))
    if not ids:
        raise Http404("Struttura non trovata.")
    obiettivi = list(documents.objectives_for(year=year, obiettivo_ids=ids))
    settore = obiettivi[0].settore
    title = f"{settore.name} – Obiettivi {year}"
    return _pdf_response(services.cards_pdf(obiettivi, title=title), f"peg-{year}-{slugify(settore.name)[:60]}")


@login_required
@require_GET
def peg_pdf(request, year):
    """The whole printed PEG, for those who may see every objective in it."""
    peg = get_object_or_404(Peg, year=year)
    every = Obiettivo.objects.filter(peg=peg)
    if visible_objectives(request.user).filter(peg=peg).count() != every.count():
        raise Http404("PEG non trovato.")
    return _pdf_response(services.peg_pdf(peg), f"peg-{year}")
