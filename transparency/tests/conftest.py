# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The evaluation's year-end scenario of the 2021 PEG (evaluation/tests/conftest.py), reused, with
the PEG approved and in year-end review (relazione/tests/conftest.py)."""

from evaluation.tests.conftest import fast_password_hasher, scenario  # noqa: F401
from relazione.tests.conftest import peg_in_year_end_review  # noqa: F401
