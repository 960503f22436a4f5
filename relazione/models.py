# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Relazione sulla performance of a PEG's year and the Nucleo's validation of it.

The figures (results per ente, unit and objective, neutralisations, partial achievements,
indicators, the heads' distribution over the score bands) are never stored here: they are read
from the plan when the document is drawn (relazione/selectors.py). Staff write the narrative
sections; the Nucleo validates with a document of validation. A positive validation freezes the
document as it was validated (ValidazioneRelazione.document_html) and makes the Relazione
read-only; a "non validata" leaves it open to be corrected and validated again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from objectives.append_only import AppendOnlyModel
from objectives.models import Peg

APPEND_ONLY_MESSAGE = "La validazione della Relazione è un atto: non si modifica né si cancella."


class Relazione(models.Model):
    """The narrative sections of the year's Relazione sulla performance; one per PEG."""

    peg = models.OneToOneField(Peg, on_delete=models.PROTECT, related_name="relazione", verbose_name="PEG")
    introduction = models.TextField("presentazione e introduzione", blank=True)
    context = models.TextField("il contesto di riferimento", blank=True)
    critical_issues = models.TextField("criticità e azioni di miglioramento", blank=True)
    updated_at = models.DateTimeField("ultima modifica", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modificata da",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-peg__year"]
        verbose_name = "Relazione sulla performance"
        verbose_name_plural = "Relazioni sulla performance"

    def __str__(self):
        return f"Relazione sulla performance {self.peg.year}"

    @property
    def latest_validation(self) -> ValidazioneRelazione | None:
        return self.validazioni.order_by("-created_at", "-pk").first()

    @property
    def validated(self) -> ValidazioneRelazione | None:
        """The positive validation that froze the document, if any."""
        validation = self.latest_validation
        return validation if validation is not None and validation.is_positive else None


class Esito(models.TextChoices):
    VALIDATA = "validata", "Validata"
    CON_OSSERVAZIONI = "validata_con_osservazioni", "Validata con osservazioni"
    NON_VALIDATA = "non_validata", "Non validata"


POSITIVE_OUTCOMES = {Esito.VALIDATA, Esito.CON_OSSERVAZIONI}


class ValidazioneRelazione(AppendOnlyModel):
    """The Nucleo's document of validation: date, outcome, notes, and the Relazione as it judged it."""

    append_only_message = APPEND_ONLY_MESSAGE

    relazione = models.ForeignKey(Relazione, on_delete=models.PROTECT, related_name="validazioni")
    date = models.DateField("data del documento di validazione")
    outcome = models.CharField("esito", max_length=30, choices=Esito.choices)
    notes = models.TextField("osservazioni e motivazioni", blank=True)
    # The document body as validated (relazione/templates/relazione/_document.html): what is
    # published and printed once validated, whatever the plan's data become later.
    document_html = models.TextField("documento validato", blank=True, editable=False)
    document_docx = models.BinaryField("documento validato (DOCX)", blank=True, default=b"", editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    created_at = models.DateTimeField("registrata il", auto_now_add=True)

    class Meta:
        ordering = ["relazione", "created_at", "pk"]
        verbose_name = "validazione della Relazione"
        verbose_name_plural = "validazioni della Relazione"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Esito.VALIDATA) | ~Q(notes=""),
                name="relazione_validation_notes_required",
                violation_error_message="Le osservazioni o i motivi sono obbligatori per questo esito.",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} il {self.date:%d/%m/%Y} – {self.relazione}"

    @property
    def is_positive(self) -> bool:
        return self.outcome in POSITIVE_OUTCOMES
