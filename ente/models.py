# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The ente using the PEG: its name and crest, entered once in the admin."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.db import models

from ente.crest import content_type, crest_kind, validate_crest


class Ente(models.Model):
    """One row at most (the singleton field is unique and always true)."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(
        "nome dell'ente",
        max_length=200,
        help_text="Come appare nell'intestazione di ogni pagina, es. Comune di Alessandria.",
    )
    crest = models.FileField(
        "stemma",
        upload_to="ente/",
        blank=True,
        validators=[validate_crest],
        help_text="Immagine PNG o SVG, al massimo 512 KB; compare nell'intestazione e sulla copertina stampata.",
    )

    class Meta:
        verbose_name = "ente"
        verbose_name_plural = "ente"
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="ente_is_a_singleton")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Ente | None:
        return cls.objects.first()

    def crest_bytes(self) -> bytes:
        if not self.crest:
            return b""
        with self.crest.open("rb") as handle:
            return handle.read()

    def crest_version(self) -> str:
        """Changes whenever another file is uploaded: the header's image URL carries it."""
        return hashlib.sha256(self.crest.name.encode()).hexdigest()[:12] if self.crest else ""

    def crest_data_uri(self) -> str:
        data = self.crest_bytes()
        if not data:
            return ""
        return f"data:{content_type(crest_kind(data))};base64,{base64.b64encode(data).decode('ascii')}"


def display_name(ente: Ente | None) -> str:
    """The name the header shows: the one entered in the admin, else PEG_ENTE_NAME."""
    return ente.name if ente is not None and ente.name else settings.PEG_ENTE_NAME
