# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The plan: a year's PEG, its objectives, their weighted phases and the phases' progress."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from objectives.append_only import AppendOnlyModel
from objectives.deadlines import Deadline, DeadlineKind, deadline_error, parse_deadline, resolve_due_date
from sectors.models import Dirigente, Settore

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
HUNDRED = Decimal("100")


class PegStatus(models.TextChoices):
    """The PEG's life: provvisorio → approvato (Giunta) → in verifica (the Nucleo's year-end review)
    → chiuso (the Relazione validated: everything of that year read-only)."""

    PROVVISORIO = "provvisorio", "Provvisorio"
    APPROVATO = "approvato", "Approvato"
    IN_VERIFICA = "in_verifica", "In verifica"
    CHIUSO = "chiuso", "Chiuso"


class LatePolicy(models.TextChoices):
    """What a phase completed after its due date earns (the ente's SMVP decides)."""

    NOTHING = "nothing", "Nessun punteggio"
    FRACTION = "fraction", "Una frazione del peso"
    FULL_WITHIN_FINAL = "full_within_final", "Peso pieno se entro la scadenza finale dell'obiettivo"
    GRADED = "graded", "Una quota del peso persa per ogni periodo di ritardo"


class Peg(models.Model):
    year = models.PositiveIntegerField("anno", unique=True)
    ente = models.CharField("ente", max_length=200, default="CITTÀ DI ALESSANDRIA")
    title = models.CharField("titolo", max_length=300, default="PIANO ESECUTIVO DI GESTIONE (P.E.G.)")
    status = models.CharField("stato", max_length=20, choices=PegStatus.choices, default=PegStatus.PROVVISORIO)
    card_header = models.CharField(
        "intestazione delle schede",
        max_length=200,
        blank=True,
        help_text="Come la stampa ogni scheda (es. CITTA' DI ALESSANDRIA); vuota: il nome dell'ente.",
    )
    publisher = models.CharField("tipografia", max_length=200, blank=True, default="Centro Stampa Comunale")
    responsabili_title = models.CharField(
        "titolo dell'elenco responsabili",
        max_length=300,
        blank=True,
        default="Elenco Responsabili",
    )
    # Evaluation policy, read by the completion calculator.
    late_policy = models.CharField(
        "fasi completate in ritardo", max_length=30, choices=LatePolicy.choices, default=LatePolicy.NOTHING
    )
    late_fraction = models.DecimalField(
        "frazione riconosciuta in ritardo (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
    )
    late_grace_days = models.PositiveIntegerField(
        "giorni di tolleranza del ritardo",
        default=0,
        validators=[MaxValueValidator(3650)],
        help_text="Politica a scaglioni: un ritardo fino a questi giorni non toglie nulla.",
    )
    late_step_days = models.PositiveIntegerField(
        "giorni di ogni scaglione di ritardo",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Politica a scaglioni: ogni periodo di ritardo (o sua parte) oltre la tolleranza.",
    )
    late_step_fraction = models.DecimalField(
        "peso perso per scaglione (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT_VALIDATORS,
        help_text="Politica a scaglioni: la quota del peso della fase persa per ogni scaglione, fino a zero.",
    )
    score_decimals = models.PositiveSmallIntegerField(
        "decimali del grado di raggiungimento", default=2, validators=[MaxValueValidator(4)]
    )
    evaluation_closing_date = models.DateField(
        "data di chiusura della valutazione",
        null=True,
        blank=True,
        help_text="Fissata dal Nucleo all'apertura della verifica di fine anno: nella valutazione di fine anno "
        "contano solo i completamenti registrati entro questa data.",
    )
    # The Giunta's resolution that approved the PEG (PegStatus.APPROVATO onwards).
    approval_number = models.CharField("deliberazione di approvazione n.", max_length=50, blank=True)
    approval_date = models.DateField("deliberazione di approvazione del", null=True, blank=True)
    closed_on = models.DateField("chiuso il", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = "PEG"
        verbose_name_plural = "PEG"
        constraints = [
            models.CheckConstraint(
                condition=Q(late_fraction__gte=0, late_fraction__lte=100), name="peg_late_fraction_percent"
            ),
            models.CheckConstraint(
                condition=Q(late_step_fraction__gte=0, late_step_fraction__lte=100),
                name="peg_late_step_fraction_percent",
            ),
            models.CheckConstraint(condition=Q(late_step_days__gte=1), name="peg_late_step_days_positive"),
        ]

    def __str__(self):
        return f"PEG {self.year} ({self.get_status_display().lower()})"

    @property
    def card_header_text(self) -> str:
        return self.card_header or self.ente

    @property
    def cover_title(self) -> str:
        """'PIANO ESECUTIVO DI GESTIONE (P.E.G.) PROVVISORIO (Obiettivi 2021)'."""
        return f"{self.title} {self.get_status_display().upper()} (Obiettivi {self.year})"


class ScoreBand(models.Model):
    """A score band of the PEG's evaluation system: from `min_score` up, `pay_share` % of result pay."""

    peg = models.ForeignKey(Peg, on_delete=models.CASCADE, related_name="bands", verbose_name="PEG")
    min_score = models.DecimalField("punteggio minimo", max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)
    pay_share = models.DecimalField(
        "quota della retribuzione di risultato (%)", max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    label = models.CharField("descrizione", max_length=100, blank=True)

    class Meta:
        ordering = ["peg", "-min_score"]
        verbose_name = "fascia di valutazione"
        verbose_name_plural = "fasce di valutazione"
        constraints = [
            models.UniqueConstraint(fields=["peg", "min_score"], name="band_unique_min_score"),
            models.CheckConstraint(condition=Q(min_score__gte=0, min_score__lte=100), name="band_min_score_percent"),
            models.CheckConstraint(condition=Q(pay_share__gte=0, pay_share__lte=100), name="band_pay_share_percent"),
        ]

    def __str__(self):
        return f"≥ {self.min_score}: {self.pay_share}%"


def deadline_errors(**texts: str) -> dict[str, str]:
    """A form's errors for printed deadlines out of bounds (objectives.deadlines.deadline_error), by field."""
    errors = {}
    for name, text in texts.items():
        problem = deadline_error(text)
        if problem:
            errors[name] = problem[0].upper() + problem[1:]
    return errors


# The text search configuration of the list's full-text search on PostgreSQL (objectives/filters.py).
SEARCH_CONFIG = "italian"


class SearchVectorOf(models.Func):
    """to_tsvector('italian', <text>) on PostgreSQL, stored by the database itself (the generated
    column Obiettivo.search_vector); elsewhere NULL: SQLite's search reads the plain text."""

    output_field = SearchVectorField(null=True)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        text, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE({text}, ''))", params


# The columns objectives/facts.py derives from the plan and the monitoring (never edited, never
# copied to another year, not history: they follow from what is).
# The columns the database itself derives (stored generated columns): never written, copied or kept in history.
OBIETTIVO_GENERATED = ["search_vector"]

# The objectives list's order (ObiettivoQuerySet.in_list_order) and the columns of its index.
LIST_ORDER = ("calc_unit_order", "print_order", "code", "pk")

OBIETTIVO_STORED_FIGURES = [
    "calc_score",
    "calc_error",
    "calc_evaluable_weight",
    "calc_earned_weight",
    "calc_done_weight",
    "calc_late_weight",
    "calc_late_count",
    "calc_latest_tranche",
    "calc_latest_year_tranche",
    "calc_unit_order",
    "search_text",
]
FASE_STORED_FIGURES = ["calc_counted", "calc_due", "calc_due_known_from", "calc_limit", "calc_earned", "calc_late"]


class ObiettivoStatus(models.TextChoices):
    IN_CORSO = "in_corso", "In corso"
    RENDICONTATO = "rendicontato", "Rendicontato"
    RINVIATO = "rinviato", "Rinviato al responsabile"
    VALIDATO = "validato", "Validato"


class ScoreMode(models.TextChoices):
    """How an objective's score combines its phases and its indicators (objectives/indicators.py)."""

    PHASES = "phases", "Solo fasi (grado delle fasi)"
    CONDITION = "condition", "Indicatori come condizione (100% solo se i target sono raggiunti)"
    WEIGHTED = "weighted", "Media ponderata di fasi e indicatori"


class ObiettivoQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(peg__year=year)

    def in_print_order(self):
        return self.order_by("settore__print_order", "print_order", "code")

    def in_list_order(self):
        """The print order by the stored unit order (objectives/facts.py keeps calc_unit_order): one
        step down the index obiettivo_list_order per row shown, whatever the size of the PEG."""
        return self.order_by(*LIST_ORDER)

    def with_card_data(self):
        """Everything a card shows, in a fixed number of queries."""
        return self.select_related(
            "peg", "settore", "settore__head", "settore__responsabile", "dirigente"
        ).prefetch_related(
            "tranches", models.Prefetch("fasi", queryset=Fase.objects.prefetch_related("responsabili")), "indicatori"
        )

    def carrying_evaluation(self):
        """Objectives whose plan no door but the workflow may rewrite or remove without losing evaluation.

        Reported or validated (not access.plan_is_editable), a validated score, a note of the
        procedure, or a phase that carries evaluation (FaseQuerySet.carrying_evaluation).
        """
        from objectives.access import OPEN_STATES

        return self.filter(
            ~Q(status__in=OPEN_STATES)
            | Q(validated_score__isnull=False)
            | Q(validated_on__isnull=False)
            | Exists(Nota.objects.filter(obiettivo=OuterRef("pk")))
            | Exists(Fase.objects.carrying_evaluation().filter(obiettivo=OuterRef("pk")))
            | Exists(Indicatore.objects.carrying_evaluation().filter(obiettivo=OuterRef("pk")))
        )


# The card's text fields in print order, with the heading the document prints before each.
CARD_TEXT_FIELDS = [
    ("strategic_aims", "Finalità Strategiche:"),
    ("directives", "Direttive specifiche - descrizione:"),
    ("timing", "Tempistica:"),
    ("expected_result", "Risultato atteso:"),
    ("achieved_text", "Obiettivo raggiunto al 100%:"),
    ("not_achieved_text", "Obiettivo non raggiunto:"),
    ("indicators", "Indicatori di risultato:"),
    ("constraints_text", "Vincoli:"),
    ("human_resources", "Risorse Umane:"),
    ("financial_resources", "Risorse Finanziarie:"),
]
CARD_HEADINGS = dict(CARD_TEXT_FIELDS)


class ObiettivoManager(models.Manager.from_queryset(ObiettivoQuerySet)):
    """Leaves the generated columns (the tsvector) in the database unless asked for: only the
    search's WHERE reads them, and a row's tsvector is as long as its card."""

    def get_queryset(self):
        return super().get_queryset().defer(*OBIETTIVO_GENERATED)


class Obiettivo(models.Model):
    peg = models.ForeignKey(Peg, on_delete=models.CASCADE, related_name="obiettivi", verbose_name="PEG")
    settore = models.ForeignKey(Settore, on_delete=models.PROTECT, related_name="obiettivi", verbose_name="struttura")
    dirigente = models.ForeignKey(
        Dirigente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obiettivi",
        verbose_name="responsabile",
    )
    code = models.CharField("codice", max_length=10, help_text="Lettera (A, B…) o numero (1, 2) come stampato")
    title = models.TextField("titolo")
    title_detail = models.TextField("testo sotto il titolo", blank=True)
    strategic_aims = models.TextField("finalità strategiche", blank=True)
    directives = models.TextField("direttive specifiche - descrizione", blank=True)
    timing = models.TextField("tempistica", blank=True)
    final_deadline_text = models.TextField("scadenza finale (come stampata)", blank=True)
    final_deadline = models.DateField("scadenza finale (data)", null=True, blank=True)
    expected_result = models.TextField("risultato atteso", blank=True)
    achieved_text = models.TextField("obiettivo raggiunto al 100%", blank=True)
    not_achieved_text = models.TextField("obiettivo non raggiunto", blank=True)
    indicators = models.TextField("indicatori di risultato", blank=True)
    constraints_text = models.TextField("vincoli", blank=True)
    human_resources = models.TextField("risorse umane", blank=True)
    financial_resources = models.TextField("risorse finanziarie", blank=True)
    headings = models.JSONField(
        "intestazioni stampate diverse dallo standard",
        default=dict,
        blank=True,
        help_text="Per campo, l'intestazione come la stampa il documento quando differisce da quella usuale.",
    )
    weight = models.DecimalField(
        "peso dell'obiettivo nella media della struttura",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    print_order = models.PositiveIntegerField("ordine di stampa", default=0)
    # How phases and indicators make the score (objectives/indicators.py, docs/calculator.md "Indicatori").
    score_mode = models.CharField(
        "calcolo del grado", max_length=20, choices=ScoreMode.choices, default=ScoreMode.PHASES
    )
    indicator_cap = models.DecimalField(
        "grado massimo se un indicatore non raggiunge il target (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT_VALIDATORS,
        help_text="Solo per «indicatori come condizione».",
    )
    phase_share = models.DecimalField(
        "quota delle fasi nel grado (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
        help_text="Solo per «media ponderata»: il resto è la quota degli indicatori.",
    )
    # Workflow and validation by the Nucleo di Valutazione.
    status = models.CharField("stato", max_length=20, choices=ObiettivoStatus.choices, default=ObiettivoStatus.IN_CORSO)
    validated_on = models.DateField("data di validazione", null=True, blank=True)
    validated_score = models.DecimalField(
        "grado di raggiungimento validato",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    # Withdrawn by a variazione (cycle/): kept for the record, no longer scored nor rolled up.
    withdrawn = models.BooleanField("ritirato", default=False)
    # The next year (cycle): a multi-year or recurring objective carries on from last year's.
    recurring = models.BooleanField(
        "obiettivo ricorrente", default=False, help_text="Copiato nel PEG dell'anno successivo, senza monitoraggio."
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following",
        verbose_name="obiettivo dell'anno precedente",
    )
    # Stored figures (objectives/facts.py keeps them equal to objectives/calculator.py, in the same
    # transaction as every write): the year-end calculation with every completion recorded so far
    # (score_objective with on=None). Never edited by hand; figures at a date are in Andamento.
    calc_score = models.DecimalField(
        "raggiungimento calcolato", max_digits=7, decimal_places=4, null=True, editable=False
    )
    calc_error = models.CharField("motivo senza punteggio", max_length=500, blank=True, editable=False)
    calc_evaluable_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0, editable=False)
    calc_earned_weight = models.DecimalField(max_digits=12, decimal_places=6, default=0, editable=False)
    calc_done_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0, editable=False)
    calc_late_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0, editable=False)
    calc_late_count = models.PositiveIntegerField(default=0, editable=False)
    # The latest deadline of its tranches, of any year and of the PEG's own year: what a PEG's
    # monitoring dates reach (selectors.latest_deadlines reads them through the indexes below).
    calc_latest_tranche = models.DateField(null=True, editable=False)
    calc_latest_year_tranche = models.DateField(null=True, editable=False)
    # Its unit's print order, beside its own: the list pages the PEG in print order down one index
    # (obiettivo_list_order) instead of sorting every objective joined to its unit.
    calc_unit_order = models.PositiveIntegerField(default=0, editable=False)
    # What the list's search reads (objectives/facts.py keeps it): title, card texts, unit, phase
    # descriptions. On PostgreSQL a GIN index over its Italian tsvector (migration 0008).
    search_text = models.TextField(blank=True, editable=False)
    # Its Italian tsvector, kept by PostgreSQL (a stored generated column, GIN-indexed in migration
    # 0009): a search for a common word reads it instead of computing 10,000 tsvectors.
    search_vector = models.GeneratedField(
        expression=SearchVectorOf("search_text"), output_field=SearchVectorField(null=True), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=[*OBIETTIVO_STORED_FIGURES, *OBIETTIVO_GENERATED])

    objects = ObiettivoManager()

    class Meta:
        ordering = ["peg", "settore__print_order", "print_order", "code"]
        verbose_name = "obiettivo"
        verbose_name_plural = "obiettivi"
        indexes = [
            # The latest dates of a PEG in one index step each (selectors.latest_deadlines).
            models.Index(fields=["peg", "final_deadline"], name="obiettivo_peg_final_deadline"),
            models.Index(fields=["peg", "calc_latest_tranche"], name="obiettivo_peg_latest_tranche"),
            models.Index(fields=["peg", "calc_latest_year_tranche"], name="obiettivo_peg_latest_year_tr"),
            models.Index(fields=["peg", "calc_unit_order", "print_order", "code", "id"], name="obiettivo_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["peg", "settore", "code"], name="obiettivo_unique_code_per_unit"),
            models.CheckConstraint(
                condition=Q(validated_score__isnull=True) | Q(validated_score__gte=0, validated_score__lte=100),
                name="obiettivo_validated_score_percent",
            ),
        ]

    def __str__(self):
        return f"{self.settore} – Obiettivo {self.code}"

    @property
    def head(self) -> Dirigente | None:
        """Who answers for the objective: its own responsible when set, else the unit's head."""
        return self.dirigente or self.settore.head

    @property
    def head_line(self) -> str:
        return self.settore.head_line_for(self.head)

    def heading(self, field: str) -> str:
        return self.headings.get(field) or CARD_HEADINGS[field]

    def card_sections(self) -> list[tuple[str, str]]:
        """(printed heading, text) for each text field in print order."""
        return [(self.heading(field), getattr(self, field)) for field, _ in CARD_TEXT_FIELDS]

    def clean(self):
        if self.settore_id and self.dirigente_id is None and self.settore.head_id:
            self.dirigente_id = self.settore.head_id
        errors = deadline_errors(final_deadline_text=self.final_deadline_text)
        if errors:
            raise ValidationError(errors)

    def carries_evaluation(self) -> bool:
        """As stored: see ObiettivoQuerySet.carrying_evaluation, the one definition."""
        return self.pk is not None and Obiettivo.objects.filter(pk=self.pk).carrying_evaluation().exists()


class Annualita(models.Model):
    """A year's tranche of a multi-year objective, when the card prints a deadline for it."""

    obiettivo = models.ForeignKey(Obiettivo, on_delete=models.CASCADE, related_name="tranches")
    year = models.PositiveIntegerField("annualità")
    label = models.CharField("intestazione stampata", max_length=200, blank=True)
    deadline_text = models.CharField("scadenza (come stampata)", max_length=200, blank=True)
    deadline = models.DateField("scadenza (data)", null=True, blank=True)

    class Meta:
        ordering = ["obiettivo", "year"]
        verbose_name = "annualità"
        verbose_name_plural = "annualità"
        constraints = [models.UniqueConstraint(fields=["obiettivo", "year"], name="annualita_unique_year")]

    def __str__(self):
        return f"{self.obiettivo} – annualità {self.year}"

    def clean(self):
        errors = deadline_errors(deadline_text=self.deadline_text)
        if errors:
            raise ValidationError(errors)


class FaseState(models.TextChoices):
    DA_AVVIARE = "da_avviare", "Da avviare"
    IN_CORSO = "in_corso", "In corso"
    COMPLETATA = "completata", "Completata"
    NON_REALIZZATA = "non_realizzata", "Non realizzata"


# The phase fields that belong to monitoring and evaluation, not to the plan: written only by
# objectives.workflow (heads and Nucleo), never by the plan's import or the admin.
FASE_PROGRESS_FIELDS = [
    "state",
    "completed_on",
    "evidence",
    "neutralised",
    "neutralisation_reason",
    "partial_achievement",
    "partial_reason",
    "progress_percent",
    "progress_note",
]


def _progress_recorded() -> Q:
    """Some progress field of the phase is off its default: the head or the Nucleo wrote it."""
    recorded = Q(pk__in=[])
    for name in FASE_PROGRESS_FIELDS:
        default = Fase._meta.get_field(name).get_default()
        recorded |= Q(**{f"{name}__isnull": False}) if default is None else ~Q(**{name: default})
    return recorded


class FaseQuerySet(models.QuerySet):
    def with_recorded_progress(self):
        """Phases the head or the Nucleo have written on: some progress field is off its default."""
        return self.filter(_progress_recorded())

    def carrying_evaluation(self):
        """Phases whose loss or rewrite would lose evaluation: recorded progress, a note, an attachment."""
        return self.filter(
            _progress_recorded()
            | Exists(Nota.objects.filter(fase=OuterRef("pk")))
            | Exists(Allegato.objects.filter(fase=OuterRef("pk")))
        )


class Fase(models.Model):
    """A phase of an objective: one row of 'Fasi progettuali di sviluppo dell'obiettivo'."""

    obiettivo = models.ForeignKey(Obiettivo, on_delete=models.CASCADE, related_name="fasi")
    label = models.CharField("fase", max_length=20, help_text="Come stampata: 1, 2a, 1-A, 5")
    sort_order = models.PositiveIntegerField("ordine")
    description = models.TextField("descrizione")
    weight = models.DecimalField(
        "incidenza %", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    year = models.PositiveIntegerField("annualità", help_text="L'anno in cui la fase conta")
    responsabili = models.ManyToManyField(
        "sectors.Responsabile", blank=True, related_name="fasi", verbose_name="responsabili coinvolti (codici)"
    )
    responsabili_text = models.CharField("codifica responsabili coinvolti (come stampata)", max_length=500, blank=True)
    deadline_text = models.CharField("scadenza prevista (come stampata)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "tipo di scadenza", max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.BLANK
    )
    deadline_date = models.DateField("data di scadenza", null=True, blank=True)
    deadline_offset_days = models.PositiveIntegerField("giorni dopo", null=True, blank=True)
    deadline_offset_months = models.PositiveIntegerField("mesi dopo", null=True, blank=True)
    deadline_anchor_label = models.CharField("dopo la conclusione della fase", max_length=20, blank=True)
    deadline_anchor_date = models.DateField(
        "data dell'evento di riferimento",
        null=True,
        blank=True,
        help_text="Per le scadenze relative a un evento (es. la presentazione dell'istanza), quando è noto.",
    )
    # Progress, recorded by the unit's head.
    state = models.CharField("stato", max_length=20, choices=FaseState.choices, default=FaseState.DA_AVVIARE)
    completed_on = models.DateField("data di completamento", null=True, blank=True)
    evidence = models.TextField("evidenze", blank=True, help_text="Es. Delibera G.C. n. 104 del 26/04/2018")
    # Mid-year monitoring, in words: not used by the score.
    progress_percent = models.PositiveSmallIntegerField(
        "avanzamento (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    progress_note = models.TextField("nota sull'avanzamento", blank=True)
    # The Nucleo di Valutazione's corrections.
    neutralised = models.BooleanField("sterilizzata", default=False)
    neutralisation_reason = models.TextField("motivo della sterilizzazione", blank=True)
    partial_achievement = models.DecimalField(
        "raggiungimento parziale (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    partial_reason = models.TextField("motivo del raggiungimento parziale", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Stored facts (objectives/facts.py, same transaction as every write): what the calculator
    # resolved for this phase in its PEG's year, with every completion recorded so far.
    calc_counted = models.BooleanField("conta nella valutazione", default=False, editable=False)
    # The effective due date (the card's, capped by the year's limit) once every anchor is known…
    calc_due = models.DateField(null=True, editable=False)
    # …known from this date on (the completion of the anchor phase); before it the due date is
    # calc_limit, the year's limit. Null: known from the start.
    calc_due_known_from = models.DateField(null=True, editable=False)
    calc_limit = models.DateField(null=True, editable=False)
    calc_earned = models.DecimalField(max_digits=12, decimal_places=6, default=0, editable=False)
    calc_late = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["version", *FASE_STORED_FIGURES])

    objects = FaseQuerySet.as_manager()

    class Meta:
        ordering = ["obiettivo", "sort_order"]
        verbose_name = "fase"
        verbose_name_plural = "fasi"
        constraints = [
            models.UniqueConstraint(
                fields=["obiettivo", "label"],
                name="fase_unique_label",
                violation_error_message="Esiste già una fase con questa etichetta nell'obiettivo.",
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0, weight__lte=100),
                name="fase_weight_percent",
                violation_error_message="L'incidenza di una fase deve essere compresa tra 0 e 100%.",
            ),
            models.CheckConstraint(
                condition=Q(partial_achievement__isnull=True)
                | Q(partial_achievement__gte=0, partial_achievement__lte=100),
                name="fase_partial_percent",
                violation_error_message="Il raggiungimento parziale deve essere compreso tra 0 e 100%.",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
                name="fase_progress_percent",
                violation_error_message="L'avanzamento di una fase deve essere compreso tra 0 e 100%.",
            ),
            models.CheckConstraint(
                condition=Q(neutralised=False) | ~Q(neutralisation_reason=""),
                name="fase_neutralised_has_reason",
                violation_error_message="La sterilizzazione di una fase richiede la motivazione.",
            ),
            models.CheckConstraint(
                condition=Q(partial_achievement__isnull=True) | ~Q(partial_reason=""),
                name="fase_partial_has_reason",
                violation_error_message="Il raggiungimento parziale richiede la motivazione.",
            ),
            models.CheckConstraint(
                condition=~Q(state=FaseState.COMPLETATA) | Q(completed_on__isnull=False),
                name="fase_completed_has_date",
                violation_error_message="Indicare la data di completamento della fase.",
            ),
        ]

    def __str__(self):
        return f"fase {self.label}"

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            kind=self.deadline_kind,
            date=self.deadline_date,
            offset_days=self.deadline_offset_days,
            offset_months=self.deadline_offset_months,
            anchor_label=self.deadline_anchor_label,
            anchor_date=self.deadline_anchor_date,
        )

    def set_deadline(self, text: str) -> None:
        """Keep the printed text and derive its structure; a recorded event date survives re-parsing."""
        parsed = parse_deadline(text, own_label=self.label)
        self.deadline_text = text
        self.deadline_kind = parsed.kind
        self.deadline_date = parsed.date
        self.deadline_offset_days = parsed.offset_days
        self.deadline_offset_months = parsed.offset_months
        self.deadline_anchor_label = parsed.anchor_label
        if parsed.kind == DeadlineKind.AFTER_EVENT:
            self.deadline_anchor_date = parsed.anchor_date or self.deadline_anchor_date
        else:
            self.deadline_anchor_date = None

    def due_date(self, siblings_by_label: dict[str, Fase] | None = None) -> dt.date | None:
        """The due date, or None while it cannot be determined ('scadenza non determinabile')."""
        anchor_done = None
        if self.deadline_kind == DeadlineKind.AFTER_PHASE and siblings_by_label:
            anchor = siblings_by_label.get(self.deadline_anchor_label)
            if anchor is not None and anchor.state == FaseState.COMPLETATA:
                anchor_done = anchor.completed_on
        return resolve_due_date(self.deadline, self.year, anchor_done)

    @property
    def monitored_elsewhere(self) -> bool:
        """A phase of an earlier annualità of an objective carried from last year's PEG (cycle's
        rollover copies the whole printed table): it was monitored in that PEG, not in this one."""
        return self.obiettivo.previous_id is not None and self.year < self.obiettivo.peg.year

    @property
    def is_subphase_continuation(self) -> bool:
        """A 'b)', 'c)' row of a split phase: the card leaves its 'fase N:' cell empty."""
        return len(self.label) > 1 and self.label[-1].isalpha() and self.label[-1].islower() and self.label[-1] != "a"

    def carries_evaluation(self) -> bool:
        """As stored: see FaseQuerySet.carrying_evaluation, the one definition."""
        return self.pk is not None and Fase.objects.filter(pk=self.pk).carrying_evaluation().exists()

    def clean(self):
        # The structure of the deadline is always derived from the printed text.
        self.set_deadline(self.deadline_text)
        errors = deadline_errors(deadline_text=self.deadline_text)
        if self.neutralised and not self.neutralisation_reason.strip():
            errors["neutralisation_reason"] = "La sterilizzazione di una fase richiede la motivazione."
        if self.partial_achievement is not None and not self.partial_reason.strip():
            errors["partial_reason"] = "Il raggiungimento parziale richiede la motivazione."
        if self.state == FaseState.COMPLETATA and not self.completed_on:
            errors["completed_on"] = "Indicare la data di completamento della fase."
        if errors:
            raise ValidationError(errors)


def weight_errors(phases) -> list[str]:
    """The rule across an objective's phases, in Italian; [] when the weights are valid.

    Empty weights are ignored. Valid when every annualità's weights sum to 100 (LLPP A: 2021
    and 2022 each 100) or when the whole table sums to 100 and a year holds only a tranche of
    it (SVILUPPO ECONOMICO C: phases 1–6 sum to 100, the 2021 tranche is re-proportioned;
    0% phases of other years count nothing).
    """
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for phase in phases:
        if phase.weight is not None:
            by_year[phase.year] += Decimal(phase.weight)
    if not by_year:
        return []
    if all(total == HUNDRED for total in by_year.values()):
        return []
    if sum(by_year.values()) == HUNDRED:
        return []
    detail = ", ".join(f"{year}: {_fmt(total)}%" for year, total in sorted(by_year.items()))
    return [f"Le incidenze delle fasi devono sommare a 100% per ogni annualità (somme attuali: {detail})."]


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# ---------------------------------------------------------------------------
# The browser workflow: attachments to a phase, and the notes of the procedure.


class AllegatoBase(models.Model):
    """What every attachment records besides its file: its name as uploaded, type, size, who and when.

    The file field itself stays on each model, with the upload path of its own folder.
    """

    original_name = models.CharField("nome del file", max_length=255)
    content_type = models.CharField("tipo", max_length=100)
    size = models.PositiveIntegerField("dimensione (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="caricato da",
    )
    uploaded_at = models.DateTimeField("caricato il", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def allegato_upload_to(instance: Allegato, filename: str) -> str:
    """A path the uploader cannot choose: year/objective/phase/random name, the checked extension."""
    suffix = PurePath(filename).suffix.lower()
    obiettivo = instance.fase.obiettivo
    return f"allegati/{obiettivo.peg.year}/{obiettivo.pk}/{instance.fase.pk}/{uuid.uuid4().hex}{suffix}"


class Allegato(AllegatoBase):
    """A document attached to a phase as evidence (a resolution, a report, a photo)."""

    # PROTECT: removing a phase never takes its evidence with it; only the workflow deletes an attachment.
    fase = models.ForeignKey(Fase, on_delete=models.PROTECT, related_name="allegati")
    file = models.FileField("file", upload_to=allegato_upload_to, max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["fase", "uploaded_at", "pk"]
        verbose_name = "allegato"
        verbose_name_plural = "allegati"


class NotaKind(models.TextChoices):
    RENDICONTAZIONE = "rendicontazione", "Rendicontazione del responsabile"
    RINVIO = "rinvio", "Rinvio al responsabile"
    VALIDAZIONE = "validazione", "Validazione del Nucleo"
    RIAPERTURA = "riapertura", "Riapertura dell'amministratore"
    STERILIZZAZIONE = "sterilizzazione", "Sterilizzazione di una fase"
    ANNULLA_STERILIZZAZIONE = "annulla_sterilizzazione", "Sterilizzazione annullata"
    PARZIALE = "parziale", "Raggiungimento parziale di una fase"
    INDICATORE_RILEVATO = "indicatore_rilevato", "Valore di un indicatore rilevato dal responsabile"
    INDICATORE_CONFERMATO = "indicatore_confermato", "Valore di un indicatore confermato dal Nucleo"
    INDICATORE_RETTIFICATO = "indicatore_rettificato", "Valore di un indicatore rettificato dal Nucleo"


# Every note of these kinds states its reason: the Nucleo's and the administrator's acts must be motivated.
NOTA_KINDS_WITH_REASON = [
    NotaKind.RINVIO,
    NotaKind.RIAPERTURA,
    NotaKind.STERILIZZAZIONE,
    NotaKind.ANNULLA_STERILIZZAZIONE,
    NotaKind.PARZIALE,
    NotaKind.INDICATORE_RETTIFICATO,
]


NOTE_APPEND_ONLY_MESSAGE = "Le note del procedimento non si modificano né si cancellano: se ne aggiunge una nuova."


class Nota(AppendOnlyModel):
    """One act of the objective's procedure: who, when, what, why. Written once, never edited.

    Append-only in the model itself (and PROTECT on its links, so no cascade wipes it): it is
    the only record of the procedure, and has no history to restore it from.
    """

    append_only_message = NOTE_APPEND_ONLY_MESSAGE

    obiettivo = models.ForeignKey(Obiettivo, on_delete=models.PROTECT, related_name="note")
    fase = models.ForeignKey(Fase, on_delete=models.PROTECT, null=True, blank=True, related_name="note")
    kind = models.CharField("atto", max_length=30, choices=NotaKind.choices)
    text = models.TextField("nota o motivazione", blank=True)
    score = models.DecimalField(
        "grado di raggiungimento", max_digits=7, decimal_places=4, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    computed_score = models.DecimalField(
        "grado calcolato", max_digits=7, decimal_places=4, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="autore",
    )
    created_at = models.DateTimeField("data e ora", auto_now_add=True)

    class Meta:
        ordering = ["obiettivo", "created_at", "pk"]
        verbose_name = "nota del procedimento"
        verbose_name_plural = "note del procedimento"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=NOTA_KINDS_WITH_REASON) | ~Q(text=""), name="nota_reason_required"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.obiettivo}"


class PegNotaKind(models.TextChoices):
    POLITICA = "politica", "Modifica della politica di valutazione"
    VERIFICA_FINE_ANNO = "verifica_fine_anno", "Apertura della verifica di fine anno"
    APPROVAZIONE = "approvazione", "Approvazione del PEG (Giunta)"
    VARIAZIONE = "variazione", "Variazione del PEG (Giunta)"
    CHIUSURA = "chiusura", "Chiusura del PEG (Relazione validata)"
    NUOVO_ANNO = "nuovo_anno", "PEG dell'anno successivo creato da questo"


class PegNota(AppendOnlyModel):
    """An act on the whole PEG (its evaluation policy, the year-end review): who, when, what, why.

    Append-only like Nota; PROTECT keeps a PEG carrying notes from being removed.
    """

    append_only_message = NOTE_APPEND_ONLY_MESSAGE

    peg = models.ForeignKey(Peg, on_delete=models.PROTECT, related_name="note", verbose_name="PEG")
    kind = models.CharField("atto", max_length=30, choices=PegNotaKind.choices)
    text = models.TextField("nota o motivazione")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="autore",
    )
    created_at = models.DateTimeField("data e ora", auto_now_add=True)

    class Meta:
        ordering = ["peg", "created_at", "pk"]
        verbose_name = "nota del PEG"
        verbose_name_plural = "note del PEG"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="pegnota_text_required")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.peg}"


# ---------------------------------------------------------------------------
# Indicators of result: the "Indicatori di risultato" of the card, with baseline, target and actual.


class IndicatoreKind(models.TextChoices):
    NUMBER = "number", "Numero"
    PERCENT = "percent", "Percentuale"
    YES_NO = "yes_no", "Sì/No"
    DATE = "date", "Data"


class IndicatoreDirection(models.TextChoices):
    HIGHER = "higher", "Più alto è meglio (almeno il target)"
    LOWER = "lower", "Più basso è meglio (al massimo il target)"


class IndicatoreReview(models.TextChoices):
    PENDING = "", "Da confermare"
    CONFIRMED = "confirmed", "Confermato dal Nucleo"
    CORRECTED = "corrected", "Rettificato dal Nucleo"


# Written only by objectives.workflow (the head's actual value, the Nucleo's review), never by
# the plan's import or the admin.
INDICATORE_PROGRESS_FIELDS = [
    "actual_value",
    "actual_date",
    "actual_evidence",
    "review",
    "reviewed_value",
    "reviewed_date",
    "review_reason",
]
# The indicator as the plan states it: what the import compares and the next year's PEG copies.
INDICATORE_PLAN_FIELDS = [
    "name",
    "kind",
    "unit",
    "baseline_value",
    "baseline_period",
    "target_value",
    "target_date",
    "direction",
    "data_source",
    "card_text",
    "counts",
]

VALUE_DIGITS = {"max_digits": 16, "decimal_places": 4}


class IndicatoreQuerySet(models.QuerySet):
    def carrying_evaluation(self):
        """Indicators with a value recorded, a review by the Nucleo or an attachment."""
        return self.filter(
            Q(actual_value__isnull=False)
            | Q(actual_date__isnull=False)
            | ~Q(review=IndicatoreReview.PENDING)
            | Exists(AllegatoIndicatore.objects.filter(indicatore=OuterRef("pk")))
        )


class Indicatore(models.Model):
    """An indicator of result of an objective: what the card's criterion measures, and its value.

    Values are Decimal for numbers, percentages and yes/no (1 = sì, 0 = no) and a date for the
    date kind (`*_date`). The head records the actual value; the Nucleo confirms or corrects it.
    Whether the target is met and how it enters the score: objectives/indicators.py.
    """

    obiettivo = models.ForeignKey(Obiettivo, on_delete=models.CASCADE, related_name="indicatori")
    sort_order = models.PositiveIntegerField("ordine", default=0)
    name = models.CharField("indicatore", max_length=300)
    kind = models.CharField("tipo", max_length=10, choices=IndicatoreKind.choices, default=IndicatoreKind.NUMBER)
    unit = models.CharField("unità di misura", max_length=50, blank=True)
    baseline_value = models.DecimalField("valore di partenza", null=True, blank=True, **VALUE_DIGITS)
    baseline_period = models.CharField("periodo del valore di partenza", max_length=100, blank=True)
    target_value = models.DecimalField("target", null=True, blank=True, **VALUE_DIGITS)
    target_date = models.DateField("target (data)", null=True, blank=True)
    direction = models.CharField(
        "verso", max_length=10, choices=IndicatoreDirection.choices, default=IndicatoreDirection.HIGHER
    )
    data_source = models.CharField("fonte dei dati", max_length=300, blank=True)
    card_text = models.TextField(
        "testo della scheda", blank=True, help_text="Il criterio come lo stampa la scheda, parola per parola."
    )
    counts = models.BooleanField(
        "conta nel grado", default=True, help_text="Un indicatore che non conta resta solo informativo."
    )
    # The head's actual value.
    actual_value = models.DecimalField("valore rilevato", null=True, blank=True, **VALUE_DIGITS)
    actual_date = models.DateField("valore rilevato (data)", null=True, blank=True)
    actual_evidence = models.TextField("evidenze del valore rilevato", blank=True)
    # The Nucleo's review.
    review = models.CharField(
        "verifica del Nucleo", max_length=10, choices=IndicatoreReview.choices, default="", blank=True
    )
    reviewed_value = models.DecimalField("valore accertato dal Nucleo", null=True, blank=True, **VALUE_DIGITS)
    reviewed_date = models.DateField("valore accertato dal Nucleo (data)", null=True, blank=True)
    review_reason = models.TextField("motivo della rettifica", blank=True)
    history = HistoricalRecords()

    objects = IndicatoreQuerySet.as_manager()

    class Meta:
        ordering = ["obiettivo", "sort_order", "pk"]
        verbose_name = "indicatore di risultato"
        verbose_name_plural = "indicatori di risultato"
        constraints = [
            models.UniqueConstraint(
                fields=["obiettivo", "name"],
                name="indicatore_unique_name",
                violation_error_message="Esiste già un indicatore con questo nome nell'obiettivo.",
            ),
            models.CheckConstraint(
                condition=~Q(review=IndicatoreReview.CORRECTED) | ~Q(review_reason=""),
                name="indicatore_correction_has_reason",
                violation_error_message="La rettifica del valore di un indicatore richiede la motivazione.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=IndicatoreKind.YES_NO)
                | (
                    (Q(target_value__isnull=True) | Q(target_value__in=[0, 1]))
                    & (Q(actual_value__isnull=True) | Q(actual_value__in=[0, 1]))
                    & (Q(reviewed_value__isnull=True) | Q(reviewed_value__in=[0, 1]))
                ),
                name="indicatore_yes_no_values",
                violation_error_message="Un indicatore sì/no ha valori 1 (sì) o 0 (no).",
            ),
        ]

    def __str__(self):
        return self.name

    def value(self, which: str):
        """'baseline', 'target', 'actual' or 'reviewed' as a typed value (see indicators.typed_value)."""
        from objectives.indicators import typed_value

        return typed_value(self.kind, getattr(self, f"{which}_value", None), getattr(self, f"{which}_date", None))

    def display(self, which: str) -> str:
        from objectives.indicators import format_value

        return format_value(self.kind, self.value(which), self.unit)

    def input_text(self, which: str) -> str:
        """The value as a form shows it for editing (no unit: indicators.parse_value reads it back)."""
        from objectives.indicators import format_value

        return format_value(self.kind, self.value(which))

    @property
    def target_display(self) -> str:
        return self.display("target")

    @property
    def target_with_direction(self) -> str:
        """'almeno 20%', 'al massimo 0 segnalazioni', 'entro il 31/12/2021', 'sì'."""
        target = self.target_display
        if self.kind == IndicatoreKind.YES_NO or not target:
            return target
        if self.kind == IndicatoreKind.DATE:
            return f"entro il {target}" if self.direction == IndicatoreDirection.LOWER else f"dal {target}"
        return f"al massimo {target}" if self.direction == IndicatoreDirection.LOWER else f"almeno {target}"

    @property
    def display_outcome(self) -> str:
        """The value that counts (the Nucleo's once reviewed, else the head's), as printed."""
        from objectives.indicators import format_value

        return format_value(self.kind, self.outcome.value, self.unit)

    @property
    def baseline_display(self) -> str:
        text = self.display("baseline")
        if self.baseline_period:
            return f"{text} ({self.baseline_period})" if text else self.baseline_period
        return text

    @property
    def actual_display(self) -> str:
        return self.display("actual")

    @property
    def reviewed_display(self) -> str:
        return self.display("reviewed")

    @property
    def outcome(self):
        """The value that counts, where it comes from and whether the target is met (indicators.outcome)."""
        from objectives.indicators import outcome

        return outcome(self)

    def clean(self):
        from objectives.indicators import plan_errors

        errors = plan_errors(self)
        if errors:
            raise ValidationError(errors)


def allegato_indicatore_upload_to(instance: AllegatoIndicatore, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    obiettivo = instance.indicatore.obiettivo
    folder = f"allegati/{obiettivo.peg.year}/{obiettivo.pk}/indicatori/{instance.indicatore.pk}"
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


class AllegatoIndicatore(AllegatoBase):
    """A document attached as evidence of an indicator's actual value (same checks as Allegato)."""

    indicatore = models.ForeignKey(Indicatore, on_delete=models.PROTECT, related_name="allegati")
    file = models.FileField("file", upload_to=allegato_indicatore_upload_to, max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicatore", "uploaded_at", "pk"]
        verbose_name = "allegato di un indicatore"
        verbose_name_plural = "allegati degli indicatori"


class Andamento(models.Model):
    """An objective's figures as known over a span of dates [valid_from, valid_to): the monitoring
    at any date `on` is the row whose span holds `on`, one indexed lookup instead of a calculation.

    Written only by objectives/facts.py, from objectives/calculator.progress_at evaluated at each
    date where a figure can change (completions, due dates, the day after them, the closing date),
    in the same transaction as the write that changed the objective. valid_to null: open-ended.
    """

    # One index only, the unique (obiettivo, valid_from), which also serves lookups by objective:
    # a refresh rewrites every row of an objective, and each index costs on every insert.
    obiettivo = models.ForeignKey(Obiettivo, on_delete=models.CASCADE, related_name="andamento", db_index=False)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    score = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    evaluable_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    due_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    done_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    due_done_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    on_time_weight = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    late_count = models.PositiveIntegerField(default=0)
    undetermined_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "andamento"
        verbose_name_plural = "andamenti"
        constraints = [
            models.UniqueConstraint(fields=["obiettivo", "valid_from"], name="andamento_unique_from"),
        ]

    def __str__(self):
        return f"{self.obiettivo_id} dal {self.valid_from:%d/%m/%Y}"
