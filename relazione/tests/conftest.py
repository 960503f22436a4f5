# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The evaluation's year-end scenario of the 2021 PEG (evaluation/tests/conftest.py), reused."""

import datetime as dt

import pytest

from cycle.services import approve_peg
from evaluation.tests.conftest import fast_password_hasher, scenario  # noqa: F401
from objectives.workflow import open_year_end_review


@pytest.fixture(autouse=True)
def peg_in_year_end_review(request):
    """The Relazione is validated (closing the PEG, cycle.services.close_peg) once the Giunta approved
    the PEG and the Nucleo opened the year-end review; publication needs an approved PEG (the
    transparency tests reuse this fixture)."""
    if "scenario" not in request.fixturenames:
        return
    world = request.getfixturevalue("scenario")
    approve_peg(peg=world.peg, user=world.sara, number="45", date=dt.date(2021, 3, 15))
    open_year_end_review(peg=world.peg, user=world.nina, closing_date=dt.date(2022, 2, 28))
    world.peg.refresh_from_db()
