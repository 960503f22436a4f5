# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Pages do only the work they show: the objectives list, its exports, the dashboard and the unit
pages run the same queries on the 41 objectives of 2021 as on a synthetic PEG seven times as
large (objectives.synthetic), for staff and for a head; the list reads one page of 25 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives import access
from objectives.accounts import create_demo_users
from objectives.models import Obiettivo
from objectives.services import import_plan_text
from objectives.synthetic import enter_monitoring, head_users, synthetic_document

BIG_YEAR = 2025


def make_big_peg(objectives: int = 300, units: int = 30):
    """A synthetic PEG in the 2021 format, monitored by its heads as of 15/10 of its year."""
    peg = import_plan_text(synthetic_document(objectives, year=BIG_YEAR, seed=7, units=units)).peg
    enter_monitoring(peg, percent=60, seed=7, today=dt.date(BIG_YEAR, 10, 15))
    return peg


@pytest.fixture
def two_pegs(peg_2021):
    create_demo_users()
    big = make_big_peg()
    assert Obiettivo.objects.filter(peg=big).count() == 300
    users = get_user_model().objects
    big_head = next(iter(head_users(big).values()))
    return {
        "staff": (users.get(username="staff"), users.get(username="staff")),
        "head": (users.get(username="dirigente.sistemi"), big_head),
    }


def queries(client, user, url, params) -> list[str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return [query["sql"] for query in context.captured_queries]


def pages():
    return [
        ("objectives:dashboard", [], {}),
        ("objectives:dashboard", [], {"al": "30/06/{year}"}),
        ("objectives:list", [], {}),
        ("objectives:list", [], {"sort": "-score_value", "late": "on", "al": "31/12/{year}"}),
        ("objectives:list", [], {"q": "{word}", "page": "2"}),
        ("objectives:export_csv", [], {"sort": "late_count"}),
        ("objectives:export_xlsx", [], {"late": "on"}),
        ("sectors:list", [], {}),
        ("sectors:detail", None, {}),
    ]


@pytest.mark.parametrize("persona", ["staff", "head"])
def test_every_page_runs_the_same_queries_on_41_and_on_300_objectives(client, peg_2021, two_pegs, persona):
    small_user, big_user = two_pegs[persona]
    for name, args, params in pages():
        if name == "sectors:detail":
            small_url = reverse(name, args=[unit_of(small_user, 2021)])
            big_url = reverse(name, args=[unit_of(big_user, BIG_YEAR)])
        else:
            small_url = big_url = reverse(name, args=args)
        small = queries(client, small_user, small_url, {**fill(params, small_user, 2021), "anno": 2021})
        big = queries(client, big_user, big_url, {**fill(params, big_user, BIG_YEAR), "anno": BIG_YEAR})
        assert len(big) == len(small), (name, params, big)
        assert len(big) <= 18, (name, params)


def unit_of(user, year: int) -> int:
    """The head's own unit in the PEG of that year; for staff, its first unit."""
    objectives = Obiettivo.objects.filter(peg__year=year).order_by("pk")
    return (objectives.filter(settore__head__user=user).first() or objectives.first()).settore_id


def fill(params: dict, user, year: int) -> dict:
    """The year, and a word of the title of an objective the user sees (the search finds something)."""
    title = access.visible_objectives(user).filter(peg__year=year).order_by("pk").first().title
    word = max(title.split(), key=len)
    return {key: value.format(year=year, word=word) for key, value in params.items()}


def test_the_list_reads_one_page_of_rows_from_the_database(client, two_pegs):
    staff, _ = two_pegs["staff"]
    sql = queries(client, staff, reverse("objectives:list"), {"anno": BIG_YEAR, "sort": "-score_value", "page": 3})
    assert any("LIMIT 25 OFFSET 50" in query for query in sql)
    client.force_login(staff)
    response = client.get(reverse("objectives:list"), {"anno": BIG_YEAR, "page": 3})
    assert response.context["count"] == 300
    assert len(response.context["table"].page.object_list) == 25


@pytest.mark.parametrize("sort", ["-score_value", "late_count", "title", "-status", ""])
def test_a_page_sorts_ids_alone_then_reads_its_25_rows(client, two_pegs, sort):
    staff, _ = two_pegs["staff"]
    params = {"anno": BIG_YEAR, "sort": sort, "page": 3}
    sql = queries(client, staff, reverse("objectives:list"), params)
    [sort] = [query for query in sql if "LIMIT 25 OFFSET 50" in query]
    assert sort.startswith('SELECT "objectives_obiettivo"."id" AS "pk" FROM'), sort
    assert "sectors_" not in sort, "the unit and heads are read for the 25 rows only"
    # The page shows the rows that sorting whole objectives gives, in that order.
    client.force_login(staff)
    shown = [row.record.pk for row in client.get(reverse("objectives:list"), params).context["table"].paginated_rows]
    table = client.get(reverse("objectives:list"), {**params, "page": 1}).context["table"]
    whole = list(table.data.data.values_list("pk", flat=True))
    assert len(shown) == 25 and shown == whole[50:75]


@pytest.mark.parametrize("persona", ["staff", "head"])
def test_the_list_counts_its_rows_without_reading_their_figures(client, two_pegs, persona):
    _, user = two_pegs[persona]
    sql = queries(client, user, reverse("objectives:list"), {"anno": BIG_YEAR})
    counts = [query for query in sql if "COUNT(" in query and "objectives_obiettivo" in query]
    assert len(counts) == 1
    assert "andamento" not in counts[0]
    # "late only" asks for the figures at the date, in the count too
    sql = queries(client, user, reverse("objectives:list"), {"anno": BIG_YEAR, "late": "on"})
    assert any("COUNT(" in query and "andamento" in query for query in sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_a_page_in_print_order_is_read_down_the_list_index(two_pegs):
    from objectives.tests.test_list_search import plan

    big = Obiettivo.objects.filter(peg__year=BIG_YEAR).values_list("peg_id", flat=True).first()
    page = Obiettivo.objects.filter(peg_id=big).in_list_order()[50:75]
    assert "obiettivo_list_order" in plan(page, "enable_seqscan"), plan(page)


def test_the_dashboard_shows_a_page_of_units_and_says_how_many(client, two_pegs):
    staff, _ = two_pegs["staff"]
    client.force_login(staff)
    response = client.get(reverse("objectives:dashboard"), {"anno": BIG_YEAR, "pagina": 2})
    page = response.content.decode()
    assert len(response.context["panels"]) == 12
    assert "Strutture 13–24 di 30" in page
    assert 'aria-current="page"><span class="visually-hidden">Pagina </span>2</a>' in page
