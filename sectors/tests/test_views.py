# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The unit list (/strutture/) and the unit page (/strutture/<pk>/) on the monitored 2021 PEG: the
year's results averaged in SQL equal objectives.selectors.unit_results (computed apart), over the
units the user may see; the unit page lists its objectives with their score or why they have none."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.accounts import create_demo_users
from objectives.models import Obiettivo, ScoreBand
from objectives.selectors import unit_results
from objectives.templatetags.peg_tags import percent
from objectives.tests.test_figures import enter_a_year_of_monitoring
from sectors.models import Settore
from sectors.views import UNITS_PER_PAGE
from tests.factories import FaseFactory, ObiettivoFactory, SettoreFactory


@pytest.fixture
def monitored(peg_2021):
    enter_a_year_of_monitoring(peg_2021)
    create_demo_users()
    ScoreBand.objects.create(peg=peg_2021, min_score=Decimal("60"), pay_share=Decimal("80"), label="Fascia B")
    ScoreBand.objects.create(peg=peg_2021, min_score=Decimal("90"), pay_share=Decimal("100"), label="Fascia A")
    return peg_2021


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def test_the_unit_list_shows_each_units_result_and_objectives(client, monitored):
    login(client, "staff")
    empty = SettoreFactory(name="UFFICIO SENZA OBIETTIVI")
    response = client.get(reverse("sectors:list"), {"anno": 2021})
    rows = {settore.pk: figures for settore, figures in response.context["rows"]}
    assert len(rows) == Settore.objects.count()
    results = unit_results(monitored)
    for unit in results:
        assert (rows[unit.settore.pk].score, rows[unit.settore.pk].objectives) == (unit.score, len(unit.objectives))
    assert set(rows) - {unit.settore.pk for unit in results} == {empty.pk}
    assert (rows[empty.pk].objectives, rows[empty.pk].score) == (0, None)
    assert "UFFICIO SENZA OBIETTIVI" in response.content.decode()


def test_a_head_lists_only_his_units(client, monitored):
    head = login(client, "dirigente.urbanistica")
    response = client.get(reverse("sectors:list"), {"anno": 2021})
    shown = [settore for settore, _ in response.context["rows"]]
    assert {settore.pk for settore in shown} == set(
        Settore.objects.filter(head__user=head).values_list("pk", flat=True)
    )
    assert len(shown) == 2
    expected = {unit.settore.pk: unit.score for unit in unit_results(monitored)}
    for settore, figures in response.context["rows"]:
        assert figures.score == expected[settore.pk]


def test_the_unit_page_shows_the_result_its_band_and_every_objective(client, monitored):
    login(client, "nucleo")
    for unit in unit_results(monitored):
        response = client.get(reverse("sectors:detail", args=[unit.settore.pk]), {"anno": 2021})
        text = html.unescape(response.content.decode())
        assert response.context["result"].score == unit.score
        assert response.context["result"].weighted == unit.weighted
        assert f'id="risultato-struttura">{percent(unit.score)}</p>' in text
        assert response.context["band"] == unit.band
        if unit.band:
            assert f"Fascia: {unit.band.label}" in text
        assert [o.pk for o in response.context["objectives"]] == [r.obiettivo.pk for r in unit.objectives]
        for result, obiettivo in zip(unit.objectives, response.context["objectives"], strict=True):
            assert obiettivo.score_value == result.score
            if result.validated:
                assert "(validato)" in text
            elif result.computed.error:
                assert result.computed.error in text


def test_a_unit_with_weighted_objectives_says_so(client, monitored):
    login(client, "nucleo")
    weighted = next(unit for unit in unit_results(monitored) if unit.weighted)
    response = client.get(reverse("sectors:detail", args=[weighted.settore.pk]), {"anno": 2021})
    assert "(media ponderata)" in response.content.decode()


def test_a_head_cannot_open_another_units_page(client, monitored):
    login(client, "dirigente.sistemi")
    other = Obiettivo.objects.filter(peg=monitored).exclude(settore__head__user__username="dirigente.sistemi").first()
    assert client.get(reverse("sectors:detail", args=[other.settore_id])).status_code == 404


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, {"anno": 2021}).status_code == 200
    return len(context.captured_queries)


def test_the_unit_pages_run_the_same_queries_whatever_the_number_of_objectives(client, monitored):
    head = login(client, "dirigente.sistemi")
    settore = Settore.objects.filter(head__user=head).first()
    pages = [reverse("sectors:list"), reverse("sectors:detail", args=[settore.pk])]
    before = [count(client, url) for url in pages]
    for index in range(30):
        obiettivo = ObiettivoFactory(peg=monitored, settore=settore, code=f"N{index}")
        FaseFactory(obiettivo=obiettivo, label="1", weight=Decimal("100"))
    assert [count(client, url) for url in pages] == before


def test_the_unit_list_shows_fifty_units_a_page(client, monitored):
    login(client, "staff")
    for index in range(50):
        SettoreFactory(name=f"UFFICIO {index:02d}", print_order=1000 + index)
    total = Settore.objects.count()
    first = client.get(reverse("sectors:list"), {"anno": 2021})
    last = client.get(reverse("sectors:list"), {"anno": 2021, "pagina": 2})
    assert len(first.context["rows"]) == UNITS_PER_PAGE
    assert len(last.context["rows"]) == total - UNITS_PER_PAGE
    assert [s.pk for s, _ in first.context["rows"] + last.context["rows"]] == list(
        Settore.objects.order_by("print_order", "name", "pk").values_list("pk", flat=True)
    )
    assert f"Strutture 51–{total} di {total}" in html.unescape(last.content.decode())
    assert 'href="?anno=2021&amp;pagina=1"' in last.content.decode()
