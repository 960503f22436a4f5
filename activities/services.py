# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The e-mail reminders: what is due on a day, and sending it once.

Phase reminders come from the calculator's rows (objectives.selectors.monitoring): a phase of a
still-open objective, not completed, is "due soon" from `days_before` days before its due date
(ReminderSettings of its PEG) to the due date, and "late" the days after it (within
LATE_WINDOW_DAYS: a phase late for months is on "Le mie attività", not in a new e-mail). The
procedure's events are read from the notes objectives.workflow writes (rendicontazione, rinvio,
validazione) of the last EVENT_WINDOW_DAYS days: an objective's latest act, while it still
stands. Each e-mail is recorded in SentReminder, whose unique constraint is what makes a second
run (or two overlapping cron runs) send nothing again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from activities.models import DEFAULT_DAYS_BEFORE, NotificationPreference, ReminderKind, ReminderSettings, SentReminder
from activities.selectors import phase_tasks
from objectives.access import GROUP_NUCLEO, OPEN_STATES
from objectives.models import Nota, NotaKind, ObiettivoStatus, Peg
from objectives.selectors import monitoring
from sectors.models import Settore

logger = logging.getLogger(__name__)

LATE_WINDOW_DAYS = 7
EVENT_WINDOW_DAYS = 7

EVENT_KINDS = {
    NotaKind.RENDICONTAZIONE: ReminderKind.REPORTED,
    NotaKind.RINVIO: ReminderKind.RETURNED,
    NotaKind.VALIDAZIONE: ReminderKind.VALIDATED,
}

STATUS_AFTER = {
    ReminderKind.REPORTED: ObiettivoStatus.RENDICONTATO,
    ReminderKind.RETURNED: ObiettivoStatus.RINVIATO,
    ReminderKind.VALIDATED: ObiettivoStatus.VALIDATO,
}

SUBJECTS = {
    ReminderKind.DUE_SOON: "PEG {year}: la fase {fase} dell'obiettivo {code} scade il {due}",
    ReminderKind.LATE: "PEG {year}: la fase {fase} dell'obiettivo {code} è in ritardo (scadenza {due})",
    ReminderKind.REPORTED: "PEG {year}: l'obiettivo {code} di {unit} è stato rendicontato",
    ReminderKind.RETURNED: "PEG {year}: l'obiettivo {code} ti è stato rinviato dal Nucleo",
    ReminderKind.VALIDATED: "PEG {year}: l'obiettivo {code} è stato validato dal Nucleo",
}


def absolute(path: str) -> str:
    return f"{settings.PEG_SITE_URL}{path}"


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_id: int
    recipient: object
    event_date: dt.date
    context: dict

    @property
    def key(self) -> tuple:
        return (self.kind, self.object_id, self.recipient.pk, self.event_date)

    def subject(self) -> str:
        obiettivo = self.context["obiettivo"]
        fase = self.context.get("fase")
        return SUBJECTS[self.kind].format(
            year=obiettivo.peg.year,
            code=obiettivo.code,
            unit=obiettivo.settore.name,
            fase=fase.label if fase else "",
            due=_day(self.event_date),
        )

    def message(self) -> EmailMessage:
        context = {
            **self.context,
            "recipient": self.recipient,
            "kind": self.kind,
            "my_tasks_url": absolute(reverse("activities:my_tasks")),
            "preferences_url": absolute(reverse("activities:preferences")),
        }
        body = render_to_string(f"activities/email/{self.kind}.txt", context)
        return EmailMessage(self.subject(), body, settings.DEFAULT_FROM_EMAIL, [self.recipient.email])

    def describe(self) -> str:
        return f"{ReminderKind(self.kind).label} → {self.recipient.username} <{self.recipient.email}>: {self.subject()}"


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _heads_by_unit() -> dict[int, object]:
    """The login of each unit's head (None when the head has no login): one query."""
    return {
        settore.pk: (settore.head.user if settore.head else None)
        for settore in Settore.objects.select_related("head__user")
    }


def phase_reminders(today: dt.date, heads: dict[int, object]) -> list[Reminder]:
    """Due-soon and late reminders of every PEG with open objectives, at `today`."""
    days_before = dict(ReminderSettings.objects.values_list("peg_id", "days_before"))
    reminders = []
    for peg in Peg.objects.filter(obiettivi__status__in=OPEN_STATES).distinct().order_by("year"):
        window = days_before.get(peg.pk, DEFAULT_DAYS_BEFORE)
        progresses = [progress for unit in monitoring(peg, today).units for progress in unit.objectives]
        for task in phase_tasks(progresses, today, horizon_days=window):
            due = task.row.due_date
            if task.late:
                if (today - due).days > LATE_WINDOW_DAYS:
                    continue
                kind = ReminderKind.LATE
            else:
                kind = ReminderKind.DUE_SOON
            head = heads.get(task.obiettivo.settore_id)
            context = {
                "obiettivo": task.obiettivo,
                "fase": task.fase,
                "due": due,
                "days": abs(task.days),
                "url": absolute(reverse("objectives:phase_update", args=[task.fase.pk])),
            }
            reminders.append(Reminder(kind, task.fase.pk, head, due, context))
    return reminders


def event_reminders(today: dt.date, heads: dict[int, object]) -> list[Reminder]:
    """Reported → the Nucleo; returned, validated → the unit's head: from the notes of the last days.

    Only an objective's latest act is told, and only while the objective is still where that act
    left it: reported and validated before the run, the Nucleo gets no "to validate" e-mail.
    """
    since = today - dt.timedelta(days=EVENT_WINDOW_DAYS)
    notes = Nota.objects.filter(
        kind__in=list(EVENT_KINDS), created_at__date__gte=since, created_at__date__lte=today
    ).select_related("obiettivo__peg", "obiettivo__settore", "author")
    latest: dict[int, Nota] = {}
    for nota in notes.order_by("created_at", "pk"):
        latest[nota.obiettivo_id] = nota
    nucleo = list(get_user_model().objects.filter(groups__name=GROUP_NUCLEO, is_active=True).order_by("pk"))
    reminders = []
    for nota in latest.values():
        kind = EVENT_KINDS[nota.kind]
        if nota.obiettivo.status != STATUS_AFTER[kind]:
            continue  # the procedure has moved on since
        recipients = nucleo if kind == ReminderKind.REPORTED else [heads.get(nota.obiettivo.settore_id)]
        context = {
            "obiettivo": nota.obiettivo,
            "nota": nota,
            "url": absolute(reverse("objectives:detail", args=[nota.obiettivo_id])),
        }
        event_date = timezone.localdate(nota.created_at)
        reminders += [Reminder(kind, nota.pk, recipient, event_date, context) for recipient in recipients]
    return reminders


def due_reminders(today: dt.date) -> tuple[list[Reminder], list[str]]:
    """Every reminder due at `today` for a recipient who can and wants to get it; the rest, in words."""
    heads = _heads_by_unit()
    candidates = phase_reminders(today, heads) + event_reminders(today, heads)
    preferences = {p.user_id: p for p in NotificationPreference.objects.all()}
    reminders, skipped = [], []
    for reminder in candidates:
        recipient = reminder.recipient
        what = f"{ReminderKind(reminder.kind).label}, {reminder.context['obiettivo']}"
        if recipient is None:
            skipped.append(f"{what}: il responsabile della struttura non ha un utente, nessun invio.")
        elif not recipient.is_active:
            skipped.append(f"{what}: l'utente {recipient.username} non è attivo, nessun invio.")
        elif not recipient.email:
            skipped.append(f"{what}: l'utente {recipient.username} non ha un indirizzo e-mail, nessun invio.")
        elif recipient.pk in preferences and not preferences[recipient.pk].wants(reminder.kind):
            skipped.append(f"{what}: l'utente {recipient.username} ha disattivato questo promemoria.")
        else:
            reminders.append(reminder)
    return reminders, skipped


def send_reminders(*, today: dt.date, dry_run: bool = False) -> Outcome:
    """Send what is due at `today` and was never sent; with dry_run, only say what would be sent."""
    reminders, skipped = due_reminders(today)
    outcome = Outcome(skipped=skipped)
    for line in skipped:
        logger.info(line)
    ids = {reminder.object_id for reminder in reminders}
    done = set(
        SentReminder.objects.filter(object_id__in=ids).values_list("kind", "object_id", "recipient_id", "event_date")
    )
    for reminder in reminders:
        if reminder.key in done:
            outcome.already_sent += 1
            continue
        if dry_run:
            outcome.sent.append(reminder)
            continue
        try:
            # The log row first: a concurrent run blocks on it and then finds it; a failed send
            # rolls it back, so the next run tries again.
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=reminder.kind,
                    object_id=reminder.object_id,
                    recipient=reminder.recipient,
                    event_date=reminder.event_date,
                )
                reminder.message().send()
        except IntegrityError:
            outcome.already_sent += 1
        except Exception as exc:  # an SMTP failure must not stop the other reminders
            logger.exception("Promemoria non inviato")
            outcome.errors.append(f"{reminder.describe()}: invio non riuscito ({exc}).")
        else:
            done.add(reminder.key)
            outcome.sent.append(reminder)
    return outcome


@transaction.atomic
def load_demo_settings() -> tuple[int, int]:
    """Reminder settings for every PEG without them and, for every user with an e-mail address,
    preferences with everything on; existing rows are left as they are. (added PEGs, added users)"""
    pegs = [ReminderSettings(peg=peg) for peg in Peg.objects.filter(reminder_settings__isnull=True)]
    users = [
        NotificationPreference(user=user)
        for user in get_user_model().objects.exclude(email="").filter(notification_preference__isnull=True)
    ]
    ReminderSettings.objects.bulk_create(pegs)
    NotificationPreference.objects.bulk_create(users)
    return len(pegs), len(users)
