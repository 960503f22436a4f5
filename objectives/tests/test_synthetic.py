# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The synthetic PEG: a document in the 2021 format that the import reads, and monitoring entered
through the workflow as the heads would enter it (manage.py generate_peg)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from objectives.models import Fase, FaseState, Nota, NotaKind, Obiettivo, ObiettivoStatus, Peg
from objectives.services import read_plan
from objectives.synthetic import synthetic_document, unit_count


def test_the_same_arguments_give_the_same_document_and_another_seed_another():
    assert synthetic_document(120, year=2031, seed=7) == synthetic_document(120, year=2031, seed=7)
    assert synthetic_document(120, year=2031, seed=7) != synthetic_document(120, year=2031, seed=8)


def test_the_document_parses_with_the_cases_of_the_2021_cards():
    plan = read_plan(synthetic_document(660, year=2031, seed=3))
    assert plan.year == 2031 and plan.status == "provvisorio"
    assert len(plan.objectives) == 660
    assert len({o.unit for o in plan.objectives}) == unit_count(660) == 20
    catalogue = {code for code, _ in plan.responsabili}
    cited = [code for o in plan.objectives for phase in o.phases for code in phase.codes]
    assert cited and set(cited) <= catalogue
    # Multi-year objectives: an annualità of the PEG year, phases counting in the next one.
    multi = [o for o in plan.objectives if o.tranches]
    assert multi and all({p.year for p in o.phases} == {2031, 2032} for o in multi)
    labels = {p.label for o in plan.objectives for p in o.phases}
    assert any(label.endswith("b") for label in labels)  # sub-phases 2 a) / b)
    kinds = {p.deadline_text.split(" ")[0] for o in plan.objectives for p in o.phases}
    assert {"in", "Conclusa"} <= kinds  # "in corso d'anno", a phase done the year before
    assert any("dalla conclusione della fase" in p.deadline_text for o in plan.objectives for p in o.phases)
    roles = {o.head_role for o in plan.objectives}
    assert {"dirigente", "responsabile_po", "direttore"} <= roles
    assert 3.5 < sum(len(o.phases) for o in plan.objectives) / 660 < 4.6


@pytest.mark.django_db
def test_generate_peg_imports_the_plan_and_enters_monitoring_through_the_workflow(capsys):
    call_command("generate_peg", objectives=90, year=2021, seed=5, monitoring=60)
    out = capsys.readouterr().out
    assert "PEG 2021 importato: 3 strutture, 90 obiettivi" in out
    assert "Monitoraggio inserito su" in out
    peg = Peg.objects.get(year=2021)
    assert peg.obiettivi.count() == 90
    completed = Fase.objects.filter(obiettivo__peg=peg, state=FaseState.COMPLETATA)
    assert completed.exists()
    for fase in completed[:20]:
        # Written by the unit's head through workflow.update_phase: his name in the phase's history.
        last = fase.history.order_by("-history_id").first()
        assert last.history_user == fase.obiettivo.settore.head.user
        assert dt.date(2021, 1, 1) <= fase.completed_on
    reported = Obiettivo.objects.filter(peg=peg).exclude(status=ObiettivoStatus.IN_CORSO)
    assert reported.exists()
    assert Nota.objects.filter(obiettivo__in=reported, kind=NotaKind.RENDICONTAZIONE).count() == reported.count()


@pytest.mark.django_db
def test_generate_peg_never_touches_an_existing_year():
    call_command("generate_peg", objectives=10, year=2030, monitoring=0)
    with pytest.raises(CommandError, match="Il PEG 2030 esiste già"):
        call_command("generate_peg", objectives=20, year=2030)
    assert Obiettivo.objects.filter(peg__year=2030).count() == 10
