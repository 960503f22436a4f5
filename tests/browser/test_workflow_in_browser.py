# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The week of a head and of the Nucleo, in a real Chromium, on the 2021 PEG of Alessandria."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from objectives.accounts import create_demo_users
from objectives.models import Fase, Obiettivo

pytestmark = pytest.mark.browser

SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"


@pytest.fixture
def demo(peg_2021, live_server):
    create_demo_users()
    obiettivo = Obiettivo.objects.get(peg=peg_2021, settore__name=SISTEMI, code="B")
    return obiettivo


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")
    expect(page.locator("#utente-corrente")).to_be_visible()


def logout(page):
    page.click("text=Esci")
    expect(page.locator("#id_username")).to_be_visible()


def phase_row(page, obiettivo, label):
    fase = Fase.objects.get(obiettivo=obiettivo, label=label)
    return page.locator(f"#fase-{fase.pk}")


def test_a_head_updates_a_phase_and_sees_the_achievement_change(page, live_server, demo, screenshot):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accesso/"))
    screenshot("01-accesso")

    login(page, live_server, "dirigente.sistemi")
    expect(page.locator("h1")).to_have_text("Le mie attività")  # the landing page after login
    page.click("nav >> text=Cruscotto")
    expect(page.locator("h1")).to_contain_text("Cruscotto del PEG 2021")
    expect(page.locator("#grafico-strutture")).to_contain_text(SISTEMI)
    screenshot("02-cruscotto-dirigente")

    page.click("nav >> text=Obiettivi")
    # Their own four objectives, and read-only the other units' ones that cite their code.
    expect(page.locator("#obiettivi")).to_contain_text(SISTEMI)
    page.select_option("#id_settore", label=SISTEMI)
    page.click("text=Filtra")
    expect(page.locator("#obiettivi tbody tr")).to_have_count(4)
    screenshot("03-elenco-obiettivi")

    page.goto(f"{live_server.url}/obiettivi/{demo.pk}/")
    expect(page.locator("#grado-calcolato")).to_have_text("0,00%")
    screenshot("04-obiettivo-prima")

    phase_row(page, demo, "2a").locator("text=Aggiorna").click()
    page.select_option("#id_state", "completata")
    page.fill("#id_completed_on", "20/04/2021")
    page.fill("#id_evidence", "Determina dirigenziale n. 1234 del 20/04/2021")
    screenshot("05-aggiornamento-fase")
    page.click("text=Salva")

    expect(page.locator(".alert-success")).to_contain_text("Fase 2a aggiornata")
    expect(page.locator("#grado-calcolato")).to_have_text("40,00%")
    expect(phase_row(page, demo, "2a")).to_contain_text("20/04/2021")
    expect(page.locator("#cronologia")).to_contain_text("Modifica della fase 2a")
    expect(page.locator("#cronologia")).to_contain_text("Luca Galandra")
    screenshot("06-obiettivo-dopo")

    page.click("nav >> text=Strutture")
    page.click(f"text={SISTEMI}")
    expect(page.locator("#obiettivi-struttura")).to_contain_text("40,00%")
    screenshot("07-struttura")


def test_the_nucleo_neutralises_and_validates_and_the_head_can_no_longer_edit(page, live_server, demo, screenshot):
    detail = f"{live_server.url}/obiettivi/{demo.pk}/"

    login(page, live_server, "dirigente.sistemi")
    page.goto(detail)
    phase_row(page, demo, "2a").locator("text=Aggiorna").click()
    page.select_option("#id_state", "completata")
    page.fill("#id_completed_on", "20/04/2021")
    page.click("text=Salva")
    expect(page.locator("#grado-calcolato")).to_have_text("40,00%")
    page.click("text=Rendiconta l'obiettivo")
    page.fill("#id_text", "Fase 2a conclusa; la fase 2b dipende dal finanziamento regionale non erogato.")
    page.click("text=Invia la rendicontazione")
    expect(page.locator("#stato-obiettivo")).to_have_text("Rendicontato")
    logout(page)

    login(page, live_server, "nucleo")
    page.goto(detail)
    phase_row(page, demo, "2b").locator("text=Sterilizza").click()
    page.fill("#id_reason", "Finanziamento regionale non erogato: causa non imputabile al responsabile.")
    screenshot("08-sterilizzazione")
    page.click("button:has-text('Registra')")
    expect(page.locator("#grado-calcolato")).to_have_text("100,00%")
    expect(phase_row(page, demo, "2b")).to_contain_text("sterilizzata")

    page.click("text=Valida")
    expect(page.locator("#grado-calcolato")).to_have_text("100,00%")
    page.fill("#id_on", "15/03/2022")
    screenshot("09-validazione")
    page.click("text=Valida l'obiettivo")
    expect(page.locator("#stato-obiettivo")).to_have_text("Validato")
    expect(page.locator("#grado-validato")).to_have_text("100,00%")
    expect(page.locator("#note")).to_contain_text("Finanziamento regionale non erogato")
    screenshot("10-obiettivo-validato")
    logout(page)

    login(page, live_server, "dirigente.sistemi")
    page.goto(detail)
    expect(page.locator("#azioni")).to_contain_text("scheda bloccata")
    expect(page.locator("#fasi")).not_to_contain_text("Aggiorna")
    fase = Fase.objects.get(obiettivo=demo, label="2b")
    response = page.goto(f"{live_server.url}/fasi/{fase.pk}/aggiorna/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Operazione non consentita")
    screenshot("11-dirigente-bloccato")


def test_the_co_responsible_and_the_outsider_see_what_they_should(page, live_server, demo, screenshot):
    login(page, live_server, "dirigente.urbanistica")
    response = page.goto(f"{live_server.url}/obiettivi/{demo.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/obiettivi/")
    expect(page.locator("#obiettivi")).to_contain_text("SETTORE URBANISTICA E PATRIMONIO")
    expect(page.locator("#obiettivi")).to_contain_text("AREA TECNICA")
    expect(page.locator(f"#obiettivi a[href='/obiettivi/{demo.pk}/']")).to_have_count(0)
    screenshot("12-elenco-urbanistica")
