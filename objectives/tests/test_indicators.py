# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Indicators of result, the pure part (no database): reading a value, whether a target is met,
which value counts, and the three ways an objective's score combines phases and indicators."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from objectives.calculator import Policy, score_objective
from objectives.indicators import (
    IndicatorValueError,
    combine,
    format_value,
    met,
    outcome,
    parse_value,
    plan_errors,
)
from objectives.models import (
    Fase,
    FaseState,
    Indicatore,
    IndicatoreDirection,
    IndicatoreKind,
    IndicatoreReview,
    LatePolicy,
    Obiettivo,
    Peg,
    ScoreMode,
)

K, D = IndicatoreKind, IndicatoreDirection
STRICT = Policy(LatePolicy.NOTHING, Decimal("50"))


def indicator(kind=K.NUMBER, target=None, *, direction=D.HIGHER, target_date=None, **fields) -> Indicatore:
    fields.setdefault("name", "indicatore di prova")
    return Indicatore(
        kind=kind,
        target_value=None if target is None else Decimal(target),
        target_date=target_date,
        direction=direction,
        **fields,
    )


# Whether the target is met, by kind and direction ----------------------------------------


def test_higher_is_better_meets_the_target_at_or_above_it():
    users = indicator(K.PERCENT, "10")  # BIBLIOTECA A: "incremento del 10% degli utenti"
    assert met(users, Decimal("10")) is True
    assert met(users, Decimal("12.5")) is True
    assert met(users, Decimal("9.99")) is False


def test_lower_is_better_meets_the_target_at_or_below_it():
    complaints = indicator(K.NUMBER, "0", direction=D.LOWER)  # POLIZIA LOCALE C: "in assenza di segnalazioni"
    assert met(complaints, Decimal("0")) is True
    assert met(complaints, Decimal("1")) is False


def test_a_yes_no_indicator_is_met_when_the_answer_is_the_target_whatever_the_direction():
    spending = indicator(K.YES_NO, "1", direction=D.LOWER)  # SISTEMI INFORMATIVI A: spesa contenuta
    assert met(spending, True) is True
    assert met(spending, False) is False


def test_a_date_indicator_with_lower_is_better_is_met_by_the_target_date():
    deadline = indicator(K.DATE, target_date=date(2021, 10, 31), direction=D.LOWER)
    assert met(deadline, date(2021, 10, 31)) is True
    assert met(deadline, date(2021, 11, 1)) is False


def test_without_a_value_or_a_target_nothing_is_met_or_missed():
    assert met(indicator(K.NUMBER, "2"), None) is None
    assert met(indicator(K.NUMBER, None), Decimal("2")) is None


@given(st.decimals(allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False, allow_infinity=False))
def test_exactly_one_direction_fails_unless_the_value_is_the_target(value, target):
    higher = met(indicator(K.NUMBER, target), value)
    lower = met(indicator(K.NUMBER, target, direction=D.LOWER), value)
    assert higher or lower
    assert (higher and lower) == (value == target)


# Which value counts ----------------------------------------------------------------------


def test_the_heads_value_counts_until_the_nucleo_reviews_it():
    users = indicator(K.PERCENT, "10", actual_value=Decimal("12"))
    result = outcome(users)
    assert result.value == Decimal("12") and result.met is True
    assert result.source == "rilevato dal responsabile, da confermare"


def test_the_nucleos_correction_replaces_the_heads_value():
    users = indicator(
        K.PERCENT,
        "10",
        actual_value=Decimal("12"),
        review=IndicatoreReview.CORRECTED,
        reviewed_value=Decimal("8"),
        review_reason="Conteggiati due volte i prestiti interbibliotecari",
    )
    result = outcome(users)
    assert result.value == Decimal("8") and result.met is False
    assert result.source == "rettificato dal Nucleo: Conteggiati due volte i prestiti interbibliotecari"


def test_an_indicator_without_a_value_is_not_met():
    assert outcome(indicator(K.NUMBER, "2")).met is None


# Reading what a person types -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (K.NUMBER, "85,5", Decimal("85.5")),
        (K.NUMBER, "85.5", Decimal("85.5")),
        (K.NUMBER, "1234,5", Decimal("1234.5")),
        (K.PERCENT, "20%", Decimal("20")),
        (K.YES_NO, "Sì", True),
        (K.YES_NO, "no", False),
        (K.DATE, "31/12/2021", date(2021, 12, 31)),
        (K.NUMBER, "  ", None),
    ],
)
def test_a_value_is_read_the_italian_way(kind, text, expected):
    assert parse_value(kind, text) == expected


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (K.NUMBER, "tanti", "inserire un numero, ad esempio 85,5."),
        (K.NUMBER, "1.234,5", "inserire un numero, ad esempio 85,5."),
        (K.NUMBER, "1e5", "inserire un numero, ad esempio 85,5."),
        (K.NUMBER, "0,00001", "il valore può avere al massimo 4 decimali."),
        (K.NUMBER, "1" * 13, "il valore può avere al massimo 12 cifre prima della virgola."),
        (K.YES_NO, "forse", "rispondere sì o no."),
        (K.DATE, "31/02/2021", "inserire una data nel formato gg/mm/aaaa."),
        (K.DATE, "01/01/1899", "la data deve cadere tra il 1900 e il 2200."),
    ],
)
def test_a_value_that_cannot_be_read_is_refused_in_italian(kind, text, message):
    with pytest.raises(IndicatorValueError, match=message):
        parse_value(kind, text)


@given(st.sampled_from(K.values), st.text(max_size=30))
def test_any_text_is_read_or_refused_in_italian_never_an_exception(kind, text):
    try:
        value = parse_value(kind, text)
    except IndicatorValueError as exc:
        assert str(exc)
    else:
        if value is not None:
            assert parse_value(kind, _typed_back(kind, value)) == value


def _typed_back(kind, value) -> str:
    if kind == K.DATE:
        return value.strftime("%d/%m/%Y")
    if kind == K.YES_NO:
        return "sì" if value else "no"
    return format_value(kind, value)


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=4, allow_nan=False, allow_infinity=False))
def test_a_number_printed_the_italian_way_reads_back_the_same(value):
    assert parse_value(K.NUMBER, format_value(K.NUMBER, value)) == value


def test_values_print_the_italian_way():
    assert format_value(K.NUMBER, Decimal("1234.50"), "€") == "1234,5 €"
    assert format_value(K.PERCENT, Decimal("85.50")) == "85,5%"
    assert format_value(K.YES_NO, True) == "sì"
    assert format_value(K.DATE, date(2021, 12, 31)) == "31/12/2021"


def test_an_indicator_needs_a_target_of_its_kind():
    assert plan_errors(indicator(K.NUMBER, None)) == {"target_value": "Indicare il target dell'indicatore."}
    assert "target_date" in plan_errors(indicator(K.DATE, "3"))
    assert plan_errors(indicator(K.YES_NO, "2")) == {
        "target_value": "Il target di un indicatore sì/no è 1 (sì) o 0 (no)."
    }
    assert plan_errors(indicator(K.PERCENT, "20")) == {}


# Combining phases and indicators ---------------------------------------------------------

scores = st.decimals(min_value=0, max_value=100, places=2)
results = st.lists(st.sampled_from([True, False, None]), max_size=6)
modes = st.sampled_from(ScoreMode.values)


def test_phases_only_ignores_the_indicators():
    assert combine(Decimal("80"), ScoreMode.PHASES, [False]) == (Decimal("80"), "")


def test_a_missed_condition_caps_the_score():
    score, note = combine(Decimal("100"), ScoreMode.CONDITION, [True, False], cap=Decimal("60"))
    assert score == Decimal("60.00")
    assert note == "un target non è raggiunto: grado limitato al 60%"


def test_met_conditions_leave_the_phases_score():
    assert combine(Decimal("100"), ScoreMode.CONDITION, [True, True], cap=Decimal("60"))[0] == Decimal("100")


def test_a_score_below_the_cap_stays_as_it_is():
    assert combine(Decimal("40"), ScoreMode.CONDITION, [False], cap=Decimal("60"))[0] == Decimal("40")


def test_the_weighted_mix_adds_the_shares_of_phases_and_indicators():
    score, note = combine(Decimal("80"), ScoreMode.WEIGHTED, [True, False], phase_share=Decimal("70"))
    assert score == Decimal("71.00")  # 70% × 80 + 30% × 50
    assert note == "fasi 70% × 80% + indicatori 30% × 50% (1 target raggiunti su 2)"


def test_without_counted_indicators_the_phases_score_stands():
    assert combine(Decimal("80"), ScoreMode.WEIGHTED, [])[0] == Decimal("80")


@given(scores, modes, results, scores, scores)
def test_a_combined_score_stays_between_0_and_100(phase_score, mode, outcomes, cap, share):
    score, _ = combine(phase_score, mode, outcomes, cap=cap, phase_share=share)
    assert Decimal("0") <= score <= Decimal("100")


@given(scores, modes, st.lists(st.just(True), max_size=6), scores)
def test_meeting_every_target_never_lowers_the_phases_score(phase_score, mode, outcomes, cap):
    score, _ = combine(phase_score, mode, outcomes, cap=cap)
    assert score >= phase_score


@given(scores, results, scores)
def test_a_condition_never_raises_the_phases_score(phase_score, outcomes, cap):
    assert combine(phase_score, ScoreMode.CONDITION, outcomes, cap=cap)[0] <= phase_score


# Through the calculator ------------------------------------------------------------------


def _objective(mode=ScoreMode.PHASES, indicators=(), **fields) -> Obiettivo:
    obiettivo = Obiettivo(peg=Peg(year=2021), code="A", title="Prova", final_deadline=date(2021, 12, 31), **fields)
    obiettivo.score_mode = mode
    obiettivo._prefetched_objects_cache = {"indicatori": list(indicators)}
    return obiettivo


def _phases(obiettivo, *completed) -> list[Fase]:
    phases = []
    for number, done in enumerate(completed, start=1):
        fase = Fase(obiettivo=obiettivo, label=str(number), sort_order=number, description="", weight=Decimal("50"))
        fase.year = 2021
        fase.set_deadline("31/10/2021")
        if done:
            fase.state, fase.completed_on = FaseState.COMPLETATA, date(2021, 10, 1)
        phases.append(fase)
    return phases


@given(st.lists(st.booleans(), min_size=2, max_size=2), results)
def test_phases_only_gives_todays_score_exactly(completed, outcomes):
    plain = _objective()
    plain._prefetched_objects_cache = {}
    with_indicators = _objective(indicators=[indicator(K.YES_NO, "1", actual_value=Decimal(1)) for _ in outcomes])
    before = score_objective(plain, _phases(plain, *completed), STRICT)
    after = score_objective(with_indicators, _phases(with_indicators, *completed), STRICT)
    assert after.score == before.score == after.phase_score


def test_an_objective_with_the_indicator_as_condition_scores_capped_when_the_target_is_missed():
    users = indicator(K.PERCENT, "10", actual_value=Decimal("6"), name="Incremento degli utenti")
    obiettivo = _objective(ScoreMode.CONDITION, [users], indicator_cap=Decimal("60"))
    result = score_objective(obiettivo, _phases(obiettivo, True, True), STRICT)
    assert (result.phase_score, result.score) == (Decimal("100.00"), Decimal("60.00"))
    assert result.indicator_rows[0].reason == "6% (rilevato dal responsabile, da confermare): target 10% non raggiunto"


def test_an_objective_with_the_indicator_as_condition_scores_100_when_the_target_is_met():
    users = indicator(K.PERCENT, "10", actual_value=Decimal("12"))
    obiettivo = _objective(ScoreMode.CONDITION, [users], indicator_cap=Decimal("60"))
    assert score_objective(obiettivo, _phases(obiettivo, True, True), STRICT).score == Decimal("100.00")


def test_an_informative_indicator_does_not_enter_the_score():
    impact = indicator(K.YES_NO, "1", actual_value=Decimal(0), counts=False)
    obiettivo = _objective(ScoreMode.CONDITION, [impact], indicator_cap=Decimal("60"))
    result = score_objective(obiettivo, _phases(obiettivo, True, True), STRICT)
    assert result.score == Decimal("100.00")
    assert result.indicator_rows[0].reason.startswith("non conta nel grado;")
