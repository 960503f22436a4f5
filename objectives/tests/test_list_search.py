# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The list's text search: on PostgreSQL an Italian full-text search over Obiettivo.search_text that
the GIN index obiettivo_search_vector_gin answers; on SQLite every word contained in search_text. On
both it reads the card's texts, the unit's name and the phases' descriptions, and an objective's
code finds it. Run on PostgreSQL with DATABASE_URL=postgres://…; the index test is skipped elsewhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from objectives.filters import text_search
from objectives.models import Obiettivo
from tests.factories import FaseFactory, ObiettivoFactory

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def nina(client, world):
    client.force_login(world.nina)
    return client


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def test_a_word_of_the_title_finds_the_objective(nina):
    assert titles(nina.get(reverse("objectives:list"), {"q": "procedimenti"})) == ["Digitalizzare i procedimenti"]


def test_every_word_must_match(nina):
    assert titles(nina.get(reverse("objectives:list"), {"q": "procedimenti Bob"})) == []


def test_a_phase_description_and_the_units_name_are_searched(nina, world):
    FaseFactory(obiettivo=world.other, label="2", sort_order=2, weight=Decimal("0"), description="Censimento arboreo")
    assert titles(nina.get(reverse("objectives:list"), {"q": "censimento"})) == ["Obiettivo di Bob"]
    assert titles(nina.get(reverse("objectives:list"), {"q": "settore alice"})) == ["Digitalizzare i procedimenti"]


def test_the_code_finds_the_objective(nina, world):
    ObiettivoFactory(peg=world.peg, settore=world.other_unit, code="Z9", title="Altro obiettivo")
    assert titles(nina.get(reverse("objectives:list"), {"q": "z9"})) == ["Altro obiettivo"]


def test_a_head_searches_only_what_he_may_see(client, world):
    client.force_login(world.bob)
    assert titles(client.get(reverse("objectives:list"), {"q": "procedimenti"})) == []
    assert titles(client.get(reverse("objectives:list"), {"q": "obiettivo"})) == ["Obiettivo di Bob"]


@pytest.mark.skipif(not POSTGRES, reason="the Italian full-text search runs on PostgreSQL")
def test_italian_stemming_finds_other_forms_of_a_word(nina):
    # "procedimento" and "procedimenti" share the Italian stem.
    assert titles(nina.get(reverse("objectives:list"), {"q": "procedimento"})) == ["Digitalizzare i procedimenti"]
    # Stop words ("i", "dei") are not required to match.
    assert titles(nina.get(reverse("objectives:list"), {"q": "digitalizzare dei procedimenti"})) == [
        "Digitalizzare i procedimenti"
    ]


@pytest.mark.skipif(POSTGRES, reason="the plain fallback of SQLite")
def test_sqlite_matches_each_word_contained_in_the_text(nina):
    assert titles(nina.get(reverse("objectives:list"), {"q": "DIGITAL proced"})) == ["Digitalizzare i procedimenti"]


def plan(queryset, *switched_off: str) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for name in switched_off:
            cursor.execute(f"SET {name} = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for name in switched_off:
                cursor.execute(f"SET {name} = on")


@pytest.mark.skipif(not POSTGRES, reason="the GIN index exists on PostgreSQL only")
@pytest.mark.parametrize("query", ["procedimenti", "a", "digitalizzare i procedimenti"])
def test_the_search_condition_is_the_expression_of_the_gin_index(world, query):
    searched = Obiettivo.objects.filter(text_search(Obiettivo.objects.all(), query))
    assert "obiettivo_search_vector_gin" in plan(searched, "enable_seqscan"), plan(searched)
