# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The cycle's page of a PEG: its state, its acts, its variations, and the forms of the acts the
user may do. Thin: the rules are cycle.services' and objectives.access'.

Whoever does not see the whole PEG (heads of units, outsiders) gets 404; Nucleo and staff see the
page; an act the user may not do is a 403.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from cycle import forms, services
from objectives import access, workflow
from objectives.acts import perform_act
from objectives.models import Peg, PegStatus


def _peg_for(request, year) -> Peg:
    peg = Peg.objects.filter(year=year).first()
    if peg is None or not access.sees_everything(request.user):
        raise Http404("PEG non trovato.")
    return peg


def _forbid_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@login_required
def index(request):
    if not access.sees_everything(request.user):
        raise Http404("Pagina non trovata.")
    pegs = list(Peg.objects.order_by("-year"))
    context = {"pegs": pegs, "may_create_next": access.can_record_cycle_acts(request.user)}
    return render(request, "cycle/index.html", context)


def _context(request, peg: Peg, **extra) -> dict:
    user = request.user
    may_record = access.can_record_cycle_acts(user)
    by_objective = services.variations_by_objective(peg)
    objectives = {o.pk: o for o in peg.obiettivi.filter(pk__in=by_objective).select_related("settore")}
    return {
        "peg": peg,
        "states": PegStatus.choices,
        "acts": list(services.acts_of(peg)),
        "variations": [(objectives[pk], items) for pk, items in by_objective.items()],
        "can_approve": may_record and peg.status == PegStatus.PROVVISORIO,
        "can_vary": may_record and peg.status in access.VARIATION_STATES,
        "can_open_review": workflow.may_open_year_end_review(user)
        and peg.status in (PegStatus.APPROVATO, PegStatus.IN_VERIFICA),
        "close_refusal": services.close_refusal(peg),
        "approval_form": extra.pop("approval_form", None) or forms.ApprovalForm(),
        "choice_form": forms.ObjectiveChoiceForm(peg=peg),
        **extra,
    }


@login_required
def peg_cycle(request, year):
    peg = _peg_for(request, year)
    return render(request, "cycle/peg_cycle.html", _context(request, peg))


@login_required
def approve(request, year):
    """Staff record the Giunta's resolution approving the PEG."""
    peg = _peg_for(request, year)
    _forbid_unless(
        access.can_record_cycle_acts(request.user), "Solo Programmazione e Controllo registra l'approvazione del PEG."
    )
    if request.method != "POST":
        return redirect("cycle:peg", year=peg.year)
    form = forms.ApprovalForm(request.POST)
    if form.is_valid():
        act = functools.partial(services.approve_peg, peg=peg, user=request.user, **form.cleaned_data)
        perform_act(form, act, on_field=True, refused=services.CycleError, not_allowed=services.NotAllowed)
        if not form.errors:
            messages.success(request, f"PEG {peg.year} approvato: registrata la deliberazione.")
            return redirect("cycle:peg", year=peg.year)
    peg.refresh_from_db()
    return render(request, "cycle/peg_cycle.html", _context(request, peg, approval_form=form), status=200)


@login_required
def variation(request, year):
    """Staff record a variation: pick the objective (?obiettivo=), then its new values."""
    peg = _peg_for(request, year)
    _forbid_unless(
        access.can_record_cycle_acts(request.user), "Solo Programmazione e Controllo registra le variazioni del PEG."
    )
    if peg.status not in access.VARIATION_STATES:
        messages.error(request, services.variation_refusal_for_peg(peg))
        return redirect("cycle:peg", year=peg.year)
    choice = forms.ObjectiveChoiceForm(request.GET or None, peg=peg)
    if not choice.is_valid():
        context = {"peg": peg, "choice_form": choice, "form": None}
        return render(request, "cycle/variation_form.html", context)
    obiettivo = choice.cleaned_data["obiettivo"]
    form = forms.VariazioneForm(request.POST or None, obiettivo=obiettivo)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        act = functools.partial(
            services.apply_variazione,
            obiettivo=obiettivo,
            user=request.user,
            number=data["number"],
            date=data["date"],
            reason=data["reason"],
            changes=form.changes(),
            seen=data.get("seen") or None,
        )
        perform_act(form, act, on_field=True, refused=services.CycleError, not_allowed=services.NotAllowed)
        if not form.errors:
            messages.success(request, f"Variazione registrata: obiettivo {obiettivo.code} di {obiettivo.settore.name}.")
            return redirect(reverse("objectives:detail", args=[obiettivo.pk]) + "#variazioni")
    context = {"peg": peg, "choice_form": choice, "form": form, "obiettivo": obiettivo}
    return render(request, "cycle/variation_form.html", context)
