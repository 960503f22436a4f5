# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Nuovo PEG da anno precedente: the preview of what will be created, then the confirmation (POST).

Thin views: cycle.rollover decides who may see (404 otherwise) and who may create (403 otherwise),
plans and writes.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cycle import rollover
from cycle.rollover_forms import RolloverConfirmForm
from objectives.acts import perform_act
from objectives.models import Peg

FORBIDDEN = "Solo Programmazione e Controllo crea il PEG dell'anno successivo."


def _require_sight(user) -> None:
    if not rollover.may_see(user):
        raise Http404("Pagina non trovata.")


@login_required
@require_GET
def choose(request):
    """The PEG a new year starts from: the latest one."""
    _require_sight(request.user)
    pegs = list(Peg.objects.order_by("-year"))
    latest = pegs[0] if pegs else None
    context = {
        "pegs": pegs,
        "latest": latest,
        "refusals": rollover.refusals_for(latest) if latest else [],
        "can_create": rollover.may_create(request.user),
    }
    return render(request, "cycle/rollover_choose.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, year):
    _require_sight(request.user)
    if not Peg.objects.filter(year=year).exists():
        raise Http404("PEG non trovato.")
    can_create = rollover.may_create(request.user)
    errors: list[str] = []
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(FORBIDDEN)
        form = RolloverConfirmForm(request.POST)
        if form.is_valid():
            act = partial(rollover.create, year=year, user=request.user, fingerprint=form.cleaned_data["fingerprint"])
            new = perform_act(form, act, refused=rollover.RolloverError, not_allowed=rollover.NotAllowed)
            if not form.errors:
                messages.success(
                    request,
                    f"Creato il PEG {new.year} (provvisorio) dal PEG {year}: {new.obiettivi.count()} obiettivi. "
                    f"L'atto è registrato nelle note del PEG {year}.",
                )
                return redirect(reverse("objectives:list") + f"?anno={new.year}")
        errors = [error for field_errors in form.errors.values() for error in field_errors]
    plan = rollover.preview(year)  # as it is now (after a refusal too: a fresh fingerprint)
    form = RolloverConfirmForm(initial={"fingerprint": plan.fingerprint})
    context = {"plan": plan, "peg": plan.source, "can_create": can_create, "form": form, "errors": errors}
    return render(request, "cycle/rollover_preview.html", context)
