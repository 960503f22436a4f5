# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Le mie attività in a real Chromium: a head's week (lands on his tasks → Aggiorna → an edit
conflict with his other tab, kept and saved again → the phase leaves the list → the Nucleo's
queue → the reminder in the console backend), axe-core clean on the page's content at desktop
and phone widths, its content never wider than a 320 px screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from objectives import workflow
from objectives.accounts import create_demo_users
from objectives.models import Obiettivo

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
RUN_AXE = """async () => {
  const results = await axe.run({include: [['main']]},
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return results.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"


@pytest.fixture
def demo(peg_2021, live_server):
    create_demo_users()
    return peg_2021


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE)


def badge(page) -> int:
    count = page.locator("[data-testid=conteggio-attivita] [data-count]").first
    # Filled by a script; on a phone it sits in the closed menu, so it is read, not looked at.
    expect(count).to_have_text(re.compile(r"^\d+$"))
    return int(count.text_content())


def open_menu_link(page, selector: str) -> None:
    """Click a navbar link as a person would: on a narrow screen, through the menu button first."""
    toggler = page.get_by_role("button", name="Mostra o nascondi il menu")
    if toggler.is_visible():
        toggler.click()
    page.locator(selector).click()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_heads_week_from_his_tasks_to_the_nucleos_queue(page, live_server, demo, screenshot, capsys, settings, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "dirigente.sistemi")
    expect(page).to_have_url(re.compile(r"/attivita/$"))
    expect(page.locator("h1")).to_have_text("Le mie attività")
    rows = page.locator("#fasi-da-aggiornare > li")
    before, count = rows.count(), badge(page)
    assert before > 0 and count == before
    assert axe_violations(page) == []
    screenshot(f"attivita-01-dirigente-{width}")

    first = rows.first
    phase_id = first.get_attribute("data-testid")
    first.locator("text=Aggiorna").click()
    expect(page).to_have_url(re.compile(r"/fasi/\d+/aggiorna/$"))
    page.select_option("#id_state", "completata")
    page.fill("#id_completed_on", "20/01/2022")
    page.fill("#id_evidence", "Determina dirigenziale n. 77 del 20/01/2022")

    # Meanwhile he saves the same phase in another tab: his first tab's save is refused, keeps
    # what he typed, says what the other save changed, and saves on the new version once reviewed.
    other = page.context.new_page()
    other.goto(page.url)
    other.select_option("#id_state", "in_corso")
    other.fill("#id_evidence", "Bozza in istruttoria")
    other.click("text=Salva")
    expect(other.locator(".alert-success")).to_be_visible()
    other.close()
    page.click("text=Salva")
    conflict = page.locator("#conflitto")
    expect(conflict).to_be_visible()
    expect(page.locator("main")).to_contain_text("da te in un'altra finestra")
    expect(conflict).to_contain_text("Bozza in istruttoria")
    expect(page.locator("#id_evidence")).to_have_value("Determina dirigenziale n. 77 del 20/01/2022")
    assert axe_violations(page) == []
    screenshot(f"attivita-02a-conflitto-{width}")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".alert-success")).to_be_visible()

    open_menu_link(page, "#nav-attivita")
    expect(page.locator("h1")).to_have_text("Le mie attività")
    expect(page.locator(f"[data-testid={phase_id}]")).to_have_count(0)
    assert rows.count() == before - 1 and badge(page) == count - 1
    screenshot(f"attivita-02-dopo-aggiornamento-{width}")

    # The head reports an objective; the Nucleo finds it in its queue and hears of it by e-mail.
    from django.contrib.auth import get_user_model

    head = get_user_model().objects.get(username="dirigente.sistemi")
    obiettivo = Obiettivo.objects.get(peg=demo, settore__name=SISTEMI, code="A")
    workflow.submit_report(obiettivo=obiettivo, user=head, comment="Rendicontazione di fine anno")
    page.get_by_role("button", name="Esci").click()
    login(page, live_server, "nucleo")
    queue = page.locator(f"[data-testid=rendicontato-{obiettivo.pk}]")
    expect(queue).to_contain_text(SISTEMI)
    assert axe_violations(page) == []
    screenshot(f"attivita-03-nucleo-{width}")
    queue.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/obiettivi/{obiettivo.pk}/$"))

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    capsys.readouterr()
    call_command("send_reminders", today=workflow.today().strftime("%d/%m/%Y"))
    printed = capsys.readouterr().out
    assert "To: nucleo@peg.example" in printed
    assert f"PEG 2021: l'obiettivo A di {SISTEMI} è stato rendicontato" in printed
    assert f"/obiettivi/{obiettivo.pk}/" in printed


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize(
    "username,section",
    [("dirigente.sistemi", "#fasi-da-aggiornare"), ("nucleo", "#da-validare"), ("staff", "#in-ritardo")],
)
def test_my_tasks_fit_a_phone_and_pass_axe(browser, live_server, demo, width, username, section):
    context = browser.new_context(locale="it-IT", viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, live_server, username)
        expect(page.locator(section)).to_be_visible()
        # The page's own content never scrolls sideways; the header's reflow at 320 px is
        # tests/browser/test_accessibility.py's (every page), so the whole width is asserted at 390.
        assert page.evaluate("(m => m.scrollWidth <= m.clientWidth)(document.querySelector('main'))")
        if width >= 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
    finally:
        context.close()
