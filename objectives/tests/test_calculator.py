# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The completion calculator on unsaved objects: one test per rule (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from objectives.calculator import (
    Policy,
    band_for,
    progress_at,
    round_score,
    score_objective,
    tranche_deadline_for,
    weighted_mean,
)
from objectives.models import Annualita, Fase, FaseState, LatePolicy, Obiettivo, Peg, ScoreBand

STRICT = Policy(LatePolicy.NOTHING, Decimal("50"))
HALF_WHEN_LATE = Policy(LatePolicy.FRACTION, Decimal("50"))
FULL_WITHIN_FINAL = Policy(LatePolicy.FULL_WITHIN_FINAL, Decimal("0"))


def objective(*, year=2021, final_deadline=date(2021, 12, 31)) -> Obiettivo:
    return Obiettivo(peg=Peg(year=year), code="A", title="Obiettivo di prova", final_deadline=final_deadline)


def phase(obiettivo, label, weight, deadline="31/12/2021", *, year=2021, completed_on=None, **fields) -> Fase:
    fase = Fase(
        obiettivo=obiettivo,
        label=label,
        sort_order=int("".join(ch for ch in label if ch.isdigit()) or 0),
        description=f"fase {label}",
        weight=None if weight is None else Decimal(weight),
        year=year,
        **fields,
    )
    fase.set_deadline(deadline)
    if completed_on:
        fase.state = FaseState.COMPLETATA
        fase.completed_on = completed_on
    return fase


def two_halves(first_completed_on=None, second_completed_on=None):
    obiettivo = objective()
    return obiettivo, [
        phase(obiettivo, "1", "50", "30/06/2021", completed_on=first_completed_on),
        phase(obiettivo, "2", "50", "31/10/2021", completed_on=second_completed_on),
    ]


# On time and late -------------------------------------------------------------------------


def test_a_phase_completed_by_its_due_date_earns_its_whole_weight():
    obiettivo, phases = two_halves(date(2021, 6, 30), date(2021, 10, 1))

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score == Decimal("100.00")
    assert [row.reason for row in result.rows] == ["completata entro la scadenza"] * 2
    assert [row.late for row in result.rows] == [False, False]
    assert result.error == ""


def test_a_phase_not_completed_earns_nothing():
    obiettivo, phases = two_halves(date(2021, 6, 1))

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score == Decimal("50.00")
    assert result.rows[1].earned == 0
    assert result.rows[1].reason == "non completata (scadenza 31/10/2021)"


def test_a_late_phase_earns_nothing_under_the_strict_policy():
    obiettivo, phases = two_halves(date(2021, 7, 1), date(2021, 10, 31))

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score == Decimal("50.00")
    assert result.rows[0].late
    assert result.rows[0].earned == 0
    assert result.rows[0].reason == "completata in ritardo (il 01/07/2021, scadenza 30/06/2021): nessun punteggio"


def test_a_late_phase_earns_the_configured_fraction_under_the_fraction_policy():
    obiettivo, phases = two_halves(date(2021, 7, 1), date(2021, 10, 31))
    forty_percent = Policy(LatePolicy.FRACTION, Decimal("40"))

    result = score_objective(obiettivo, phases, forty_percent)

    # 50 × 40% = 20 earned on the late phase + 50 on time = 70 of 100.
    assert result.rows[0].earned == Decimal("20")
    assert result.score == Decimal("70.00")
    assert "riconosciuto il 40% del peso" in result.rows[0].reason


def test_a_late_phase_earns_full_weight_within_the_final_deadline_under_the_lenient_policy():
    obiettivo, phases = two_halves(date(2021, 12, 31), date(2021, 10, 31))

    result = score_objective(obiettivo, phases, FULL_WITHIN_FINAL)

    assert result.score == Decimal("100.00")
    assert result.rows[0].late
    assert "entro la scadenza finale del 31/12/2021, peso pieno" in result.rows[0].reason


def test_a_late_phase_after_the_final_deadline_earns_nothing_under_the_lenient_policy():
    obiettivo, phases = two_halves(date(2022, 1, 3), date(2021, 10, 31))

    result = score_objective(obiettivo, phases, FULL_WITHIN_FINAL)

    assert result.score == Decimal("50.00")
    assert "oltre la scadenza finale del 31/12/2021" in result.rows[0].reason


def test_without_a_final_deadline_the_lenient_policy_gives_a_late_phase_nothing():
    obiettivo = objective(final_deadline=None)
    phases = [phase(obiettivo, "1", "100", "30/06/2021", completed_on=date(2021, 7, 1))]

    result = score_objective(obiettivo, phases, FULL_WITHIN_FINAL)

    assert result.score == Decimal("0.00")
    assert "scadenza finale non determinabile" in result.rows[0].reason


def test_a_phase_not_realised_earns_nothing_and_says_so():
    obiettivo, phases = two_halves(date(2021, 6, 1))
    phases[1].state = FaseState.NON_REALIZZATA

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score == Decimal("50.00")
    assert result.rows[1].reason == "non realizzata"


def test_in_corso_d_anno_is_due_on_the_31st_of_december_of_the_phase_year():
    obiettivo = objective()
    phases = [phase(obiettivo, "1", "100", "in corso d'anno", completed_on=date(2021, 12, 31))]

    result = score_objective(obiettivo, phases, STRICT)

    assert result.rows[0].due_date == date(2021, 12, 31)
    assert result.score == Decimal("100.00")


# The reference date -----------------------------------------------------------------------


def test_a_phase_due_after_the_reference_date_is_not_late_yet():
    obiettivo, phases = two_halves(date(2021, 6, 15))

    result = score_objective(obiettivo, phases, STRICT, on=date(2021, 6, 30))

    assert not result.rows[1].late
    assert result.rows[1].reason == "non ancora scaduta (scadenza 31/10/2021)"


def test_a_phase_past_its_due_date_at_the_reference_date_is_late():
    obiettivo, phases = two_halves()

    result = score_objective(obiettivo, phases, STRICT, on=date(2021, 7, 1))

    assert [row.late for row in result.rows] == [True, False]


def test_a_completion_recorded_after_the_reference_date_is_ignored():
    obiettivo, phases = two_halves(date(2021, 6, 15), date(2021, 9, 1))

    result = score_objective(obiettivo, phases, STRICT, on=date(2021, 6, 30))

    assert result.score == Decimal("50.00")
    assert result.rows[1].completed_on is None


# Nucleo: neutralisation and partial achievement ------------------------------------------


def test_a_neutralised_phase_is_left_out_and_the_others_are_re_proportioned():
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "20", "30/06/2021", completed_on=date(2021, 6, 1)),
        phase(obiettivo, "2", "30", "30/09/2021"),
        phase(obiettivo, "3", "50", "31/12/2021", neutralised=True, neutralisation_reason="parere Soprintendenza"),
    ]

    result = score_objective(obiettivo, phases, STRICT)

    # 20 earned of 20 + 30 evaluable = 40%.
    assert result.evaluable_weight == Decimal("50")
    assert result.score == Decimal("40.00")
    assert not result.rows[2].counted
    assert result.rows[2].reason == "sterilizzata: parere Soprintendenza"


def test_a_partial_achievement_earns_that_share_of_the_weight():
    obiettivo, phases = two_halves(date(2021, 6, 1))
    phases[1].partial_achievement = Decimal("60")
    phases[1].partial_reason = "realizzati 3 interventi su 5"

    result = score_objective(obiettivo, phases, STRICT)

    # 50 + 50 × 60% = 80.
    assert result.rows[1].earned == Decimal("30")
    assert result.score == Decimal("80.00")
    assert result.rows[1].reason == "raggiungimento parziale 60%: realizzati 3 interventi su 5"


def test_a_partial_achievement_overrides_a_late_completion():
    obiettivo, phases = two_halves(date(2021, 6, 1), date(2021, 11, 30))
    phases[1].partial_achievement = Decimal("75")
    phases[1].partial_reason = "ritardo dovuto a terzi"

    result = score_objective(obiettivo, phases, STRICT)

    assert result.rows[1].late
    assert result.score == Decimal("87.50")


# Weights ----------------------------------------------------------------------------------


def test_zero_weight_phases_of_other_years_are_not_counted():
    # SISTEMI INFORMATIVI A: fase 1 0% "Conclusa", fase 2 100% 31/12/2021, fase 3 0% 30/06/2022.
    obiettivo = objective(final_deadline=date(2022, 6, 30))
    phases = [
        phase(obiettivo, "1", "0", "Conclusa", year=2020),
        phase(obiettivo, "2", "100", "31/12/2021", completed_on=date(2021, 12, 20)),
        phase(obiettivo, "3", "0", "30/06/2022", year=2022),
    ]

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score == Decimal("100.00")
    assert [row.counted for row in result.rows] == [False, True, False]
    assert result.rows[0].reason == "fase di altra annualità (2020)"


def test_a_zero_weight_phase_of_the_year_is_not_counted():
    obiettivo = objective()
    phases = [phase(obiettivo, "1", "0"), phase(obiettivo, "2", "100", completed_on=date(2021, 5, 1))]

    result = score_objective(obiettivo, phases, STRICT)

    assert result.rows[0].reason == "incidenza 0%"
    assert not result.rows[0].counted
    assert result.score == Decimal("100.00")


def test_a_phase_without_weight_is_never_evaluable():
    # LLPP B: fase 2 (done by AMAG RETI) has no weight; 20 + 50 + 20 + 10 = 100.
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "20", "30/06/2021", completed_on=date(2021, 6, 30)),
        phase(obiettivo, "2", None, "28/02/2021", completed_on=date(2021, 2, 1)),
        phase(obiettivo, "3", "50", "2 mesi da fase 2)"),
        phase(obiettivo, "4", "20", "1 mese da fase 3)"),
        phase(obiettivo, "5", "10", "1 mese da fase 4)"),
    ]

    result = score_objective(obiettivo, phases, STRICT)

    assert not result.rows[1].counted
    assert result.rows[1].reason == "fase senza incidenza"
    assert result.evaluable_weight == Decimal("100")
    assert result.score == Decimal("20.00")


def test_invalid_weights_give_no_score_and_the_reason_instead_of_an_error():
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "50", completed_on=date(2021, 5, 1)),
        phase(obiettivo, "2", "40", completed_on=date(2021, 5, 1)),
    ]

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score is None
    assert "devono sommare a 100%" in result.error
    assert "2021: 90%" in result.error
    assert len(result.rows) == 2


def test_an_objective_without_an_evaluable_phase_has_no_score():
    obiettivo = objective()
    phases = [phase(obiettivo, "1", "100", neutralised=True, neutralisation_reason="fondi regionali non erogati")]

    result = score_objective(obiettivo, phases, STRICT)

    assert result.score is None
    assert result.error == "Nessuna fase valutabile per l'annualità 2021."


def test_an_objective_without_phases_has_no_score():
    result = score_objective(objective(), [], STRICT)

    assert result.score is None
    assert result.rows == []


# Multi-year objectives --------------------------------------------------------------------


def llpp_a(**completed):
    """LLPP A: 2021 phases 1–3 (40, 30, 30) by 31/12/2021; 2022 phases 4–5 (85, 15)."""
    obiettivo = objective(final_deadline=date(2022, 12, 31))
    rows = [("1", "40", "31/07/2021", 2021), ("2", "30", "30/09/2021", 2021), ("3", "30", "31/12/2021", 2021)]
    rows += [("4", "85", "30/04/2022", 2022), ("5", "15", "31/12/2022", 2022)]
    return obiettivo, [
        phase(obiettivo, label, weight, deadline, year=year, completed_on=completed.get(f"f{label}"))
        for label, weight, deadline, year in rows
    ]


def test_llpp_a_2021_is_scored_on_phases_one_to_three_only():
    obiettivo, phases = llpp_a(f1=date(2021, 7, 20), f2=date(2021, 9, 30))

    result = score_objective(obiettivo, phases, STRICT)

    # 40 + 30 of 100 (phases 4–5 belong to 2022).
    assert result.score == Decimal("70.00")
    assert result.evaluable_weight == Decimal("100")
    assert [row.reason for row in result.rows[3:]] == ["fase di altra annualità (2022)"] * 2


def test_llpp_a_2022_is_scored_on_phases_four_and_five():
    obiettivo, phases = llpp_a(f1=date(2021, 7, 20), f4=date(2022, 4, 30))

    result = score_objective(obiettivo, phases, STRICT, year=2022)

    assert result.score == Decimal("85.00")
    assert [row.counted for row in result.rows] == [False, False, False, True, True]


def test_llpp_a_lenient_policy_is_bounded_by_the_2021_tranche_deadline_not_the_final_one():
    obiettivo, phases = llpp_a(f1=date(2021, 7, 20), f2=date(2021, 9, 30), f3=date(2022, 2, 1))

    within_final = score_objective(obiettivo, phases, FULL_WITHIN_FINAL)
    within_tranche = score_objective(obiettivo, phases, FULL_WITHIN_FINAL, tranche_deadline=date(2021, 12, 31))

    assert within_final.score == Decimal("100.00")
    assert within_tranche.score == Decimal("70.00")
    assert "oltre la scadenza dell'annualità 2021 del 31/12/2021" in within_tranche.rows[2].reason


def sviluppo_economico_c(**completed):
    """SVILUPPO ECONOMICO C: 10, 10, 20, 10 in 2021 (judged by 31/01/2022), 20, 30 in 2022."""
    obiettivo = objective(final_deadline=date(2022, 8, 31))
    rows = [("1", "10", "30/04/2021", 2021), ("2", "10", "30/09/2021", 2021), ("3", "20", "31/10/2021", 2021)]
    rows += [("4", "10", "31/01/2022", 2021), ("5", "20", "30/06/2022", 2022), ("6", "30", "31/08/2022", 2022)]
    return obiettivo, [
        phase(obiettivo, label, weight, deadline, year=year, completed_on=completed.get(f"f{label}"))
        for label, weight, deadline, year in rows
    ]


def test_sviluppo_economico_c_2021_is_scored_on_the_first_four_phases_re_proportioned():
    obiettivo, phases = sviluppo_economico_c(f1=date(2021, 4, 30), f2=date(2021, 9, 1), f3=date(2021, 10, 31))

    result = score_objective(obiettivo, phases, STRICT)

    # (10 + 10 + 20) / (10 + 10 + 20 + 10) = 40 / 50 = 80%.
    assert result.evaluable_weight == Decimal("50")
    assert result.score == Decimal("80.00")


def test_sviluppo_economico_c_first_four_phases_all_done_score_100_for_2021():
    done = {f"f{n}": date(2021, 4, 30) for n in range(1, 5)}
    obiettivo, phases = sviluppo_economico_c(**done)

    assert score_objective(obiettivo, phases, STRICT).score == Decimal("100.00")


def test_sviluppo_economico_c_late_credit_is_bounded_by_the_tranche_deadline_of_31_january_2022():
    obiettivo, phases = sviluppo_economico_c(
        f1=date(2021, 4, 30), f2=date(2021, 9, 1), f3=date(2022, 3, 15), f4=date(2022, 1, 31)
    )

    by_final = score_objective(obiettivo, phases, FULL_WITHIN_FINAL)
    by_tranche = score_objective(obiettivo, phases, FULL_WITHIN_FINAL, tranche_deadline=date(2022, 1, 31))

    # Phase 3 (20) completed 15/03/2022: within the final 31/08/2022, after the tranche's 31/01/2022.
    assert by_final.score == Decimal("100.00")
    assert by_tranche.score == Decimal("60.00")  # 30 / 50


def test_the_tranche_deadline_is_the_annualita_of_the_year_when_present():
    obiettivo = objective(final_deadline=date(2022, 8, 31))
    tranches = [Annualita(year=2021, deadline=date(2022, 1, 31)), Annualita(year=2022, deadline=None)]

    assert tranche_deadline_for(obiettivo, 2021, tranches) == date(2022, 1, 31)
    assert tranche_deadline_for(obiettivo, 2022, tranches) == date(2022, 8, 31)
    assert tranche_deadline_for(obiettivo, 2021) == date(2022, 8, 31)


# Relative deadlines -----------------------------------------------------------------------


def anchored(anchor_completed_on=None, dependent_completed_on=None):
    obiettivo = objective()
    return obiettivo, [
        phase(obiettivo, "1", "50", "31/03/2021", completed_on=anchor_completed_on),
        phase(obiettivo, "2", "50", "2 mesi da fase 1)", completed_on=dependent_completed_on),
    ]


def test_a_relative_deadline_is_not_determinable_while_its_anchor_phase_is_open_and_the_final_deadline_stands_in():
    obiettivo, phases = anchored()

    row = score_objective(obiettivo, phases, STRICT).rows[1]

    assert row.counted
    assert row.printed_due is None
    assert row.due_date == date(2021, 12, 31)
    assert row.earned == 0
    assert row.reason == (
        "non completata; scadenza non determinabile (fase 1 non completata): vale la scadenza finale del 31/12/2021"
    )


def test_a_relative_deadline_resolves_in_calendar_months_once_the_anchor_is_completed():
    obiettivo, phases = anchored(date(2021, 3, 31), date(2021, 5, 31))

    result = score_objective(obiettivo, phases, STRICT)

    assert result.rows[1].due_date == date(2021, 5, 31)
    assert result.score == Decimal("100.00")


def test_an_anchor_completed_after_the_reference_date_does_not_resolve_the_deadline_yet():
    obiettivo, phases = anchored(date(2021, 3, 31))

    row = score_objective(obiettivo, phases, STRICT, on=date(2021, 3, 1)).rows[1]

    assert row.printed_due is None
    assert row.reason.startswith("non ancora scaduta; scadenza non determinabile (fase 1 non completata)")


def test_a_phase_completed_while_its_due_date_is_not_determinable_is_on_time_by_the_final_deadline():
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "100", "Entro 30 giorni dalla presentazione dell'istanza", completed_on=date(2021, 9, 1))
    ]

    row = score_objective(obiettivo, phases, STRICT).rows[0]

    assert row.earned == Decimal("100")
    assert row.reason == (
        "completata entro la scadenza; scadenza non determinabile (data dell'evento di riferimento non registrata): "
        "vale la scadenza finale del 31/12/2021"
    )


@pytest.mark.parametrize(
    ("deadline", "why"),
    [
        (
            "Entro 30 giorni dalla presentazione dell'istanza",
            "scadenza non determinabile (data dell'evento di riferimento non registrata)",
        ),
        ("", "scadenza non indicata"),
        ("da concordare con la Regione", "scadenza non riconosciuta"),
    ],
)
def test_a_phase_whose_due_date_cannot_be_determined_says_why_and_earns_nothing_until_completed(deadline, why):
    obiettivo = objective()

    row = score_objective(obiettivo, [phase(obiettivo, "1", "100", deadline)], STRICT).rows[0]

    assert row.counted
    assert row.printed_due is None
    assert row.earned == 0
    assert row.reason == f"non completata; {why}: vale la scadenza finale del 31/12/2021"


def test_an_event_date_recorded_later_resolves_the_deadline():
    obiettivo = objective()
    fase = phase(
        obiettivo, "1", "100", "Entro 30 giorni dalla presentazione dell'istanza", completed_on=date(2021, 9, 1)
    )
    fase.deadline_anchor_date = date(2021, 7, 1)

    row = score_objective(obiettivo, [fase], STRICT).rows[0]

    assert row.due_date == date(2021, 7, 31)
    assert row.late and row.earned == 0


# Rounding, order, bands, means ------------------------------------------------------------


def test_the_score_is_rounded_half_up_to_the_pegs_decimals():
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "66.65", "30/06/2021", completed_on=date(2021, 7, 1)),
        phase(obiettivo, "2", "33.35", "30/06/2021"),
    ]

    two = score_objective(obiettivo, phases, HALF_WHEN_LATE)
    none = score_objective(obiettivo, phases, Policy(LatePolicy.FRACTION, Decimal("50"), decimals=0))

    # 66.65 × 50% = 33.325 → 33.33 (half up; half-even would give 33.32) and 33 with no decimals.
    assert two.earned_weight == Decimal("33.325")
    assert two.score == Decimal("33.33")
    assert none.score == Decimal("33")


def test_round_score_rounds_half_up():
    assert round_score(Decimal("12.5"), 0) == Decimal("13")
    assert round_score(Decimal("99.995"), 2) == Decimal("100.00")
    assert round_score(Decimal("2") / Decimal("3") * 100, 2) == Decimal("66.67")


def test_rows_follow_the_printed_order():
    obiettivo = objective()
    phases = [
        phase(obiettivo, "2b", "60", completed_on=date(2021, 5, 1)),
        phase(obiettivo, "2a", "40", completed_on=date(2021, 5, 1)),
    ]
    phases[0].sort_order, phases[1].sort_order = 2, 1

    result = score_objective(obiettivo, phases, STRICT)

    assert [row.fase.label for row in result.rows] == ["2a", "2b"]


def test_the_year_defaults_to_the_pegs():
    obiettivo, phases = llpp_a(f4=date(2022, 4, 1))
    obiettivo.peg = Peg(year=2022)

    assert score_objective(obiettivo, phases, STRICT).score == Decimal("85.00")


def test_the_policy_comes_from_the_peg():
    peg = Peg(year=2021, late_policy=LatePolicy.FRACTION, late_fraction=Decimal("25.50"), score_decimals=3)

    assert Policy.from_peg(peg) == Policy(LatePolicy.FRACTION, Decimal("25.50"), 3)


BANDS = [
    ScoreBand(min_score=Decimal("95"), pay_share=Decimal("100")),
    ScoreBand(min_score=Decimal("60"), pay_share=Decimal("60")),
    ScoreBand(min_score=Decimal("80"), pay_share=Decimal("80")),
    ScoreBand(min_score=Decimal("0"), pay_share=Decimal("0")),
]


@pytest.mark.parametrize(
    ("score", "pay_share"),
    [("100", "100"), ("95.00", "100"), ("94.99", "80"), ("80", "80"), ("79.99", "60"), ("60", "60"), ("12", "0")],
)
def test_a_score_falls_in_the_highest_band_whose_minimum_it_reaches(score, pay_share):
    assert band_for(Decimal(score), BANDS).pay_share == Decimal(pay_share)


def test_a_score_below_every_band_has_no_band():
    assert band_for(Decimal("59.99"), BANDS[:3]) is None
    assert band_for(None, BANDS) is None
    assert band_for(Decimal("100"), []) is None


def test_the_mean_is_weighted_only_when_every_objective_has_a_weight():
    assert weighted_mean([(Decimal("100"), Decimal("3")), (Decimal("50"), Decimal("1"))], 2) == (Decimal("87.50"), True)
    assert weighted_mean([(Decimal("100"), Decimal("3")), (Decimal("50"), None)], 2) == (Decimal("75.00"), False)
    assert weighted_mean([(Decimal("100"), None), (Decimal("0"), None), (Decimal("0"), None)], 2) == (
        Decimal("33.33"),
        False,
    )
    assert weighted_mean([], 2) == (None, False)


# Monitoring -------------------------------------------------------------------------------


def test_monitoring_at_30_june_shows_what_was_due_what_is_done_and_what_is_late():
    # LLPP D: 10 by 28/02, 10 by 31/03, 20 by 31/05, 10 by 15/07, 50 by 01/09.
    obiettivo = objective()
    phases = [
        phase(obiettivo, "1", "10", "28/02/2021", completed_on=date(2021, 2, 20)),
        phase(obiettivo, "2", "10", "31/03/2021", completed_on=date(2021, 4, 15)),
        phase(obiettivo, "3", "20", "31/05/2021"),
        phase(obiettivo, "4", "10", "15/07/2021", completed_on=date(2021, 6, 10)),
        phase(obiettivo, "5", "50", "01/09/2021", completed_on=date(2021, 7, 10)),
    ]

    progress = progress_at(obiettivo, phases, STRICT, date(2021, 6, 30))

    assert progress.due_weight == Decimal("40")  # phases 1–3
    assert progress.done_weight == Decimal("30")  # phases 1, 2, 4 (5 is completed after 30/06)
    assert progress.on_time_weight == Decimal("10")  # phase 1
    assert [row.fase.label for row in progress.late] == ["2", "3"]
    assert progress.due_share == Decimal("40")
    assert progress.done_share == Decimal("30")
    assert progress.is_behind
    assert progress.score.score == Decimal("20.00")  # 10 on time + phase 4 early, at 30/06


def test_monitoring_lists_phases_whose_due_date_is_not_determinable_yet():
    obiettivo, phases = anchored()

    progress = progress_at(obiettivo, phases, STRICT, date(2021, 3, 1))

    assert [row.fase.label for row in progress.undetermined] == ["2"]
    assert progress.due_weight == 0
    assert not progress.is_behind
