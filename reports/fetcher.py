# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The only way WeasyPrint may read a resource: files under the print's own static folder
(the stylesheet's fonts live there too).

Texts on a card come from users. They are autoescaped, but a stray `<img src>` or `url()` must
never make the server read a local file or call another host: anything outside the allowed
folders, any other scheme (http, https, ftp, data) and any path escaping a folder is refused.
One exception: a base64 PNG or SVG data: URI, which reads no file and calls no host (the ente's
crest on the cover, validated by ente.crest when uploaded; whatever an SVG refers to comes back
here and is refused like the rest).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

REPORTS_STATIC = Path(__file__).resolve().parent / "static" / "reports"
IMAGE_DATA_URI = re.compile(r"data:image/(png|svg\+xml);base64,[A-Za-z0-9+/=]+")


class ResourceRefused(ValueError):
    """A resource outside the print's own static files was requested."""


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self, allowed_dirs=(REPORTS_STATIC,)):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed_dirs = tuple(Path(d).resolve() for d in allowed_dirs)

    def fetch(self, url, headers=None):
        if IMAGE_DATA_URI.fullmatch(url):
            return super().fetch(url, headers)
        return super().fetch(self.check(url).as_uri(), headers)

    def check(self, url: str) -> Path:
        """The local path `url` points to, if it is one of our static files; ResourceRefused otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"Risorsa esterna non consentita nella stampa: {url[:200]}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            raise ResourceRefused(f"File non consentito nella stampa: {url[:200]}")
        return path
