# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The workflow's personas (objectives/tests/conftest.py) and their PEG at each state of the cycle.

world.obiettivo (SETTORE DI ALICE, A) has phase 1 (60%, 30/06/2021) and phase 2 (40%, 31/12/2021).
"""

from __future__ import annotations

import datetime as dt

import pytest

from cycle import services
from objectives import workflow
from objectives.tests.conftest import fast_password_hasher, world  # noqa: F401

APPROVAL = {"number": "45", "date": dt.date(2021, 3, 15)}


@pytest.fixture
def approved(world):  # noqa: F811
    services.approve_peg(peg=world.peg, user=world.sara, **APPROVAL)
    world.peg.refresh_from_db()
    world.obiettivo.refresh_from_db()
    return world


@pytest.fixture
def in_review(approved):
    workflow.open_year_end_review(peg=approved.peg, user=approved.nina, closing_date=dt.date(2022, 2, 28))
    approved.peg.refresh_from_db()
    return approved
