# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A phase of another annualità is monitored in the PEG of its year, not in this one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from objectives import workflow
from objectives.models import FaseState
from tests.factories import FaseFactory


@pytest.fixture
def next_year_phase(world):
    return FaseFactory(
        obiettivo=world.obiettivo, label="3", sort_order=3, weight=Decimal("0"), year=2022, deadline="30/04/2022"
    )


def test_the_head_updates_only_the_phases_of_the_objectives_year(world, next_year_phase, client):
    client.force_login(world.alice)
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert reverse("objectives:phase_update", args=[world.fase1.pk]) in page
    assert reverse("objectives:phase_update", args=[next_year_phase.pk]) not in page
    assert "annualità 2022" in page
    assert client.get(reverse("objectives:phase_update", args=[next_year_phase.pk])).status_code == 403


def test_the_service_refuses_a_phase_of_another_year_and_writes_nothing(world, next_year_phase):
    with pytest.raises(workflow.NotAllowed):
        workflow.update_phase(
            fase=next_year_phase,
            user=world.alice,
            version=next_year_phase.version,
            state=FaseState.COMPLETATA,
            completed_on=dt.date(2021, 5, 1),
            evidence="",
            new_files=[],
        )
    next_year_phase.refresh_from_db()
    assert next_year_phase.state == FaseState.DA_AVVIARE
