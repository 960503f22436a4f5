# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The individual evaluation of the heads (scheda di valutazione), as the PEG's SMVP defines it.

Per PEG: the evaluation settings (the share of the result that comes from the objectives and
the share from organisational behaviours, the behaviours' scale, the days a head has to ask for
a review) and the catalogue of behaviours with their weights. Per head and PEG: one Scheda, its
behaviour scores and the append-only notes of its procedure (evaluation/services.py writes them).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from objectives.append_only import AppendOnlyModel
from objectives.models import Peg
from sectors.models import Dirigente

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
HUNDRED = Decimal("100")


class EvaluationSettings(models.Model):
    """How a PEG's SMVP composes a head's result; one row per PEG (defaults: 70/30, scale 1–5, 15 days)."""

    peg = models.OneToOneField(Peg, on_delete=models.CASCADE, related_name="evaluation_settings", verbose_name="PEG")
    objectives_share = models.DecimalField(
        "quota dagli obiettivi (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=PERCENT_VALIDATORS,
        help_text="La parte del risultato che viene dalla performance organizzativa (gli obiettivi).",
    )
    behaviours_share = models.DecimalField(
        "quota dai comportamenti (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        validators=PERCENT_VALIDATORS,
        help_text="La parte del risultato che viene dai comportamenti organizzativi; con la precedente somma 100.",
    )
    scale_min = models.PositiveSmallIntegerField("punteggio minimo dei comportamenti", default=1)
    scale_max = models.PositiveSmallIntegerField("punteggio massimo dei comportamenti", default=5)
    review_days = models.PositiveSmallIntegerField(
        "giorni per chiedere il riesame",
        default=15,
        help_text="Dalla presa visione della scheda; trascorsi, il Nucleo può chiuderla.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-peg__year"]
        verbose_name = "impostazioni della valutazione individuale"
        verbose_name_plural = "impostazioni della valutazione individuale"
        constraints = [
            models.CheckConstraint(
                condition=Q(objectives_share=HUNDRED - F("behaviours_share")),
                name="evaluation_shares_sum_to_100",
                violation_error_message="Le quote da obiettivi e da comportamenti devono sommare a 100.",
            ),
            models.CheckConstraint(
                condition=Q(objectives_share__gte=0, objectives_share__lte=100, behaviours_share__gte=0),
                name="evaluation_shares_percent",
                violation_error_message="Le quote devono essere comprese tra 0 e 100.",
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="evaluation_scale_ordered",
                violation_error_message="Il punteggio massimo deve superare il minimo.",
            ),
        ]

    def __str__(self):
        return f"Valutazione individuale {self.peg.year}: obiettivi {self.objectives_share}%"

    def clean(self):
        errors = {}
        if (
            self.objectives_share is not None
            and self.behaviours_share is not None
            and Decimal(self.objectives_share) + Decimal(self.behaviours_share) != HUNDRED
        ):
            errors["behaviours_share"] = "Le quote da obiettivi e da comportamenti devono sommare a 100."
        if self.scale_min is not None and self.scale_max is not None and self.scale_max <= self.scale_min:
            errors["scale_max"] = "Il punteggio massimo deve superare il minimo."
        if errors:
            raise ValidationError(errors)


class Comportamento(models.Model):
    """A behaviour of the PEG's catalogue, scored by the Nucleo on the settings' scale, with its weight."""

    peg = models.ForeignKey(Peg, on_delete=models.CASCADE, related_name="comportamenti", verbose_name="PEG")
    name = models.CharField("comportamento", max_length=200)
    description = models.TextField("descrizione", blank=True)
    weight = models.DecimalField(
        "peso",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    print_order = models.PositiveIntegerField("ordine", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["peg", "print_order", "pk"]
        verbose_name = "comportamento organizzativo"
        verbose_name_plural = "catalogo dei comportamenti organizzativi"
        constraints = [
            models.UniqueConstraint(
                fields=["peg", "name"],
                name="comportamento_unique_name",
                violation_error_message="Esiste già un comportamento con questo nome nel PEG.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100),
                name="comportamento_weight_positive",
                violation_error_message="Il peso di un comportamento deve essere maggiore di 0 e al più 100.",
            ),
        ]

    def __str__(self):
        return self.name


class SchedaStatus(models.TextChoices):
    BOZZA = "bozza", "Bozza"
    NOTIFICATA = "notificata", "Notificata al responsabile"
    PRESA_VISIONE = "presa_visione", "Presa visione"
    RIESAME_RICHIESTO = "riesame_richiesto", "Riesame richiesto"
    RIESAME_CONCLUSO = "riesame_concluso", "Riesame concluso"
    CHIUSA = "chiusa", "Chiusa"


class Scheda(models.Model):
    """The evaluation form of one head for one PEG.

    Until it is notified its figures are computed afresh; from the notification on, the form
    keeps the figures the head was shown (the snapshot fields), refreshed only when the Nucleo
    concludes a review. Every change goes through evaluation.services.
    """

    peg = models.ForeignKey(Peg, on_delete=models.CASCADE, related_name="schede", verbose_name="PEG")
    dirigente = models.ForeignKey(
        Dirigente, on_delete=models.PROTECT, related_name="schede", verbose_name="responsabile valutato"
    )
    status = models.CharField("stato", max_length=20, choices=SchedaStatus.choices, default=SchedaStatus.BOZZA)
    comment = models.TextField("giudizio del Nucleo", blank=True)
    created_at = models.DateTimeField("aperta il", auto_now_add=True)
    notified_at = models.DateTimeField("notificata il", null=True, blank=True)
    acknowledged_at = models.DateTimeField("presa visione il", null=True, blank=True)
    review_requested_at = models.DateTimeField("riesame richiesto il", null=True, blank=True)
    review_reason = models.TextField("motivo della richiesta di riesame", blank=True)
    review_answer = models.TextField("esito del riesame", blank=True)
    review_concluded_at = models.DateTimeField("riesame concluso il", null=True, blank=True)
    closed_at = models.DateTimeField("chiusa il", null=True, blank=True)
    # The figures notified to the head (see evaluation.scoring.scheda_figures).
    objectives_share = models.DecimalField("quota obiettivi (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    behaviours_share = models.DecimalField(
        "quota comportamenti (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    objectives_result = models.DecimalField(
        "risultato degli obiettivi", max_digits=7, decimal_places=4, null=True, blank=True
    )
    behaviours_result = models.DecimalField(
        "risultato dei comportamenti", max_digits=7, decimal_places=4, null=True, blank=True
    )
    total = models.DecimalField("punteggio complessivo", max_digits=7, decimal_places=4, null=True, blank=True)
    band_label = models.CharField("fascia", max_length=120, blank=True)
    pay_share = models.DecimalField(
        "quota della retribuzione di risultato (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["peg", "dirigente__name"]
        verbose_name = "scheda di valutazione"
        verbose_name_plural = "schede di valutazione"
        constraints = [
            models.UniqueConstraint(
                fields=["peg", "dirigente"],
                name="scheda_one_per_head_and_peg",
                violation_error_message="Esiste già una scheda di valutazione di questo responsabile per il PEG.",
            ),
            models.CheckConstraint(
                condition=Q(status=SchedaStatus.BOZZA) | Q(total__isnull=False),
                name="scheda_notified_has_total",
                violation_error_message="Una scheda notificata riporta il punteggio complessivo.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[SchedaStatus.RIESAME_RICHIESTO, SchedaStatus.RIESAME_CONCLUSO])
                | ~Q(review_reason=""),
                name="scheda_review_has_reason",
                violation_error_message="La richiesta di riesame richiede la motivazione.",
            ),
        ]

    def __str__(self):
        return f"Scheda di valutazione {self.peg.year} – {self.dirigente}"

    @property
    def is_draft(self) -> bool:
        return self.status == SchedaStatus.BOZZA


class PunteggioComportamento(models.Model):
    """The Nucleo's score of one behaviour on one form, with its comment."""

    scheda = models.ForeignKey(Scheda, on_delete=models.CASCADE, related_name="punteggi")
    comportamento = models.ForeignKey(
        Comportamento, on_delete=models.PROTECT, related_name="punteggi", verbose_name="comportamento"
    )
    score = models.PositiveSmallIntegerField("punteggio")
    comment = models.TextField("commento", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheda", "comportamento__print_order", "comportamento_id"]
        verbose_name = "punteggio di un comportamento"
        verbose_name_plural = "punteggi dei comportamenti"
        constraints = [
            models.UniqueConstraint(fields=["scheda", "comportamento"], name="punteggio_one_per_behaviour"),
        ]

    def __str__(self):
        return f"{self.comportamento}: {self.score}"


class NotaKind(models.TextChoices):
    APERTURA = "apertura", "Apertura della scheda"
    PUNTEGGI = "punteggi", "Punteggi dei comportamenti"
    NOTIFICA = "notifica", "Notifica al responsabile"
    PRESA_VISIONE = "presa_visione", "Presa visione del responsabile"
    RICHIESTA_RIESAME = "richiesta_riesame", "Richiesta di riesame"
    RIESAME_CONCLUSO = "riesame_concluso", "Riesame concluso dal Nucleo"
    CHIUSURA = "chiusura", "Chiusura della scheda"


NOTA_KINDS_WITH_TEXT = [NotaKind.RICHIESTA_RIESAME, NotaKind.RIESAME_CONCLUSO]


APPEND_ONLY_MESSAGE = "Le note della scheda non si modificano né si cancellano: se ne aggiunge una nuova."


class NotaScheda(AppendOnlyModel):
    """One act of the form's procedure: who, when, what, why, and the total at that moment. Never edited."""

    append_only_message = APPEND_ONLY_MESSAGE

    # PROTECT: the notes are the only record of the procedure; no cascade wipes them.
    scheda = models.ForeignKey(Scheda, on_delete=models.PROTECT, related_name="note")
    kind = models.CharField("atto", max_length=30, choices=NotaKind.choices)
    text = models.TextField("nota o motivazione", blank=True)
    total = models.DecimalField("punteggio complessivo", max_digits=7, decimal_places=4, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    created_at = models.DateTimeField("data e ora", auto_now_add=True)

    class Meta:
        ordering = ["scheda", "created_at", "pk"]
        verbose_name = "nota della scheda"
        verbose_name_plural = "note della scheda"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=NOTA_KINDS_WITH_TEXT) | ~Q(text=""), name="nota_scheda_reason_required"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.scheda}"
