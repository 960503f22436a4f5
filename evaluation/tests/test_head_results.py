# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Each head's result on the 2021 PEG: across their units, validated or computed, weighted or not,
with the objectives left out and why, the band and the share of result pay."""

import datetime as dt
from decimal import Decimal

from evaluation.selectors import band_distribution, head_result, head_results
from evaluation.tests.conftest import AREA, NEUTRALISATION_REASON, URBANISTICA, complete, objective
from objectives.models import Obiettivo, ScoreBand
from sectors.models import Dirigente


def by_name(results):
    return {result.dirigente.name: result for result in results}


def test_robotti_is_evaluated_across_area_tecnica_and_urbanistica(scenario):
    result = head_result(scenario.peg, scenario.robotti)

    assert [settore.name for settore in result.settori] == [AREA, URBANISTICA]
    assert [(r.obiettivo.settore.name, r.obiettivo.code, r.score) for r in result.counted] == [
        (AREA, "1", Decimal("100.00")),  # the card's decisive phase 1, done on time
        (URBANISTICA, "A", Decimal("100.00")),
        (URBANISTICA, "B", Decimal("90")),
        (URBANISTICA, "D", Decimal("50.00")),
    ]
    assert result.score == Decimal("85.00")
    assert result.weighted is False


def test_a_validated_objective_counts_with_its_validated_score_not_the_computed_one(scenario):
    result = head_result(scenario.peg, scenario.robotti)
    urbanistica_b = next(r for r in result.counted if r.obiettivo.code == "B")

    assert urbanistica_b.computed.score == Decimal("0.00")
    assert urbanistica_b.validated is True
    assert urbanistica_b.score == Decimal("90")


def test_an_objective_with_every_phase_neutralised_is_listed_as_not_scored_with_the_reason(scenario):
    result = head_result(scenario.peg, scenario.robotti)

    assert [(item.obiettivo.code, item.reason) for item in result.unscored] == [
        ("C", f"tutte le fasi dell'annualità 2021 sono sterilizzate dal Nucleo ({NEUTRALISATION_REASON})")
    ]
    assert "C" not in [r.obiettivo.code for r in result.counted]


def test_an_objective_without_any_phase_of_the_year_is_not_scored_for_want_of_evaluable_phases(scenario):
    urbanistica_d = scenario.objectives["urb_d"]
    urbanistica_d.fasi.update(year=2022)

    result = head_result(scenario.peg, scenario.robotti)

    assert ("D", "nessuna fase valutabile per l'annualità 2021") in [
        (item.obiettivo.code, item.reason) for item in result.unscored
    ]
    assert result.score == Decimal("96.67")  # (100 + 100 + 90) / 3


def test_the_mean_is_weighted_by_the_objectives_weights_when_every_one_has_a_weight(scenario):
    weights = {"area_1": 10, "urb_a": 10, "urb_b": 10, "urb_d": 70}
    for key, weight in weights.items():
        Obiettivo.objects.filter(pk=scenario.objectives[key].pk).update(weight=weight)

    result = head_result(scenario.peg, scenario.robotti)

    # (100×10 + 100×10 + 90×10 + 50×70) / 100
    assert result.score == Decimal("64.00")
    assert result.weighted is True
    assert (result.band.min_score, result.pay_share) == (Decimal("60"), Decimal("60"))


def test_the_mean_is_plain_when_one_counted_objective_has_no_weight(scenario):
    for key, weight in {"area_1": 10, "urb_a": 10, "urb_b": 10}.items():
        Obiettivo.objects.filter(pk=scenario.objectives[key].pk).update(weight=weight)

    result = head_result(scenario.peg, scenario.robotti)

    assert result.score == Decimal("85.00")
    assert result.weighted is False


def test_the_band_and_the_pay_share_come_from_the_pegs_bands(scenario):
    result = head_result(scenario.peg, scenario.robotti)
    assert result.band_label == "Fascia 2 (≥ 80%)"
    assert result.pay_share == Decimal("80")

    ScoreBand.objects.filter(peg=scenario.peg, min_score=80).update(min_score=Decimal("90"), pay_share=Decimal("75"))
    result = head_result(scenario.peg, scenario.robotti)
    assert result.band_label == "Fascia 3 (≥ 60%)"
    assert result.pay_share == Decimal("60")


def test_without_bands_a_head_has_a_result_but_no_band_nor_pay_share(scenario):
    ScoreBand.objects.filter(peg=scenario.peg).delete()

    result = head_result(scenario.peg, scenario.robotti)

    assert result.score == Decimal("85.00")
    assert (result.band, result.band_label, result.pay_share) == (None, "", None)


def test_bocchio_is_evaluated_over_her_settore_and_the_azienda_speciale_she_directs(scenario):
    azienda = "Azienda Speciale Multiservizi Costruire Insieme"
    complete(objective(azienda, "1"), ["1", "2", "3", "4", "5", "6", "7"], dt.date(2021, 1, 10))

    result = by_name(head_results(scenario.peg))["Orietta Bocchio"]

    assert [settore.name for settore in result.settori] == [
        "SETTORE TRASPARENZA, POLITICHE CULTURALI E BIBLIOTECA",
        azienda,
    ]
    assert [r.score for r in result.counted] == [Decimal("0.00"), Decimal("0.00"), Decimal("100.00"), Decimal("0.00")]
    assert result.score == Decimal("25.00")
    assert result.pay_share == Decimal("0")


def test_an_objective_with_its_own_responsible_counts_for_that_person_not_the_units_head(scenario):
    Obiettivo.objects.filter(pk=scenario.objectives["urb_d"].pk).update(dirigente=scenario.furia)

    results = by_name(head_results(scenario.peg))

    assert "D" not in [r.obiettivo.code for r in results["Pierfranco Robotti"].objectives]
    assert results["Pierfranco Robotti"].score == Decimal("96.67")  # (100 + 100 + 90) / 3
    assert (URBANISTICA, "D") in [
        (r.obiettivo.settore.name, r.obiettivo.code) for r in results["Fabrizio Furia"].counted
    ]


def test_every_head_of_the_2021_peg_has_a_result_once(scenario):
    results = head_results(scenario.peg)

    assert len(results) == 12
    assert len({result.dirigente.pk for result in results}) == 12
    assert sum(len(result.objectives) for result in results) == 41
    assert results[0].dirigente.name == "Antonello Paolo Zaccone"


def test_the_results_of_every_head_take_five_queries(scenario, django_assert_num_queries):
    with django_assert_num_queries(5):
        results = head_results(scenario.peg)
    assert sum(len(result.objectives) for result in results) == 41


def test_the_distribution_over_bands_counts_the_heads_in_each_band(scenario):
    distribution = band_distribution(head_results(scenario.peg))

    assert [(row.label, row.heads) for row in distribution] == [
        ("Fascia 1 (≥ 95%)", 0),
        ("Fascia 2 (≥ 80%)", 1),
        ("Fascia 3 (≥ 60%)", 0),
        ("Fascia 4 (≥ 0%)", 11),
    ]


def test_a_head_with_no_objective_in_the_peg_has_no_result(scenario):
    assert head_result(scenario.peg, Dirigente.objects.create(name="Nessuno Senza Obiettivi")) is None
