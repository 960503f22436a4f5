# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The import computes the stored figures of the objectives it inserts before inserting them
(facts.Unsaved): what it stores equals what a refresh from the database computes afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from objectives import facts
from objectives.facts import TIMELINE_COLUMNS
from objectives.models import (
    FASE_STORED_FIGURES,
    OBIETTIVO_STORED_FIGURES,
    Andamento,
    Fase,
    FaseState,
    Obiettivo,
    Peg,
)
from objectives.services import import_plan_text
from objectives.synthetic import synthetic_document

DOCUMENT = Path("fixtures/peg_2021_alessandria.txt").read_text(encoding="utf-8")


def stored(peg: Peg) -> tuple[list, list, list]:
    objectives = Obiettivo.objects.filter(peg=peg).order_by("pk").values_list("pk", *OBIETTIVO_STORED_FIGURES)
    phases = Fase.objects.filter(obiettivo__peg=peg).order_by("pk").values_list("pk", *FASE_STORED_FIGURES)
    timeline = Andamento.objects.filter(obiettivo__peg=peg).order_by("obiettivo_id", "valid_from")
    return list(objectives), list(phases), list(timeline.values_list(*TIMELINE_COLUMNS))


def assert_as_refreshed(peg: Peg) -> None:
    imported = stored(peg)
    assert imported[0] and imported[1] and imported[2]
    facts.refresh_objectives(Obiettivo.objects.filter(peg=peg).values_list("pk", flat=True))
    assert stored(peg) == imported


@pytest.mark.django_db
def test_the_2021_plan_stores_what_a_refresh_computes():
    result = import_plan_text(DOCUMENT)
    assert_as_refreshed(result.peg)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [3, 11])
def test_a_synthetic_plan_stores_what_a_refresh_computes(seed):
    result = import_plan_text(synthetic_document(240, year=2031, seed=seed))
    assert_as_refreshed(result.peg)


@pytest.mark.django_db
def test_a_second_import_adding_and_changing_objectives_stores_what_a_refresh_computes():
    import_plan_text(synthetic_document(120, year=2031, seed=5))
    result = import_plan_text(synthetic_document(160, year=2031, seed=5), allow_removal=True)
    assert_as_refreshed(result.peg)


def test_copy_lines_escape_what_copy_reads_specially():
    lines = facts.copy_lines([["a\tb", "c\\d", "e\nf\rg", None, True, 3, Decimal("1.50"), dt.date(2021, 3, 4)]])
    assert lines == ["a\\tb\tc\\\\d\te\\nf\\rg\t\\N\tTrue\t3\t1.50\t2021-03-04"]
    assert facts.copy_lines([[object()]]) is None  # unknown: the caller INSERTs instead


@pytest.mark.django_db
def test_copy_rows_gives_back_the_values_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    values = (
        "tab\there \\ back\\slash\nnew line\r\n «àè»",
        Decimal("12.3450"),
        dt.date(2021, 12, 31),
        False,
        dt.datetime(2021, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC),
        None,
        FaseState.COMPLETATA,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copied (a text, b numeric(9, 4), c date, d boolean, e timestamptz, f integer, g text)"
        )
        assert facts.copy_rows(connection, "copied", list("abcdefg"), [values])
        cursor.execute("SELECT a, b, c, d, e, f, g FROM copied")
        assert cursor.fetchall() == [values]
