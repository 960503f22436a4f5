# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""`__among` (objectives/lookups.py) finds what `__in` finds, for any list of ids, on a primary key
and on a foreign key; on PostgreSQL the list travels as one array parameter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives.models import Fase, Obiettivo


@pytest.fixture
def ids(peg_2021):
    return sorted(Obiettivo.objects.filter(peg=peg_2021).values_list("pk", flat=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_among_finds_what_in_finds(ids, data):
    # Known ids, unknown ones (past the last), repeats, none at all.
    chosen = data.draw(st.lists(st.sampled_from(ids) | st.integers(ids[-1] + 1, ids[-1] + 50), max_size=60))
    for model, name in ((Obiettivo, "pk"), (Fase, "obiettivo_id"), (Fase, "obiettivo")):
        found = set(model.objects.filter(**{f"{name}__among": chosen}).values_list("pk", flat=True))
        assert found == set(model.objects.filter(**{f"{name}__in": chosen}).values_list("pk", flat=True))
    assert Obiettivo.objects.filter(pk__among=chosen).count() == len(set(chosen) & set(ids))


def test_an_empty_list_finds_nothing_without_a_query(ids):
    with CaptureQueriesContext(connection) as context:
        assert list(Obiettivo.objects.filter(pk__among=[])) == []
    assert context.captured_queries == []


def test_within_an_or_an_empty_list_is_false(ids):
    assert Obiettivo.objects.filter(Q(pk__among=[]) | Q(pk=ids[0])).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array parameter is PostgreSQL's")
def test_on_postgresql_the_ids_are_one_array_parameter(ids):
    with CaptureQueriesContext(connection) as context:
        assert Obiettivo.objects.filter(pk__among=ids).count() == len(ids)
    [query] = context.captured_queries
    assert "= ANY(ARRAY[" in query["sql"] and " IN (" not in query["sql"]
