# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The time limits, the graded late policy and the cards' decisive phase, on unsaved objects (no database)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from objectives.calculator import Policy, decisive_phase, score_objective
from objectives.deadlines import split_phase_number
from objectives.models import Annualita, Fase, FaseState, LatePolicy, Obiettivo, Peg

STRICT = Policy(LatePolicy.NOTHING, Decimal("0"))


def graded(grace=0, step_days=30, step_fraction="10") -> Policy:
    return Policy(
        LatePolicy.GRADED, Decimal("0"), grace_days=grace, step_days=step_days, step_fraction=Decimal(step_fraction)
    )


def objective(final_deadline=date(2021, 11, 30), achieved_text="") -> Obiettivo:
    return Obiettivo(
        peg=Peg(year=2021), code="A", title="Prova", final_deadline=final_deadline, achieved_text=achieved_text
    )


def phase(obiettivo, label, weight, deadline, *, order=None, completed_on=None, year=2021) -> Fase:
    fase = Fase(
        obiettivo=obiettivo, label=label, sort_order=order or 1, description="", weight=Decimal(weight), year=year
    )
    fase.set_deadline(deadline)
    if completed_on:
        fase.state, fase.completed_on = FaseState.COMPLETATA, completed_on
    return fase


# The effective due date --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "expected_note"),
    [
        ("31/12/2021", "scadenza del 31/12/2021 limitata alla scadenza finale del 30/11/2021"),
        ("in corso d'anno", "scadenza del 31/12/2021 limitata alla scadenza finale del 30/11/2021"),
        ("", "scadenza non indicata: vale la scadenza finale del 30/11/2021"),
        ("da concordare", "scadenza non riconosciuta: vale la scadenza finale del 30/11/2021"),
    ],
)
def test_no_due_date_is_later_than_the_final_deadline_and_the_row_says_so(deadline, expected_note):
    obiettivo = objective()

    row = score_objective(obiettivo, [phase(obiettivo, "1", "100", deadline)], STRICT).rows[0]

    assert row.due_date == date(2021, 11, 30)
    assert row.limit_note == expected_note
    assert row.reason.endswith(expected_note)


def test_the_tranche_deadline_bounds_the_year_when_the_card_prints_one():
    """LLPP A: 'Scadenza raggiungimento obiettivo annualità 2021: 31/12/2021', final 31/12/2022."""
    obiettivo = objective(final_deadline=date(2022, 12, 31))
    fase = phase(obiettivo, "1", "100", "90 giorni dalla conclusione della fase 0")

    row = score_objective(obiettivo, [fase], STRICT, tranche_deadline=date(2021, 12, 31)).rows[0]

    assert row.due_date == date(2021, 12, 31)
    assert "vale la scadenza dell'annualità 2021 del 31/12/2021" in row.reason


def test_a_date_before_the_limit_is_kept_and_notes_nothing():
    obiettivo = objective()

    row = score_objective(obiettivo, [phase(obiettivo, "1", "100", "30/06/2021")], STRICT).rows[0]

    assert (row.due_date, row.limit_note) == (date(2021, 6, 30), "")


def test_without_a_final_deadline_the_years_end_bounds_the_year():
    """AREA TECNICA 1: 'Non prevedibile la data finale'."""
    obiettivo = objective(final_deadline=None)

    row = score_objective(obiettivo, [phase(obiettivo, "1", "100", "")], STRICT).rows[0]

    assert row.due_date == date(2021, 12, 31)
    assert row.limit_note == "scadenza non indicata: vale la fine dell'annualità 2021 (31/12/2021)"


@pytest.mark.parametrize(("label", "number"), [("2b", "2"), ("1-B", "1"), ("1-A", "1"), ("2", None), ("10", None)])
def test_a_split_phase_label_belongs_to_the_number_it_starts_with(label, number):
    assert split_phase_number(label) == number


def test_a_blank_cell_under_a_split_phase_takes_the_deadline_printed_above():
    """RISORSE UMANE C: 1b prints nothing under 1a's 31/03/2021."""
    obiettivo = objective(final_deadline=date(2021, 12, 31))
    phases = [
        phase(obiettivo, "1a", "50", "31/03/2021", order=1),
        phase(obiettivo, "1b", "50", "", order=2, completed_on=date(2021, 4, 1)),
    ]

    row = score_objective(obiettivo, phases, STRICT).rows[1]

    assert row.due_date == date(2021, 3, 31) and row.late
    assert row.limit_note == "scadenza della fase 1a stampata sopra (31/03/2021)"


def test_a_blank_cell_of_a_whole_phase_does_not_borrow_the_deadline_above():
    obiettivo = objective(final_deadline=date(2021, 12, 31))
    phases = [phase(obiettivo, "1", "50", "31/03/2021", order=1), phase(obiettivo, "2", "50", "", order=2)]

    assert score_objective(obiettivo, phases, STRICT).rows[1].printed_due is None


# The closing date of the year-end evaluation --------------------------------------------------------


def test_at_year_end_a_completion_after_the_closing_date_does_not_count():
    obiettivo = objective()
    policy = Policy(LatePolicy.NOTHING, Decimal("0"), closing_date=date(2022, 2, 28))
    phases = [phase(obiettivo, "1", "100", "30/06/2021", completed_on=date(2022, 3, 1))]

    result = score_objective(obiettivo, phases, policy)

    assert result.score == Decimal("0.00")
    assert result.rows[0].reason.startswith("completata il 01/03/2022, dopo la chiusura della valutazione")


def test_a_monitoring_date_is_not_bound_by_the_closing_date():
    obiettivo = objective()
    policy = Policy(LatePolicy.NOTHING, Decimal("0"), closing_date=date(2021, 5, 1))
    phases = [phase(obiettivo, "1", "100", "30/06/2021", completed_on=date(2021, 6, 1))]

    assert score_objective(obiettivo, phases, policy, on=date(2021, 7, 1)).score == Decimal("100.00")


# The graded policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "policy", "earned"),
    [
        (date(2021, 7, 1), graded(), "90"),  # 1 day: one period begun
        (date(2021, 7, 30), graded(), "90"),  # 30 days: still one period
        (date(2021, 7, 31), graded(), "80"),  # 31 days: two periods
        (date(2021, 7, 10), graded(grace=10), "100"),  # within the grace days
        (date(2021, 7, 11), graded(grace=10), "90"),
        (date(2022, 12, 31), graded(step_fraction="25"), "0"),  # floored at 0
    ],
)
def test_the_graded_policy_loses_a_share_of_the_weight_per_period_of_delay_beyond_the_grace(
    completed_on, policy, earned
):
    obiettivo = objective(final_deadline=date(2021, 6, 30))
    phases = [phase(obiettivo, "1", "100", "30/06/2021", completed_on=completed_on)]

    row = score_objective(obiettivo, phases, policy).rows[0]

    assert row.earned == Decimal(earned)


def test_the_graded_row_says_how_late_and_what_was_lost():
    obiettivo = objective(final_deadline=date(2021, 6, 30))
    phases = [phase(obiettivo, "1", "50", "30/06/2021", completed_on=date(2021, 8, 9))]

    row = score_objective(obiettivo, phases, graded(grace=5)).rows[0]

    assert row.reason == (
        "completata in ritardo (il 09/08/2021, scadenza 30/06/2021): 40 giorni di ritardo oltre la tolleranza "
        "di 5 giorni, 2 periodi di 30 giorni, perso il 20% del peso"
    )
    assert row.earned == Decimal("40")


@given(
    delay=st.integers(min_value=0, max_value=2000),
    grace=st.integers(min_value=0, max_value=60),
    step_days=st.integers(min_value=1, max_value=365),
    step_fraction=st.decimals(min_value=0, max_value=100, places=2),
)
def test_graded_credit_stays_between_nothing_and_the_whole_weight_and_never_grows_with_delay(
    delay, grace, step_days, step_fraction
):
    obiettivo = objective(final_deadline=date(2021, 1, 31))
    policy = graded(grace, step_days, step_fraction)

    def earned(days):
        completed = date.fromordinal(date(2021, 1, 31).toordinal() + days)
        phases = [phase(obiettivo, "1", "100", "31/01/2021", completed_on=completed)]
        return score_objective(obiettivo, phases, policy).rows[0].earned

    assert Decimal(0) <= earned(delay) <= Decimal(100)
    assert earned(delay + 1) <= earned(delay)


# The card's decisive phase --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("se la fase 1 è stata espletata entro la scadenza finale prevista, con rispetto del vincolo", "1"),
        ("Obiettivo raggiunto al 100% : se la fase 3 è stata espletata entro la scadenza finale prevista", "3"),
        ("espletamento delle fasi previste entro la scadenza finale", None),
        ("se la fase realizzativa 2 a) è stata espletata alla data del 30/04/2021, e se la fase 2 b) …", None),
        ("", None),
    ],
)
def test_only_a_card_naming_one_phase_done_within_the_deadline_has_a_decisive_phase(text, number):
    assert decisive_phase(text) == number


def test_the_decisive_phase_with_all_its_parts_on_time_gives_100():
    obiettivo = objective(achieved_text="se la fase 1 è stata espletata entro la scadenza finale prevista")
    phases = [
        phase(obiettivo, "1-A", "50", "30/09/2021", order=1, completed_on=date(2021, 9, 1)),
        phase(obiettivo, "1-B", "30", "30/09/2021", order=2, completed_on=date(2021, 9, 1)),
        phase(obiettivo, "2", "20", "", order=3),
    ]

    assert score_objective(obiettivo, phases, STRICT).score == Decimal("100.00")
    phases[1].completed_on = date(2021, 10, 1)
    assert score_objective(obiettivo, phases, STRICT).score == Decimal("50.00")


def test_a_tranche_is_read_from_prefetched_tranches_only():
    obiettivo = objective()
    obiettivo._prefetched_objects_cache = {"tranches": [Annualita(year=2021, deadline=date(2021, 10, 31))]}

    row = score_objective(obiettivo, [phase(obiettivo, "1", "100", "31/12/2021")], STRICT).rows[0]

    assert row.due_date == date(2021, 10, 31)
    assert "scadenza dell'annualità 2021 del 31/10/2021" in row.limit_note
