# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The evaluation's year-end scenario of the 2021 PEG (evaluation/tests/conftest.py), reused."""

from evaluation.tests.conftest import fast_password_hasher, scenario  # noqa: F401
