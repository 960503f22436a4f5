# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages' reads of the stored figures (objectives/facts.py), in SQL and bounded.

The calculator (objectives/calculator.py) stays the one definition of the rules; facts.py stores
what it computes. This module only reads those figures back, so that a page does the work it
shows: the list sorts and pages 25 objectives in SQL, the dashboard aggregates the units of one
page of panels, the unit pages aggregate one unit or the visible ones.

    with_figures(queryset, on)        objectives annotated with score_value, computed_score, late_count
    unit_figures(queryset, decimals)  {settore id: UnitFigures}: the calculator's weighted_mean in SQL
    late_phases(ids, ...) / upcoming_phases(ids, ...)   per unit, the first few rows and how many there are

Figures at a date `on` are those of the objective's Andamento row whose [valid_from, valid_to)
holds `on` (one LEFT JOIN); without a date, the year-end figures stored on the objective
(calc_score, calc_late_count), which is what score_objective(on=None) gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Round, RowNumber
from django.db.models.query import ModelIterable

from objectives import access
from objectives.calculator import PRECISION, round_score
from objectives.models import Andamento, Fase, FaseState, Obiettivo, ObiettivoStatus
from sectors.models import Settore

SCORE_FIELD = DecimalField(max_digits=7, decimal_places=4)
# Scores keep at most 4 decimals (Andamento.score, Obiettivo.calc_score, validated_score) and the
# objectives' weights 2: scaled to integers, the sums are exact on every database (SQLite sums
# REAL numbers), and the mean is divided and rounded once in Python, as the calculator does.
SCORE_SCALE = 10_000
WEIGHT_SCALE = 100


# --- Objectives -----------------------------------------------------------------------------------


def at_date(on: dt.date, ids: list[int] | None = None) -> FilteredRelation:
    """The objective's Andamento row holding `on`: at most one (the spans do not overlap).

    `ids`, when the objectives' ids are at hand, bounds the join to their rows: PostgreSQL then reads
    them down the index on (obiettivo, valid_from) rather than every row of every objective (the
    dashboard's 12 units at 10,000 objectives: 2 ms of SQL against 11)."""
    condition = Q(andamento__valid_from__lte=on) & (Q(andamento__valid_to__isnull=True) | Q(andamento__valid_to__gt=on))
    if ids is not None:
        condition &= Q(andamento__obiettivo_id__among=ids)
    return FilteredRelation("andamento", condition=condition)


def effective_score(computed) -> Case:
    """calculator.effective_score in SQL: the validated score once validated, else `computed`."""
    return Case(
        When(status=ObiettivoStatus.VALIDATO, validated_score__isnull=False, then=F("validated_score")),
        default=computed,
        output_field=SCORE_FIELD,
    )


def with_figures(queryset: QuerySet, on: dt.date | None, ids: list[int] | None = None) -> QuerySet:
    """Objectives with the figures the pages show, at `on` (None: the year-end calculation).

    computed_score: the calculator's score; score_value: the validated score when validated, else
    computed_score; late_count: evaluable phases late at `on` (at year end: late at all). `ids`: the
    queryset's objectives' ids when known (see at_date).
    """
    if on is None:
        return queryset.annotate(
            computed_score=F("calc_score"),
            late_count=F("calc_late_count"),
            score_value=effective_score(F("calc_score")),
        )
    return queryset.annotate(
        _at=at_date(on, ids),
        computed_score=F("_at__score"),
        late_count=Coalesce(F("_at__late_count"), Value(0), output_field=IntegerField()),
        score_value=effective_score(F("_at__score")),
    )


class _PageByIds(ModelIterable):
    """A slice of a sorted queryset read in two steps: the ids of its rows (a narrow sort, no other
    column carried through it), then those rows whole, in that order. Sorting every objective by a
    figure while carrying its whole row and its unit and heads cost twice as much; in print order
    the ids come down the list index, and the rows by primary key."""

    def __iter__(self):
        queryset = self.queryset
        if queryset.query.high_mark is None:
            yield from ModelIterable(queryset, self.chunked_fetch, self.chunk_size)
            return
        ids = list(queryset.values_list("pk", flat=True))
        rows = queryset._chain()
        rows.query.clear_limits()
        rows = rows.order_by().filter(pk__in=ids)
        by_id = {row.pk: row for row in ModelIterable(rows)}
        for pk in ids:
            yield by_id[pk]


def page_by_ids(queryset: QuerySet) -> QuerySet:
    """The same queryset, whose slices (a page) read their ids first: see _PageByIds."""
    queryset = queryset._chain()
    queryset._iterable_class = _PageByIds
    return queryset


def late_at_date(on: dt.date | None) -> Q:
    """Objectives with evaluable phases late at `on` (None: at year end): with_figures' late_count > 0,
    as a condition of its own, so that a filtered list counts its rows without reading the figures."""
    if on is None:
        return Q(calc_late_count__gt=0)
    at = Andamento.objects.filter(obiettivo=OuterRef("pk"), valid_from__lte=on, late_count__gt=0).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    return Q(Exists(at))


# --- Units: the calculator's weighted_mean in SQL -------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """A unit's objectives and their mean: weighted by the objectives' weights when every scored
    objective has one and they sum above 0, otherwise the plain mean; rounded once, half up."""

    objectives: int = 0
    scored: int = 0
    score: Decimal | None = None
    weighted: bool = False


def _scaled(expression, scale: int):
    return Cast(Round(expression * Value(scale)), BigIntegerField())


def unit_figures(queryset: QuerySet, decimals: int) -> dict[int, UnitFigures]:
    """Per unit of the objectives in `queryset` (annotated by with_figures), their count and mean."""
    scored = Q(score_value__isnull=False)
    rows = (
        queryset.order_by()
        .values("settore_id")
        .annotate(
            n_objectives=Count("pk"),
            n_scored=Count("pk", filter=scored),
            n_weighted=Count("pk", filter=scored & Q(weight__isnull=False)),
            sum_score=Sum(_scaled(F("score_value"), SCORE_SCALE), filter=scored),
            sum_weight=Sum(_scaled(F("weight"), WEIGHT_SCALE), filter=scored),
            sum_product=Sum(_scaled(F("score_value"), SCORE_SCALE) * _scaled(F("weight"), WEIGHT_SCALE), filter=scored),
        )
    )
    return {row["settore_id"]: _unit(row, decimals) for row in rows}


def _unit(row: dict, decimals: int) -> UnitFigures:
    n, scored = row["n_objectives"], row["n_scored"]
    if not scored:
        return UnitFigures(n, 0)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if row["n_weighted"] == scored and (row["sum_weight"] or 0) > 0:
            mean = Decimal(row["sum_product"]) / Decimal(row["sum_weight"]) / SCORE_SCALE
            return UnitFigures(n, scored, round_score(mean, decimals), True)
        mean = Decimal(row["sum_score"]) / scored / SCORE_SCALE
        return UnitFigures(n, scored, round_score(mean, decimals), False)


# --- Phases at a date: late ones and deadlines coming up ------------------------------------------


def due_at(on: dt.date) -> Case:
    """A phase's effective due date as known at `on`: a due date counted from another phase's
    completion is known from that completion on; until then the year's limit stands in for it."""
    return Case(
        When(Q(calc_due_known_from__isnull=True) | Q(calc_due_known_from__lte=on), then=F("calc_due")),
        default=F("calc_limit"),
    )


def completed_by(on: dt.date) -> Q:
    return Q(state=FaseState.COMPLETATA, completed_on__isnull=False, completed_on__lte=on)


def late_at(on: dt.date) -> Q:
    """Evaluable and late at `on` (needs the `due_at` annotation): completed after its due date, or
    not completed by `on` with its due date past (the calculator's PhaseRow.late at `on`)."""
    done = completed_by(on)
    return Q(calc_counted=True) & ((done & Q(completed_on__gt=F("due_at"))) | (~done & Q(due_at__lt=on)))


def upcoming_at(on: dt.date, days: int) -> Q:
    """Evaluable, not completed by `on`, due within `days` days from `on` (both included)."""
    horizon = on + dt.timedelta(days=days)
    return Q(calc_counted=True) & ~completed_by(on) & Q(due_at__gte=on, due_at__lte=horizon)


@dataclass
class PhaseList:
    """The first rows of a unit's list and how many there are in all."""

    rows: list[dict] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _phases_by_unit(phases: QuerySet, order_by: list, limit: int) -> dict[int, PhaseList]:
    unit = F("obiettivo__settore_id")
    rows = (
        phases.annotate(
            unit_id=unit,
            position=Window(RowNumber(), partition_by=[unit], order_by=order_by),
            unit_total=Window(Count("pk"), partition_by=[unit]),
        )
        .filter(position__lte=limit)
        .order_by("unit_id", "position")
        .values("pk", "label", "obiettivo_id", "obiettivo__code", "unit_id", "due_at", "unit_total")
    )
    lists: dict[int, PhaseList] = {}
    for row in rows:
        listed = lists.setdefault(row["unit_id"], PhaseList(total=row["unit_total"]))
        listed.rows.append(row)
    return lists


def unit_objective_ids(peg, unit_ids) -> list[int]:
    """The ids of these units' objectives in the PEG, read once for the dashboard's phase lists."""
    return list(Obiettivo.objects.filter(peg=peg, settore_id__in=unit_ids).order_by().values_list("pk", flat=True))


def _phases(objective_ids: list[int], on: dt.date) -> QuerySet:
    """The phases of these objectives, found by the objectives' ids given as a list: PostgreSQL then
    reads them down the index on obiettivo_id, where a join to the objectives' filter led it to scan
    every phase of the PEG (35 ms against 8 at 10,000 objectives)."""
    return Fase.objects.filter(obiettivo_id__among=objective_ids).annotate(due_at=due_at(on))


def late_phases(objective_ids: list[int], on: dt.date, *, limit: int) -> dict[int, PhaseList]:
    """Per unit, its first `limit` phases late at `on` in print order, and how many are late
    (`objective_ids`: the units' objectives, unit_objective_ids)."""
    order = [
        F("obiettivo__print_order").asc(),
        F("obiettivo__code").asc(),
        F("sort_order").asc(),
        F("pk").asc(),
    ]
    return _phases_by_unit(_phases(objective_ids, on).filter(late_at(on)), order, limit)


def upcoming_phases(objective_ids: list[int], on: dt.date, *, days: int, limit: int) -> dict[int, PhaseList]:
    """Per unit, its first `limit` phases due within `days` days from `on`, soonest first."""
    order = [F("due_at").asc(), F("obiettivo__print_order").asc(), F("sort_order").asc(), F("pk").asc()]
    return _phases_by_unit(_phases(objective_ids, on).filter(upcoming_at(on, days)), order, limit)


# --- The pages ------------------------------------------------------------------------------------

# What the list and the exports do not show: the card's long texts stay in the database.
LIST_DEFERRED = [
    "title_detail",
    "strategic_aims",
    "directives",
    "timing",
    "final_deadline_text",
    "expected_result",
    "achieved_text",
    "not_achieved_text",
    "indicators",
    "constraints_text",
    "human_resources",
    "financial_resources",
    "headings",
    "search_text",
    "calc_error",
]


def unit_objectives(peg, unit_ids, on: dt.date | None) -> QuerySet:
    """The objectives of these units in the PEG, with their figures at `on` (None: year end)."""
    return with_figures(Obiettivo.objects.filter(peg=peg, settore_id__in=unit_ids), on)


def objectives_by_ids(ids: list[int], on: dt.date | None) -> QuerySet:
    """These objectives (ids read beforehand, unit_objective_ids) with their figures at `on`, the join
    to the dated figures bounded by the same ids (at_date)."""
    return with_figures(Obiettivo.objects.filter(pk__among=ids), on, ids)


def dashboard_units(user, peg) -> QuerySet:
    """The units with objectives in the PEG that the user may see, in print order (not read yet)."""
    return (
        access.visible_settori(user)
        .filter(Exists(Obiettivo.objects.filter(peg=peg, settore=OuterRef("pk"))))
        .order_by("print_order", "name", "pk")
    )


@dataclass
class UnitPanel:
    """A unit on the dashboard: its result at the date, its late phases and the deadlines coming up."""

    settore: Settore
    score: Decimal | None
    objectives: int
    late: PhaseList
    upcoming: PhaseList
    url: str = ""  # the unit's page, set by the view (as each row's "url", its phase on its objective's page)


def dashboard_panels(peg, on: dt.date, units: list[Settore], *, upcoming_days: int, rows: int) -> list[UnitPanel]:
    """One panel per unit of `units` (one page of them), at `on`: four queries whatever their size."""
    objective_ids = unit_objective_ids(peg, [settore.pk for settore in units])
    figures = unit_figures(objectives_by_ids(objective_ids, on), int(peg.score_decimals))
    late = late_phases(objective_ids, on, limit=rows)
    upcoming = upcoming_phases(objective_ids, on, days=upcoming_days, limit=rows)
    panels = []
    for settore in units:
        unit = figures.get(settore.pk, UnitFigures())
        panels.append(
            UnitPanel(
                settore=settore,
                score=unit.score,
                objectives=unit.objectives,
                late=late.get(settore.pk, PhaseList()),
                upcoming=upcoming.get(settore.pk, PhaseList()),
            )
        )
    return panels
