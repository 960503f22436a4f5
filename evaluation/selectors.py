# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Reads: each head's result over their objectives, and what a head's evaluation form shows.

A head's objectives are those whose `Obiettivo.head` is that person (the objective's own
responsible when set, else the unit's head: the rule the cards print), across every unit of
the PEG. Scores come from objectives.selectors.unit_results (validated score once validated,
else computed), so the rule lives in one place; here they are only grouped by person.

    head_results(peg)   → [HeadResult], in print order of the heads' first unit   5 queries
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from evaluation.models import Comportamento, EvaluationSettings, PunteggioComportamento, Scheda
from evaluation.scoring import SchedaFigures, band_text, scheda_figures
from objectives.calculator import band_for, weighted_mean
from objectives.models import Peg, ScoreBand
from objectives.selectors import ObjectiveResult, unit_results
from sectors.models import Dirigente, Settore


@dataclass(frozen=True)
class Unscored:
    """An objective of the head left out of the mean, and why (in Italian)."""

    result: ObjectiveResult
    reason: str

    @property
    def obiettivo(self):
        return self.result.obiettivo


@dataclass(frozen=True)
class HeadResult:
    """A head's result: the mean of their scored objectives (weighted when every one has a weight)."""

    peg: Peg
    dirigente: Dirigente
    settori: list[Settore]
    counted: list[ObjectiveResult]
    unscored: list[Unscored]
    score: Decimal | None
    weighted: bool
    band: ScoreBand | None
    bands: list[ScoreBand]

    @property
    def pay_share(self) -> Decimal | None:
        return None if self.band is None else Decimal(self.band.pay_share)

    @property
    def band_label(self) -> str:
        return band_text(self.band)

    @property
    def objectives(self) -> list[ObjectiveResult]:
        return sorted(
            [*self.counted, *(item.result for item in self.unscored)],
            key=lambda result: (result.obiettivo.settore.print_order, result.obiettivo.print_order),
        )


def unscored_reason(result: ObjectiveResult, year: int) -> str:
    """Why an objective has no figure: the calculator's message, said more plainly when every phase
    of the year was neutralised by the Nucleo."""
    rows = [row for row in result.computed.rows if row.fase.year == year and row.weight]
    if result.computed.error.startswith("Nessuna fase valutabile") and rows:
        if all(row.fase.neutralised for row in rows):
            # Each distinct reason once: the Nucleo often gives one reason for all the phases.
            reasons = "; ".join(
                dict.fromkeys(
                    " ".join(row.fase.neutralisation_reason.split()) for row in rows if row.fase.neutralisation_reason
                )
            )
            text = f"tutte le fasi dell'annualità {year} sono sterilizzate dal Nucleo"
            return f"{text} ({reasons})" if reasons else text
    if result.computed.error.startswith("Nessuna fase valutabile"):
        return f"nessuna fase valutabile per l'annualità {year}"
    return result.computed.error or "grado di raggiungimento non calcolabile"


def head_results(peg: Peg, *, on: dt.date | None = None) -> list[HeadResult]:
    """Every head of the PEG with their result, band and pay share; in print order of their first unit."""
    results = unit_results(peg, on=on)
    objective_results = [result for unit in results for result in unit.objectives]
    head_ids = set()
    for result in objective_results:
        obiettivo = result.obiettivo
        head_ids.update(pk for pk in (obiettivo.dirigente_id, obiettivo.settore.head_id) if pk)
    heads = Dirigente.objects.in_bulk(head_ids)
    grouped: dict[int, list[ObjectiveResult]] = {}
    for result in objective_results:
        obiettivo = result.obiettivo
        # Give the already loaded people to the model, so that Obiettivo.head decides without a query.
        obiettivo.dirigente = heads.get(obiettivo.dirigente_id)
        obiettivo.settore.head = heads.get(obiettivo.settore.head_id)
        head = obiettivo.head
        if head is not None:
            grouped.setdefault(head.pk, []).append(result)
    decimals = int(peg.score_decimals)
    return [_head_result(peg, heads[pk], group, results.bands, decimals) for pk, group in grouped.items()]


def _head_result(peg: Peg, dirigente: Dirigente, group: list[ObjectiveResult], bands, decimals: int) -> HeadResult:
    counted = [result for result in group if result.score is not None]
    unscored = [Unscored(result, unscored_reason(result, peg.year)) for result in group if result.score is None]
    score, weighted = weighted_mean([(result.score, result.obiettivo.weight) for result in counted], decimals)
    settori: dict[int, Settore] = {}
    for result in group:
        settori.setdefault(result.obiettivo.settore_id, result.obiettivo.settore)
    return HeadResult(
        peg, dirigente, list(settori.values()), counted, unscored, score, weighted, band_for(score, bands), bands
    )


def head_result(peg: Peg, dirigente: Dirigente, *, on: dt.date | None = None) -> HeadResult | None:
    """One head's result (the PEG is loaded whole: a fixed number of queries); None when they have no objective."""
    for result in head_results(peg, on=on):
        if result.dirigente.pk == dirigente.pk:
            return result
    return None


@dataclass(frozen=True)
class BandCount:
    label: str
    pay_share: Decimal | None
    heads: int


def band_distribution(results: list[HeadResult]) -> list[BandCount]:
    """How many heads fall in each band of the PEG (the differentiation the DFP guidelines ask to report)."""
    if not results:
        return []
    counts = Counter(result.band.pk if result.band else None for result in results)
    rows = [BandCount(band_text(band), Decimal(band.pay_share), counts.get(band.pk, 0)) for band in results[0].bands]
    if counts.get(None):
        rows.append(BandCount("nessuna fascia", None, counts[None]))
    return rows


# The evaluation form ----------------------------------------------------------------------------


def settings_for(peg: Peg) -> EvaluationSettings:
    """The PEG's evaluation settings; the defaults (70/30, scale 1–5, 15 days) when none were saved."""
    return EvaluationSettings.objects.filter(peg=peg).first() or EvaluationSettings(peg=peg)


def catalogue_for(peg: Peg) -> list[Comportamento]:
    return list(Comportamento.objects.filter(peg=peg).order_by("print_order", "pk"))


def bands_for(peg: Peg) -> list[ScoreBand]:
    return list(ScoreBand.objects.filter(peg=peg).order_by("-min_score"))


@dataclass(frozen=True)
class SchedaView:
    """Everything a form's page and its PDF show."""

    scheda: Scheda
    settings: EvaluationSettings
    head: HeadResult | None
    rows: list[tuple[Comportamento, PunteggioComportamento | None]]
    figures: SchedaFigures
    # True: the figures are computed now (a draft); False: the ones notified and kept on the form.
    live: bool


def live_figures(
    scheda: Scheda,
    head: HeadResult | None,
    settings: EvaluationSettings,
    catalogue: list[Comportamento],
    punteggi: list[PunteggioComportamento],
) -> SchedaFigures:
    """The form's figures computed now from the head's result and the Nucleo's scores."""
    return scheda_figures(
        objectives_result=head.score if head else None,
        catalogue=catalogue,
        scores={punteggio.comportamento_id: punteggio.score for punteggio in punteggi},
        objectives_share=settings.objectives_share,
        behaviours_share=settings.behaviours_share,
        scale_max=settings.scale_max,
        decimals=int(scheda.peg.score_decimals),
        bands=head.bands if head else bands_for(scheda.peg),
    )


def stored_figures(scheda: Scheda) -> SchedaFigures:
    """The figures kept on a notified form."""
    return SchedaFigures(
        objectives_share=scheda.objectives_share,
        behaviours_share=scheda.behaviours_share,
        objectives_result=scheda.objectives_result,
        behaviours_result=scheda.behaviours_result,
        total=scheda.total,
        band_label=scheda.band_label,
        pay_share=scheda.pay_share,
    )


def scheda_view(scheda: Scheda, *, live: bool | None = None) -> SchedaView:
    """The form with its head's result, the catalogue and the scores.

    The figures are computed afresh for a draft (or when `live`), else they are the notified ones."""
    peg = scheda.peg
    settings = settings_for(peg)
    head = head_result(peg, scheda.dirigente)
    catalogue = catalogue_for(peg)
    punteggi = list(scheda.punteggi.all())
    by_behaviour = {punteggio.comportamento_id: punteggio for punteggio in punteggi}
    rows = [(comportamento, by_behaviour.get(comportamento.pk)) for comportamento in catalogue]
    if live is None:
        live = scheda.is_draft
    figures = live_figures(scheda, head, settings, catalogue, punteggi) if live else stored_figures(scheda)
    return SchedaView(scheda, settings, head, rows, figures, live)
