# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Amministrazione Trasparente > Performance: public pages, no login, what a Pubblicazione froze.

Every public answer sets its own `Cache-Control: public, max-age=…` (the site's middleware marks
everything else private): a version's files never change, so they are cached for a day; the
lists and the "latest" alias change when a version is published, so for a few minutes. The
pages use no session, no form and no inline script or style.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from objectives.acts import perform_act
from objectives.models import Peg
from reports.documents import print_css
from reports.rendering import Part, PdfCache, assemble, render_parts
from reports.responses import document_response
from transparency import access, services
from transparency.forms import PublishForm
from transparency.models import FilePubblicato, Pubblicazione

LIST_MAX_AGE = 300
FROZEN_MAX_AGE = 86400


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _version(year: int, version: int) -> Pubblicazione:
    try:
        return Pubblicazione.objects.select_related("peg").get(peg__year=year, version=version)
    except Pubblicazione.DoesNotExist:
        raise Http404("Pubblicazione non trovata.") from None


@require_GET
def index(request):
    """Every year with a publication: its newest version and how many there are (one query)."""
    by_year: dict[int, list[Pubblicazione]] = {}
    for item in Pubblicazione.objects.select_related("peg").order_by("-peg__year", "-version"):
        by_year.setdefault(item.peg.year, []).append(item)
    pegs = [(versions[0].peg, versions[0], len(versions)) for versions in by_year.values()]
    return _public(render(request, "transparency/index.html", {"pegs": pegs}), LIST_MAX_AGE)


@require_GET
def year(request, year):
    versions = list(Pubblicazione.objects.for_year(year).select_related("peg").order_by("-version"))
    if not versions:
        raise Http404("Nessuna pubblicazione per questo anno.")
    context = {"peg": versions[0].peg, "latest": versions[0], "versions": versions}
    return _public(render(request, "transparency/year.html", context), LIST_MAX_AGE)


@require_GET
def version(request, year, version):
    pubblicazione = _version(year, version)
    files = list(pubblicazione.files.order_by("pk").values_list("name", flat=True))
    context = {"pubblicazione": pubblicazione, "peg": pubblicazione.peg, "files": files}
    return _public(render(request, "transparency/version.html", context), FROZEN_MAX_AGE)


@require_GET
def latest(request, year, rest=""):
    """The newest version's same address: a stable link that follows the publications."""
    newest = Pubblicazione.objects.for_year(year).order_by("-version").first()
    if newest is None:
        raise Http404("Nessuna pubblicazione per questo anno.")
    target = reverse("transparency:version", args=[year, newest.version]) + rest
    return _public(redirect(target), LIST_MAX_AGE)


@require_GET
def published_file(request, year, version, name):
    pubblicazione = _version(year, version)
    try:
        item = pubblicazione.files.get(name=name)
    except FilePubblicato.DoesNotExist:
        raise Http404("File non pubblicato.") from None
    disposition = "inline" if name.endswith((".pdf", ".json")) else "attachment"
    filename = f"peg-{year}-v{version}-{name}"
    response = document_response(bytes(item.content), filename, content_type=item.media_type, disposition=disposition)
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response, FROZEN_MAX_AGE)


@require_GET
def cards_html(request, year, version):
    pubblicazione = _version(year, version)
    context = {
        "pubblicazione": pubblicazione,
        "peg": pubblicazione.peg,
        "cards": mark_safe("".join(pubblicazione.card_fragments)),
    }
    return _public(render(request, "transparency/cards.html", context), FROZEN_MAX_AGE)


@require_GET
def cards_pdf(request, year, version):
    pubblicazione = _version(year, version)
    if not pubblicazione.card_fragments:
        raise Http404("Nessuna scheda pubblicata.")
    # Each frozen card is laid out once and kept in the PDF cache (keyed on its HTML).
    pages = render_parts(pubblicazione.card_fragments, print_css(), cache=PdfCache())
    data = assemble([Part(part) for part in pages], title=f"PEG {year} – versione {version}")
    return _public(document_response(data, f"peg-{year}-v{version}-schede.pdf"), FROZEN_MAX_AGE)


@require_GET
def relazione_html(request, year, version):
    pubblicazione = _version(year, version)
    if not pubblicazione.relazione_html:
        raise Http404("La Relazione non era validata a questa pubblicazione.")
    context = {
        "pubblicazione": pubblicazione,
        "peg": pubblicazione.peg,
        "body": mark_safe(pubblicazione.relazione_html),
    }
    return _public(render(request, "transparency/relazione.html", context), FROZEN_MAX_AGE)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, year):
    if not access.can_publish(request.user):
        raise Http404("Pagina non trovata.")
    peg = get_object_or_404(Peg, year=year)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = partial(services.publish, peg=peg, user=request.user, note=form.cleaned_data["note"])
        pubblicazione = perform_act(form, act, refused=services.PublicationError, not_allowed=services.NotAllowed)
        if not form.errors:
            messages.success(request, f"Pubblicata la versione {pubblicazione.version} del PEG {peg.year}.")
            # Back to this (private) page: the public pages show no messages.
            return redirect("transparency:publish", year=peg.year)
    versions = list(Pubblicazione.objects.filter(peg=peg).order_by("-version"))
    return render(request, "transparency/publish.html", {"peg": peg, "versions": versions, "form": form})
