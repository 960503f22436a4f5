# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The whole cycle of the 2021 demo PEG in a real Chromium, with the demo users of `make run`:
staff record the Giunta's approval and a variation of a deadline; a head completes a phase and
reports; the Nucleo opens the year-end review and validates; staff write the Relazione and the
Nucleo validates it (closing the PEG); staff publish in Amministrazione Trasparente; an anonymous
visitor reads the public pages and the open data; staff create the 2022 PEG from 2021, which
carries LAVORI PUBBLICI A's second annualità (phases 4 and 5, the varied deadline included)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from objectives.accounts import create_demo_users
from objectives.models import Fase, FaseState, Obiettivo, Peg, PegNotaKind, PegStatus
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
LLPP = "SETTORE LLPP, INFRASTRUTTURE E SMART CITY"


@pytest.fixture
def demo(peg_2021, live_server):
    create_demo_users()
    return peg_2021


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")
    expect(page.locator("#utente-corrente")).to_be_visible()


def logout(page):
    page.click("text=Esci")
    expect(page.locator("#id_username")).to_be_visible()


def success(page):
    return page.locator(".alert-success")


def test_the_whole_cycle_of_the_2021_peg_and_the_2022_peg_made_from_it(page, live_server, demo, screenshot):
    url = live_server.url
    sistemi_b = Obiettivo.objects.get(peg=demo, settore__name=SISTEMI, code="B")
    llpp_a = Obiettivo.objects.get(peg=demo, settore__name=LLPP, code="A")
    fase_2a = Fase.objects.get(obiettivo=sistemi_b, label="2a")
    fase_4 = Fase.objects.get(obiettivo=llpp_a, label="4")
    problems: list[str] = []  # console errors (a refused inline script or style is one), uncaught errors
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # 1. Staff record the Giunta's resolution approving the provisional PEG.
    login(page, live_server, "staff")
    page.goto(f"{url}/ciclo/2021/")
    expect(page.locator("#stato-peg")).to_contain_text("Provvisorio")
    page.fill("#form-approvazione #id_number", "45")
    page.fill("#form-approvazione #id_date", "15/03/2021")
    page.click("text=Registra l'approvazione")
    expect(success(page)).to_contain_text("PEG 2021 approvato")
    expect(page.locator("#stato-peg")).to_contain_text("Approvato")
    expect(page.locator("#riferimenti-peg")).to_contain_text("n. 45 del 15/03/2021")
    screenshot("ciclo-01-approvato")

    # 2. A variation moves LAVORI PUBBLICI A's phase 4 (annualità 2022) to 31/05/2022.
    page.select_option("#form-scelta-obiettivo #id_obiettivo", str(llpp_a.pk))
    page.click("#form-scelta-obiettivo >> text=Prosegui")
    page.fill("#id_number", "120")
    page.fill("#id_date", "30/06/2021")
    page.fill("#id_reason", "Il master plan richiede un mese in più per il confronto con gli assessori.")
    page.fill(f"#id_deadline_{fase_4.pk}", "31/05/2022")
    screenshot("ciclo-02-variazione")
    page.click("text=Registra la variazione")
    expect(success(page)).to_contain_text("Variazione registrata")
    fase_4.refresh_from_db()
    assert fase_4.deadline_text == "31/05/2022"
    logout(page)

    # 3. The head of SISTEMI INFORMATIVI completes phase 2a and reports the objective.
    login(page, live_server, "dirigente.sistemi")
    page.goto(f"{url}/obiettivi/{sistemi_b.pk}/")
    page.locator(f"#fase-{fase_2a.pk}").locator("text=Aggiorna").click()
    page.select_option("#id_state", "completata")
    page.fill("#id_completed_on", "20/04/2021")
    page.fill("#id_evidence", "Determina dirigenziale n. 1234 del 20/04/2021")
    page.click("text=Salva")
    expect(success(page)).to_contain_text("Fase 2a aggiornata")
    expect(page.locator("#grado-calcolato")).to_have_text("40,00%")
    page.click("text=Rendiconta l'obiettivo")
    page.fill("#id_text", "Fase 2a conclusa; la realtà immersiva (2b) attende il finanziamento regionale.")
    page.click("text=Invia la rendicontazione")
    expect(page.locator("#stato-obiettivo")).to_have_text("Rendicontato")
    logout(page)

    # 4. The Nucleo opens the year-end review and validates the objective.
    login(page, live_server, "nucleo")
    page.goto(f"{url}/ciclo/2021/")
    page.click("#apri-verifica >> text=Apri la verifica di fine anno")
    page.fill("#id_closing_date", "28/02/2022")
    page.click("#form-verifica >> button[type=submit]")
    expect(success(page)).to_contain_text("Verifica di fine anno del PEG 2021 aperta.")
    page.goto(f"{url}/obiettivi/{sistemi_b.pk}/")
    page.click("text=Valida")
    page.fill("#id_on", "15/03/2022")
    page.click("text=Valida l'obiettivo")
    expect(page.locator("#stato-obiettivo")).to_have_text("Validato")
    expect(page.locator("#grado-validato")).to_have_text("40,00%")
    screenshot("ciclo-03-validato")
    logout(page)

    # 5. Staff write the Relazione sulla performance.
    login(page, live_server, "staff")
    page.goto(f"{url}/relazione/2021/")
    page.click("text=Scrivi i testi")
    page.fill("#id_introduction", "Nel 2021 il Comune ha perseguito 41 obiettivi in 14 strutture.")
    page.fill("#id_context", "Un anno ancora segnato dall'emergenza sanitaria e dal piano di riequilibrio.")
    page.fill("#id_critical_issues", "Finanziamenti regionali in ritardo: si anticipa il monitoraggio al 30/06.")
    page.click("#form-relazione >> text=Salva")
    expect(success(page)).to_contain_text("Testi della Relazione salvati.")
    logout(page)

    # 6. The Nucleo validates it: the PEG is closed.
    login(page, live_server, "nucleo")
    page.goto(f"{url}/relazione/2021/")
    page.click("text=Valida la Relazione")
    page.fill("#id_date", "15/04/2022")
    page.click("label[for=id_outcome_0]")  # "Validata": in Bootstrap Italia the label covers its radio
    expect(page.locator("#id_outcome_0")).to_be_checked()
    page.click("text=Registra la validazione")
    expect(success(page)).to_contain_text("Documento di validazione registrato: Validata.")
    page.goto(f"{url}/ciclo/2021/")
    expect(page.locator("#stato-peg")).to_contain_text("Chiuso")
    expect(page.locator("#peg-chiuso")).to_be_visible()
    screenshot("ciclo-04-chiuso")
    logout(page)

    # 7. Staff publish in Amministrazione Trasparente.
    login(page, live_server, "staff")
    page.goto(f"{url}/relazione/2021/")
    page.click("text=Pubblica in Amministrazione Trasparente")
    page.fill("#id_note", "Relazione validata dal Nucleo il 15/04/2022")
    page.click("text=Pubblica una nuova versione")
    expect(success(page)).to_contain_text("Pubblicata la versione 1 del PEG 2021.")
    logout(page)

    # 8. An anonymous visitor reads the public pages and the open data.
    page.goto(f"{url}/trasparenza/")
    page.click("text=PEG 2021")
    page.click("text=versione 1")
    expect(page.locator("h1")).to_have_text("PEG 2021 – versione 1")
    expect(page.locator("#relazione")).to_contain_text("Relazione sulla performance 2021 (HTML)")
    screenshot("ciclo-05-trasparenza")
    page.click("text=Relazione sulla performance 2021 (HTML)")
    expect(page.locator("body")).to_contain_text("Nel 2021 il Comune ha perseguito 41 obiettivi in 14 strutture.")
    page.goto(f"{url}/trasparenza/2021/v1/")
    phases_link = page.locator("#dati >> text=fasi.csv").get_attribute("href")
    response = page.request.get(f"{url}{phases_link}")
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == Fase.objects.filter(obiettivo__peg=demo).count()
    assert any("31/05/2022" in " ".join(row.values()) for row in rows)  # the varied deadline, published
    objectives = page.request.get(f"{url}/trasparenza/2021/latest/obiettivi.json")
    assert objectives.status == 200 and len(objectives.json()) == 41
    assert page.request.get(f"{url}/ciclo/nuovo-peg/", max_redirects=0).status == 302  # private: to the login

    # 9. Staff create the 2022 PEG from 2021: a preview, then the confirmation.
    login(page, live_server, "staff")
    page.goto(f"{url}/ciclo/nuovo-peg/")
    page.click("#apri-anteprima")
    expect(page.locator("h1")).to_have_text("Anteprima del PEG 2022 dal PEG 2021")
    card = page.locator(f"#nuovo-{llpp_a.pk}")
    expect(card).to_contain_text("Obiettivo A: Riqualficazione e valorizzazione delle piazze del centro storico")
    expect(card.locator("tr[data-fase='4']")).to_contain_text("85%")
    expect(card.locator("tr[data-fase='4']")).to_contain_text("31/05/2022")
    expect(card.locator("tr[data-fase='5']")).to_contain_text("31/12/2022")
    expect(page.locator("#strutture")).to_contain_text("Dirigente Arch. Fabrizio Furia")
    assert axe_violations(page) == []
    screenshot("ciclo-06-anteprima-2022")
    page.click("text=Crea il PEG 2022")
    expect(success(page)).to_contain_text("Creato il PEG 2022 (provvisorio) dal PEG 2021: 4 obiettivi.")
    expect(page).to_have_url(re.compile(r"/obiettivi/\?anno=2022$"))

    new_llpp = Obiettivo.objects.get(peg__year=2022, settore__name=LLPP, code="A")
    assert new_llpp.previous_id == llpp_a.pk
    page.goto(f"{url}/obiettivi/{new_llpp.pk}/")
    phases = page.locator("#fasi")
    expect(phases.locator("tr[data-label='4']")).to_contain_text("31/05/2022")
    expect(phases.locator("tr[data-label='4']")).to_contain_text("85")
    expect(phases.locator("tr[data-label='5']")).to_contain_text("31/12/2022")
    screenshot("ciclo-07-obiettivo-2022")
    assert Peg.objects.get(year=2022).status == PegStatus.PROVVISORIO
    assert set(Fase.objects.filter(obiettivo__peg__year=2022).values_list("state", flat=True)) == {FaseState.DA_AVVIARE}
    assert Peg.objects.get(year=2021).note.filter(kind=PegNotaKind.NUOVO_ANNO).exists()
    assert problems == []
