# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Models of the performance cycle: the variations of an approved PEG.

A Variazione is the Giunta's resolution that changes one objective of an approved PEG (approvato
or in verifica): its number and date, the reason, who recorded it, and the changes it brings
(ModificaVariazione, each with the value before and after). Both are append-only: they are the
record of what the plan was when approved and how it came to be what it is
(cycle.services.card_as_approved reads them backwards).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from objectives.append_only import AppendOnlyModel
from objectives.models import Fase, Obiettivo, Peg

VARIAZIONE_APPEND_ONLY_MESSAGE = (
    "Le variazioni del PEG non si modificano né si cancellano: se ne registra una nuova, con la sua deliberazione."
)


class Variazione(AppendOnlyModel):
    """One resolution of the Giunta varying one objective of an approved PEG."""

    append_only_message = VARIAZIONE_APPEND_ONLY_MESSAGE

    peg = models.ForeignKey(Peg, on_delete=models.PROTECT, related_name="variazioni", verbose_name="PEG")
    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.PROTECT, related_name="variazioni", verbose_name="obiettivo"
    )
    number = models.CharField("deliberazione n.", max_length=50)
    date = models.DateField("deliberazione del")
    reason = models.TextField("motivazione")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrata da",
    )
    created_at = models.DateTimeField("registrata il", auto_now_add=True)

    class Meta:
        ordering = ["peg", "date", "created_at", "pk"]
        verbose_name = "variazione del PEG"
        verbose_name_plural = "variazioni del PEG"
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="variazione_number_required"),
            models.CheckConstraint(condition=~Q(reason=""), name="variazione_reason_required"),
        ]

    def __str__(self):
        return f"Variazione n. {self.number} del {self.date:%d/%m/%Y} – {self.obiettivo}"

    @property
    def reference(self) -> str:
        """'deliberazione n. 120 del 10/07/2021'."""
        return f"deliberazione n. {self.number} del {self.date:%d/%m/%Y}"


class ModificaKind(models.TextChoices):
    FINAL_DEADLINE = "scadenza_finale", "Scadenza finale dell'obiettivo"
    PHASE_DEADLINE = "scadenza_fase", "Scadenza prevista di una fase"
    PHASE_WEIGHT = "incidenza_fase", "Incidenza di una fase"
    NEW_PHASE = "nuova_fase", "Nuova fase"
    WITHDRAWN = "ritiro", "Ritiro dell'obiettivo"


class ModificaVariazione(AppendOnlyModel):
    """One change a variation brings: what, on which phase, the value before and after.

    Values are stored as the plan stores them: a deadline as its printed text, a weight as a
    decimal with a point ('' for none), the withdrawal as 'no'/'sì'; a new phase keeps its label,
    description, weight and deadline in `new_value` (a readable line) and in its own row (`fase`).
    """

    append_only_message = VARIAZIONE_APPEND_ONLY_MESSAGE

    variazione = models.ForeignKey(Variazione, on_delete=models.PROTECT, related_name="modifiche")
    kind = models.CharField("modifica", max_length=20, choices=ModificaKind.choices)
    fase = models.ForeignKey(
        Fase, on_delete=models.PROTECT, null=True, blank=True, related_name="modifiche_variazione", verbose_name="fase"
    )
    fase_label = models.CharField("fase (etichetta)", max_length=20, blank=True)
    old_value = models.TextField("valore precedente", blank=True)
    new_value = models.TextField("nuovo valore", blank=True)
    sort_order = models.PositiveIntegerField("ordine", default=0)

    class Meta:
        ordering = ["variazione", "sort_order", "pk"]
        verbose_name = "modifica di una variazione"
        verbose_name_plural = "modifiche delle variazioni"

    def __str__(self):
        return f"{self.get_kind_display()}{f' (fase {self.fase_label})' if self.fase_label else ''}"

    @property
    def subject(self) -> str:
        """'Incidenza della fase 2', 'Scadenza finale dell'obiettivo', 'Nuova fase 4'."""
        if self.kind == ModificaKind.PHASE_WEIGHT:
            return f"Incidenza della fase {self.fase_label}"
        if self.kind == ModificaKind.PHASE_DEADLINE:
            return f"Scadenza prevista della fase {self.fase_label}"
        if self.kind == ModificaKind.NEW_PHASE:
            return f"Nuova fase {self.fase_label}"
        return self.get_kind_display()

    @property
    def old_display(self) -> str:
        return _display(self.kind, self.old_value)

    @property
    def new_display(self) -> str:
        return _display(self.kind, self.new_value)


def _display(kind: str, value: str) -> str:
    if kind == ModificaKind.PHASE_WEIGHT:
        from reports.documents import format_weight

        return format_weight(value) if value else "nessuna incidenza"
    if kind == ModificaKind.WITHDRAWN:
        return "ritirato" if value == "sì" else "in vigore"
    if kind == ModificaKind.NEW_PHASE and not value:
        return "—"
    return value or "(vuota)"
