# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Properties of the calculator over generated objectives (hypothesis, no database).

Deadlines are absolute dates here: with relative deadlines, completing an anchor phase can
make a dependent phase (completed earlier, while its due date was not determinable) late, so
"completing one more phase never lowers the score" holds for absolute deadlines only
(see docs/calculator.md).
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from objectives.calculator import Policy, percent_of, round_score, score_objective
from objectives.models import Fase, FaseState, LatePolicy, Obiettivo, Peg

YEAR_START = date(2021, 1, 1)

policies = st.builds(
    Policy,
    late_policy=st.sampled_from(list(LatePolicy)),
    late_fraction=st.integers(0, 10000).map(lambda cents: Decimal(cents) / 100),
    decimals=st.integers(0, 4),
)
days = st.integers(0, 364).map(lambda offset: YEAR_START + timedelta(days=offset))
completions = st.none() | st.integers(0, 500).map(lambda offset: YEAR_START + timedelta(days=offset))


@st.composite
def weights_summing_to_100(draw):
    """n weights in hundredths (2 decimals, zeros allowed) summing to exactly 100."""
    count = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10000]
    return [Decimal(high - low) / 100 for low, high in zip(bounds, bounds[1:], strict=False)]


@st.composite
def objectives(draw):
    obiettivo = Obiettivo(peg=Peg(year=2021), code="A", title="generato", final_deadline=draw(st.none() | days))
    phases = []
    for index, weight in enumerate(draw(weights_summing_to_100())):
        fase = Fase(
            obiettivo=obiettivo, label=str(index + 1), sort_order=index, description="", weight=weight, year=2021
        )
        fase.set_deadline(draw(days).strftime("%d/%m/%Y"))
        completed_on = draw(completions)
        if completed_on:
            fase.state, fase.completed_on = FaseState.COMPLETATA, completed_on
        if draw(st.booleans()) and draw(st.booleans()):
            fase.neutralised, fase.neutralisation_reason = True, "causa esterna"
        if draw(st.integers(0, 5)) == 0:
            fase.partial_achievement = Decimal(draw(st.integers(0, 10000))) / 100
            fase.partial_reason = "valutazione del Nucleo"
        phases.append(fase)
    # A 0% phase of another year must never change anything.
    other_year = Fase(obiettivo=obiettivo, label="99", sort_order=99, description="", weight=Decimal(0), year=2022)
    other_year.set_deadline("30/06/2022")
    phases.append(other_year)
    return obiettivo, phases


def copy_phase(fase: Fase, **changes) -> Fase:
    clone = Fase(**{f.attname: getattr(fase, f.attname) for f in Fase._meta.concrete_fields})
    clone.obiettivo = fase.obiettivo
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


@settings(max_examples=300, deadline=None)
@given(objectives(), policies, st.none() | days)
def test_the_score_is_always_between_0_and_100(generated, policy, on):
    obiettivo, phases = generated

    result = score_objective(obiettivo, phases, policy, on=on)

    if result.score is None:
        assert result.error
        assert result.evaluable_weight == 0
    else:
        assert Decimal(0) <= result.score <= Decimal(100)
        assert 0 <= result.earned_weight <= result.evaluable_weight


@settings(max_examples=300, deadline=None)
@given(objectives(), policies, st.none() | days, st.data())
def test_completing_one_more_phase_on_time_never_lowers_the_score(generated, policy, on, data):
    obiettivo, phases = generated
    open_phases = [index for index, fase in enumerate(phases) if fase.state != FaseState.COMPLETATA]
    assume(open_phases)
    index = data.draw(st.sampled_from(open_phases))
    due = phases[index].due_date()
    assume(due is not None)
    completed = [*phases]
    completed[index] = copy_phase(phases[index], state=FaseState.COMPLETATA, completed_on=due)

    before = score_objective(obiettivo, phases, policy, on=on)
    after = score_objective(obiettivo, completed, policy, on=on)

    assert before.evaluable_weight == after.evaluable_weight
    if before.score is None:
        assert after.score is None
    else:
        assert after.score >= before.score
        assert after.earned_weight >= before.earned_weight


@settings(max_examples=300, deadline=None)
@given(objectives(), policies, st.none() | days, st.data())
def test_neutralising_a_phase_leaves_the_other_phases_relative_shares_intact(generated, policy, on, data):
    obiettivo, phases = generated
    before = score_objective(obiettivo, phases, policy, on=on)
    counted = [index for index, row in enumerate(before.rows) if row.counted]
    assume(len(counted) >= 2)
    target = data.draw(st.sampled_from(counted))
    neutralised = [*phases]
    position = phases.index(before.rows[target].fase)
    neutralised[position] = copy_phase(phases[position], neutralised=True, neutralisation_reason="vincolo esterno")

    after = score_objective(obiettivo, neutralised, policy, on=on)

    removed = before.rows[target]
    assert after.evaluable_weight == before.evaluable_weight - removed.weight
    others_before = [replace(row, fase=None) for index, row in enumerate(before.rows) if index != target]
    others_after = [replace(row, fase=None) for index, row in enumerate(after.rows) if index != target]
    assert others_after == others_before  # same rows: same counted weights, same earned
    # Every remaining phase's share of the evaluable weight grows by the same factor E / (E − w).
    factor = before.evaluable_weight / after.evaluable_weight
    for row in others_after:
        if row.counted:
            share_before = percent_of(row.weight, before.evaluable_weight)
            share_after = percent_of(row.weight, after.evaluable_weight)
            assert abs(share_after - share_before * factor) < Decimal("1e-25")
    remaining = after.evaluable_weight
    expected = round_score(percent_of(before.earned_weight - removed.earned, remaining), policy.decimals)
    assert after.score == expected
