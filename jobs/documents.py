# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The long documents a job can prepare: each kind reads the job's parameters and returns the file.

A kind's function receives the Job (who asked, the parameters) and ``progress(done, total)``;
what the user may see is decided again here, when the document is made, by objectives.access.
"""

from __future__ import annotations

import inspect
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify

Progress = Callable[[int, int], None]


class JobRefused(Exception):
    """The document cannot be made; the message, in Italian, is what the user reads."""


@dataclass(frozen=True)
class Document:
    data: bytes
    filename: str
    content_type: str = "application/pdf"


def call_with_progress(function, progress: Progress, *args, **kwargs):
    """Call a document function, handing it ``progress`` only if it takes one.

    Without it the job still moves: 0 of 1 part before, 1 of 1 after. In a daemonic process (a
    child of Celery's default prefork pool) the cards are laid out in that process: it may not
    start the rendering processes of its own (`make worker` uses the solo pool, which may).
    """
    parameters = inspect.signature(function).parameters
    if multiprocessing.current_process().daemon and "workers" in parameters:
        kwargs["workers"] = 1
    if "progress" in parameters:
        return function(*args, progress=progress, **kwargs)
    progress(0, 1)
    result = function(*args, **kwargs)
    progress(1, 1)
    return result


def peg_book(job, progress: Progress) -> Document:
    """The whole printed PEG of a year, for those who see every objective."""
    from objectives import access
    from objectives.models import Peg
    from reports import services

    year = job.params["year"]
    if not access.sees_everything(job.user):
        raise JobRefused("Non è più possibile stampare il PEG completo con questa utenza.")
    peg = Peg.objects.filter(year=year).first()
    if peg is None:
        raise JobRefused(f"Il PEG {year} non esiste più.")
    return Document(call_with_progress(services.peg_pdf, progress, peg), f"peg-{year}.pdf")


def unit_book(job, progress: Progress) -> Document:
    """A unit's cards of one year, those the user may see."""
    from objectives import access
    from reports import documents, services

    settore_id, year = job.params["settore"], job.params["year"]
    ids = list(
        access.visible_objectives(job.user).filter(settore_id=settore_id, peg__year=year).values_list("pk", flat=True)
    )
    if not ids:
        raise JobRefused(f"Non ci sono più obiettivi {year} di questa struttura da stampare.")
    obiettivi = list(documents.objectives_for(year=year, obiettivo_ids=ids))
    settore = obiettivi[0].settore
    data = call_with_progress(services.cards_pdf, progress, obiettivi, title=f"{settore.name} – Obiettivi {year}")
    return Document(data, f"peg-{year}-{slugify(settore.name)[:60]}.pdf")


KINDS: dict[str, Callable] = {
    "peg_pdf": peg_book,
    "unit_pdf": unit_book,
}

# Where the user asks for the same document again (after a failure).
AGAIN: dict[str, Callable[[dict], str]] = {
    "peg_pdf": lambda params: reverse("reports:peg_pdf", args=[params["year"]]),
    "unit_pdf": lambda params: reverse("reports:unit_pdf", args=[params["settore"], params["year"]]),
}


def again_url(job) -> str:
    page = AGAIN.get(job.kind)
    return page(job.params) if page else ""
