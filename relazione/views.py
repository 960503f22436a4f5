# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Pages of the Relazione sulla performance: read, write (staff), validate (Nucleo), print, export.

Thin views: relazione.access decides (404 for who may not see it, 403 for who sees but may not
act), relazione.services writes, relazione.selectors and relazione.printing read.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from objectives.acts import perform_act
from objectives.models import Peg
from relazione import access, printing, services
from relazione.forms import NarrativeForm, ValidationForm
from relazione.models import ValidazioneRelazione
from reports.responses import document_response
from transparency import access as transparency_access

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _peg_for(user, year: int) -> Peg:
    if not access.may_see(user):
        raise Http404("Pagina non trovata.")
    return get_object_or_404(Peg, year=year)


@login_required
@require_GET
def detail(request, year):
    peg = _peg_for(request.user, year)
    relazione = services.relazione_for(peg)
    context = {
        "peg": peg,
        "relazione": relazione,
        "body": mark_safe(printing.document_body(relazione)),
        "validations": list(relazione.validazioni.order_by("created_at", "pk")) if relazione.pk else [],
        "can_edit": access.can_edit_narrative(request.user, relazione),
        "can_validate": access.can_validate(request.user, relazione),
        "locked": access.is_locked(relazione),
        "can_publish": transparency_access.can_publish(request.user),
    }
    return render(request, "relazione/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, year):
    peg = _peg_for(request.user, year)
    relazione = services.relazione_for(peg)
    if not access.can_edit_narrative(request.user, relazione):
        raise PermissionDenied("Non è possibile modificare la Relazione.")
    form = NarrativeForm(request.POST or None, instance=relazione)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_narrative(peg=peg, user=request.user, **form.cleaned_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        messages.success(request, "Testi della Relazione salvati.")
        return redirect("relazione:detail", year=peg.year)
    return render(request, "relazione/edit.html", {"peg": peg, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def validate(request, year):
    peg = _peg_for(request.user, year)
    relazione = services.relazione_for(peg)
    if not access.can_validate(request.user, relazione):
        raise PermissionDenied("Non è possibile validare la Relazione.")
    form = ValidationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = partial(services.validate, peg=peg, user=request.user, **form.cleaned_data)
        validation = perform_act(form, act, refused=services.RelazioneError, not_allowed=services.NotAllowed)
        if not form.errors:
            messages.success(request, f"Documento di validazione registrato: {validation.get_outcome_display()}.")
            return redirect("relazione:detail", year=peg.year)
    return render(request, "relazione/validate.html", {"peg": peg, "form": form})


@login_required
@require_GET
def pdf(request, year):
    peg = _peg_for(request.user, year)
    relazione = services.relazione_for(peg)
    return document_response(printing.relazione_pdf(relazione), f"relazione-performance-{peg.year}.pdf", private=True)


@login_required
@require_GET
def docx(request, year):
    peg = _peg_for(request.user, year)
    relazione = services.relazione_for(peg)
    name = f"relazione-performance-{peg.year}.docx"
    return document_response(
        services.docx_for(relazione), name, content_type=DOCX_TYPE, disposition="attachment", private=True
    )


@login_required
@require_GET
def validation_pdf(request, year, pk):
    peg = _peg_for(request.user, year)
    validation = get_object_or_404(
        ValidazioneRelazione.objects.select_related("relazione__peg"), pk=pk, relazione__peg=peg
    )
    name = f"validazione-relazione-performance-{peg.year}-{validation.pk}.pdf"
    return document_response(printing.validation_pdf(validation), name, private=True)
