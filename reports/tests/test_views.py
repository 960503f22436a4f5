# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""'Stampa PDF' views: anonymous → login, outsiders → 404, who may see → the PDF.

One card is sent at once; a unit's cards and the whole PEG are prepared as a job ("Prepara il
PDF" → the job's page → its file), here in-process as under `make run`.

Alice heads the unit with the objective; Bob heads another unit; Nina is the Nucleo di
Valutazione (sees everything); Stefano is logged in with no role.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader

from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO
from objectives.models import FaseState
from tests.factories import DirigenteFactory, FaseFactory, ObiettivoFactory, PegFactory, SettoreFactory, UserFactory


@pytest.fixture
def world(db, settings, tmp_path):
    settings.PEG_PDF_CACHE_DIR = tmp_path / "pdf-cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_BROKER_URL = ""
    peg = PegFactory(year=2021)
    users = {}
    for name, group in [
        ("alice", GROUP_DIRIGENTE),
        ("bob", GROUP_DIRIGENTE),
        ("nina", GROUP_NUCLEO),
        ("stefano", None),
    ]:
        users[name] = UserFactory(username=name)
        if group:
            users[name].groups.add(Group.objects.get_or_create(name=group)[0])
    unit = SettoreFactory(name="SETTORE DI ALICE", head=DirigenteFactory(user=users["alice"], name="Alice Bianchi"))
    other_unit = SettoreFactory(name="SETTORE DI BOB", head=DirigenteFactory(user=users["bob"], name="Bob Verdi"))
    obiettivo = ObiettivoFactory(peg=peg, settore=unit, code="A", title="Digitalizzare i procedimenti")
    FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, weight=60, deadline="30/06/2021")
    FaseFactory(obiettivo=obiettivo, label="2", sort_order=2, weight=40, deadline="31/12/2021")
    other = ObiettivoFactory(peg=peg, settore=other_unit, code="A", title="Obiettivo di Bob")
    FaseFactory(obiettivo=other, label="1", weight=100)
    return SimpleNamespace(peg=peg, unit=unit, other_unit=other_unit, obiettivo=obiettivo, other=other, **users)


def urls(world):
    return [
        reverse("reports:objective_pdf", args=[world.obiettivo.pk]),
        reverse("reports:objective_monitoring_pdf", args=[world.obiettivo.pk]),
        reverse("reports:unit_pdf", args=[world.unit.pk, 2021]),
        reverse("reports:peg_pdf", args=[2021]),
    ]


def read(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def prepared(client, url):
    """'Prepara il PDF' on the document's page, then the link on the job's page."""
    assert "Prepara il PDF" in client.get(url).content.decode()
    job_page = client.post(url, follow=True)
    download = re.search(r'href="(/documenti/\d+/scarica/)"', job_page.content.decode())
    assert download, job_page.content.decode()
    return client.get(download.group(1))


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 302 and "accesso" in response["Location"]


def test_a_user_with_no_role_sees_nothing(client, world):
    client.force_login(world.stefano)
    for url in urls(world):
        assert client.get(url).status_code == 404


def test_another_units_head_gets_404_for_alices_cards(client, world):
    client.force_login(world.bob)
    for url in urls(world):
        assert client.get(url).status_code == 404


def test_the_head_prints_her_objective_and_her_unit(client, world):
    client.force_login(world.alice)
    [page] = read(client.get(reverse("reports:objective_pdf", args=[world.obiettivo.pk])))
    assert "Obiettivo A: Digitalizzare i procedimenti" in page
    [page] = read(prepared(client, reverse("reports:unit_pdf", args=[world.unit.pk, 2021])))
    assert "SETTORE DI ALICE" in page
    assert client.get(reverse("reports:peg_pdf", args=[2021])).status_code == 404


def test_the_nucleo_prints_the_whole_peg(client, world):
    client.force_login(world.nina)
    pages = read(prepared(client, reverse("reports:peg_pdf", args=[2021])))
    assert "PIANO ESECUTIVO DI GESTIONE" in pages[0]
    assert any("Obiettivo di Bob" in page for page in pages[2:])


def test_the_monitoring_card_shows_state_completion_and_achievement(client, world):
    fase = world.obiettivo.fasi.get(label="1")
    fase.state, fase.completed_on = FaseState.COMPLETATA, "2021-06-20"
    fase.save()
    client.force_login(world.alice)
    url = reverse("reports:objective_monitoring_pdf", args=[world.obiettivo.pk])
    [page] = read(client.get(url, {"al": "2021-07-01"}))
    text = " ".join(page.split())
    assert "Stato Completata il Peso conseguito" in text
    assert "Completata 20/06/2021 60%" in text
    # Phase 2 is due 31/12/2021: mid-year, the score so far and the share of the work due that is done.
    assert (
        "Stato di avanzamento al 01/07/2021: 60% (grado di raggiungimento finora); lavoro dovuto al 01/07/2021: "
        "60% di incidenza su 100%, completato per il 100%"
    ) in text
    assert "Completata entro la scadenza" in text
    assert client.get(url, {"al": "ieri"}).status_code == 404


def test_the_monitoring_card_shows_the_heads_progress_in_words_and_the_score_is_unchanged(client, world):
    from objectives import workflow

    fase = world.obiettivo.fasi.get(label="2")
    score = workflow.computed_score(world.obiettivo)
    workflow.update_phase(
        fase=fase,
        user=world.alice,
        version=fase.version,
        state=FaseState.IN_CORSO,
        completed_on=None,
        evidence="",
        progress_percent=40,
        progress_note="Bozza del regolamento inviata",
    )
    client.force_login(world.alice)
    url = reverse("reports:objective_monitoring_pdf", args=[world.obiettivo.pk])
    [page] = read(client.get(url, {"al": "2021-07-01"}))
    assert "Avanzamento 40%: Bozza del regolamento inviata" in " ".join(page.split())
    assert workflow.computed_score(world.obiettivo) == score


def test_the_pages_offer_stampa_pdf_to_whoever_may_see_them(peg_2021, client, django_user_model):
    """The objective, unit and PEG pages link their PDF; heads do not get the whole-PEG button."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from objectives.models import Obiettivo

    staff = django_user_model.objects.create_user("stampa.staff", password="x")
    staff.groups.add(Group.objects.get_or_create(name="Programmazione e Controllo")[0])
    client.force_login(staff)
    obiettivo = Obiettivo.objects.filter(peg=peg_2021).select_related("settore").first()
    detail = client.get(reverse("objectives:detail", args=[obiettivo.pk])).content.decode()
    assert reverse("reports:objective_pdf", args=[obiettivo.pk]) in detail
    unit = client.get(reverse("sectors:detail", args=[obiettivo.settore.pk])).content.decode()
    assert reverse("reports:unit_pdf", args=[obiettivo.settore.pk, 2021]) in unit
    assert reverse("reports:peg_pdf", args=[2021]) in client.get("/").content.decode()
    head = obiettivo.settore.head
    head.user = django_user_model.objects.create_user("stampa.capo", password="x")
    head.save(update_fields=["user"])
    client.force_login(head.user)
    assert reverse("reports:peg_pdf", args=[2021]) not in client.get("/").content.decode()
    assert (
        reverse("reports:objective_pdf", args=[obiettivo.pk])
        in client.get(reverse("objectives:detail", args=[obiettivo.pk])).content.decode()
    )


@pytest.mark.parametrize("al", ["9999-12-31", "1900-01-01", "2031-01-01"])
def test_a_monitoring_card_outside_the_pegs_years_is_not_found(client, world, al):
    client.force_login(world.alice)
    url = reverse("reports:objective_monitoring_pdf", args=[world.obiettivo.pk])
    assert client.get(url, {"al": al}).status_code == 404
    assert client.get(url, {"al": "2021-06-30"}).status_code == 200
