# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""WCAG 2.1 AA in a real Chromium: axe-core on every main page at desktop and phone widths, the
contrast of the status badges, no page wider than a 320 px screen, the menu button on narrow
screens, the footer's links.

axe-core is vendored in tests/browser/vendor/ (make vendor-bootstrap-italia updates it), so the
tests need no npm. It is run through Playwright's evaluate, which the page's
Content-Security-Policy does not apply to: the pages themselves stay under the CSP.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from objectives.accounts import create_demo_users
from objectives.models import Fase, Obiettivo
from sectors.models import Dirigente, Settore
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
DESKTOP, PHONE, SMALLEST = 1280, 390, 320
# A 1280 px laptop at 200% zoom lays pages out as a 640 px screen does.
ZOOMED_LAPTOP = 640

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ')),
  }));
}"""

CONTRAST = """(selector) => {
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const luminance = rgb => 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  const rgb = text => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  return [...document.querySelectorAll(selector)].map(el => {
    const style = getComputedStyle(el);
    const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))];
    return [el.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


# The elements sticking out of the screen, to tell where a page is too wide.
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > width + 1))
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.')
       + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')"""


@pytest.fixture
def demo(peg_2021, live_server):
    """The demo users, and the 2021 PEG with objectives in every status a badge shows."""
    create_demo_users()
    objectives = Obiettivo.objects.filter(peg=peg_2021, settore__name=SISTEMI).order_by("code")
    updatable = objectives.get(code="B")
    others = objectives.exclude(pk=updatable.pk)[:3]
    for obiettivo, status in zip(others, ["rendicontato", "rinviato", "validato"], strict=True):
        Obiettivo.objects.filter(pk=obiettivo.pk).update(status=status)
    return {
        "obiettivo": updatable,
        "fase": Fase.objects.filter(obiettivo=updatable).order_by("pk").first(),
        "settore": Settore.objects.get(name=SISTEMI),
        "dirigente": Dirigente.objects.get(name="Luca Galandra"),
    }


def open_page(browser, width):
    context = browser.new_context(locale="it-IT", viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    # Console errors (a refusal of the Content-Security-Policy among them) and script errors.
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"{page.url} {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(f"{page.url} {error}"))
    return page


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accesso/"))


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}")
            lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)


def main_pages(demo):
    """(name, user, path) of every main page; the admin is Django's and is left out."""
    return [
        ("accesso", None, reverse("login")),
        ("le mie attività", "dirigente.sistemi", reverse("activities:my_tasks")),
        ("cruscotto", "dirigente.sistemi", reverse("objectives:dashboard")),
        ("elenco obiettivi", "dirigente.sistemi", reverse("objectives:list")),
        ("scheda obiettivo", "dirigente.sistemi", reverse("objectives:detail", args=[demo["obiettivo"].pk])),
        ("aggiornamento fase", "dirigente.sistemi", reverse("objectives:phase_update", args=[demo["fase"].pk])),
        ("elenco strutture", "dirigente.sistemi", reverse("sectors:list")),
        ("scheda struttura", "dirigente.sistemi", reverse("sectors:detail", args=[demo["settore"].pk])),
        ("valutazione", "staff", reverse("evaluation:results")),
        ("valutazione di un responsabile", "staff", reverse("evaluation:head", args=[2021, demo["dirigente"].pk])),
        ("le mie attività (nucleo)", "nucleo", reverse("activities:my_tasks")),
        ("elenco obiettivi (staff)", "staff", reverse("objectives:list")),
        ("dichiarazione di accessibilità", "staff", reverse("ente:accessibility")),
    ]


def visit_every_main_page(browser, live_server, demo, width, check):
    """Calls check(page, name) on every main page, logged in as the page's user."""
    page = open_page(browser, width)
    current_user = None
    for name, user, path in main_pages(demo):
        if user != current_user:
            page.context.clear_cookies()
            if user:
                login(page, live_server, user)
            current_user = user
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        check(page, name)
    problems = page.problems
    page.context.close()
    assert problems == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE, SMALLEST])
def test_no_main_page_violates_wcag_2_1_aa_at_this_width(browser, live_server, demo, width):
    found: dict[str, list[dict]] = {}

    def check(page, name):
        violations = axe_violations(page)
        if violations:
            found[f"{name} @{width}px"] = violations

    visit_every_main_page(browser, live_server, demo, width, check)
    assert not found, "\n" + describe(found)


def test_no_main_page_is_wider_than_a_320_px_screen(browser, live_server, demo):
    """Also leaves a screenshot of each page in artifacts/screenshots/320-*.png (CI keeps them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: dict[str, int] = {}

    def check(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"320-{name.replace(' ', '-')}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > SMALLEST:
            too_wide[name] = (scroll_width, page.evaluate(WIDEST, SMALLEST))

    visit_every_main_page(browser, live_server, demo, SMALLEST, check)
    assert too_wide == {}


def test_every_status_badge_has_a_contrast_of_at_least_4_5_to_1(browser, live_server, demo):
    page = open_page(browser, DESKTOP)
    login(page, live_server, "dirigente.sistemi")
    badges = []
    for path in [reverse("objectives:list"), reverse("sectors:detail", args=[demo["settore"].pk])]:
        page.goto(live_server.url + path)
        badges += page.evaluate(CONTRAST, ".badge")
    labels = {label for label, _ in badges}
    assert {"Rendicontato", "Rinviato al responsabile", "Validato", "In corso"} <= labels, labels
    assert [(label, round(ratio, 2)) for label, ratio in badges if ratio < 4.5] == []
    page.context.close()


@pytest.mark.parametrize("width", [PHONE, ZOOMED_LAPTOP])
def test_on_a_phone_or_at_200_percent_zoom_the_menu_button_opens_the_navigation(browser, live_server, demo, width):
    page = open_page(browser, width)
    login(page, live_server, "dirigente.sistemi")
    link = page.locator("#menu-principale >> text=Strutture")
    expect(link).to_be_hidden()
    toggler = page.get_by_role("button", name="Mostra o nascondi il menu")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(link).to_be_in_viewport()
    page.wait_for_timeout(500)  # the menu slides in; its final place is what is measured
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    link.click()
    expect(page.locator("h1")).to_contain_text("Strutture")
    page.context.close()


def test_on_a_desktop_the_navigation_shows_without_a_menu_button(browser, live_server, demo):
    page = open_page(browser, DESKTOP)
    login(page, live_server, "dirigente.sistemi")
    expect(page.locator("#menu-principale >> text=Strutture")).to_be_visible()
    expect(page.get_by_role("button", name="Mostra o nascondi il menu")).to_be_hidden()
    page.context.close()


def test_the_footer_links_to_the_accessibility_statement_feedback_and_source(browser, live_server, demo, settings):
    page = open_page(browser, PHONE)
    page.goto(f"{live_server.url}/accesso/")
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="Dichiarazione di accessibilità")).to_have_attribute(
        "href", reverse("ente:accessibility")
    )
    expect(footer.get_by_role("link", name=re.compile("Segnala un problema"))).to_have_attribute(
        "href", f"mailto:{settings.PEG_FEEDBACK_EMAIL}"
    )
    expect(footer.get_by_role("link", name=re.compile("Codice sorgente"))).to_have_attribute(
        "href", settings.PEG_SOURCE_URL
    )
    page.context.close()


def test_after_a_save_the_message_is_announced_and_takes_the_focus(browser, live_server, demo):
    page = open_page(browser, PHONE)
    login(page, live_server, "dirigente.sistemi")
    page.goto(live_server.url + reverse("objectives:phase_update", args=[demo["fase"].pk]))
    page.select_option("#id_state", "in_corso")
    page.get_by_role("button", name="Salva").click()
    message = page.get_by_role("status").first
    expect(message).to_contain_text("aggiornata")
    expect(page.locator("#messaggi")).to_be_focused()
    page.context.close()


def test_the_axe_check_reports_a_page_that_breaks_the_rules(browser):
    """The harness itself: a page without language and an image without text is reported."""
    page = open_page(browser, PHONE)
    page.set_content('<html><body><img src="data:,"><a href="#"></a></body></html>')
    assert {"html-has-lang", "image-alt", "link-name"} <= {v["id"] for v in axe_violations(page)}
    page.context.close()


def test_a_refused_phase_form_takes_the_focus_to_its_first_error(browser, live_server, demo):
    page = open_page(browser, PHONE)
    login(page, live_server, "dirigente.sistemi")
    page.goto(live_server.url + reverse("objectives:phase_update", args=[demo["fase"].pk]))
    page.select_option("#id_state", "completata")
    page.fill("#id_completed_on", "")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#id_completed_on")).to_be_focused()
    expect(page.locator("#id_completed_on")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    page.context.close()


def test_a_save_refused_because_someone_saved_first_is_announced_and_focused(browser, live_server, demo):
    url = live_server.url + reverse("objectives:phase_update", args=[demo["fase"].pk])
    first, second = open_page(browser, DESKTOP), open_page(browser, PHONE)
    for page in (first, second):
        login(page, live_server, "dirigente.sistemi")
        page.goto(url)
    first.fill("#id_evidence", "Determina n. 1")
    first.get_by_role("button", name="Salva").click()
    expect(first.get_by_role("status").first).to_contain_text("aggiornata")

    second.fill("#id_evidence", "Determina n. 2")
    second.get_by_role("button", name="Salva").click()
    refusal = second.locator("form .alert-danger[role=alert]")
    expect(refusal).to_be_visible()
    expect(refusal).to_be_focused()
    assert axe_violations(second) == []
    for page in (first, second):
        page.context.close()
