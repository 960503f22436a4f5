# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Le mie attività: what each persona has to do, as the landing page after login."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Scheda, SchedaStatus
from objectives import workflow
from objectives.models import FaseState
from tests.factories import FaseFactory, ObiettivoFactory, PegFactory

URL = reverse("activities:my_tasks")


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def phase_rows(response):
    return [task.fase for task in response.context["tasks"].head.phases] if response.context["tasks"].head else []


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_after_login_the_user_lands_on_my_tasks_and_the_dashboard_keeps_its_address(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": "alessandria2021"})
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get(reverse("objectives:dashboard")).status_code == 200
    assert reverse("objectives:dashboard") == "/"


def test_a_head_sees_his_late_and_upcoming_phases_each_with_an_aggiorna_button(client, world):
    response = page(client, world.alice)  # default date of the 2021 PEG: 31/12/2021
    assert phase_rows(response) == [world.fase1, world.fase2]
    html = response.content.decode()
    assert "in ritardo di 184 giorni" in html  # fase 1, due 30/06/2021
    for fase in (world.fase1, world.fase2):
        assert f'href="{reverse("objectives:phase_update", args=[fase.pk])}"' in html
    assert "Obiettivo di Bob" not in html and f"fase-{world.other_fase.pk}" not in html


def test_the_aggiorna_buttons_open_the_phase_form(client, world):
    response = page(client, world.alice)
    for task in response.context["tasks"].head.phases:
        form = client.get(reverse("objectives:phase_update", args=[task.fase.pk]))
        assert form.status_code == 200


def test_only_phases_due_within_thirty_days_or_late_are_listed(client, world):
    assert phase_rows(page(client, world.alice, "?al=15/06/2021")) == [world.fase1]
    assert phase_rows(page(client, world.alice, "?al=15/05/2021")) == []
    assert "Nessuna fase in ritardo o in scadenza." in page(client, world.alice, "?al=15/05/2021").content.decode()


def test_completed_and_not_realised_phases_are_not_tasks(client, world):
    world.fase1.state, world.fase1.completed_on = FaseState.COMPLETATA, dt.date(2021, 7, 10)
    world.fase1.save()
    world.fase2.state = FaseState.NON_REALIZZATA
    world.fase2.save()
    assert phase_rows(page(client, world.alice)) == []


def test_reported_and_validated_objectives_never_appear_in_the_heads_list(client, world):
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    assert phase_rows(page(client, world.alice)) == []
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 1, 31))
    response = page(client, world.alice)
    assert phase_rows(response) == [] and response.context["tasks"].head.returned == []


def test_an_objective_returned_by_the_nucleo_comes_first_with_its_reason(client, world):
    late_other = ObiettivoFactory(peg=world.peg, settore=world.unit, code="B", print_order=0)
    early = FaseFactory(obiettivo=late_other, label="1", weight=Decimal("100"), deadline="31/03/2021")
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    workflow.return_to_head(obiettivo=world.obiettivo, user=world.nina, notes="Manca l'evidenza della fase 1")
    response = page(client, world.alice)
    assert phase_rows(response) == [world.fase1, world.fase2, early]  # returned A before B, though B is later
    html = response.content.decode()
    assert "Obiettivi rinviati dal Nucleo" in html and "Manca l&#x27;evidenza della fase 1" in html


def test_the_nucleo_sees_the_reported_objectives_and_the_review_requests(client, world):
    assert page(client, world.nina).context["tasks"].nucleo.count == 0
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    scheda = Scheda.objects.create(
        peg=world.peg,
        dirigente=world.unit.head,
        status=SchedaStatus.RIESAME_RICHIESTO,
        total=Decimal("80"),
        review_reason="Il punteggio non considera la fase 2",
        review_requested_at=timezone.now(),
    )
    response = page(client, world.nina)
    html = response.content.decode()
    assert f'data-testid="rendicontato-{world.obiettivo.pk}"' in html
    assert f'href="{reverse("objectives:detail", args=[world.obiettivo.pk])}"' in html
    assert f'href="{reverse("evaluation:scheda", args=[scheda.pk])}"' in html
    assert response.context["tasks"].head is None  # the Nucleo heads nothing


def test_staff_sees_the_objectives_behind_schedule_per_unit(client, world):
    response = page(client, world.sara, "?al=15/07/2021")
    units = response.context["tasks"].staff
    assert [(u.settore, [p.obiettivo for p in u.objectives]) for u in units] == [(world.unit, [world.obiettivo])]
    assert f'data-testid="struttura-{world.unit.pk}"' in response.content.decode()
    assert response.context["tasks"].nucleo is None and response.context["tasks"].head is None


def test_a_user_with_no_role_is_told_there_is_nothing_to_do(client, world):
    from objectives.tests.conftest import user_in

    response = page(client, user_in("ospite"))
    assert "Non ci sono attività per il tuo profilo." in response.content.decode()


COUNT = reverse("activities:count")


def badge(client, user=None) -> int:
    if user is not None:
        client.force_login(user)
    response = client.get(COUNT)
    assert response.status_code == 200
    return response.json()["count"]


def test_the_header_carries_the_badge_its_script_fills_in(client, world):
    client.force_login(world.alice)
    html = client.get(reverse("objectives:list")).content.decode()
    assert f'data-activities-count="{COUNT}"' in html and "activities/count.js" in html
    assert client.get(COUNT).status_code == 200
    client.logout()
    assert client.get(COUNT).status_code == 302  # to the login


def test_the_header_counts_the_users_tasks(client, world):
    assert badge(client, world.alice) == 2
    assert badge(client, world.bob) == 1
    assert badge(client, world.sara) == 1  # staff: the objectives behind schedule (A, late since 30/06/2021)
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    assert badge(client, world.nina) == 1  # the Nucleo: the objective awaiting validation
    assert badge(client, world.alice) == 0


def _queries(client, user, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + query).status_code == 200
    return len(captured)


def _grow(world, objectives=6):
    for n in range(objectives):
        obiettivo = ObiettivoFactory(peg=world.peg, settore=world.unit, code=f"N{n}")
        for label in ("1", "2", "3"):
            FaseFactory(obiettivo=obiettivo, label=label, weight=Decimal("33.33") if label != "3" else Decimal("33.34"))
        workflow.submit_report(obiettivo=obiettivo, user=world.alice, comment="Fatto") if n % 2 else None
        Scheda.objects.get_or_create(
            peg=world.peg,
            dirigente=world.other_unit.head,
            defaults={"status": SchedaStatus.RIESAME_RICHIESTO, "total": Decimal("70"), "review_reason": "Motivo"},
        )


@pytest.mark.parametrize("persona", ["alice", "nina", "sara", "root"])
def test_the_page_runs_the_same_number_of_queries_whatever_the_data(client, world, persona):
    user = getattr(world, persona)
    before = _queries(client, user)
    _grow(world)
    after = _queries(client, user)
    assert after == before
    assert after <= 20


def test_the_badge_costs_one_query_while_the_data_is_unchanged_and_a_fixed_number_otherwise(client, world):
    client.force_login(world.alice)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            badge(client)
        return len(captured)

    cold = queries()
    warm = queries()
    _grow(world)
    grown = queries()
    assert badge(client) == 11  # 3 open new objectives × 3 phases due 31/12
    assert grown == cold <= 12
    assert warm == 3  # the session, the user, the data stamp


def test_the_badge_follows_an_update_at_once(client, world):
    assert badge(client, world.alice) == 2
    fase = world.fase1
    workflow.update_phase(
        fase=fase,
        user=world.alice,
        version=fase.version,
        state=FaseState.COMPLETATA,
        completed_on=dt.date(2021, 6, 28),
        evidence="Determina n. 1",
    )
    assert badge(client) == 1


def test_no_page_pays_for_the_badge(client, world):
    client.force_login(world.alice)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("objectives:list"))
    assert not [q for q in captured.captured_queries if "history_id" in q["sql"]]


def test_the_2021_plan_gives_each_demo_user_their_tasks_in_bounded_queries(client, peg_2021):
    call_command("create_demo_users", verbosity=0)
    User = get_user_model()
    head = User.objects.get(username="dirigente.sistemi")
    response = page(client, head)
    tasks = response.context["tasks"]
    assert tasks.head.phases, "the 2021 plan at 31/01/2022 has phases of open objectives to update"
    assert all(task.obiettivo.settore.head.user_id == head.pk for task in tasks.head.phases)
    assert all(task.obiettivo.status in ("in_corso", "rinviato") for task in tasks.head.phases)
    for username in ("dirigente.sistemi", "nucleo", "staff"):
        assert _queries(client, User.objects.get(username=username)) <= 20
    staff = page(client, User.objects.get(username="staff")).context["tasks"]
    assert staff.staff and all(unit.objectives for unit in staff.staff)


def test_a_return_of_an_older_peg_still_waits_on_the_latest_pegs_page(client, world):
    newer = ObiettivoFactory(peg=PegFactory(year=2022), settore=world.unit, code="A")
    FaseFactory(obiettivo=newer, label="1", weight=Decimal("100"), deadline="31/12/2022")
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    workflow.return_to_head(obiettivo=world.obiettivo, user=world.nina, notes="Manca l'evidenza")
    response = page(client, world.alice)
    tasks = response.context["tasks"]
    assert tasks.peg.year == 2022 and phase_rows(response) == [newer.fasi.get()]
    assert [item.obiettivo for item in tasks.head.returned] == [world.obiettivo]
    assert "PEG 2021 · SETTORE DI ALICE – obiettivo A" in response.content.decode()
    assert phase_rows(page(client, world.alice, "?anno=2021")) == [world.fase1, world.fase2]


def test_a_date_outside_the_peg_is_refused_in_italian_and_the_default_shown(client, world):
    response = page(client, world.alice, "?al=31/02/2021")
    assert response.context["tasks"].on == dt.date(2021, 12, 31)
    assert "gg/mm/aaaa" in response.content.decode()
