# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""`manage.py purge_documents --giorni 30`: remove the prepared documents older than that, files included.

Run it from cron on one machine (the files are on the shared MEDIA_ROOT).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.services import purge_finished


class Command(BaseCommand):
    help = "Elimina i documenti preparati (e i loro file) finiti da più di N giorni."

    def add_arguments(self, parser):
        parser.add_argument("--giorni", type=int, default=30, help="giorni da conservare (predefinito 30)")

    def handle(self, *args, giorni, **options):
        if giorni < 0:
            raise CommandError("--giorni deve essere un numero di giorni, zero o più.")
        removed = purge_finished(older_than=timezone.now() - dt.timedelta(days=giorni))
        self.stdout.write(f"Documenti eliminati: {removed}.")
