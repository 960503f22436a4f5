# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Celery task: a worker makes the job's document (jobs.services.run_job)."""

from celery import shared_task

from jobs import services


@shared_task(bind=True, name="jobs.run_job", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_job_task(self, job_id: int) -> None:
    services.run_job(job_id, worker=self.request.hostname or "")
