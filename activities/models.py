# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What the reminders need to remember: per-PEG settings, each user's choices, what was sent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from objectives.models import Peg

DEFAULT_DAYS_BEFORE = 7


class ReminderSettings(models.Model):
    """How many days before a phase's due date its head is reminded, for one PEG."""

    peg = models.OneToOneField(Peg, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name="PEG")
    days_before = models.PositiveSmallIntegerField(
        "giorni di preavviso",
        default=DEFAULT_DAYS_BEFORE,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Il promemoria di una fase parte questo numero di giorni prima della sua scadenza.",
    )

    class Meta:
        verbose_name = "impostazioni dei promemoria"
        verbose_name_plural = "impostazioni dei promemoria"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_before__gte=1, days_before__lte=90),
                name="reminder_days_before_between_1_and_90",
                violation_error_message="Il preavviso va da 1 a 90 giorni.",
            ),
        ]

    def __str__(self):
        return f"Promemoria del PEG {self.peg.year}: {self.days_before} giorni prima"


class ReminderKind(models.TextChoices):
    DUE_SOON = "scadenza", "Fase in scadenza"
    LATE = "ritardo", "Fase in ritardo"
    REPORTED = "rendicontazione", "Obiettivo rendicontato (al Nucleo)"
    RETURNED = "rinvio", "Obiettivo rinviato (al responsabile)"
    VALIDATED = "validazione", "Obiettivo validato (al responsabile)"


# Which preference switches which kinds off.
PREFERENCE_FOR_KIND = {
    ReminderKind.DUE_SOON: "due_soon",
    ReminderKind.LATE: "late",
    ReminderKind.REPORTED: "reported",
    ReminderKind.RETURNED: "outcome",
    ReminderKind.VALIDATED: "outcome",
}


class NotificationPreference(models.Model):
    """A user's e-mail choices; a user without a row receives every reminder meant for them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    due_soon = models.BooleanField("fasi in scadenza", default=True)
    late = models.BooleanField("fasi in ritardo", default=True)
    reported = models.BooleanField("obiettivi rendicontati da validare (Nucleo)", default=True)
    outcome = models.BooleanField("obiettivi rinviati o validati dal Nucleo", default=True)

    class Meta:
        verbose_name = "preferenze di notifica"
        verbose_name_plural = "preferenze di notifica"

    def __str__(self):
        return f"Preferenze di notifica di {self.user}"

    def wants(self, kind: str) -> bool:
        return getattr(self, PREFERENCE_FOR_KIND[kind])


class SentReminder(models.Model):
    """One e-mail sent: the unique constraint is what keeps `send_reminders` from sending it twice.

    `object_id` is the phase (due soon, late) or the procedure's note (reported, returned,
    validated); `event_date` the phase's due date or the note's date: a phase whose due date
    moves gets a new reminder for the new date.
    """

    kind = models.CharField("tipo", max_length=20, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField("fase o nota")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="destinatario"
    )
    event_date = models.DateField("scadenza o data dell'atto")
    sent_at = models.DateTimeField("inviato il", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "promemoria inviato"
        verbose_name_plural = "promemoria inviati"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "recipient", "event_date"], name="sent_reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} a {self.recipient} ({self.event_date:%d/%m/%Y})"
