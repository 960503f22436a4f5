# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Recompute the stored figures (objectives/facts.py) of one PEG or of all: after `loaddata`, whose
raw saves the signals leave alone."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from objectives import facts
from objectives.models import Peg


class Command(BaseCommand):
    help = "Ricalcola i dati memorizzati (punteggi e monitoraggio) di un PEG o di tutti."

    def add_arguments(self, parser):
        parser.add_argument("--anno", type=int, help="Solo il PEG di quest'anno.")

    def handle(self, *args, anno=None, **options):
        pegs = Peg.objects.order_by("year")
        if anno is not None:
            pegs = pegs.filter(year=anno)
            if not pegs.exists():
                raise CommandError(f"Non esiste un PEG del {anno}.")
        for peg in pegs:
            with transaction.atomic():
                facts.refresh_peg(peg)
            self.stdout.write(f"PEG {peg.year}: dati ricalcolati ({peg.obiettivi.count()} obiettivi).")
