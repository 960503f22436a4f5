# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Pages of the heads' evaluation: the results of every head, one head's result, their evaluation form.

Thin views: evaluation.access decides who sees what (404 for outsiders, 403 for those who see
but may not act), evaluation.services writes, evaluation.selectors reads.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from evaluation import access, printing, services
from evaluation.forms import ConfirmForm, ScoreForm
from evaluation.models import Scheda
from evaluation.selectors import band_distribution, catalogue_for, head_result, head_results, scheda_view, settings_for
from objectives import access as core
from objectives.acts import perform_act
from objectives.forms import ReasonForm
from objectives.models import Peg
from objectives.views import selected_peg
from reports.responses import document_response


@login_required
@require_GET
def results(request):
    """Every head's result of the PEG (Nucleo, staff, administrators); a head sees their own row."""
    if not access.may_see_results(request.user):
        raise Http404("Pagina non trovata.")
    peg = selected_peg(request)
    rows = []
    distribution = []
    if peg is not None:
        visible = set(access.visible_heads(request.user).values_list("pk", flat=True))
        rows = [result for result in head_results(peg) if result.dirigente.pk in visible]
        schede = {scheda.dirigente_id: scheda for scheda in access.visible_schede(request.user).filter(peg=peg)}
        rows = [(result, schede.get(result.dirigente.pk)) for result in rows]
        distribution = band_distribution([result for result, _ in rows])
    context = {
        "peg": peg,
        "rows": rows,
        "distribution": distribution,
        "years": Peg.objects.values_list("year", flat=True),
        "shows_schede": core.is_nucleo(request.user) or any(scheda for _, scheda in rows),
    }
    return render(request, "evaluation/results.html", context)


@login_required
@require_GET
def head_detail(request, year, pk):
    dirigente = access.get_head_for_user(request.user, pk)
    peg = get_object_or_404(Peg, year=year)
    context = {
        "peg": peg,
        "dirigente": dirigente,
        "result": head_result(peg, dirigente),
        "scheda": access.find_scheda_for_user(request.user, peg, dirigente),
        "can_open": access.can_open_scheda(request.user),
    }
    return render(request, "evaluation/head_detail.html", context)


@login_required
@require_POST
def open_scheda(request, year, pk):
    dirigente = access.get_head_for_user(request.user, pk)
    peg = get_object_or_404(Peg, year=year)
    try:
        scheda = services.open_scheda(peg=peg, dirigente=dirigente, user=request.user)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:head", year=year, pk=pk)
    messages.success(request, "Scheda di valutazione aperta in bozza.")
    return redirect("evaluation:scheda", pk=scheda.pk)


@login_required
@require_GET
def scheda_detail(request, pk):
    scheda = access.get_scheda_for_user(request.user, pk)
    view = scheda_view(scheda)
    context = {
        "scheda": scheda,
        "view": view,
        "can": access.permissions_for(request.user, scheda, view.settings, timezone.localdate()),
        "review_deadline": access.review_deadline(scheda, view.settings),
        "note": list(scheda.note.select_related("author")),
    }
    return render(request, "evaluation/scheda_detail.html", context)


@login_required
def scheda_score(request, pk):
    scheda = access.get_scheda_for_user(request.user, pk)
    if not access.can_score(request.user, scheda):
        raise PermissionDenied("Solo il Nucleo attribuisce i punteggi, sulla scheda in bozza o durante il riesame.")
    existing = {punteggio.comportamento_id: punteggio for punteggio in scheda.punteggi.all()}
    form = ScoreForm(
        request.POST or None,
        catalogue=catalogue_for(scheda.peg),
        settings=settings_for(scheda.peg),
        existing=existing,
        comment=scheda.comment,
    )
    if request.method == "POST" and form.is_valid():
        act = partial(
            services.score_behaviours,
            scheda=scheda,
            user=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
        perform_act(form, act, refused=services.EvaluationError, not_allowed=services.NotAllowed)
        if not form.errors:
            messages.success(request, "Punteggi dei comportamenti registrati.")
            return redirect("evaluation:scheda", pk=scheda.pk)
    context = {"scheda": scheda, "form": form, "title": "Punteggi dei comportamenti", "submit": "Registra i punteggi"}
    return render(request, "evaluation/action_form.html", context)


# The acts of the procedure: (allowed?, the service call, page title, button, reason label or None).
def _today_rule(rule):
    return lambda user, scheda: rule(user, scheda, settings_for(scheda.peg), timezone.localdate())


ACTS = {
    "notify": (
        access.can_notify,
        lambda scheda, user, text: services.notify(scheda=scheda, user=user),
        "Notifica della scheda al responsabile",
        "Notifica la scheda",
        None,
    ),
    "acknowledge": (
        access.can_acknowledge,
        lambda scheda, user, text: services.acknowledge(scheda=scheda, user=user),
        "Presa visione della scheda",
        "Prendo visione",
        None,
    ),
    "request_review": (
        _today_rule(access.can_request_review),
        lambda scheda, user, text: services.request_review(scheda=scheda, user=user, reason=text),
        "Richiesta di riesame",
        "Chiedi il riesame",
        "Motivo della richiesta di riesame",
    ),
    "conclude_review": (
        access.can_conclude_review,
        lambda scheda, user, text: services.conclude_review(scheda=scheda, user=user, answer=text),
        "Esito del riesame",
        "Concludi il riesame",
        "Risposta del Nucleo al responsabile",
    ),
    "close": (
        _today_rule(access.can_close),
        lambda scheda, user, text: services.close(scheda=scheda, user=user),
        "Chiusura della scheda",
        "Chiudi la scheda",
        None,
    ),
}


@login_required
def scheda_act(request, pk, act):
    scheda = access.get_scheda_for_user(request.user, pk)
    allowed, action, title, submit, label = ACTS[act]
    if not allowed(request.user, scheda):
        raise PermissionDenied("Questa azione non è consentita per questa scheda.")
    data = request.POST if request.method == "POST" else None
    form = ReasonForm(data, label=label) if label else ConfirmForm(data)
    if request.method == "POST" and form.is_valid():
        perform_act(
            form,
            lambda: action(scheda, request.user, form.cleaned_data.get("text", "")),
            refused=services.EvaluationError,
            not_allowed=services.NotAllowed,
        )
        if not form.errors:
            messages.success(request, f"{title}: operazione registrata.")
            return redirect("evaluation:scheda", pk=scheda.pk)
    context = {"scheda": scheda, "form": form, "title": title, "submit": submit}
    return render(request, "evaluation/action_form.html", context)


@login_required
@require_GET
def scheda_pdf(request, pk):
    scheda: Scheda = access.get_scheda_for_user(request.user, pk)
    data = printing.scheda_pdf(scheda_view(scheda))
    name = f"scheda-valutazione-{scheda.peg.year}-{slugify(scheda.dirigente.name)[:60]}"
    return document_response(data, f"{name}.pdf", private=True)
