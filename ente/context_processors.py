# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What every page's header and footer show of the ente. Lazy: a page that does not render the
header (the admin, a PDF) runs no query for it."""

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from ente.models import Ente, display_name


class _Identity:
    def __init__(self):
        try:
            self.ente = Ente.current()
        except DatabaseError:
            # A page about a failure (the 404 with the database down) still gets its header.
            self.ente = None
        self.name = display_name(self.ente)
        self.has_crest = bool(self.ente and self.ente.crest)
        self.crest_version = self.ente.crest_version() if self.has_crest else ""


def ente(request):
    return {
        "ente": SimpleLazyObject(_Identity),
        "accessibility_url": settings.PEG_ACCESSIBILITY_URL or reverse("ente:accessibility"),
        "feedback_email": settings.PEG_FEEDBACK_EMAIL,
        "source_url": settings.PEG_SOURCE_URL,
    }
