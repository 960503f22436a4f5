# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The figures of the form, on unsaved objects: behaviours normalised to 100, the total, the band."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluation.models import Comportamento, EvaluationSettings
from evaluation.scoring import behaviours_result, scheda_figures, total_score
from objectives.models import ScoreBand

BANDS = [
    ScoreBand(min_score=Decimal("95"), pay_share=Decimal("100")),
    ScoreBand(min_score=Decimal("80"), pay_share=Decimal("80"), label="Fascia 2"),
    ScoreBand(min_score=Decimal("60"), pay_share=Decimal("60")),
    ScoreBand(min_score=Decimal("0"), pay_share=Decimal("0")),
]


def catalogue(*weights):
    return [
        Comportamento(pk=index, name=f"Comportamento {index}", weight=Decimal(w)) for index, w in enumerate(weights, 1)
    ]


def test_behaviours_are_a_weighted_mean_of_score_over_scale_maximum():
    # 25×4/5 + 25×5/5 + 20×3/5 + 15×4/5 + 15×5/5 = 84 over weights 100
    scored = [(Decimal(25), 4), (Decimal(25), 5), (Decimal(20), 3), (Decimal(15), 4), (Decimal(15), 5)]
    assert behaviours_result(scored, 5, 2) == Decimal("84.00")


def test_behaviour_weights_need_not_sum_to_100():
    assert behaviours_result([(Decimal(1), 5), (Decimal(2), 2)], 5, 2) == Decimal("60.00")  # (1 + 0,8) / 3


def test_the_total_is_the_objectives_share_of_their_result_plus_the_behaviours_share_of_theirs():
    assert total_score(Decimal("80"), Decimal("84"), Decimal("70"), Decimal("30"), 2) == Decimal("81.20")
    assert total_score(Decimal("80"), Decimal("84"), Decimal("100"), Decimal("0"), 2) == Decimal("80.00")


def test_the_total_is_rounded_once_half_up():
    assert total_score(Decimal("66.67"), Decimal("33.33"), Decimal("50"), Decimal("50"), 1) == Decimal("50.0")
    assert total_score(Decimal("0.01"), Decimal("0"), Decimal("50"), Decimal("50"), 2) == Decimal("0.01")  # 0,005 ↑


def test_a_complete_form_has_a_total_a_band_and_a_pay_share():
    figures = scheda_figures(
        objectives_result=Decimal("80.00"),
        catalogue=catalogue(25, 25, 20, 15, 15),
        scores={1: 4, 2: 5, 3: 3, 4: 4, 5: 5},
        objectives_share=Decimal("70"),
        behaviours_share=Decimal("30"),
        scale_max=5,
        decimals=2,
        bands=BANDS,
    )
    assert (figures.behaviours_result, figures.total) == (Decimal("84.00"), Decimal("81.20"))
    assert (figures.band_label, figures.pay_share) == ("Fascia 2 (≥ 80%)", Decimal("80"))
    assert figures.missing == []


def test_a_form_with_an_unscored_behaviour_has_no_total_and_says_which():
    figures = scheda_figures(
        objectives_result=Decimal("80.00"),
        catalogue=catalogue(50, 50),
        scores={1: 4},
        objectives_share=Decimal("70"),
        behaviours_share=Decimal("30"),
        scale_max=5,
        decimals=2,
        bands=BANDS,
    )
    assert figures.total is None and figures.pay_share is None
    assert figures.missing == ["comportamenti senza punteggio: Comportamento 2"]


def test_a_form_whose_head_has_no_objective_result_has_no_total():
    figures = scheda_figures(
        objectives_result=None,
        catalogue=[],
        scores={},
        objectives_share=Decimal("70"),
        behaviours_share=Decimal("30"),
        scale_max=5,
        decimals=2,
        bands=BANDS,
    )
    assert figures.missing == [
        "il risultato degli obiettivi non è calcolabile",
        "il catalogo dei comportamenti del PEG è vuoto",
    ]


def test_settings_refuse_shares_that_do_not_sum_to_100_and_an_upside_down_scale():
    with pytest.raises(ValidationError) as refused:
        EvaluationSettings(
            objectives_share=Decimal("70"), behaviours_share=Decimal("20"), scale_min=5, scale_max=1
        ).clean()
    assert refused.value.message_dict == {
        "behaviours_share": ["Le quote da obiettivi e da comportamenti devono sommare a 100."],
        "scale_max": ["Il punteggio massimo deve superare il minimo."],
    }
