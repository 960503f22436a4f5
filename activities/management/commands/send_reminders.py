# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activities.forms import parse_day
from activities.services import send_reminders


def today_from(text: str | None) -> dt.date:
    """--today as gg/mm/aaaa (default: today in Europe/Rome); CommandError in Italian otherwise."""
    if text is None:
        return timezone.localdate()
    try:
        return parse_day(text)
    except ValueError as exc:
        raise CommandError(f"--today {text!r} non valido: {exc}") from None


class Command(BaseCommand):
    help = (
        "Invia i promemoria e-mail dovuti (fasi in scadenza o in ritardo; obiettivi rendicontati, rinviati, "
        "validati) non ancora inviati. Idempotente: da eseguire con cron, ad esempio ogni giorno."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Il giorno di riferimento, gg/mm/aaaa (predefinito: oggi).")
        parser.add_argument("--dry-run", action="store_true", help="Mostra cosa sarebbe inviato senza inviare nulla.")

    def handle(self, *args, today=None, dry_run=False, **options):
        day = today_from(today)
        outcome = send_reminders(today=day, dry_run=dry_run)
        verb = "da inviare" if dry_run else "inviato"
        for reminder in outcome.sent:
            self.stdout.write(f"{verb}: {reminder.describe()}")
        for line in outcome.skipped:
            self.stdout.write(f"saltato: {line}")
        for line in outcome.errors:
            self.stderr.write(f"errore: {line}")
        sent = "da inviare (prova, nessun invio)" if dry_run else "inviati"
        summary = (
            f"Promemoria al {day:%d/%m/%Y}: {len(outcome.sent)} {sent}, {outcome.already_sent} già inviati in "
            f"precedenza, {len(outcome.skipped)} saltati, {len(outcome.errors)} errori."
        )
        self.stdout.write(summary)
        if outcome.errors:
            raise CommandError(
                f"{len(outcome.errors)} promemoria non inviati: saranno ritentati alla prossima esecuzione."
            )
