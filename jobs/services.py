# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Asking for a long document and making it: the one way, for views, the Celery task and tests.

With ``CELERY_BROKER_URL`` set, `request_document` stores the job and, once that is committed,
puts its id on the queue: a worker (`make worker`, on this machine or another sharing the
database and MEDIA_ROOT) runs `run_job` and the page follows its progress.

Without a broker (the `make run` default) the job runs in-process, synchronously, inside the
request that asked for it, and the browser lands on the job's page when the file is ready. We
chose this over a background thread: the wait is the one the direct download had, nothing
else has to be running, a restarted server cannot leave a job half-done behind it (a thread
dies with its process and leaves the row "in preparazione" for ever), and no thread shares the
request's database connection. The job, its page and its file are the same in both modes.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jobs.documents import KINDS, JobRefused
from jobs.models import STALLED_AFTER, Job, JobStatus

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "Non è stato possibile preparare il documento per un errore imprevisto. "
    "Riprova; se il problema si ripete, segnalalo all'amministratore."
)
QUEUE_UNREACHABLE = (
    "Il servizio che prepara i documenti non è raggiungibile in questo momento. Riprova tra qualche minuto."
)
# A progress write at most this often (seconds); the first and the last are always written.
PROGRESS_INTERVAL = 0.5


def queue_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def request_document(*, user, kind: str, params: dict, title: str) -> Job:
    """Store the job and start it: on the queue when there is one, here and now otherwise.

    The same document asked again by the same user while it is being prepared is that job.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    pending = Job.objects.filter(
        user=user,
        kind=kind,
        params=params,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        updated_at__gte=timezone.now() - STALLED_AFTER,
    ).first()
    if pending is not None:  # asked twice (a double click, a second tab): one job, one page
        return pending
    job = Job.objects.create(user=user, kind=kind, params=params, title=title)
    if queue_configured():
        transaction.on_commit(lambda: _send(job.pk))
    else:
        run_job(job.pk, worker="in-process")
        job.refresh_from_db()
    return job


def _send(job_id: int) -> None:
    from jobs.tasks import run_job_task

    try:
        run_job_task.delay(job_id)
    except Exception:
        logger.exception("job %s: the queue refused it", job_id)
        _finish(job_id, status=JobStatus.FAILED, error=QUEUE_UNREACHABLE)


def run_job(job_id: int, *, worker: str = "") -> None:
    """Make the job's document, recording its progress; a failure is stored in Italian, never raised.

    A job already done or failed is not made again (a message delivered twice); one found
    "in preparazione" is made again (its worker was lost before it finished).
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING,
        started_at=now,
        updated_at=now,
        done=0,
        total=0,
        error="",
        worker=(worker or socket.gethostname())[:200],
    )
    if not claimed:
        logger.info("job %s: not queued any more, skipped", job_id)
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    try:
        document = KINDS[job.kind](job, _progress_recorder(job_id))
        stored = job.file.storage.save(
            job.file.field.generate_filename(job, f"{uuid.uuid4().hex}-{document.filename}"),
            ContentFile(document.data),
        )
    except JobRefused as exc:
        _finish(job_id, status=JobStatus.FAILED, error=str(exc))
        return
    except Exception:
        logger.exception("job %s (%s): the document could not be made", job_id, job.kind)
        _finish(job_id, status=JobStatus.FAILED, error=UNEXPECTED_ERROR)
        return
    _finish(
        job_id,
        status=JobStatus.DONE,
        file=stored,
        filename=document.filename,
        content_type=document.content_type,
    )


def _progress_recorder(job_id: int):
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        total = max(int(total), 0)
        done = min(max(int(done), 0), total)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            done=done, total=total, updated_at=timezone.now()
        )

    return progress


def _finish(job_id: int, *, status: str, **fields) -> None:
    now = timezone.now()
    if status == JobStatus.DONE:
        # The bar ends full, whatever the document function last reported.
        job = Job.objects.only("total").get(pk=job_id)
        fields.update(done=max(job.total, 1), total=max(job.total, 1))
    Job.objects.filter(pk=job_id).update(status=status, finished_at=now, updated_at=now, **fields)


def purge_finished(*, older_than) -> int:
    """Remove the jobs finished before ``older_than`` and their files; how many were removed."""
    removed = 0
    for job in Job.objects.filter(finished_at__lt=older_than).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
