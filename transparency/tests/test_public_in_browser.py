# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Amministrazione Trasparente in Chromium, as an anonymous visitor: every public page works under the
Content-Security-Policy and the Relazione's charts are drawn."""

from __future__ import annotations

import datetime as dt

import pytest

from relazione import services as relazione_services
from relazione.models import Esito
from tests.browser.conftest import CHROMIUM, browser, page  # noqa: F401
from transparency import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium non trovato in {CHROMIUM}"),
]


def test_an_anonymous_visitor_reads_the_publication_in_a_browser(page, live_server, scenario):  # noqa: F811
    relazione_services.save_narrative(
        peg=scenario.peg,
        user=scenario.sara,
        introduction="Introduzione.",
        context="Contesto.",
        critical_issues="Nessuna.",
    )
    relazione_services.validate(peg=scenario.peg, user=scenario.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA)
    services.publish(peg=scenario.peg, user=scenario.sara, note="Prima pubblicazione")
    problems: list[str] = []
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(f"{live_server.url}/trasparenza/")
    page.click("text=PEG 2021")
    page.click("text=versione 1")
    assert page.locator("h1").inner_text() == "PEG 2021 – versione 1"
    page.click("text=Relazione sulla performance 2021 (HTML)")
    charts = page.locator("svg.chart").evaluate_all("charts => charts.map(c => c.getBoundingClientRect().width)")
    assert len(charts) == 2 and all(width > 300 for width in charts)
    assert page.locator("#tabella-fasce").is_visible()
    page.goto(f"{live_server.url}/trasparenza/2021/v1/schede.html")
    assert page.locator("section").count() >= 41
    response = page.goto(f"{live_server.url}/trasparenza/2021/latest/risultati.json")
    assert response.status == 200 and response.headers["cache-control"].startswith("public")
    assert problems == []
