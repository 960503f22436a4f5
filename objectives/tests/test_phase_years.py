# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""An objective carried from last year's PEG prints its earlier annualità's phases, monitored there:
they are not updated again in this year's PEG."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from objectives import workflow
from objectives.models import FaseState
from tests.factories import FaseFactory, ObiettivoFactory, PegFactory


@pytest.fixture
def carried(world):
    peg = PegFactory(year=2022)
    obiettivo = ObiettivoFactory(
        peg=peg, settore=world.unit, code="A", title="Seconda annualità", previous=world.obiettivo
    )
    earlier = FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, weight=Decimal("0"), year=2021)
    current = FaseFactory(obiettivo=obiettivo, label="2", sort_order=2, weight=Decimal("100"), year=2022)
    return obiettivo, earlier, current


def test_the_head_updates_this_years_phases_not_those_monitored_last_year(world, carried, client):
    obiettivo, earlier, current = carried
    client.force_login(world.alice)
    page = client.get(reverse("objectives:detail", args=[obiettivo.pk])).content.decode()
    assert reverse("objectives:phase_update", args=[current.pk]) in page
    assert reverse("objectives:phase_update", args=[earlier.pk]) not in page
    assert "monitorata nel PEG 2021" in page
    assert client.get(reverse("objectives:phase_update", args=[earlier.pk])).status_code == 403


def test_the_service_refuses_a_phase_monitored_last_year_and_writes_nothing(world, carried):
    _, earlier, _ = carried
    with pytest.raises(workflow.NotAllowed):
        workflow.update_phase(
            fase=earlier,
            user=world.alice,
            version=earlier.version,
            state=FaseState.COMPLETATA,
            completed_on=dt.date(2022, 5, 1),
            evidence="",
            new_files=[],
        )
    earlier.refresh_from_db()
    assert earlier.state == FaseState.DA_AVVIARE


def test_a_phase_of_another_year_of_an_objective_not_carried_is_still_updated(world):
    later = FaseFactory(obiettivo=world.obiettivo, label="3", sort_order=3, weight=Decimal("0"), year=2022)
    assert not later.monitored_elsewhere
    assert not world.fase1.monitored_elsewhere
