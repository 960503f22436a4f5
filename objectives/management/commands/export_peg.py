# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand, CommandError

from objectives.models import Peg
from objectives.services import export_plan_json


class Command(BaseCommand):
    help = "Stampa su stdout il PEG dell'anno indicato in formato JSON (dati aperti; reimportabile con import_peg)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Anno del PEG, es. 2021")

    def handle(self, *args, year, **options):
        if not Peg.objects.filter(year=year).exists():
            raise CommandError(f"Nessun PEG per l'anno {year}.")
        self.stdout.write(export_plan_json(year), ending="")
