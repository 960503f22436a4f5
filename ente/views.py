# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ente.crest import content_type, crest_kind
from ente.models import Ente, display_name


@require_GET
def crest(request):
    """The crest, public like the ente's name. An SVG served here can never run anything: the
    response forbids every script and sandboxes the document if opened on its own."""
    ente = Ente.current()
    data = ente.crest_bytes() if ente else b""
    if not data:
        raise Http404
    response = HttpResponse(data, content_type=content_type(crest_kind(data)))
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def accessibility(request):
    """The default accessibility statement (PEG_ACCESSIBILITY_URL points elsewhere when the ente
    publishes its own on AGID's form.agid.gov.it)."""
    return render(
        request,
        "ente/accessibility.html",
        {"ente_name": display_name(Ente.current()), "feedback_email": settings.PEG_FEEDBACK_EMAIL},
    )
