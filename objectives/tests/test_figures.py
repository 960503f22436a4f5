# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages' SQL reads (objectives/figures.py) give the calculator's figures: the 2021 PEG with a
year of monitoring entered (completions on time and late, relative deadlines resolved, neutralised
and partial phases, validated objectives, weighted units), compared with objectives.selectors at
several dates and at year end."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from objectives import facts, selectors
from objectives.calculator import effective_score, weighted_mean
from objectives.figures import (
    late_phases,
    objectives_by_ids,
    unit_figures,
    unit_objective_ids,
    unit_objectives,
    upcoming_phases,
    with_figures,
)
from objectives.models import Fase, FaseState, Obiettivo, ObiettivoStatus

DATES = [
    dt.date(2021, 1, 1),
    dt.date(2021, 3, 31),
    dt.date(2021, 6, 30),
    dt.date(2021, 7, 1),
    dt.date(2021, 9, 30),
    dt.date(2021, 12, 31),
    dt.date(2022, 1, 31),
    dt.date(2022, 6, 30),
]
ALL = 100_000  # a list limit that lists everything


def enter_a_year_of_monitoring(peg, seed: int = 2021) -> None:
    """Deterministic monitoring of the whole PEG, through normal saves (the stored figures follow)."""
    rng = random.Random(seed)
    obiettivi = list(Obiettivo.objects.filter(peg=peg).order_by("pk"))
    with facts.deferred():
        for obiettivo in obiettivi:
            phases = list(obiettivo.fasi.order_by("sort_order", "pk"))
            by_label = {fase.label: fase for fase in phases}
            for fase in phases:
                roll = rng.random()
                due = fase.due_date(by_label) or dt.date(peg.year, 9, 30)
                if roll < 0.6:
                    fase.state = FaseState.COMPLETATA
                    fase.completed_on = due + dt.timedelta(days=rng.randint(-30, 45))
                elif roll < 0.7:
                    fase.state = FaseState.IN_CORSO
                elif roll < 0.75:
                    fase.state = FaseState.NON_REALIZZATA
                if rng.random() < 0.05:
                    fase.neutralised, fase.neutralisation_reason = True, "Parere della Soprintendenza"
                elif rng.random() < 0.05:
                    fase.partial_achievement, fase.partial_reason = Decimal("50"), "Metà del lavoro"
                fase.save()
        for obiettivo in obiettivi[::9]:
            obiettivo.status = ObiettivoStatus.VALIDATO
            obiettivo.validated_score = Decimal(rng.randint(0, 10000)) / 100
            obiettivo.save()
        # One unit's objectives all weighted (a weighted mean), another's only partly (a plain one).
        units = sorted({obiettivo.settore_id for obiettivo in obiettivi})
        for obiettivo in obiettivi:
            if obiettivo.settore_id == units[0]:
                obiettivo.weight = Decimal(rng.randint(1, 5))
                obiettivo.save()
            elif obiettivo.settore_id == units[1] and obiettivo.pk % 2:
                obiettivo.weight = Decimal("2.5")
                obiettivo.save()


@pytest.fixture
def monitored(peg_2021):
    enter_a_year_of_monitoring(peg_2021)
    peg_2021.refresh_from_db()
    return peg_2021


def expected_units(peg, on):
    """Per unit, from the calculator: (objectives, mean, weighted, late rows, progress list)."""
    state = selectors.monitoring(peg, on)
    expected = {}
    for unit in state.units:
        values = [
            (effective_score(p.obiettivo, p.score), p.obiettivo.weight)
            for p in unit.objectives
            if effective_score(p.obiettivo, p.score) is not None
        ]
        mean, weighted = weighted_mean(values, int(peg.score_decimals))
        expected[unit.settore.pk] = (len(unit.objectives), mean, weighted, unit)
    return expected


def test_the_monitoring_entered_gives_every_kind_of_figure(monitored):
    """The comparisons below are not vacuous: late phases, relative due dates resolved, validation."""
    state = selectors.monitoring(monitored, dt.date(2021, 12, 31))
    assert sum(len(unit.late_phases) for unit in state.units) > 20
    assert Fase.objects.filter(obiettivo__peg=monitored, calc_due_known_from__isnull=False).exists()
    assert Obiettivo.objects.filter(peg=monitored, status=ObiettivoStatus.VALIDATO).count() >= 4
    assert any(weighted for _, _, weighted, _ in expected_units(monitored, dt.date(2021, 12, 31)).values())


def test_each_objectives_figures_at_a_date_are_the_calculators(monitored):
    for on in DATES:
        shown = {o.pk: o for o in with_figures(Obiettivo.objects.filter(peg=monitored), on)}
        progresses = [p for unit in selectors.monitoring(monitored, on).units for p in unit.objectives]
        assert len(progresses) == len(shown) == 41
        for progress in progresses:
            obiettivo = shown[progress.obiettivo.pk]
            assert obiettivo.computed_score == progress.score.score, obiettivo
            assert obiettivo.score_value == effective_score(progress.obiettivo, progress.score), obiettivo
            assert obiettivo.late_count == len(progress.late), obiettivo


@pytest.mark.parametrize("bounded", [False, True], ids=["joined", "bounded by ids"])
def test_each_units_mean_at_a_date_is_the_calculators(monitored, bounded):
    """Also with the join to the dated figures bounded by the objectives' ids, as the dashboard reads them."""
    for on in DATES:
        expected = expected_units(monitored, on)
        if bounded:
            objectives = objectives_by_ids(unit_objective_ids(monitored, list(expected)), on)
        else:
            objectives = unit_objectives(monitored, list(expected), on)
        figures = unit_figures(objectives, int(monitored.score_decimals))
        assert set(figures) == set(expected)
        for pk, (objectives, mean, weighted, _) in expected.items():
            assert (figures[pk].objectives, figures[pk].score, figures[pk].weighted) == (objectives, mean, weighted)


def test_the_late_phases_of_each_unit_at_a_date_are_the_calculators_in_print_order(monitored):
    for on in DATES:
        expected = expected_units(monitored, on)
        late = late_phases(unit_objective_ids(monitored, list(expected)), on, limit=ALL)
        for pk, (_, _, _, unit) in expected.items():
            rows = [(row.fase.pk, row.due_date) for row in unit.late_phases]
            listed = late.get(pk)
            shown = [(row["pk"], row["due_at"]) for row in listed.rows] if listed else []
            assert shown == rows
            assert (listed.total if listed else 0) == len(rows)


def test_the_deadlines_coming_up_at_a_date_are_the_calculators_soonest_first(monitored):
    for on in DATES:
        expected = expected_units(monitored, on)
        upcoming = upcoming_phases(unit_objective_ids(monitored, list(expected)), on, days=30, limit=ALL)
        horizon = on + dt.timedelta(days=30)
        for pk, (_, _, _, unit) in expected.items():
            rows = {
                (row.fase.pk, row.due_date)
                for progress in unit.objectives
                for row in progress.score.rows
                if row.counted and row.completed_on is None and on <= row.due_date <= horizon
            }
            listed = upcoming.get(pk)
            shown = [(row["pk"], row["due_at"]) for row in listed.rows] if listed else []
            assert set(shown) == rows
            assert [due for _, due in shown] == sorted(due for _, due in shown)


def test_the_first_rows_and_how_many_more(monitored):
    on = dt.date(2021, 12, 31)
    expected = expected_units(monitored, on)
    late = late_phases(unit_objective_ids(monitored, list(expected)), on, limit=3)
    busiest = max(expected, key=lambda pk: len(expected[pk][3].late_phases))
    every = [row.fase.pk for row in expected[busiest][3].late_phases]
    assert len(every) > 3
    assert [row["pk"] for row in late[busiest].rows] == every[:3]
    assert late[busiest].more == len(every) - 3


def test_the_year_end_figures_are_the_unit_results(monitored):
    results = selectors.unit_results(monitored)
    figures = unit_figures(
        unit_objectives(monitored, [unit.settore.pk for unit in results], None), int(monitored.score_decimals)
    )
    for unit in results:
        shown = figures[unit.settore.pk]
        assert (shown.objectives, shown.score, shown.weighted) == (len(unit.objectives), unit.score, unit.weighted)
    by_pk = {o.pk: o for o in with_figures(Obiettivo.objects.filter(peg=monitored), None)}
    for unit in results:
        for result in unit.objectives:
            assert by_pk[result.obiettivo.pk].score_value == result.score
            assert by_pk[result.obiettivo.pk].calc_error == result.computed.error[:500]


def test_a_unit_without_scored_objectives_has_no_mean(monitored):
    settore_id = Obiettivo.objects.filter(peg=monitored).values_list("settore_id", flat=True).first()
    for obiettivo in Obiettivo.objects.filter(peg=monitored, settore_id=settore_id):
        obiettivo.withdrawn = True
        obiettivo.status = ObiettivoStatus.IN_CORSO
        obiettivo.save()
    [figures] = unit_figures(unit_objectives(monitored, [settore_id], None), 2).values()
    assert figures.score is None and figures.scored == 0 and figures.objectives > 0


def test_a_mean_on_the_half_is_rounded_up_once(peg_2021):
    """Two objectives validated at 62,125 and 62,13: the mean 62,1275 is 62,128 at three decimals;
    weighted 1 and 3, 248,515 / 4 = 62,12875 is 62,1288 at four: exact on every database."""
    settore_id = Obiettivo.objects.filter(peg=peg_2021).values_list("settore_id", flat=True).first()
    first, second, *rest = Obiettivo.objects.filter(peg=peg_2021, settore_id=settore_id).order_by("pk")
    for obiettivo in rest:
        obiettivo.withdrawn = True
        obiettivo.save()
    for obiettivo, score in [(first, "62.125"), (second, "62.13")]:
        obiettivo.status, obiettivo.validated_score, obiettivo.weight = ObiettivoStatus.VALIDATO, Decimal(score), None
        obiettivo.save()
    plain = unit_figures(unit_objectives(peg_2021, [settore_id], None), 3)[settore_id]
    assert (plain.score, plain.weighted) == (Decimal("62.128"), False)  # 62,1275 half up
    Obiettivo.objects.filter(pk=first.pk).update(weight=Decimal("1"))
    Obiettivo.objects.filter(pk=second.pk).update(weight=Decimal("3"))
    weighted = unit_figures(unit_objectives(peg_2021, [settore_id], None), 4)[settore_id]
    assert (weighted.score, weighted.weighted) == (Decimal("62.1288"), True)  # 62,12875 half up
