# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What the ente published in Amministrazione Trasparente > Performance: frozen, versioned.

A Pubblicazione is one version of a PEG's publication: its open data files (CSV, JSON, the
Frictionless datapackage.json), the plan's cards as they were, and the validated Relazione when
there was one. Nothing of it is ever changed or removed (d.lgs. 33/2013 keeps publications for
five years); a later change of the plan is published as the next version, beside the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from objectives.append_only import AppendOnlyModel, AppendOnlyQuerySet
from objectives.models import Peg

APPEND_ONLY_MESSAGE = "Ciò che è pubblicato resta pubblicato: una modifica si pubblica come nuova versione."


class _Published(AppendOnlyModel):
    append_only_message = APPEND_ONLY_MESSAGE

    class Meta:
        abstract = True


class PubblicazioneQuerySet(AppendOnlyQuerySet):
    def for_year(self, year: int):
        return self.filter(peg__year=year)


class Pubblicazione(_Published):
    peg = models.ForeignKey(Peg, on_delete=models.PROTECT, related_name="pubblicazioni", verbose_name="PEG")
    version = models.PositiveIntegerField("versione")
    published_at = models.DateTimeField("pubblicata il", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="pubblicata da"
    )
    note = models.TextField("nota", blank=True, help_text="Es. la deliberazione che ha variato il piano.")
    peg_status = models.CharField("stato del PEG alla pubblicazione", max_length=40)
    licence = models.CharField("licenza dei dati", max_length=40)
    # The cards of the plan as published: one HTML fragment each (reports/_card.html).
    card_fragments = models.JSONField("schede pubblicate", default=list)
    # The validated Relazione's body (relazione/_document.html) when it was validated at publication.
    relazione_html = models.TextField("Relazione pubblicata", blank=True)
    # SHA-256 of what the version publishes (data, cards, Relazione): an unchanged plan is not republished.
    digest = models.CharField(max_length=64)

    objects = PubblicazioneQuerySet.as_manager()

    class Meta:
        ordering = ["peg", "version"]
        verbose_name = "pubblicazione"
        verbose_name_plural = "pubblicazioni"
        constraints = [models.UniqueConstraint(fields=["peg", "version"], name="pubblicazione_unique_version")]

    def __str__(self):
        return f"PEG {self.peg.year} – versione {self.version}"

    @property
    def slug(self) -> str:
        return f"v{self.version}"


class FilePubblicato(_Published):
    """One published file, its content stored in the database with the version it belongs to."""

    pubblicazione = models.ForeignKey(Pubblicazione, on_delete=models.PROTECT, related_name="files")
    name = models.CharField("nome", max_length=100)
    media_type = models.CharField("tipo", max_length=100)
    content = models.BinaryField("contenuto")

    class Meta:
        ordering = ["pubblicazione", "pk"]
        verbose_name = "file pubblicato"
        verbose_name_plural = "file pubblicati"
        constraints = [models.UniqueConstraint(fields=["pubblicazione", "name"], name="file_pubblicato_unique_name")]

    def __str__(self):
        return self.name
