# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The one way a view hands a document (PDF, DOCX, a published file) to the browser."""

from django.http import HttpResponse

PDF_TYPE = "application/pdf"


def document_response(
    data: bytes,
    filename: str,
    *,
    content_type: str = PDF_TYPE,
    disposition: str = "inline",
    private: bool = False,
) -> HttpResponse:
    """The document under ``filename`` (extension included); ``private`` keeps it out of every cache."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
