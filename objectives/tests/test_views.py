# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages: every URL tried by every persona, writes by the wrong persona, and the planned queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives import workflow
from objectives.models import Allegato, Fase, FaseState, Nota, Obiettivo, ObiettivoStatus
from tests.factories import FaseFactory, ObiettivoFactory, SettoreFactory

PERSONAS = ["anonymous", "alice", "bob", "carla", "nina", "sara", "root"]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def attachment(world):
    upload = SimpleUploadedFile("delibera.pdf", PDF, content_type="application/pdf")
    upload.peg_content_type = "application/pdf"
    return workflow.add_attachment(fase=world.fase1, user=world.alice, upload=upload)


def client_for(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def set_status(world, status):
    Obiettivo.objects.filter(pk=world.obiettivo.pk).update(status=status)


# --- The permission matrix -----------------------------------------------------------------------

OPEN = ObiettivoStatus.IN_CORSO
REPORTED = ObiettivoStatus.RENDICONTATO
VALIDATED = ObiettivoStatus.VALIDATO

# (name, url builder, objective status, expected status per persona in PERSONAS order)
MATRIX = [
    ("cruscotto", lambda w, a: reverse("objectives:dashboard"), OPEN, [302, 200, 200, 200, 200, 200, 200]),
    ("elenco", lambda w, a: reverse("objectives:list"), OPEN, [302, 200, 200, 200, 200, 200, 200]),
    ("csv", lambda w, a: reverse("objectives:export_csv"), OPEN, [302, 200, 200, 200, 200, 200, 200]),
    ("xlsx", lambda w, a: reverse("objectives:export_xlsx"), OPEN, [302, 200, 200, 200, 200, 200, 200]),
    (
        "obiettivo",
        lambda w, a: reverse("objectives:detail", args=[w.obiettivo.pk]),
        OPEN,
        [302, 200, 404, 200, 200, 200, 200],
    ),
    (
        "obiettivo validato",
        lambda w, a: reverse("objectives:detail", args=[w.obiettivo.pk]),
        VALIDATED,
        [302, 200, 404, 200, 200, 200, 200],
    ),
    (
        "aggiorna fase",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        OPEN,
        [302, 200, 404, 403, 403, 403, 200],
    ),
    (
        "aggiorna fase rinviata",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        ObiettivoStatus.RINVIATO,
        [302, 200, 404, 403, 403, 403, 200],
    ),
    (
        "aggiorna fase rendicontata",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        REPORTED,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    (
        "aggiorna fase validata",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        VALIDATED,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    (
        "rendiconta",
        lambda w, a: reverse("objectives:submit", args=[w.obiettivo.pk]),
        OPEN,
        [302, 200, 404, 403, 403, 403, 200],
    ),
    (
        "rendiconta validato",
        lambda w, a: reverse("objectives:submit", args=[w.obiettivo.pk]),
        VALIDATED,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    (
        "sterilizza",
        lambda w, a: reverse("objectives:neutralise", args=[w.fase2.pk]),
        OPEN,
        [302, 403, 404, 403, 200, 403, 200],
    ),
    (
        "sterilizza validato",
        lambda w, a: reverse("objectives:neutralise", args=[w.fase2.pk]),
        VALIDATED,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    (
        "parziale",
        lambda w, a: reverse("objectives:partial", args=[w.fase2.pk]),
        REPORTED,
        [302, 403, 404, 403, 200, 403, 200],
    ),
    (
        "valida in corso",
        lambda w, a: reverse("objectives:validate", args=[w.obiettivo.pk]),
        OPEN,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    (
        "valida",
        lambda w, a: reverse("objectives:validate", args=[w.obiettivo.pk]),
        REPORTED,
        [302, 403, 404, 403, 200, 403, 200],
    ),
    (
        "rinvia",
        lambda w, a: reverse("objectives:return", args=[w.obiettivo.pk]),
        REPORTED,
        [302, 403, 404, 403, 200, 403, 200],
    ),
    (
        "riapri",
        lambda w, a: reverse("objectives:reopen", args=[w.obiettivo.pk]),
        VALIDATED,
        [302, 403, 404, 403, 403, 403, 200],
    ),
    (
        "riapri in corso",
        lambda w, a: reverse("objectives:reopen", args=[w.obiettivo.pk]),
        OPEN,
        [302, 403, 404, 403, 403, 403, 403],
    ),
    ("allegato", lambda w, a: reverse("objectives:attachment", args=[a.pk]), OPEN, [302, 200, 404, 200, 200, 200, 200]),
    ("strutture", lambda w, a: reverse("sectors:list"), OPEN, [302, 200, 200, 200, 200, 200, 200]),
    ("struttura", lambda w, a: reverse("sectors:detail", args=[w.unit.pk]), OPEN, [302, 200, 404, 404, 200, 200, 200]),
    ("amministrazione", lambda w, a: reverse("admin:index"), OPEN, [302, 302, 302, 302, 302, 200, 200]),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "url", "status", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_each_page_answers_each_persona_as_planned(client, world, attachment, persona, page, url, status, expected):
    set_status(world, status)
    response = client_for(client, world, persona).get(url(world, attachment))
    assert response.status_code == expected[PERSONAS.index(persona)], (page, persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login")) or response["Location"].startswith("/admin/login/")


def test_a_missing_objective_and_a_hidden_one_look_the_same(client, world):
    client.force_login(world.bob)
    hidden = client.get(reverse("objectives:detail", args=[world.obiettivo.pk]))
    missing = client.get(reverse("objectives:detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    assert without_csrf(hidden) == without_csrf(missing)


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- Writes by the wrong persona change nothing ----------------------------------------------------


def snapshot(world):
    fasi = list(Fase.objects.order_by("pk").values_list("state", "completed_on", "evidence", "neutralised", "version"))
    obiettivi = list(Obiettivo.objects.order_by("pk").values_list("status", "validated_score"))
    return fasi, obiettivi, Nota.objects.count(), Allegato.objects.count()


# (name, url builder, objective status, POST data builder, personas allowed to write)
WRITES = [
    (
        "aggiorna fase",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        OPEN,
        lambda w: {"state": FaseState.COMPLETATA, "completed_on": "30/05/2021", "evidence": "x", "version": 1},
        {"alice", "root"},
    ),
    (
        "rendiconta",
        lambda w, a: reverse("objectives:submit", args=[w.obiettivo.pk]),
        OPEN,
        lambda w: {"text": "Relazione"},
        {"alice", "root"},
    ),
    (
        "sterilizza",
        lambda w, a: reverse("objectives:neutralise", args=[w.fase2.pk]),
        OPEN,
        lambda w: {"neutralised": "on", "reason": "Soprintendenza", "version": 1},
        {"nina", "root"},
    ),
    (
        "parziale",
        lambda w, a: reverse("objectives:partial", args=[w.fase2.pk]),
        REPORTED,
        lambda w: {"percent": "50", "reason": "Metà", "version": 1},
        {"nina", "root"},
    ),
    (
        "valida",
        lambda w, a: reverse("objectives:validate", args=[w.obiettivo.pk]),
        REPORTED,
        lambda w: {"on": "15/03/2022", "score": "70", "reason": "Motivata"},
        {"nina", "root"},
    ),
    (
        "rinvia",
        lambda w, a: reverse("objectives:return", args=[w.obiettivo.pk]),
        REPORTED,
        lambda w: {"text": "Integrare"},
        {"nina", "root"},
    ),
    (
        "riapri",
        lambda w, a: reverse("objectives:reopen", args=[w.obiettivo.pk]),
        VALIDATED,
        lambda w: {"text": "Errore materiale"},
        {"root"},
    ),
    (
        "elimina allegato",
        lambda w, a: reverse("objectives:attachment_delete", args=[a.pk]),
        OPEN,
        lambda w: {},
        {"alice", "root"},
    ),
    (
        "aggiorna fase validata",
        lambda w, a: reverse("objectives:phase_update", args=[w.fase1.pk]),
        VALIDATED,
        lambda w: {"state": FaseState.COMPLETATA, "completed_on": "30/05/2021", "evidence": "x", "version": 1},
        set(),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "url", "status", "data", "allowed"), WRITES, ids=[row[0] for row in WRITES])
def test_a_write_by_the_wrong_persona_changes_nothing(
    client, world, attachment, persona, action, url, status, data, allowed
):
    set_status(world, status)
    before = snapshot(world)
    response = client_for(client, world, persona).post(url(world, attachment), data(world))
    if persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(world) != before
    else:
        assert response.status_code in {302, 403, 404}
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
        assert snapshot(world) == before


# --- Phase update through the page -----------------------------------------------------------------


def test_the_head_updates_a_phase_and_the_page_shows_the_new_achievement(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    response = client.post(
        url,
        {"state": FaseState.COMPLETATA, "completed_on": "30/05/2021", "evidence": "Delibera G.C. n. 12", "version": 1},
    )
    assert response.status_code == 302
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "60,00%" in page
    assert "Delibera G.C. n. 12" in page
    assert "30/05/2021" in page


def test_a_stale_form_is_refused_with_a_clear_message_and_nothing_is_overwritten(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    first = {"state": FaseState.IN_CORSO, "completed_on": "", "evidence": "prima", "version": 1}
    second = {"state": FaseState.NON_REALIZZATA, "completed_on": "", "evidence": "seconda", "version": 1}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    assert "modificata da te in un&#x27;altra finestra" in response.content.decode()
    fase = Fase.objects.get(pk=world.fase1.pk)
    assert (fase.state, fase.evidence) == (FaseState.IN_CORSO, "prima")


def test_a_completed_phase_without_a_date_is_refused_by_the_form(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    response = client.post(url, {"state": FaseState.COMPLETATA, "completed_on": "", "evidence": "", "version": 1})
    assert response.status_code == 200
    assert "Indicare la data di completamento" in response.content.decode()
    assert Fase.objects.get(pk=world.fase1.pk).version == 1


def test_dates_are_typed_and_shown_as_dd_mm_yyyy(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    response = client.post(url, {"state": FaseState.COMPLETATA, "completed_on": "2021-05-30x", "version": 1})
    assert "gg/mm/aaaa" in response.content.decode()


# --- Attachments -----------------------------------------------------------------------------------


def upload(client, world, name, content, **extra):
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    data = {"state": FaseState.IN_CORSO, "completed_on": "", "evidence": "", "version": 1}
    return client.post(url, {**data, "attachments": SimpleUploadedFile(name, content)}, **extra)


def test_the_head_attaches_a_pdf_that_only_those_who_see_the_objective_can_download(client, world):
    client.force_login(world.alice)
    assert upload(client, world, "verbale.pdf", PDF).status_code == 302
    allegato = Allegato.objects.get()
    assert allegato.original_name == "verbale.pdf" and allegato.content_type == "application/pdf"
    assert "verbale" not in allegato.file.name  # the stored name is not the uploader's
    client.force_login(world.carla)
    response = client.get(reverse("objectives:attachment", args=[allegato.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world.bob)
    assert client.get(reverse("objectives:attachment", args=[allegato.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programma.exe", b"MZ\x90\x00", "solo file PDF, PNG o JPEG"),
        ("finto.pdf", b"<html>not a pdf</html>", "non corrisponde"),
    ],
)
def test_an_attachment_of_another_type_is_refused(client, world, name, content, message):
    client.force_login(world.alice)
    response = upload(client, world, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Allegato.objects.exists()
    assert Fase.objects.get(pk=world.fase1.pk).version == 1


def test_an_attachment_over_the_size_limit_is_refused(client, world, settings):
    settings.PEG_ATTACHMENT_MAX_BYTES = 10
    client.force_login(world.alice)
    response = upload(client, world, "grande.pdf", PDF)
    assert "supera la dimensione massima" in response.content.decode()
    assert not Allegato.objects.exists()


# --- History ---------------------------------------------------------------------------------------


def test_the_objective_page_shows_who_changed_what_and_when(client, world):
    client.force_login(world.alice)
    client.post(
        reverse("objectives:phase_update", args=[world.fase1.pk]),
        {"state": FaseState.COMPLETATA, "completed_on": "30/05/2021", "evidence": "Delibera", "version": 1},
    )
    client.post(reverse("objectives:submit", args=[world.obiettivo.pk]), {"text": "Relazione conclusiva"})
    client.force_login(world.nina)
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    history = page[page.index('id="cronologia"') :]
    assert "Modifica della fase 1" in history
    assert "Alice Bianchi" in history
    assert "Da avviare → Completata" in history
    assert "In corso → Rendicontato" in history
    assert "Relazione conclusiva" in page


# --- Workflow through the pages --------------------------------------------------------------------


def test_the_validated_objective_page_offers_no_edit_to_its_head(client, world):
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    workflow.validate(
        obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 3, 1), score=Decimal("0"), reason="x"
    )
    client.force_login(world.alice)
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "scheda bloccata" in page
    assert reverse("objectives:phase_update", args=[world.fase1.pk]) not in page


def test_the_nucleo_validates_a_different_score_only_with_a_reason(client, world):
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    client.force_login(world.nina)
    url = reverse("objectives:validate", args=[world.obiettivo.pk])
    response = client.post(url, {"on": "15/03/2022", "score": "90"})
    assert response.status_code == 200
    assert "richiede la motivazione" in response.content.decode()
    assert Obiettivo.objects.get(pk=world.obiettivo.pk).status == ObiettivoStatus.RENDICONTATO


# --- Login -----------------------------------------------------------------------------------------


def test_the_login_page_is_in_italian(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Nome utente" in page and "Accedi" in page


def test_repeated_wrong_passwords_lock_the_login_out(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "sbagliata"})
    response = client.post(reverse("login"), {"username": "alice", "password": "alessandria2021"})
    assert response.status_code == 429
    assert "bloccato" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_head_logs_in_with_the_right_password(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": "alessandria2021"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.alice.pk)


# --- Planned queries -------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_objectives(world, how_many: int) -> None:
    for n in range(how_many):
        settore = SettoreFactory(head=world.unit.head if n % 2 else world.other_unit.head)
        obiettivo = ObiettivoFactory(peg=world.peg, settore=settore)
        for label in range(1, 4):
            FaseFactory(
                obiettivo=obiettivo,
                label=str(label),
                sort_order=label,
                weight=Decimal("33.34") if label == 1 else Decimal("33.33"),
            )


def add_phase_activity(world, how_many: int) -> None:
    for n in range(how_many):
        fase = FaseFactory(obiettivo=world.obiettivo, label=f"9{n}", sort_order=10 + n, weight=Decimal("0"))
        fase.responsabili.add(world.cited_unit.responsabile)
        workflow.update_phase(
            fase=fase, user=world.alice, version=1, state=FaseState.IN_CORSO, completed_on=None, evidence=f"n. {n}"
        )
        upload = SimpleUploadedFile(f"a{n}.pdf", PDF)
        upload.peg_content_type = "application/pdf"
        workflow.add_attachment(fase=fase, user=world.alice, upload=upload)
    Nota.objects.create(obiettivo=world.obiettivo, kind="rinvio", text="nota", author=world.nina)


@pytest.mark.parametrize("persona", ["alice", "nina"])
@pytest.mark.parametrize(
    "page",
    ["objectives:dashboard", "objectives:list", "sectors:list", "objectives:export_xlsx"],
)
def test_list_pages_run_the_same_queries_whatever_the_number_of_objectives(client, world, persona, page):
    client.force_login(getattr(world, persona))
    url = reverse(page)
    before = count_queries(client, url)
    add_objectives(world, 6)
    after = count_queries(client, url)
    assert after == before
    assert after <= 16


@pytest.mark.parametrize("persona", ["alice", "carla", "nina"])
def test_the_objective_page_runs_the_same_queries_whatever_its_phases_and_history(client, world, persona):
    client.force_login(getattr(world, persona))
    url = reverse("objectives:detail", args=[world.obiettivo.pk])
    add_phase_activity(world, 1)
    before = count_queries(client, url)
    add_phase_activity_more = 5
    for n in range(add_phase_activity_more):
        fase = FaseFactory(obiettivo=world.obiettivo, label=f"8{n}", sort_order=30 + n, weight=Decimal("0"))
        workflow.update_phase(
            fase=fase, user=world.alice, version=1, state=FaseState.IN_CORSO, completed_on=None, evidence="x"
        )
        workflow.update_phase(
            fase=fase, user=world.alice, version=2, state=FaseState.DA_AVVIARE, completed_on=None, evidence="y"
        )
    after = count_queries(client, url)
    assert after == before
    assert after <= 16


def test_the_unit_page_runs_the_same_queries_whatever_the_number_of_objectives(client, world):
    client.force_login(world.alice)
    url = reverse("sectors:detail", args=[world.unit.pk])
    before = count_queries(client, url)
    for _ in range(4):
        obiettivo = ObiettivoFactory(peg=world.peg, settore=world.unit)
        FaseFactory(obiettivo=obiettivo, label="1", weight=Decimal("100"))
    assert count_queries(client, url) == before
