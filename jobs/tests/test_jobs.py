# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Long documents as jobs, with no broker (the `make run` default): asked, made in-process, downloaded.

What the user sees: the job's page with its bar and the link, the PDF itself, a 404 for anyone
but who asked (and the administrators), an Italian message when the document could not be made.
"""

import re

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from jobs import documents, services
from jobs.models import Job, JobStatus
from jobs.tests.conftest import pdf_pages, streamed
from reports import services as report_services


def ask_unit_book(client, world):
    response = client.post(reverse("reports:unit_pdf", args=[world.unit.pk, 2021]))
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def test_prepara_il_pdf_makes_the_unit_book_and_its_page_links_the_file(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("reports:unit_pdf", args=[world.unit.pk, 2021])).content.decode()
    assert "Prepara il PDF" in page and "Schede PDF di SETTORE DI ALICE – Obiettivi 2021" in page

    job = ask_unit_book(client, world)
    assert (job.status, job.user, job.worker) == (JobStatus.DONE, world.alice, "in-process")

    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Schede PDF di SETTORE DI ALICE – Obiettivi 2021" in html
    assert 'aria-valuenow="100"' in html and "Pronto" in html
    link = re.search(r'<p id="scarica-documento">\s*<a [^>]*href="([^"]+)"', html)
    assert link and link.group(1) == reverse("jobs:download", args=[job.pk])

    response = client.get(link.group(1))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="peg-2021-settore-di-alice.pdf"'
    [page] = pdf_pages(streamed(response))
    assert "SETTORE DI ALICE" in page and "Obiettivo A: Digitalizzare i procedimenti" in page
    assert "Obiettivo di Bob" not in page


def test_the_whole_peg_book_is_the_document_the_printing_service_makes(client, world):
    client.force_login(world.nina)
    client.post(reverse("reports:peg_pdf", args=[2021]))
    job = Job.objects.get()
    pages = pdf_pages(streamed(client.get(reverse("jobs:download", args=[job.pk]))))
    assert pages == pdf_pages(report_services.peg_pdf(world.peg))
    assert "PIANO ESECUTIVO DI GESTIONE" in pages[0]
    assert any("Obiettivo di Bob" in page for page in pages)


def test_only_who_asked_and_the_administrators_see_a_job(client, world):
    client.force_login(world.alice)
    job = ask_unit_book(client, world)
    urls = [reverse(name, args=[job.pk]) for name in ("jobs:detail", "jobs:status", "jobs:download")]
    for user in (world.bob, world.nina):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert job.title not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(world.admin)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.logout()
    assert all("accesso" in client.get(url)["Location"] for url in urls)


def test_who_may_not_print_a_document_cannot_ask_for_it(client, world):
    client.force_login(world.bob)
    assert client.post(reverse("reports:unit_pdf", args=[world.unit.pk, 2021])).status_code == 404
    assert client.post(reverse("reports:peg_pdf", args=[2021])).status_code == 404
    assert client.get(reverse("reports:peg_pdf", args=[2021])).status_code == 404
    assert not Job.objects.exists()


def test_the_progress_json_follows_the_document_and_ends_with_the_link(client, world, monkeypatch):
    client.force_login(world.alice)
    job = Job.objects.create(user=world.alice, kind="test", params={}, title="Prova")
    url = reverse("jobs:status", args=[job.pk])
    assert client.get(url).json() == {
        "id": job.pk,
        "status": "queued",
        "status_label": "In coda",
        "done": 0,
        "total": 0,
        "percent": 0,
        "finished": False,
        "error": "",
        "download_url": None,
    }
    seen = []

    def slow_document(job, progress):
        progress(1, 4)
        seen.append(client.get(url).json())
        progress(4, 4)
        seen.append(client.get(url).json())
        return documents.Document(b"%PDF-1.7 prova", "prova.pdf")

    monkeypatch.setitem(documents.KINDS, "test", slow_document)
    services.run_job(job.pk)
    assert [(s["status_label"], s["done"], s["total"], s["percent"], s["download_url"]) for s in seen] == [
        ("In preparazione", 1, 4, 25, None),
        ("In preparazione", 4, 4, 99, None),  # the parts are there; the file is not yet
    ]
    state = client.get(url).json()
    assert (state["status_label"], state["percent"], state["finished"]) == ("Pronto", 100, True)
    assert state["download_url"] == reverse("jobs:download", args=[job.pk])
    assert streamed(client.get(state["download_url"])) == b"%PDF-1.7 prova"


def test_a_failing_job_says_so_in_italian_and_offers_no_file(client, world, monkeypatch):
    def broken(job, progress):
        progress(1, 3)
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setitem(documents.KINDS, "unit_pdf", broken)
    client.force_login(world.alice)
    job = ask_unit_book(client, world)
    assert job.status == JobStatus.FAILED and job.error == services.UNEXPECTED_ERROR
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Non riuscito" in html
    assert "Non è stato possibile preparare il documento per un errore imprevisto." in html
    assert '<p id="scarica-documento" hidden>' in html and "WeasyPrint" not in html
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status"], state["finished"], state["download_url"]) == ("failed", True, None)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_document_no_longer_allowed_when_the_job_runs_is_refused_in_italian(client, world):
    job = Job.objects.create(
        user=world.bob, kind="unit_pdf", params={"settore": world.unit.pk, "year": 2021}, title="X"
    )
    services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Non ci sono più obiettivi 2021 di questa struttura da stampare."


def test_a_job_already_done_is_not_made_again(world, monkeypatch):
    calls = []
    monkeypatch.setitem(
        documents.KINDS, "test", lambda job, progress: calls.append(job.pk) or documents.Document(b"x", "x.pdf")
    )
    job = Job.objects.create(user=world.alice, kind="test", title="Prova")
    services.run_job(job.pk)
    services.run_job(job.pk)  # the same message delivered twice
    assert calls == [job.pk]


def test_with_a_broker_the_job_waits_in_the_queue_until_committed(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs import tasks

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    sent = []
    monkeypatch.setattr(tasks.run_job_task, "delay", sent.append)
    client.force_login(world.nina)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:peg_pdf", args=[2021]))
    job = Job.objects.get()
    assert sent == [job.pk] and job.status == JobStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reports:peg_pdf", args=[2021]))  # a double click
    assert again["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1 and sent == [job.pk]
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "In coda" in html and 'aria-valuenow="0"' in html and '<p id="scarica-documento" hidden>' in html


def test_an_unreachable_queue_fails_the_job_with_an_italian_message(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs import tasks

    def refuse(job_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    monkeypatch.setattr(tasks.run_job_task, "delay", refuse)
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:unit_pdf", args=[world.unit.pk, 2021]))
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert (
        "Il servizio che prepara i documenti non è raggiungibile" in client.get(job.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("old", ["/stampa/peg/2021.pdf", "/stampa/struttura/{unit}/2021.pdf"])
def test_the_old_direct_addresses_lead_to_the_new_pages(client, world, old):
    client.force_login(world.nina)
    response = client.get(old.format(unit=world.unit.pk))
    assert response.status_code in (301, 302)
    assert client.get(response["Location"]).status_code == 200


def test_a_job_that_has_not_moved_for_an_hour_is_shown_interrupted_and_can_be_asked_again(client, world):
    from datetime import timedelta

    from django.utils import timezone

    job = Job.objects.create(
        user=world.nina, kind="peg_pdf", params={"year": 2021}, title="PEG 2021 completo (PDF)", total=43, done=20
    )
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, updated_at=timezone.now() - timedelta(minutes=59))
    client.force_login(world.nina)
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status_label"], state["percent"], state["finished"]) == ("In preparazione", 46, False)

    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=61))
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status"], state["status_label"], state["finished"]) == ("stalled", "Interrotto", True)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "La preparazione del documento si è interrotta: non procede da più di un&#x27;ora." in html
    assert f'<a href="{reverse("reports:peg_pdf", args=[2021])}">Chiedi di nuovo il documento</a>' in html
    assert "(interrotto)" in client.get(reverse("jobs:list")).content.decode()

    services.run_job(job.pk)  # a worker takes it after all: made and shown as usual
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status"], state["percent"], state["error"]) == ("done", 100, "")


def test_purge_documents_removes_old_finished_jobs_and_their_files(world, monkeypatch):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    monkeypatch.setitem(documents.KINDS, "test", lambda job, progress: documents.Document(b"%PDF", "p.pdf"))
    old, recent = (Job.objects.create(user=world.alice, kind="test", title=t) for t in ("vecchio", "recente"))
    for job in (old, recent):
        services.run_job(job.pk)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    waiting = Job.objects.create(
        user=world.alice, kind="test", title="in coda", created_at=timezone.now() - timedelta(days=90)
    )
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)

    out = StringIO()
    call_command("purge_documents", "--giorni", "30", stdout=out)
    assert out.getvalue().strip() == "Documenti eliminati: 1."
    assert set(Job.objects.values_list("title", flat=True)) == {"recente", "in coda"}
    assert not storage.exists(name)
    assert waiting.pk in Job.objects.values_list("pk", flat=True)


def test_a_file_that_cannot_be_stored_fails_the_job_in_italian(world, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def full_disk(self, name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(documents.KINDS, "test", lambda job, progress: documents.Document(b"%PDF", "p.pdf"))
    monkeypatch.setattr(FileSystemStorage, "save", full_disk)
    job = Job.objects.create(user=world.alice, kind="test", title="Prova")
    services.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (JobStatus.FAILED, services.UNEXPECTED_ERROR, "")


def test_a_database_that_refuses_the_claim_for_a_moment_is_asked_again(monkeypatch):
    from django.db import OperationalError

    from jobs import tasks

    calls = []

    def run_job(job_id, *, worker=""):
        calls.append(job_id)
        if len(calls) == 1:
            raise OperationalError("database table is locked: jobs_job")

    monkeypatch.setattr(tasks.services, "run_job", run_job)
    monkeypatch.setattr(tasks.run_job_task, "retry_backoff", False)
    monkeypatch.setattr(tasks.run_job_task, "default_retry_delay", 0)
    tasks.run_job_task.apply(args=[7])
    assert calls == [7, 7]
