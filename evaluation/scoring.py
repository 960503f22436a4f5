# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The figures of a head's evaluation form: pure functions, no database.

    behaviours result = Σ(weight × score / scale max) / Σ weight × 100
    total             = objectives share % × objectives result + behaviours share % × behaviours result

Both rounded once, half up, to the PEG's decimals (objectives.calculator.round_score); the band
and the share of result pay come from the PEG's score bands (objectives.calculator.band_for).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from objectives.calculator import PRECISION, band_for, round_score
from objectives.models import ScoreBand

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def band_text(band: ScoreBand | None) -> str:
    """'Fascia A (≥ 95%)', or '≥ 95%' for a band without a description; '' for no band."""
    if band is None:
        return ""
    floor = f"≥ {_number(band.min_score)}%"
    return f"{band.label} ({floor})" if band.label else floor


def _number(value) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def behaviours_result(scored: Sequence[tuple[Decimal, int]], scale_max: int, decimals: int) -> Decimal | None:
    """The weighted mean of (weight, score) pairs on a scale up to `scale_max`, as a percentage."""
    if not scored or scale_max <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        weights = sum((Decimal(weight) for weight, _ in scored), ZERO)
        if weights <= ZERO:
            return None
        total = sum((Decimal(weight) * Decimal(score) / Decimal(scale_max) for weight, score in scored), ZERO)
        return round_score(total / weights * HUNDRED, decimals)


def total_score(
    objectives_result: Decimal,
    behaviours: Decimal,
    objectives_share: Decimal,
    behaviours_share: Decimal,
    decimals: int,
) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        value = (Decimal(objectives_share) * objectives_result + Decimal(behaviours_share) * behaviours) / HUNDRED
        return round_score(value, decimals)


@dataclass(frozen=True)
class SchedaFigures:
    """What a form adds up to; `missing` says, in Italian, why the total cannot be computed yet."""

    objectives_share: Decimal
    behaviours_share: Decimal
    objectives_result: Decimal | None
    behaviours_result: Decimal | None
    total: Decimal | None
    band_label: str = ""
    pay_share: Decimal | None = None
    missing: list[str] = field(default_factory=list)


def scheda_figures(
    *,
    objectives_result: Decimal | None,
    catalogue: Sequence,
    scores: dict[int, int],
    objectives_share: Decimal,
    behaviours_share: Decimal,
    scale_max: int,
    decimals: int,
    bands: Iterable[ScoreBand],
) -> SchedaFigures:
    """`catalogue`: the PEG's behaviours (with `pk` and `weight`); `scores`: behaviour id → score."""
    missing = []
    if objectives_result is None:
        missing.append("il risultato degli obiettivi non è calcolabile")
    unscored = [comportamento.name for comportamento in catalogue if comportamento.pk not in scores]
    if not catalogue:
        missing.append("il catalogo dei comportamenti del PEG è vuoto")
    elif unscored:
        missing.append("comportamenti senza punteggio: " + ", ".join(unscored))
    scored = [
        (comportamento.weight, scores[comportamento.pk]) for comportamento in catalogue if comportamento.pk in scores
    ]
    behaviours = behaviours_result(scored, scale_max, decimals) if not unscored else None
    total = None
    if not missing and behaviours is not None and objectives_result is not None:
        total = total_score(objectives_result, behaviours, objectives_share, behaviours_share, decimals)
    band = band_for(total, bands)
    return SchedaFigures(
        objectives_share=Decimal(objectives_share),
        behaviours_share=Decimal(behaviours_share),
        objectives_result=objectives_result,
        behaviours_result=behaviours,
        total=total,
        band_label=band_text(band),
        pay_share=None if band is None else Decimal(band.pay_share),
        missing=missing,
    )
