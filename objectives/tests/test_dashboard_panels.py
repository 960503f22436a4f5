# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The dashboard on the monitored 2021 PEG: a page of unit panels, each with the calculator's result at
the date, its objectives, its late phases (the first five, then "e altre N") and the deadlines
coming up; a head sees his own units only."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from objectives.accounts import create_demo_users
from objectives.calculator import effective_score, weighted_mean
from objectives.models import Obiettivo
from objectives.selectors import monitoring
from objectives.tests.test_figures import enter_a_year_of_monitoring
from objectives.views import DASHBOARD_UNITS_PER_PAGE, PANEL_ROWS, UPCOMING_DAYS

ON = dt.date(2021, 9, 30)
AL = ON.strftime("%d/%m/%Y")


@pytest.fixture
def monitored(peg_2021):
    enter_a_year_of_monitoring(peg_2021)
    create_demo_users()
    return peg_2021


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def calculator_units(peg, on):
    """Per unit id: (mean, objectives, late phase ids, upcoming phase ids) from the calculator."""
    horizon = on + dt.timedelta(days=UPCOMING_DAYS)
    units = {}
    for unit in monitoring(peg, on).units:
        values = [(effective_score(p.obiettivo, p.score), p.obiettivo.weight) for p in unit.objectives]
        mean, _ = weighted_mean([value for value in values if value[0] is not None], int(peg.score_decimals))
        upcoming = {
            row.fase.pk
            for progress in unit.objectives
            for row in progress.score.rows
            if row.counted and row.completed_on is None and on <= row.due_date <= horizon
        }
        units[unit.settore.pk] = (mean, len(unit.objectives), [row.fase.pk for row in unit.late_phases], upcoming)
    return units


def panels(client, **params):
    response = client.get(reverse("objectives:dashboard"), {"anno": 2021, "al": AL, **params})
    assert response.status_code == 200
    return response, response.context["panels"]


def test_the_staff_see_the_units_a_page_at_a_time_with_the_calculators_figures(client, monitored):
    login(client, "staff")
    expected = calculator_units(monitored, ON)
    assert len(expected) == 14
    first, page_one = panels(client)
    second, page_two = panels(client, pagina=2)
    assert len(page_one) == DASHBOARD_UNITS_PER_PAGE and len(page_two) == 14 - DASHBOARD_UNITS_PER_PAGE
    assert [panel.settore.pk for panel in page_one + page_two] == list(expected)  # print order
    for panel in page_one + page_two:
        mean, objectives, late, upcoming = expected[panel.settore.pk]
        assert (panel.score, panel.objectives) == (mean, objectives)
        assert [row["pk"] for row in panel.late.rows] == late[:PANEL_ROWS]
        assert panel.late.total == len(late)
        assert {row["pk"] for row in panel.upcoming.rows} <= upcoming
        assert panel.upcoming.total == len(upcoming)
        assert len(panel.upcoming.rows) == min(PANEL_ROWS, len(upcoming))
    text = html.unescape(first.content.decode())
    assert "Strutture 1–12 di 14" in text
    assert 'href="?anno=2021&al=30%2F09%2F2021&pagina=2"' in text


def test_a_unit_with_more_late_phases_than_shown_says_how_many_more(client, monitored):
    login(client, "staff")
    _, shown = panels(client, al="31/12/2021")
    busiest = max(shown, key=lambda panel: panel.late.total)
    assert busiest.late.total > PANEL_ROWS
    response, _ = panels(client, al="31/12/2021")
    assert f"… e altre {busiest.late.total - PANEL_ROWS}</li>" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, monitored):
    login(client, "staff")
    _, shown = panels(client, pagina="999")
    assert len(shown) == 14 - DASHBOARD_UNITS_PER_PAGE
    _, shown = panels(client, pagina="abc")
    assert len(shown) == DASHBOARD_UNITS_PER_PAGE


def test_a_head_sees_only_his_units_and_their_figures(client, monitored):
    head = login(client, "dirigente.urbanistica")  # AREA TECNICA and URBANISTICA E PATRIMONIO
    own = set(Obiettivo.objects.filter(peg=monitored, settore__head__user=head).values_list("settore_id", flat=True))
    assert len(own) == 2
    expected = calculator_units(monitored, ON)
    response, shown = panels(client)
    assert {panel.settore.pk for panel in shown} == own
    for panel in shown:
        mean, objectives, late, _ = expected[panel.settore.pk]
        assert (panel.score, panel.objectives, panel.late.total) == (mean, objectives, len(late))
    text = html.unescape(response.content.decode())
    others = Obiettivo.objects.filter(peg=monitored).exclude(settore_id__in=own).select_related("settore")
    for obiettivo in others:
        assert obiettivo.settore.name not in text
    assert "pagine-strutture" not in text  # two panels: no pages


def test_a_user_without_units_sees_none(client, monitored):
    user = get_user_model().objects.create_user("senza.strutture")
    client.force_login(user)
    response, shown = panels(client)
    assert shown == []
    assert "Nessuna struttura da mostrare per il tuo profilo." in response.content.decode()
