# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages work in Chromium under the Content-Security-Policy: nothing refused, Bootstrap Italia's
script and fonts loaded, the dashboard's bars drawn."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from objectives.accounts import create_demo_users
from objectives.models import Obiettivo
from sectors.models import Settore

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page):
    """The page, and every console error or script error it reports."""
    problems: list[str] = []
    # Django's admin names no icon, so Chromium asks for /favicon.ico, which the PEG does not have.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.on(
        "console", lambda message: problems.append(page.url + " " + message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return page, problems


def test_every_page_works_under_the_content_security_policy(watched, live_server, peg_2021):
    page, problems = watched
    create_demo_users()
    obiettivo = Obiettivo.objects.filter(peg=peg_2021).order_by("pk").first()
    settore = Settore.objects.order_by("pk").first()

    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")
    expect(page.locator("#utente-corrente")).to_be_visible()
    page.goto(live_server.url + reverse("objectives:dashboard"))  # the login lands on Le mie attività

    # The dashboard's bars are SVG boxes whose rectangle is sized by an attribute, not an inline style.
    bars = page.locator("#grafico-strutture svg.peg-bar").evaluate_all(
        "bars => bars.map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height,"
        " b.querySelector('rect').getAttribute('width')])"
    )
    assert bars and all(width > 100 and height > 10 for width, height, _ in bars)
    assert all(0 <= float(fill) <= 100 for _, _, fill in bars)

    for path in [
        reverse("objectives:dashboard"),
        reverse("activities:my_tasks"),
        reverse("objectives:list"),
        reverse("objectives:detail", args=[obiettivo.pk]),
        reverse("sectors:list"),
        reverse("sectors:detail", args=[settore.pk]),
        reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk]),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("typeof window.bootstrap") == ("undefined" if "/admin/" in path else "object"), path

    page.goto(live_server.url + reverse("objectives:dashboard"))
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Titillium') && f.status === 'loaded')")
    refused = [problem for problem in problems if "Content Security Policy" in problem]
    assert refused == []
    assert problems == []
