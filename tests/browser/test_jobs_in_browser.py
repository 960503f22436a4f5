# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Long documents in Chromium: "Prepara il PDF" leads to the job's page, whose bar (drawn by a
script under the strict Content-Security-Policy) follows the job to 100% and then offers the file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from jobs import documents, services
from jobs.models import Job, JobStatus
from objectives.accounts import create_demo_users
from sectors.models import Settore

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
RUN_AXE = """async () => {
  const results = await axe.run({include: [['main']]},
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return results.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"


@pytest.fixture
def demo(peg_2021, live_server, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""  # in-process, as under make run
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PEG_PDF_CACHE_DIR = tmp_path / "pdf-cache"
    create_demo_users()
    return peg_2021


@pytest.fixture
def watched(page):
    """The page, and every console error, script error or refused request it reports."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url} {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alessandria2021")
    page.click("button[type=submit]")
    expect(page.locator("#utente-corrente")).to_be_visible()


FILL = "bar => Math.round(100 * bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width)"


def expect_fill(page, percent: int) -> None:
    """The bar covers that share of its track, as the eye sees it (once its width transition ends)."""
    page.wait_for_function(
        f"percent => ({FILL})(document.getElementById('barra-avanzamento')) === percent", arg=percent
    )


def test_a_head_prepares_his_units_cards_and_downloads_them(watched, live_server, demo, screenshot):
    page, problems = watched
    login(page, live_server, "dirigente.sistemi")
    settore = Settore.objects.get(name=SISTEMI)
    page.goto(live_server.url + reverse("sectors:detail", args=[settore.pk]))
    page.click("#stampa-pdf")
    expect(page.locator("h1")).to_have_text(f"Schede PDF di {SISTEMI} – Obiettivi 2021")
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Prepara il PDF").click()
    expect(page).to_have_url(re.compile(r"/documenti/\d+/$"))

    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#stato-documento")).to_contain_text("Pronto · 100%")
    expect_fill(page, 100)
    link = page.get_by_role("link", name="Scarica il PDF")
    expect(link).to_be_visible()
    screenshot("documenti-01-schede-pronte")

    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert SISTEMI in text
    assert problems == []


def test_the_bar_follows_a_job_prepared_elsewhere_to_the_link(watched, live_server, demo, screenshot, monkeypatch):
    """As with a worker on the queue: the page is open while another process moves the job."""
    page, problems = watched
    login(page, live_server, "staff")
    job = Job.objects.create(
        user=Job._meta.get_field("user").related_model.objects.get(username="staff"),
        kind="test",
        title="PEG 2021 completo (PDF)",
    )
    page.goto(live_server.url + job.get_absolute_url())
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#stato-documento")).to_contain_text("In coda")
    expect(page.get_by_role("link", name="Scarica il PDF")).to_be_hidden()

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=15, total=60)
    expect(bar).to_have_attribute("aria-valuenow", "25")
    expect(page.locator("#stato-documento")).to_contain_text("In preparazione · 25% (15 di 60 parti)")
    expect_fill(page, 25)
    page.evaluate(AXE.read_text())
    assert page.evaluate(RUN_AXE) == []
    screenshot("documenti-02-in-preparazione")

    monkeypatch.setitem(documents.KINDS, "test", lambda job, progress: documents.Document(b"%PDF-1.7 prova", "p.pdf"))
    services.run_job(job.pk)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    link = page.get_by_role("link", name="Scarica il PDF")
    expect(link).to_be_visible()
    expect_fill(page, 100)
    screenshot("documenti-03-pronto")
    assert page.request.get(live_server.url + link.get_attribute("href")).body() == b"%PDF-1.7 prova"

    failed = Job.objects.create(user=job.user, kind="test", title="Schede PDF", status=JobStatus.RUNNING, total=3)
    page.goto(live_server.url + failed.get_absolute_url())
    Job.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED, error=services.UNEXPECTED_ERROR)
    expect(page.get_by_role("alert")).to_contain_text("Non è stato possibile preparare il documento")
    expect(page.get_by_role("link", name="Scarica il PDF")).to_be_hidden()
    assert problems == []
