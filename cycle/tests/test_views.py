# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The cycle's page and forms, the objective page's variation block, the printed cover and card,
and the admin door: what each role sees and may do."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cycle import services
from objectives.models import Fase, Obiettivo, Peg, PegStatus

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def pdf_of(response) -> bytes:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture(autouse=True)
def pdf_cache(settings, tmp_path):
    settings.PEG_PDF_CACHE_DIR = tmp_path / "pdf-cache"


def varied(world):
    return services.apply_variazione(
        obiettivo=world.obiettivo,
        user=world.sara,
        number="120",
        date=dt.date(2021, 7, 10),
        reason="Ritardo del finanziamento regionale",
        changes=services.Changes(
            phase_deadlines={world.fase1.pk: "30/09/2021"},
            phase_weights={world.fase1.pk: Decimal("70"), world.fase2.pk: Decimal("30")},
        ),
    )


# Who sees the page and who acts ------------------------------------------------------------------


def test_the_cycle_page_is_for_those_who_see_the_whole_peg(client, world):
    url = reverse("cycle:peg", args=[2021])
    assert client.get(url).status_code == 302  # to the login
    for outsider in (world.alice, world.carla):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("cycle:index")).status_code == 404
        assert client.post(reverse("cycle:approve", args=[2021]), {"number": "45"}).status_code == 404
    client.force_login(world.nina)
    assert client.get(reverse("cycle:peg", args=[2030])).status_code == 404
    page = client.get(url).content.decode()
    assert "Stato: <strong>Provvisorio</strong>" in page and "form-approvazione" not in page
    assert 'id="nav-ciclo"' in page


def test_the_nucleo_sees_the_page_but_may_not_approve_nor_vary(client, world):
    client.force_login(world.nina)
    response = client.post(reverse("cycle:approve", args=[2021]), {"number": "45", "date": "15/03/2021"})
    assert response.status_code == 403
    assert client.get(reverse("cycle:variation", args=[2021])).status_code == 403
    assert Peg.objects.get(pk=world.peg.pk).status == PegStatus.PROVVISORIO


def test_staff_approve_from_the_page_and_the_act_is_in_its_history(client, world):
    client.force_login(world.sara)
    page = client.get(reverse("cycle:peg", args=[2021])).content.decode()
    assert "form-approvazione" in page and "nuova-variazione" not in page

    refused = client.post(reverse("cycle:approve", args=[2021]), {"number": "45", "date": "31/02/2021"})
    assert "Inserire una data nel formato gg/mm/aaaa." in refused.content.decode()
    refused = client.post(reverse("cycle:approve", args=[2021]), {"number": "45", "date": "01/01/2019"})
    assert "non può precedere il 01/01/2020" in refused.content.decode()
    assert Peg.objects.get(pk=world.peg.pk).status == PegStatus.PROVVISORIO

    response = client.post(reverse("cycle:approve", args=[2021]), {"number": "45", "date": "15/03/2021"}, follow=True)
    page = response.content.decode()
    assert "Stato: <strong>Approvato</strong>" in page
    assert "deliberazione della Giunta Comunale n. 45 del 15/03/2021" in page
    assert "Approvazione del PEG (Giunta)" in page and "nuova-variazione" in page
    assert "form-approvazione" not in page


def test_staff_record_a_variation_from_the_form(client, approved):
    world = approved
    client.force_login(world.sara)
    url = reverse("cycle:variation", args=[2021])
    chooser = client.get(url).content.decode()
    assert "SETTORE DI ALICE – Obiettivo A" in chooser
    form_url = f"{url}?obiettivo={world.obiettivo.pk}"
    page = client.get(form_url)
    form = page.context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data[f"weight_{world.fase1.pk}"] = "70"
    data.update({"number": "120", "date": "10/07/2021", "reason": "Nuova ripartizione"})

    refused = client.post(form_url, data)
    assert "Le incidenze delle fasi devono sommare a 100% per ogni annualità" in refused.content.decode()
    assert Fase.objects.get(pk=world.fase1.pk).weight == Decimal("60")

    data[f"weight_{world.fase2.pk}"] = "30"
    response = client.post(form_url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"/obiettivi/{world.obiettivo.pk}/#variazioni")
    assert [f.weight for f in Fase.objects.filter(obiettivo=world.obiettivo).order_by("sort_order")] == [70, 30]


def test_no_variation_form_on_a_provisional_peg(client, world):
    client.force_login(world.sara)
    response = client.get(reverse("cycle:variation", args=[2021]), follow=True)
    assert "è provvisorio: il piano si modifica direttamente" in response.content.decode()


# The objective page --------------------------------------------------------------------------


def test_the_objective_page_shows_the_variation_with_old_and_new_values(client, approved):
    world = approved
    client.force_login(world.alice)
    url = reverse("objectives:detail", args=[world.obiettivo.pk])
    assert 'id="variazioni"' not in client.get(url).content.decode()
    varied(world)
    page = client.get(url).content.decode()
    assert "Variato con deliberazione n. 120 del 10/07/2021" in page
    assert "Ritardo del finanziamento regionale" in page
    assert re.search(r"Incidenza della fase 1: <span[^>]*>60%</span> → <strong>70%</strong>", page)
    assert re.search(
        r"Scadenza prevista della fase 1: <span[^>]*>30/06/2021</span> → <strong>30/09/2021</strong>", page
    )
    assert "?versione=approvato" in page


# Printed: the cover and the card as approved or as varied ---------------------------------------


def test_the_cover_states_the_pegs_state_and_its_acts(approved):
    from reports import services as reports

    varied(approved)
    cover = text_of(reports.peg_pdf(Peg.objects.get(pk=approved.peg.pk), workers=1)).split("Indice")[0]
    assert "PIANO ESECUTIVO DI GESTIONE (P.E.G.) APPROVATO (Obiettivi 2021)" in cover
    assert "Approvato con deliberazione della Giunta Comunale n. 45 del 15/03/2021" in cover
    assert "Variato con deliberazione n. 120 del 10/07/2021" in cover


def test_the_card_prints_as_approved_or_as_varied(client, approved):
    world = approved
    varied(world)
    client.force_login(world.alice)
    url = reverse("reports:objective_pdf", args=[world.obiettivo.pk])

    as_varied = text_of(pdf_of(client.get(url)))
    as_approved = text_of(pdf_of(client.get(url + "?versione=approvato")))

    assert "Scheda come variata con deliberazione n. 120 del 10/07/2021" in as_varied
    assert re.search(r"fase 1: Fase di prova 70% 30/09/2021", as_varied)
    assert "Scheda come approvata con deliberazione n. 45 del 15/03/2021, prima delle variazioni." in as_approved
    assert re.search(r"fase 1: Fase di prova 60% 30/06/2021", as_approved)
    assert "30/09/2021" not in as_approved and "70%" not in as_approved
    assert client.get(url + "?versione=qualsiasi").status_code == 404


def test_a_card_never_varied_prints_as_before(client, approved):
    client.force_login(approved.alice)
    text = text_of(pdf_of(client.get(reverse("reports:objective_pdf", args=[approved.obiettivo.pk]))))
    assert "Scheda come" not in text and "fase 1: Fase di prova 60% 30/06/2021" in text


# The admin: no side door to the PEG's state ---------------------------------------------------------


def test_a_post_changing_the_pegs_state_in_the_admin_changes_nothing(client, approved):
    world = approved
    client.force_login(world.root)
    url = reverse("admin:objectives_peg_change", args=[world.peg.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert not {"status", "approval_number", "approval_date", "closed_on"} & set(form.fields)
    data = {key: value for key, value in form.initial.items() if key in form.fields and value is not None}
    data.update({"bands-TOTAL_FORMS": 0, "bands-INITIAL_FORMS": 0, "note-TOTAL_FORMS": 0, "note-INITIAL_FORMS": 0})
    data.update(
        {"status": "chiuso", "approval_number": "999", "approval_date": "01/01/2021", "closed_on": "01/01/2022"}
    )
    data["publisher"] = "Tipografia nuova"

    response = client.post(url, data)

    assert response.status_code == 302
    peg = Peg.objects.get(pk=world.peg.pk)
    assert (peg.status, peg.approval_number, peg.approval_date, peg.closed_on) == (
        PegStatus.APPROVATO,
        "45",
        dt.date(2021, 3, 15),
        None,
    )
    assert peg.publisher == "Tipografia nuova"


def test_an_approved_objective_is_read_only_in_the_admin(client, approved):
    client.force_login(approved.root)
    url = reverse("admin:objectives_obiettivo_change", args=[approved.obiettivo.pk])
    page = client.get(url).content.decode()
    assert "cambia solo con una variazione" in page
    assert client.post(url, {"title": "Altro"}).status_code == 403
    assert Obiettivo.objects.get(pk=approved.obiettivo.pk).title == "Digitalizzare i procedimenti"
