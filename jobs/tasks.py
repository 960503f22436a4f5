# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Celery task: a worker makes the job's document (jobs.services.run_job)."""

from celery import shared_task
from django.db import OperationalError

from jobs import services


# A database that refuses for a moment (a lock, a dropped connection) when the worker claims the
# job: asked again a few times, a second apart and more, rather than leaving the job queued for
# ever. Claiming is repeatable (run_job takes a job queued or in preparazione); past the claim,
# run_job stores any failure itself and raises nothing.
@shared_task(
    bind=True,
    name="jobs.run_job",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=1,
    max_retries=5,
)
def run_job_task(self, job_id: int) -> None:
    services.run_job(job_id, worker=self.request.hostname or "")
