# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from objectives.models import Peg
from objectives.parsing import PegDocumentError
from objectives.services import import_plan_text
from objectives.synthetic import enter_monitoring, synthetic_document, unit_count


class Command(BaseCommand):
    help = (
        "Genera un PEG sintetico di N obiettivi (circa N/33 strutture, testi come le schede 2021, obiettivi "
        "pluriennali, codici responsabili citati) nel formato del documento stampato, lo importa con import_peg "
        "e inserisce una parte del monitoraggio come farebbero i responsabili. Per prove di carico e benchmark: "
        "un PEG dell'anno indicato già presente non viene toccato."
    )

    def add_arguments(self, parser):
        parser.add_argument("--objectives", type=int, default=1000, help="Numero di obiettivi (default 1000)")
        parser.add_argument("--year", type=int, default=None, help="Anno del PEG (default: l'anno in corso)")
        parser.add_argument("--seed", type=int, default=2021, help="Seme: gli stessi argomenti danno lo stesso PEG")
        parser.add_argument("--units", type=int, default=None, help="Numero di strutture (default: N/33)")
        parser.add_argument(
            "--monitoring",
            type=float,
            default=30,
            help="Percentuale di obiettivi con monitoraggio inserito attraverso il procedimento (default 30)",
        )
        parser.add_argument("--output", help="Scrive anche il documento generato in questo file")

    def handle(self, *args, objectives, year, seed, units, monitoring, output=None, **options):
        year = year or timezone.localdate().year
        if objectives < 1:
            raise CommandError("Indicare almeno un obiettivo (--objectives).")
        if not 0 <= monitoring <= 100:
            raise CommandError("--monitoring è una percentuale tra 0 e 100.")
        if Peg.objects.filter(year=year).exists():
            raise CommandError(f"Il PEG {year} esiste già: scegliere un altro anno (--year).")
        text = synthetic_document(objectives, year=year, seed=seed, units=units or unit_count(objectives))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            result = import_plan_text(text)
        except PegDocumentError as exc:  # pragma: no cover - the generator writes only valid documents
            raise CommandError(f"Documento sintetico non importato. {exc}") from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if monitoring:
            self.stdout.write(enter_monitoring(result.peg, percent=monitoring, seed=seed).summary())
