# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Response headers every page and document carries."""

from django.conf import settings


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response that has not chosen its own.

    Pages, PDFs, CSV/XLSX exports and JSON show the plan and its evaluation to one user: no proxy
    may keep them, nor the browser on disk. Static files are answered before this (WhiteNoise)
    and keep their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "private, no-store"
        return response
