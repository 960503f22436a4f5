# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objectives.models import Obiettivo, Peg
from reports import services
from reports.rendering import DEFAULT_WORKERS, NoCache, PdfCache
from sectors.models import Settore


class Command(BaseCommand):
    help = (
        "Stampa il PEG di un anno in PDF (copertina, indice, schede, Elenco Responsabili), "
        "o le sole schede di una struttura (--settore) o di alcuni obiettivi (--obiettivo); "
        "--html scrive lo stesso documento come un unico file HTML."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Anno del PEG, es. 2021")
        parser.add_argument("--output", help="File PDF da scrivere")
        parser.add_argument("--html", help="File HTML da scrivere (lo stesso documento, in un unico file)")
        parser.add_argument("--settore", help="Solo le schede di questa struttura: id o denominazione esatta")
        parser.add_argument(
            "--obiettivo", action="append", type=int, help="Solo la scheda di questo obiettivo (id); ripetibile"
        )
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="Processi di stampa in parallelo")
        parser.add_argument("--no-cache", action="store_true", help="Non leggere né scrivere la cache delle schede")

    def handle(self, *args, year, output, html, settore, obiettivo, workers, no_cache, **options):
        if not output and not html:
            raise CommandError("Indicare --output FILE.pdf e/o --html FILE.html.")
        try:
            peg = Peg.objects.get(year=year)
        except Peg.DoesNotExist:
            raise CommandError(f"Nessun PEG per l'anno {year}.") from None
        unit = self._settore(settore) if settore else None
        if obiettivo:
            found = set(Obiettivo.objects.filter(peg=peg, pk__in=obiettivo).values_list("pk", flat=True))
            if missing := sorted(set(obiettivo) - found):
                raise CommandError(f"Obiettivi non trovati nel PEG {year}: {missing}")
        selection = {"settore": unit, "obiettivo_ids": obiettivo or None}
        if html:
            Path(html).write_text(services.peg_html(peg, **selection), encoding="utf-8")
            self.stdout.write(f"HTML scritto in {html}")
        if output:
            cache = NoCache() if no_cache else PdfCache()
            Path(output).write_bytes(services.render_peg_pdf(peg, cache=cache, workers=workers, **selection))
            self.stdout.write(f"PDF scritto in {output}")

    def _settore(self, value: str) -> Settore:
        lookup = {"pk": int(value)} if value.isdigit() else {"name": value}
        try:
            return Settore.objects.get(**lookup)
        except Settore.DoesNotExist:
            raise CommandError(f"Struttura non trovata: {value}") from None
