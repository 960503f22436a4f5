# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A job's page (progress bar, then the link to the file), its progress as JSON, its file, the user's list.

Only who asked (and administrators) sees a job: anyone else gets a 404 (Job.objects.visible_to).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jobs.documents import again_url
from jobs.models import STALLED_ERROR, Job, JobStatus

RECENT = 20


def _job_for(user, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(user), pk=pk)


def _state(job: Job) -> dict:
    """What the page shows of the job, and what its script reads every second."""
    stalled = job.stalled
    return {
        "id": job.pk,
        "status": "stalled" if stalled else job.status,
        "status_label": "Interrotto" if stalled else job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished or stalled,
        "error": STALLED_ERROR if stalled else job.error,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.status == JobStatus.DONE else None,
    }


@login_required
@require_GET
def detail(request, pk):
    job = _job_for(request.user, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "state": _state(job), "again_url": again_url(job)})


@login_required
@require_GET
def status(request, pk):
    return JsonResponse(_state(_job_for(request.user, pk)))


@login_required
@require_GET
def download(request, pk):
    job = _job_for(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("Il documento non è pronto.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("Il file del documento non c'è più.") from None
    return FileResponse(handle, filename=job.filename, content_type=job.content_type or None)


@login_required
@require_GET
def my_jobs(request):
    jobs = Job.objects.filter(user=request.user)[:RECENT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})
