# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What a crest file may be: a PNG, or an SVG that draws and does nothing else.

The crest is shown in every page's header (as an image, served by ente.views.crest) and on the
printed cover (as a data: URI WeasyPrint reads). An SVG is refused when it carries a script, an
event handler, a DOCTYPE/entity (XML bombs) or a reference to anything outside itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError

MAX_BYTES = 512 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}


def crest_kind(data: bytes) -> str:
    """'png' or 'svg' for a valid crest; ValidationError (Italian) otherwise."""
    if not data:
        raise ValidationError("Il file dello stemma è vuoto.")
    if len(data) > MAX_BYTES:
        raise ValidationError("Lo stemma supera i 512 KB: ridurne le dimensioni.")
    if data.startswith(PNG_SIGNATURE):
        # The first chunk of a PNG is IHDR (13 bytes) with a non-zero width and height.
        if len(data) < 33 or data[12:16] != b"IHDR" or data[16:20] == b"\0" * 4 or data[20:24] == b"\0" * 4:
            raise ValidationError("Il file PNG dello stemma è danneggiato.")
        return "png"
    _check_svg(data)
    return "svg"


def content_type(kind: str) -> str:
    return {"png": "image/png", "svg": "image/svg+xml"}[kind]


def _check_svg(data: bytes) -> None:
    not_an_image = ValidationError("Lo stemma deve essere un'immagine PNG o SVG.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise not_an_image from None
    if "<svg" not in text:
        raise not_an_image
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise ValidationError("Lo stemma SVG non può contenere dichiarazioni DOCTYPE o ENTITY.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise ValidationError("Il file SVG dello stemma non è XML valido.") from None
    if root.tag != f"{SVG_NS}svg":
        raise not_an_image
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_ELEMENTS:
            raise ValidationError(f"Lo stemma SVG non può contenere l'elemento <{tag}>.")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise ValidationError(f"Lo stemma SVG non può contenere l'attributo {local}.")
            if local == "href" or name == XLINK_HREF:
                target = value.strip()
                if not (target.startswith("#") or target.startswith("data:image/")):
                    raise ValidationError("Lo stemma SVG non può richiamare file o indirizzi esterni.")
            if "url(" in value and not re.fullmatch(r"[^()]*(url\(\s*#[^)]*\)[^()]*)+", value):
                raise ValidationError("Lo stemma SVG non può richiamare file o indirizzi esterni.")


def validate_crest(upload) -> None:
    """Model-field validator: reads the uploaded file's bytes and checks them."""
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    crest_kind(data)
