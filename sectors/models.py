# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The organisation: unit heads, units and the catalogue of Responsabile codes."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Responsabile(models.Model):
    """One code of the macrostructure's 'Elenco Responsabili' (e.g. 2249)."""

    code = models.CharField("codifica", max_length=20, unique=True)
    description = models.TextField("descrizione")
    print_order = models.PositiveIntegerField("ordine di stampa", default=0)

    class Meta:
        ordering = ["print_order", "code"]
        verbose_name = "responsabile (codifica)"
        verbose_name_plural = "elenco responsabili"

    def __str__(self):
        return f"{self.code} – {self.description}"


class Dirigente(models.Model):
    """A person who heads one or more units; the role title belongs to each unit."""

    honorific = models.CharField("titolo", max_length=40, blank=True, help_text="Es. Dott., Avv., Arch.")
    name = models.CharField("nome e cognome", max_length=200, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="utente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dirigente",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "responsabile di struttura"
        verbose_name_plural = "responsabili di struttura"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name as printed on the card: 'Dott.ssa Cinzia Maria Ines Colla'."""
        return f"{self.honorific} {self.name}".strip()


class HeadRole(models.TextChoices):
    DIRIGENTE = "dirigente", "Dirigente"
    RESPONSABILE_PO = "responsabile_po", "Responsabile in P.O."
    DIRETTORE = "direttore", "Direttore"


# The signature line under each card, by role, as the 2021 document prints it.
SIGNATURE_BY_ROLE = {
    HeadRole.DIRIGENTE: "Il Dirigente",
    HeadRole.RESPONSABILE_PO: "Il Responsabile in P.O",
    HeadRole.DIRETTORE: "Il Direttore",
}


class SettoreKind(models.TextChoices):
    SETTORE = "settore", "Settore"
    SERVIZIO_AUTONOMO = "servizio_autonomo", "Servizio Autonomo"
    AREA = "area", "Area"
    AZIENDA_SPECIALE = "azienda_speciale", "Azienda Speciale"


class SettoreQuerySet(models.QuerySet):
    def headed_by_user(self, user):
        return self.filter(head__user=user)


class Settore(models.Model):
    """An organisational unit with objectives: Settore, Servizio Autonomo, Area, Azienda Speciale."""

    name = models.CharField("denominazione", max_length=300, unique=True)
    kind = models.CharField("tipo", max_length=30, choices=SettoreKind.choices)
    responsabile = models.ForeignKey(
        Responsabile,
        verbose_name="codifica responsabile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="settori",
    )
    head = models.ForeignKey(
        Dirigente,
        verbose_name="responsabile della struttura",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="settori",
    )
    head_role = models.CharField(
        "qualifica del responsabile", max_length=30, choices=HeadRole.choices, default=HeadRole.DIRIGENTE
    )
    print_order = models.PositiveIntegerField("ordine di stampa", default=0)
    history = HistoricalRecords()

    objects = SettoreQuerySet.as_manager()

    class Meta:
        ordering = ["print_order", "name"]
        verbose_name = "struttura"
        verbose_name_plural = "strutture"

    def __str__(self):
        return self.name

    def head_line_for(self, head: Dirigente | None) -> str:
        """The card's header line for a head of this unit: 'Dirigente Dott. Antonello Paolo Zaccone'."""
        role = self.get_head_role_display()
        return f"{role} {head.display_name}" if head else role

    @property
    def head_line(self) -> str:
        return self.head_line_for(self.head)

    @property
    def signature(self) -> str:
        return SIGNATURE_BY_ROLE[HeadRole(self.head_role)]
