# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The figures of the Relazione sulla performance, read from the plan in a fixed number of queries.

Scores are objectives.selectors.unit_results (the validated score once the Nucleo validated an
objective, else the computed one: calculator.effective_score) and the heads' results are
evaluation.selectors.head_results: the Relazione only arranges them. Heads are counted, never
named next to a figure: the document is published (d.lgs. 33/2013 art. 20).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects

from evaluation.scoring import band_text
from evaluation.selectors import HeadResult, band_distribution, head_results, unscored_reason
from objectives.calculator import round_score
from objectives.models import Fase, Obiettivo, ObiettivoStatus, Peg
from objectives.selectors import ObjectiveResult, PegResults, UnitResult, unit_results

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class BandRow:
    """A score band with how many heads fall in it and their share of all heads (%)."""

    label: str
    pay_share: Decimal | None
    heads: int
    share: Decimal


@dataclass(frozen=True)
class Differentiation:
    """How far the heads' results differ (DFP guidelines 5/2019 ask to report it).

    top_band_share: % of the heads in the highest band; spread: highest minus lowest result;
    deviation: the population standard deviation of the results.
    """

    heads: int
    scored: int
    top_band_share: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    spread: Decimal | None
    mean: Decimal | None
    deviation: Decimal | None
    bands_used: int
    bands: int

    @property
    def deviation_text(self) -> str:
        return "—" if self.deviation is None else f"{self.deviation:f} punti".replace(".", ",")


@dataclass(frozen=True)
class PhaseReason:
    """A neutralised phase or a partial achievement, with the Nucleo's reason."""

    obiettivo: Obiettivo
    fase: Fase
    reason: str
    partial: Decimal | None = None


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    unit: str
    baseline: str
    target: str
    actual: str
    met: bool | None


@dataclass
class ObjectiveSection:
    result: ObjectiveResult
    indicators: list[IndicatorLine] = field(default_factory=list)

    @property
    def obiettivo(self) -> Obiettivo:
        return self.result.obiettivo

    @property
    def unscored_reason(self) -> str:
        return unscored_reason(self.result, self.obiettivo.peg.year) if self.result.score is None else ""


@dataclass
class UnitSection:
    result: UnitResult
    objectives: list[ObjectiveSection]

    @property
    def settore(self):
        return self.result.settore

    @property
    def validated(self) -> int:
        return sum(1 for section in self.objectives if section.result.validated)

    @property
    def band_label(self) -> str:
        return band_text(self.result.band)


@dataclass
class RelazioneData:
    peg: Peg
    results: PegResults
    units: list[UnitSection]
    distribution: list[BandRow]
    differentiation: Differentiation
    neutralisations: list[PhaseReason]
    partials: list[PhaseReason]
    # False when the plan has no indicator model (the indicators section then says so).
    has_indicators: bool

    @property
    def objectives(self) -> list[ObjectiveSection]:
        return [section for unit in self.units for section in unit.objectives]

    @property
    def indicator_count(self) -> int:
        return sum(len(section.indicators) for section in self.objectives)

    @property
    def validated_objectives(self) -> int:
        return sum(1 for section in self.objectives if section.result.validated)

    @property
    def scored_objectives(self) -> int:
        return sum(1 for section in self.objectives if section.result.score is not None)

    @property
    def reported_objectives(self) -> int:
        return sum(1 for section in self.objectives if section.obiettivo.status == ObiettivoStatus.RENDICONTATO)


def _share(part: int, whole: int) -> Decimal:
    return round_score(Decimal(part) * HUNDRED / Decimal(whole), 2) if whole else Decimal("0")


def distribution_rows(heads: list[HeadResult]) -> list[BandRow]:
    total = len(heads)
    return [BandRow(row.label, row.pay_share, row.heads, _share(row.heads, total)) for row in band_distribution(heads)]


def differentiation(heads: list[HeadResult], decimals: int = 2) -> Differentiation:
    scores = [Decimal(head.score) for head in heads if head.score is not None]
    bands = heads[0].bands if heads else []
    top = bands[0] if bands else None
    in_top = sum(1 for head in heads if top is not None and head.band is not None and head.band.pk == top.pk)
    used = {head.band.pk for head in heads if head.band is not None}

    def rounded(value) -> Decimal | None:
        return None if value is None else round_score(Decimal(value), decimals)

    return Differentiation(
        heads=len(heads),
        scored=len(scores),
        top_band_share=_share(in_top, len(heads)) if heads and top is not None else None,
        lowest=rounded(min(scores)) if scores else None,
        highest=rounded(max(scores)) if scores else None,
        spread=rounded(max(scores) - min(scores)) if scores else None,
        mean=rounded(statistics.fmean(scores)) if scores else None,
        deviation=rounded(statistics.pstdev(scores)) if len(scores) > 1 else None,
        bands_used=len(used),
        bands=len(bands),
    )


def _indicator_line(indicatore) -> IndicatorLine:
    outcome = getattr(indicatore, "outcome", None)
    return IndicatorLine(
        name=str(getattr(indicatore, "name", indicatore)),
        unit=getattr(indicatore, "unit", ""),
        baseline=getattr(indicatore, "baseline_display", ""),
        target=getattr(indicatore, "target_with_direction", ""),
        actual=getattr(indicatore, "display_outcome", ""),
        met=getattr(outcome, "met", None),
    )


def _load_indicators(obiettivi: list[Obiettivo]) -> bool:
    """Prefetch the indicators (one query) where the plan has them; False when it has none."""
    if not hasattr(Obiettivo, "indicatori"):
        return False
    prefetch_related_objects(obiettivi, "indicatori")
    return True


def relazione_data(peg: Peg) -> RelazioneData:
    """Everything the Relazione shows of the year's figures."""
    results = unit_results(peg)
    obiettivi = [result.obiettivo for unit in results for result in unit.objectives]
    has_indicators = _load_indicators(obiettivi)
    units = []
    for unit in results:
        sections = []
        for result in unit.objectives:
            related = getattr(result.obiettivo, "indicatori", None)
            lines = [_indicator_line(item) for item in related.all()] if related is not None else []
            sections.append(ObjectiveSection(result, lines))
        units.append(UnitSection(unit, sections))
    neutralisations, partials = [], []
    for section in (section for unit in units for section in unit.objectives):
        for row in section.result.computed.rows:
            fase = row.fase
            if fase.year != peg.year:
                continue
            if fase.neutralised:
                neutralisations.append(PhaseReason(section.obiettivo, fase, fase.neutralisation_reason))
            elif fase.partial_achievement is not None:
                partials.append(PhaseReason(section.obiettivo, fase, fase.partial_reason, fase.partial_achievement))
    heads = head_results(peg)
    return RelazioneData(
        peg=peg,
        results=results,
        units=units,
        distribution=distribution_rows(heads),
        differentiation=differentiation(heads, int(peg.score_decimals)),
        neutralisations=neutralisations,
        partials=partials,
        has_indicators=has_indicators,
    )
