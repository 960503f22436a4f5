# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The import computes the stored figures of the objectives it inserts before inserting them
(facts.Unsaved): what it stores equals what a refresh from the database computes afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from objectives import facts
from objectives.facts import TIMELINE_COLUMNS
from objectives.models import FASE_STORED_FIGURES, OBIETTIVO_STORED_FIGURES, Andamento, Fase, Obiettivo, Peg
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
