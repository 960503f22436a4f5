# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The import writes in bulk: its number of queries depends on the units of the plan, not on the
number of objectives, and it still keeps history, monitoring and the stored figures."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from objectives.models import Fase, FaseState, Obiettivo
from objectives.services import import_plan_text, read_plan
from objectives.synthetic import synthetic_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_parameter_limit(monkeypatch):
    """Django assumes SQLite takes 999 parameters per statement and splits a bulk INSERT in batches
    of 999 values; the SQLite in use takes many more. Tell Django the real limit, so that the count
    below measures the import's own queries, not the batching of an old SQLite's limit."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(connection.features, "max_query_params", limit)


class _Undo(Exception):
    pass


def queries_of_import(text: str) -> int:
    """The queries of importing `text` into the database as it is, then undone."""
    with CaptureQueriesContext(connection) as captured:
        try:
            with transaction.atomic():
                import_plan_text(text)
                raise _Undo
        except _Undo:
            pass
    return len(captured)


def _document(objectives: int) -> str:
    text = synthetic_document(objectives, year=2031, seed=11, units=3)
    plan = read_plan(text)
    # Every kind of row is there in both sizes: multi-year objectives (annualità), split phases, cited codes.
    assert any(o.tranches for o in plan.objectives)
    assert any(p.label.endswith("b") for o in plan.objectives for p in o.phases)
    assert any(p.codes for o in plan.objectives for p in o.phases)
    return text


def test_twice_the_objectives_over_the_same_units_take_the_same_queries():
    small, large = _document(60), _document(120)
    assert queries_of_import(large) == queries_of_import(small) < 60


def test_reimporting_an_unchanged_plan_takes_the_same_queries_whatever_its_size_and_writes_nothing():
    counts = []
    for size in (60, 120):
        text = _document(size)
        with transaction.atomic():
            sid = transaction.savepoint()
            import_plan_text(text)
            history = (Obiettivo.history.count(), Fase.history.count())
            counts.append(queries_of_import(text))
            import_plan_text(text)
            assert (Obiettivo.history.count(), Fase.history.count()) == history
            transaction.savepoint_rollback(sid)
    assert counts[0] == counts[1]


def test_every_row_written_in_bulk_has_its_history_and_the_stored_figures_are_refreshed():
    text = _document(60)
    result = import_plan_text(text)
    assert result.objectives == 60
    phases = Fase.objects.filter(obiettivo__peg=result.peg)
    assert Obiettivo.history.filter(history_type="+").count() == 60
    assert Fase.history.filter(history_type="+").count() == phases.count()
    for fase in phases.order_by("?")[:5]:  # each historical row is a copy of the row written
        row = fase.history.get()
        assert (row.obiettivo_id, row.label, row.description, row.weight, row.deadline_date, row.year) == (
            fase.obiettivo_id,
            fase.label,
            fase.description,
            fase.weight,
            fase.deadline_date,
            fase.year,
        )
        assert row.history_user is None and row.history_date is not None
    # The figures the pages read (objectives.facts) are there without a save() of any row.
    obiettivo = Obiettivo.objects.filter(peg=result.peg).order_by("pk").first()
    assert obiettivo.title in obiettivo.search_text
    assert obiettivo.calc_evaluable_weight > 0

    # A plan that changes one phase's text writes that phase only, keeps its monitoring and records it.
    parsed = next(o for o in read_plan(text).objectives if not o.tranches)
    phase = parsed.phases[0]
    fase = phases.get(obiettivo__settore__name=parsed.unit, obiettivo__code=parsed.code, label=phase.label)
    Fase.objects.filter(pk=fase.pk).update(state=FaseState.IN_CORSO, progress_percent=40)
    lines = text.split("\n")
    old, new = f"\t{phase.description}\t", f"\t{phase.description} (rivista)\t"
    lines[phase.line - 1] = lines[phase.line - 1].replace(old, new)
    import_plan_text("\n".join(lines), allow_removal=True)
    fase.refresh_from_db()
    assert fase.description == f"{phase.description} (rivista)"
    assert fase.state == FaseState.IN_CORSO and fase.progress_percent == 40
    assert list(Fase.history.filter(history_type="~").values_list("id", "description")) == [(fase.pk, fase.description)]


def test_the_2021_headings_printed_differently_are_kept_in_the_row_and_its_history():
    from django.conf import settings

    text = (settings.BASE_DIR / "fixtures" / "peg_2021_alessandria.txt").read_text(encoding="utf-8")
    result = import_plan_text(text)
    headed = [o for o in Obiettivo.objects.filter(peg=result.peg) if o.headings]
    assert headed
    for obiettivo in headed:
        assert obiettivo.history.get().headings == obiettivo.headings
    assert any("Annualità 2021" in heading for o in headed for heading in o.headings.values())
