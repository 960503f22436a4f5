# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Reads for the calculator: scores, monitoring and roll-ups of a whole PEG, in fixed queries.

Every function loads the PEG's objectives, phases and tranches with one query each (plus the
score bands where they are needed) and hands them to the pure functions of
objectives/calculator.py, so the number of queries does not grow with the number of objectives.

    scores_for_peg(peg, on=None)  → {obiettivo id: ObjectiveScore}               3 queries
    monitoring(peg, on)           → PegMonitoring (units → ObjectiveProgress)   3 queries
    unit_results(peg, on=None)    → PegResults (units → ObjectiveResult, total)  4 queries
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, prefetch_related_objects
from django.utils import timezone

from objectives.calculator import (
    ObjectiveProgress,
    ObjectiveScore,
    Policy,
    band_for,
    effective_score,
    is_validated,
    progress_at,
    score_objective,
    tranche_deadline_for,
    weighted_mean,
)
from objectives.models import Annualita, Fase, Obiettivo, Peg, ScoreBand, ScoreMode
from sectors.models import Settore


@dataclass
class _PegData:
    peg: Peg
    policy: Policy
    obiettivi: list[Obiettivo]
    phases: dict[int, list[Fase]]
    deadlines: dict[int, dt.date | None]


def _load(peg: Peg) -> _PegData:
    """The PEG's objectives (with their unit), phases and tranche deadlines: three queries."""
    obiettivi = list(Obiettivo.objects.filter(peg=peg).select_related("settore").in_print_order())
    # Indicators only where they change the score: no query at all while every objective scores on phases.
    prefetch_related_objects([o for o in obiettivi if o.score_mode != ScoreMode.PHASES], "indicatori")
    by_id = {obiettivo.pk: obiettivo for obiettivo in obiettivi}
    phases: dict[int, list[Fase]] = defaultdict(list)
    for fase in Fase.objects.filter(obiettivo__peg=peg).order_by("obiettivo_id", "sort_order", "pk"):
        fase.obiettivo = by_id[fase.obiettivo_id]  # so that fase.obiettivo costs no query
        phases[fase.obiettivo_id].append(fase)
    tranches: dict[int, list[Annualita]] = defaultdict(list)
    for tranche in Annualita.objects.filter(obiettivo__peg=peg, year=peg.year):
        tranches[tranche.obiettivo_id].append(tranche)
    deadlines = {}
    for obiettivo in obiettivi:
        obiettivo.peg = peg  # the caller's instance: no query for obiettivo.peg
        deadlines[obiettivo.pk] = tranche_deadline_for(obiettivo, peg.year, tranches[obiettivo.pk])
    return _PegData(peg, Policy.from_peg(peg), obiettivi, phases, deadlines)


def _score(data: _PegData, obiettivo: Obiettivo, on: dt.date | None) -> ObjectiveScore:
    return score_objective(
        obiettivo,
        data.phases[obiettivo.pk],
        data.policy,
        year=data.peg.year,
        on=on,
        tranche_deadline=data.deadlines[obiettivo.pk],
    )


def scores_for_peg(peg: Peg, *, on: dt.date | None = None) -> dict[int, ObjectiveScore]:
    """The score of every objective of the PEG for its year, keyed by obiettivo id, in print order."""
    data = _load(peg)
    return {obiettivo.pk: _score(data, obiettivo, on) for obiettivo in data.obiettivi}


def _by_unit(obiettivi: list[Obiettivo]) -> list[tuple[Settore, list[Obiettivo]]]:
    groups: dict[int, tuple[Settore, list[Obiettivo]]] = {}
    for obiettivo in obiettivi:
        groups.setdefault(obiettivo.settore_id, (obiettivo.settore, []))[1].append(obiettivo)
    return list(groups.values())


# Monitoring at a date ---------------------------------------------------------------------


def _mean_share(progresses: list[ObjectiveProgress], attribute: str, decimals: int) -> Decimal | None:
    shares = [getattr(progress, attribute) for progress in progresses]
    return weighted_mean([(share, None) for share in shares if share is not None], decimals)[0]


class _MonitoringFigures:
    """The figures a unit and the whole PEG share, over their `objectives`.

    due_share / done_share: the mean over the objectives of the percentage of each objective's
    evaluable weight due / completed by the date (each objective counts once, whatever its
    weights), rounded like a score. late_phases: the rows of the late phases.
    """

    objectives: list[ObjectiveProgress]
    decimals: int

    @property
    def due_share(self) -> Decimal | None:
        return _mean_share(self.objectives, "due_share", self.decimals)

    @property
    def done_share(self) -> Decimal | None:
        return _mean_share(self.objectives, "done_share", self.decimals)

    @property
    def late_phases(self):
        return [row for progress in self.objectives for row in progress.late]

    @property
    def objectives_behind(self) -> list[ObjectiveProgress]:
        return [progress for progress in self.objectives if progress.is_behind]


@dataclass(frozen=True)
class UnitMonitoring(_MonitoringFigures):
    """A unit's objectives at the monitoring date."""

    settore: Settore
    objectives: list[ObjectiveProgress]
    decimals: int = 2


@dataclass(frozen=True)
class PegMonitoring(_MonitoringFigures):
    """The whole PEG at the monitoring date: units in print order, and the same figures overall."""

    peg: Peg
    on: dt.date
    units: list[UnitMonitoring]
    decimals: int = 2

    @property
    def objectives(self) -> list[ObjectiveProgress]:
        return [progress for unit in self.units for progress in unit.objectives]


def monitoring(peg: Peg, on: dt.date) -> PegMonitoring:
    """Intermediate monitoring (e.g. at 30/06): per objective, per unit and for the PEG."""
    data = _load(peg)
    units = []
    for settore, obiettivi in _by_unit(data.obiettivi):
        progresses = [
            progress_at(
                obiettivo,
                data.phases[obiettivo.pk],
                data.policy,
                on,
                year=peg.year,
                tranche_deadline=data.deadlines[obiettivo.pk],
            )
            for obiettivo in obiettivi
        ]
        units.append(UnitMonitoring(settore, progresses, data.policy.decimals))
    return PegMonitoring(peg, on, units, data.policy.decimals)


# Roll-ups with score bands ----------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective in the roll-up.

    `score` is the validated score once the Nucleo validated the objective (the locked figure
    that was paid on), otherwise the computed one; `computed` keeps the calculation and its rows.
    """

    obiettivo: Obiettivo
    computed: ObjectiveScore
    score: Decimal | None
    validated: bool
    band: ScoreBand | None


def _objective_result(obiettivo: Obiettivo, computed: ObjectiveScore, bands) -> ObjectiveResult:
    score = effective_score(obiettivo, computed)
    return ObjectiveResult(obiettivo, computed, score, is_validated(obiettivo), band_for(score, bands))


@dataclass(frozen=True)
class UnitResult:
    """A unit's result: the mean of its scored objectives (weighted when all have a weight), its band.

    `settore` is None for the PEG total. `unscored` lists objectives left out of the mean
    because they have no score (invalid weights, no evaluable phase), each with its reason.
    """

    settore: Settore | None
    objectives: list[ObjectiveResult]
    score: Decimal | None
    weighted: bool
    band: ScoreBand | None

    @property
    def unscored(self) -> list[ObjectiveResult]:
        return [result for result in self.objectives if result.score is None]


@dataclass(frozen=True)
class PegResults:
    """Units in print order (iterating over it yields them, like a list) and the PEG total."""

    peg: Peg
    units: list[UnitResult]
    total: UnitResult
    bands: list[ScoreBand] = field(default_factory=list)

    def __iter__(self) -> Iterator[UnitResult]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def __getitem__(self, index):
        return self.units[index]


def _roll_up(settore, results: list[ObjectiveResult], bands, decimals: int) -> UnitResult:
    values = [(result.score, result.obiettivo.weight) for result in results if result.score is not None]
    score, weighted = weighted_mean(values, decimals)
    return UnitResult(settore, results, score, weighted, band_for(score, bands))


def unit_results(peg: Peg, *, on: dt.date | None = None) -> PegResults:
    """Per unit, the mean of its objectives' scores and its band; the same over the whole PEG.

    The PEG total is the mean over all its objectives (same weighting rule), not a mean of
    the units' means, so a unit with many objectives weighs accordingly.
    """
    data = _load(peg)
    bands = list(ScoreBand.objects.filter(peg=peg).order_by("-min_score"))
    decimals = data.policy.decimals
    units = []
    everything = []
    for settore, obiettivi in _by_unit(data.obiettivi):
        results = [_objective_result(obiettivo, _score(data, obiettivo, on), bands) for obiettivo in obiettivi]
        units.append(_roll_up(settore, results, bands, decimals))
        everything.extend(results)
    return PegResults(peg, units, _roll_up(None, everything, bands, decimals), bands)


# The dashboard ---------------------------------------------------------------------------------


# However late a PEG's objectives end, its monitoring date stays within this many years.
MONITORING_MAX_YEARS = 10


def latest_deadlines(peg: Peg) -> dict[str, dt.date | None]:
    """The latest final deadline of the PEG's objectives, and of their tranches of any year and of the
    PEG's own year ({"final", "tranche", "year_tranche"}): what its monitoring dates reach. One query,
    which PostgreSQL answers with one index step each (the tranches' dates are stored figures), made
    when first asked and kept on this PEG object, as Django keeps a related object: a PEG read anew
    reads them anew. The list and the unit pages never ask (within the year they need no deadline)."""
    if not hasattr(peg, "_latest_deadlines"):
        if peg.pk is None:
            peg._latest_deadlines = dict.fromkeys(("final", "tranche", "year_tranche"))
        else:
            peg._latest_deadlines = Obiettivo.objects.filter(peg=peg).aggregate(
                final=Max("final_deadline"),
                tranche=Max("calc_latest_tranche"),
                year_tranche=Max("calc_latest_year_tranche"),
            )
    return peg._latest_deadlines


def default_monitoring_date(peg: Peg, tranches=None) -> dt.date:
    """Today, but within the PEG's year: monitoring is of that year. The year reaches the latest
    deadline of one of its tranches when later than 31/12 (SVILUPPO ECONOMICO C's 2021 tranche is due
    31/01/2022): the figure the Nucleo validates. `tranches` (e.g. one objective's, prefetched) limits
    the look to those; otherwise the PEG's (latest_deadlines: one query, once its year is over)."""
    today = timezone.localdate()
    last = dt.date(peg.year, 12, 31)
    if today > last and tranches is not None:
        last = max([last, *(t.deadline for t in tranches if t.year == peg.year and t.deadline)])
    elif today > last:  # within the year no query is needed
        last = max(last, latest_deadlines(peg)["year_tranche"] or last)
    return min(max(today, dt.date(peg.year, 1, 1)), last)


def monitoring_span(peg: Peg) -> tuple[dt.date, dt.date]:
    """The dates a PEG may be monitored at (the `al` of the pages): first and last, both included.

    From 01/01 of the PEG's year to 31/12 of the following year (the year-end review and the
    validation happen then), or to the latest tranche or final deadline of its objectives when
    later; never beyond 31/12 of the year + MONITORING_MAX_YEARS (latest_deadlines: one query).
    """
    deadlines = latest_deadlines(peg)
    latest = [deadlines["final"], deadlines["tranche"]]
    first = dt.date(peg.year, 1, 1)
    last = max([_end_of_year(peg.year + 1), *(day for day in latest if day is not None)])
    return first, min(last, _end_of_year(peg.year + MONITORING_MAX_YEARS))


def _end_of_year(year: int) -> dt.date:
    # A year before the last representable one: the dashboard looks a few weeks past the date.
    return dt.date(min(year, dt.MAXYEAR - 1), 12, 31)
