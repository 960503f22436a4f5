# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A long document asked by a user: prepared in the background, followed by its progress bar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "In coda"
    RUNNING = "running", "In preparazione"
    DONE = "done", "Pronto"
    FAILED = "failed", "Non riuscito"


# A job that has not moved for this long is shown as interrupted: its process was lost (a restarted
# server, a worker stopped for good) or no worker is taking jobs from the queue. If a worker takes
# it later after all, it is made and shown as usual.
STALLED_AFTER = dt.timedelta(hours=1)
STALLED_ERROR = (
    "La preparazione del documento si è interrotta: non procede da più di un'ora. Chiedi di nuovo il documento."
)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Only who asked sees a job (and its file); administrators see every one."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self if user.is_superuser else self.filter(user=user)


def job_file_path(job: Job, filename: str) -> str:
    return f"documenti/{timezone.now():%Y/%m}/{filename}"


class Job(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name="richiesto da"
    )
    kind = models.CharField("tipo", max_length=40)
    params = models.JSONField("parametri", default=dict, blank=True)
    title = models.CharField("documento", max_length=300)
    status = models.CharField("stato", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("parti pronte", default=0)
    total = models.PositiveIntegerField("parti in tutto", default=0)
    file = models.FileField("file", upload_to=job_file_path, blank=True, max_length=300)
    filename = models.CharField("nome del file", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField("errore", blank=True)
    worker = models.CharField("preparato da", max_length=200, blank=True)
    created_at = models.DateTimeField("richiesto il", default=timezone.now)
    started_at = models.DateTimeField("iniziato il", null=True, blank=True)
    updated_at = models.DateTimeField("ultimo avanzamento", default=timezone.now)
    finished_at = models.DateTimeField("finito il", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "documento in preparazione"
        verbose_name_plural = "documenti in preparazione"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_user_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stalled(self) -> bool:
        return not self.finished and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def percent(self) -> int:
        """Whole percentage for the bar: 100 only once the file is there (assembling comes after the parts)."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)
