# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The workflow tests' personas (objectives/tests/conftest.py): Alice heads the unit of objective A,
Bob another unit, Carla is cited, Nina is the Nucleo, Sara is staff, Root the administrator."""

import pytest
from django.core.cache import cache

from objectives.tests.conftest import fast_password_hasher, world  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_badge_cache():
    """The header's count is cached per user id: ids are reused from one test to the next."""
    cache.clear()
    yield
    cache.clear()
