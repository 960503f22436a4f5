# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand, CommandError

from evaluation.services import ensure_demo_evaluation
from objectives.models import Peg


class Command(BaseCommand):
    help = (
        "Aggiunge al PEG dell'anno indicato gli esempi della demo che mancano: le fasce di valutazione "
        "(≥ 95 → 100%, ≥ 80 → 80%, ≥ 60 → 60%, sotto → 0%), le quote 70/30 e il catalogo dei comportamenti. "
        "Non modifica ciò che esiste già."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2021, help="Anno del PEG (predefinito: 2021)")

    def handle(self, *args, year, **options):
        peg = Peg.objects.filter(year=year).first()
        if peg is None:
            raise CommandError(f"Nessun PEG per l'anno {year}.")
        added = ensure_demo_evaluation(peg=peg)
        if added:
            self.stdout.write(self.style.SUCCESS(f"PEG {year}: aggiunti " + "; ".join(added) + "."))
        else:
            self.stdout.write(f"PEG {year}: fasce, quote e comportamenti già presenti: nessuna modifica.")
