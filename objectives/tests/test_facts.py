# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The stored figures (objectives/facts.py) always equal a fresh calculation by objectives/calculator.py.

Random sequences of writes go through every door a figure can change by: the head's phase update,
the Nucleo's neutralisation, partial achievement and validation, the admin's plan edits
(workflow.save_plan/delete_plan), a change of the PEG's policy, the year-end review, a direct
save of a phase and an indicator act; after each sequence every stored figure is compared with
the calculator, and the Andamento timeline with progress_at at every date of the year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.calculator import Policy, progress_at, score_objective, tranche_deadline_for
from objectives.models import Andamento, Annualita, Fase, FaseState, Indicatore, Obiettivo, ObiettivoStatus, Peg
from objectives.parsing import PegDocumentError
from objectives.services import import_plan_text

DOCUMENT = Path("fixtures/peg_2021_alessandria.txt").read_text(encoding="utf-8")

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def figures_at(obiettivo: Obiettivo, on: dt.date) -> Andamento:
    rows = [
        row for row in obiettivo.andamento.all() if row.valid_from <= on and (row.valid_to is None or on < row.valid_to)
    ]
    assert len(rows) == 1, f"{obiettivo}: {len(rows)} righe di andamento valide al {on}"
    return rows[0]


def assert_stored_equals_calculator(peg: Peg, dates) -> None:
    peg.refresh_from_db()
    policy = Policy.from_peg(peg)
    for obiettivo in (
        Obiettivo.objects.filter(peg=peg).select_related("peg").prefetch_related("tranches", "indicatori", "andamento")
    ):
        phases = list(obiettivo.fasi.order_by("sort_order", "pk"))
        deadline = tranche_deadline_for(
            obiettivo, peg.year, [t for t in obiettivo.tranches.all() if t.year == peg.year]
        )
        fresh = score_objective(obiettivo, phases, policy, tranche_deadline=deadline)
        label = f"{obiettivo.settore_id}/{obiettivo.code}"
        assert obiettivo.calc_score == fresh.score, label
        assert obiettivo.calc_error == fresh.error[:500], label
        assert obiettivo.calc_evaluable_weight == fresh.evaluable_weight, label
        assert obiettivo.calc_late_count == sum(1 for row in fresh.rows if row.counted and row.late), label
        dated = [t for t in obiettivo.tranches.all() if t.deadline is not None]
        assert obiettivo.calc_latest_tranche == max((t.deadline for t in dated), default=None), label
        assert obiettivo.calc_latest_year_tranche == max(
            (t.deadline for t in dated if t.year == peg.year), default=None
        ), label
        for row in fresh.rows:
            assert (row.fase.calc_counted, row.fase.calc_due, row.fase.calc_earned, row.fase.calc_late) == (
                row.counted,
                row.due_date,
                row.earned,
                row.late,
            ), f"{label} fase {row.fase.label}"
        for on in dates:
            progress = progress_at(obiettivo, phases, policy, on, tranche_deadline=deadline)
            stored = figures_at(obiettivo, on)
            assert (
                stored.score,
                stored.evaluable_weight,
                stored.due_weight,
                stored.done_weight,
                stored.due_done_weight,
                stored.on_time_weight,
                stored.late_count,
                stored.undetermined_count,
            ) == (
                progress.score.score,
                progress.evaluable_weight,
                progress.due_weight,
                progress.done_weight,
                progress.due_done_weight,
                progress.on_time_weight,
                len(progress.late),
                len(progress.undetermined),
            ), f"{label} al {on}"


def every_week(year: int):
    day = dt.date(year, 1, 1)
    while day <= dt.date(year + 1, 3, 31):
        yield day
        day += dt.timedelta(days=3)


def test_the_2021_plan_is_stored_as_the_calculator_computes_it(peg_2021):
    assert_stored_equals_calculator(peg_2021, list(every_week(2021)))
    fase = Fase.objects.filter(obiettivo__peg=peg_2021).select_related("obiettivo__settore").last()
    text = fase.obiettivo.search_text
    assert " ".join(fase.description.split()) in text
    assert fase.obiettivo.settore.name in text and fase.obiettivo.title.split()[0] in text


# --- Random writes through every door ---------------------------------------------------------------

days = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2022, 2, 28))
percents = st.decimals(min_value=0, max_value=100, places=2)
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("complete"), st.integers(0, 10_000), days),
        st.tuples(st.just("reopen_phase"), st.integers(0, 10_000)),
        st.tuples(st.just("not_done"), st.integers(0, 10_000)),
        st.tuples(st.just("neutralise"), st.integers(0, 10_000), st.booleans()),
        st.tuples(st.just("partial"), st.integers(0, 10_000), st.none() | percents),
        st.tuples(st.just("deadline"), st.integers(0, 10_000), days),
        st.tuples(st.just("weight"), st.integers(0, 10_000), percents),
        st.tuples(st.just("policy"), st.sampled_from(["nothing", "fraction", "full_within_final", "graded"])),
        st.tuples(st.just("closing"), days),
        st.tuples(st.just("delete_phase"), st.integers(0, 10_000)),
        st.tuples(st.just("validate"), st.integers(0, 10_000)),
        st.tuples(st.just("score_mode"), st.integers(0, 10_000), st.sampled_from(["phases", "condition", "weighted"])),
        st.tuples(st.just("indicator"), st.integers(0, 10_000), st.decimals(min_value=0, max_value=1000, places=1)),
        st.tuples(st.just("reimport")),
        st.tuples(st.just("tranche"), st.integers(0, 10_000), st.none() | days, st.booleans()),
    ),
    min_size=1,
    max_size=8,
)


def _phase(peg: Peg, index: int) -> Fase:
    phases = list(Fase.objects.filter(obiettivo__peg=peg).order_by("pk"))
    return phases[index % len(phases)]


def _indicator(peg: Peg, index: int) -> Indicatore:
    indicators = list(Indicatore.objects.filter(obiettivo__peg=peg).order_by("pk"))
    return indicators[index % len(indicators)]


def _apply(peg: Peg, write, users) -> None:
    kind = write[0]
    try:
        if kind == "complete":
            fase = _phase(peg, write[1])
            workflow.update_phase(
                fase=fase,
                user=users.head(fase),
                version=fase.version,
                state=FaseState.COMPLETATA,
                completed_on=write[2],
                evidence="prova",
                new_files=[],
            )
        elif kind in ("reopen_phase", "not_done"):
            fase = _phase(peg, write[1])
            state = FaseState.IN_CORSO if kind == "reopen_phase" else FaseState.NON_REALIZZATA
            workflow.update_phase(
                fase=fase,
                user=users.head(fase),
                version=fase.version,
                state=state,
                completed_on=None,
                evidence="",
                new_files=[],
            )
        elif kind == "neutralise":
            fase = _phase(peg, write[1])
            workflow.neutralise_phase(
                fase=fase, user=users.nucleo, version=fase.version, neutralised=write[2], reason="r"
            )
        elif kind == "partial":
            fase = _phase(peg, write[1])
            workflow.record_partial(fase=fase, user=users.nucleo, version=fase.version, percent=write[2], reason="r")
        elif kind == "deadline":
            fase = _phase(peg, write[1])
            fase.set_deadline(write[2].strftime("%d/%m/%Y"))
            workflow.save_plan(instance=fase, user=users.root)
        elif kind == "weight":
            fase = _phase(peg, write[1])
            fase.weight = write[2]
            fase.save()  # a direct save: the signals are the last door
        elif kind == "policy":
            workflow.change_policy(peg=peg, user=users.root, values={"late_policy": write[1]}, reason="prova")
        elif kind == "closing":
            peg.refresh_from_db()
            peg.evaluation_closing_date = write[1]
            peg.save()
        elif kind == "delete_phase":
            workflow.delete_plan(instance=_phase(peg, write[1]), user=users.root)
        elif kind == "validate":
            obiettivo = _phase(peg, write[1]).obiettivo
            obiettivo.status = ObiettivoStatus.RENDICONTATO
            obiettivo.save()
            workflow.validate(obiettivo=obiettivo, user=users.nucleo, on=dt.date(2022, 3, 1))
        elif kind == "score_mode":
            obiettivo = _indicator(peg, write[1]).obiettivo
            obiettivo.score_mode = write[2]
            obiettivo.indicator_cap = Decimal("80")
            workflow.save_plan(instance=obiettivo, user=users.root)
        elif kind == "indicator":
            indicatore = _indicator(peg, write[1])
            workflow.record_indicator_actual(
                indicatore=indicatore, user=users.head(indicatore.obiettivo.fasi.first()), value=write[2]
            )
        elif kind == "tranche":  # a tranche's deadline moved, or the tranche deleted
            tranches = list(Annualita.objects.filter(obiettivo__peg=peg).order_by("pk"))
            tranche = tranches[write[1] % len(tranches)]
            if write[3]:
                workflow.delete_plan(instance=tranche, user=users.root)
            else:
                tranche.deadline = write[2]
                workflow.save_plan(instance=tranche, user=users.root)
        elif kind == "reimport":
            import_plan_text(DOCUMENT)  # the 2021 document again: updates in place, keeps monitoring
    except (PegDocumentError, workflow.WorkflowError, workflow.NotAllowed, PermissionError) as refused:
        event(f"{kind} rifiutata: {type(refused).__name__}")  # a refused write changes nothing
    else:
        event(f"{kind} eseguita")


@pytest.fixture
def users(peg_2021):
    from django.contrib.auth.models import Group

    from objectives.access import GROUP_NUCLEO
    from tests.factories import UserFactory

    class Users:
        nucleo = UserFactory(username="nucleo-facts")
        root = UserFactory(username="root-facts", is_superuser=True, is_staff=True)

        def head(self, fase):
            settore = fase.obiettivo.settore
            if settore.head.user is None:
                settore.head.user = UserFactory(username=f"head-{settore.pk}")
                settore.head.save()
            return settore.head.user

    Users.nucleo.groups.add(Group.objects.get_or_create(name=GROUP_NUCLEO)[0])
    return Users()


MONTH_ENDS = [dt.date(2021, month, 28) for month in range(1, 13)] + [dt.date(2021, 12, 31), dt.date(2022, 1, 31)]


@PROPERTY
@given(writes=WRITES, dates=st.lists(days, max_size=4))
def test_after_any_writes_the_stored_figures_equal_the_calculator(peg_2021, users, writes, dates):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        for write in writes:
            _apply(peg_2021, write, users)
        assert_stored_equals_calculator(peg_2021, MONTH_ENDS + dates)
    finally:
        transaction.savepoint_rollback(sid)
