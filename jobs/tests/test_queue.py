# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The real queue: a job asked in the site goes through Redis to a Celery worker and comes back as a file.

Runs only when CELERY_BROKER_URL is set (`.ci/run` sets it to the local Redis for this file);
set but unreachable, it fails rather than skips. The worker is Celery's own test worker, in a
thread of this process, on the same database and MEDIA_ROOT, as a worker on another machine would be.
"""

import os
import socket
import time

import pytest
from django.urls import reverse

from jobs.models import Job, JobStatus
from jobs.tests.conftest import pdf_pages, streamed
from reports import services as report_services

BROKER = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = pytest.mark.skipif(
    not BROKER, reason="CELERY_BROKER_URL non impostato: la coda reale (Redis) non viene provata"
)
WAIT_SECONDS = 180


@pytest.fixture
def worker(transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    from peg.celery import app

    settings.CELERY_BROKER_URL = BROKER
    app.conf.broker_url = BROKER
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=3)  # an unreachable broker fails the test here
    app.control.purge()  # messages left by an interrupted run name jobs of another database
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=60) as w:
        yield w


def wait_for(job: Job) -> tuple[Job, list[int]]:
    """The finished job and the percentages seen on its way."""
    seen = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.percent)
        if job.finished:
            return job, seen
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {WAIT_SECONDS} s")


def test_the_whole_peg_goes_through_redis_to_a_worker_and_back(client, world, worker):
    client.force_login(world.nina)
    response = client.post(reverse("reports:peg_pdf", args=[2021]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job, seen = wait_for(job)
    assert job.status == JobStatus.DONE, job.error
    # The worker's node name (the solo pool gives its machine's name): not made in the site's process.
    assert job.worker in (worker.hostname, socket.gethostname())
    assert seen == sorted(seen) and seen[-1] == 100
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status"], state["percent"]) == ("done", 100)
    pages = pdf_pages(streamed(client.get(state["download_url"])))
    assert pages == pdf_pages(report_services.peg_pdf(world.peg))


def test_a_failing_job_on_the_worker_is_reported_in_italian(client, world, worker):
    job = Job.objects.create(
        user=world.bob, kind="unit_pdf", params={"settore": world.unit.pk, "year": 2021}, title="X"
    )
    from jobs.tasks import run_job_task

    run_job_task.delay(job.pk)
    job, _ = wait_for(job)
    assert job.status == JobStatus.FAILED
    assert job.error == "Non ci sono più obiettivi 2021 di questa struttura da stampare."
