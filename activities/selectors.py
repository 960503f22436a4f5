# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Reads for "Le mie attività": what each role has to do now, in a fixed number of queries.

The phases come from objectives.selectors.monitoring (the calculator's own rows: due dates,
lateness), so a phase is late here exactly when it is late on the dashboard and in the score.

    head_tasks(user, peg, on)       → HeadTasks   6 queries (units, the PEG's monitoring, returned, notes)
    nucleo_queue(user)              → NucleoQueue 2 queries (reported objectives, review requests)
    units_behind(peg, on)           → [UnitBehind] 3 queries
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from evaluation import access as evaluation_access
from evaluation.models import Scheda, SchedaStatus
from objectives import access
from objectives.calculator import ObjectiveProgress, PhaseRow
from objectives.models import FaseState, Nota, NotaKind, Obiettivo, ObiettivoStatus, Peg
from objectives.selectors import monitoring
from sectors.models import Settore

HORIZON_DAYS = 30


@dataclass(frozen=True)
class PhaseTask:
    """A phase the head should update: late at `on`, or due within the horizon."""

    row: PhaseRow
    obiettivo: Obiettivo
    on: dt.date

    @property
    def fase(self):
        return self.row.fase

    @property
    def late(self) -> bool:
        return self.row.due_date is not None and self.row.due_date < self.on

    @property
    def days(self) -> int | None:
        """Days late (positive) or left (zero or negative is never shown: see the template)."""
        return None if self.row.due_date is None else (self.on - self.row.due_date).days

    @property
    def returned(self) -> bool:
        return self.obiettivo.status == ObiettivoStatus.RINVIATO


@dataclass
class ReturnedObjective:
    obiettivo: Obiettivo
    reason: str = ""
    returned_at: dt.datetime | None = None


@dataclass
class HeadTasks:
    returned: list[ReturnedObjective] = field(default_factory=list)
    phases: list[PhaseTask] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.returned) + len(self.phases)


def _is_task(row: PhaseRow, on: dt.date, horizon: dt.date) -> bool:
    if not row.counted or row.completed_on is not None or row.fase.state == FaseState.NON_REALIZZATA:
        return False
    return row.due_date is not None and row.due_date <= horizon


def phase_tasks(progresses: list[ObjectiveProgress], on: dt.date, *, horizon_days: int = HORIZON_DAYS):
    """The phases of still-open objectives not completed at `on` and due by `on` + horizon_days,
    returned objectives first, then by due date and print order."""
    horizon = on + dt.timedelta(days=horizon_days)
    tasks = [
        PhaseTask(row, progress.obiettivo, on)
        for position, progress in enumerate(progresses)
        if access.report_is_open(progress.obiettivo)
        for row in progress.score.rows
        if _is_task(row, on, horizon)
    ]
    order = {progress.obiettivo.pk: position for position, progress in enumerate(progresses)}
    return sorted(tasks, key=lambda task: (not task.returned, task.row.due_date, order[task.obiettivo.pk]))


def head_tasks(
    user, peg: Peg | None, on: dt.date, *, unit_ids: set[int] | None = None, horizon_days: int = HORIZON_DAYS
) -> HeadTasks:
    """What a head of unit has to do in `peg`: objectives returned by the Nucleo, then phases to update."""
    tasks = HeadTasks()
    if peg is None or not user.is_authenticated:
        return tasks
    if unit_ids is None:
        unit_ids = set(access.headed_settori(user).values_list("pk", flat=True))
    if not unit_ids:
        return tasks
    progresses = [
        progress for unit in monitoring(peg, on).units if unit.settore.pk in unit_ids for progress in unit.objectives
    ]
    tasks.phases = phase_tasks(progresses, on, horizon_days=horizon_days)
    # Returned objectives of every PEG, not only the one shown: an old year's return still waits.
    returned = list(
        Obiettivo.objects.filter(status=ObiettivoStatus.RINVIATO, settore_id__in=unit_ids)
        .select_related("peg", "settore")
        .order_by("-peg__year", "settore__print_order", "print_order", "pk")
    )
    if returned:
        latest: dict[int, Nota] = {}
        notes = Nota.objects.filter(obiettivo__in=[o.pk for o in returned], kind=NotaKind.RINVIO)
        for nota in notes.order_by("created_at", "pk"):
            latest[nota.obiettivo_id] = nota
        tasks.returned = [
            ReturnedObjective(
                o,
                latest[o.pk].text if o.pk in latest else "",
                latest[o.pk].created_at if o.pk in latest else None,
            )
            for o in returned
        ]
    return tasks


@dataclass
class NucleoQueue:
    reported: list[Obiettivo] = field(default_factory=list)
    reviews: list[Scheda] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reported) + len(self.reviews)


def reported_objectives():
    """Every objective awaiting the Nucleo (any PEG), oldest report first; `reported_at` annotated."""
    return (
        Obiettivo.objects.filter(status=ObiettivoStatus.RENDICONTATO)
        .select_related("peg", "settore")
        .annotate(reported_at=Max("note__created_at", filter=Q(note__kind=NotaKind.RENDICONTAZIONE)))
        .order_by("reported_at", "peg__year", "settore__print_order", "pk")
    )


def review_requests(user):
    return (
        evaluation_access.visible_schede(user)
        .filter(status=SchedaStatus.RIESAME_RICHIESTO)
        .select_related("peg", "dirigente")
        .order_by("review_requested_at", "pk")
    )


def nucleo_queue(user) -> NucleoQueue:
    if not access.is_nucleo(user):
        return NucleoQueue()
    return NucleoQueue(list(reported_objectives()), list(review_requests(user)))


@dataclass(frozen=True)
class UnitBehind:
    settore: Settore
    objectives: list[ObjectiveProgress]


def units_behind(peg: Peg | None, on: dt.date) -> list[UnitBehind]:
    """Per unit, in print order, its objectives with a late phase at `on` (the monitoring's rows)."""
    if peg is None:
        return []
    state = monitoring(peg, on)
    return [UnitBehind(unit.settore, unit.objectives_behind) for unit in state.units if unit.objectives_behind]


@dataclass
class MyTasks:
    peg: Peg | None
    on: dt.date | None
    head: HeadTasks | None = None
    nucleo: NucleoQueue | None = None
    staff: list[UnitBehind] | None = None

    @property
    def count(self) -> int:
        """The figure of the header's badge: every row of the page (staff's: the objectives behind)."""
        behind = sum(len(unit.objectives) for unit in self.staff or [])
        return (self.head.count if self.head else 0) + (self.nucleo.count if self.nucleo else 0) + behind


def my_tasks(user, peg: Peg | None, on: dt.date | None) -> MyTasks:
    """Every section that applies to the user's roles (an administrator sees the Nucleo's and staff's)."""
    tasks = MyTasks(peg, on)
    unit_ids = set(access.headed_settori(user).values_list("pk", flat=True))
    if unit_ids:
        tasks.head = head_tasks(user, peg, on, unit_ids=unit_ids)
    if access.is_nucleo(user):
        tasks.nucleo = nucleo_queue(user)
    if access.is_staff_reader(user):
        tasks.staff = units_behind(peg, on)
    return tasks
