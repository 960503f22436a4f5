# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objectives.parsing import PegDocumentError
from objectives.services import import_plan_file


class Command(BaseCommand):
    help = (
        "Importa un PEG dal documento testuale (formato di fixtures/peg_2021_alessandria.txt) "
        "o dal JSON di export_peg. Tutto o niente: un documento malformato non importa nulla. "
        "Un piano che rimuoverebbe o modificherebbe obiettivi o fasi con monitoraggio, note, allegati, "
        "o rendicontati o validati è rifiutato con l'elenco di ciò che andrebbe perso."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Percorso del documento del PEG")
        parser.add_argument(
            "--allow-removal",
            action="store_true",
            help=(
                "Applica comunque rimozioni e modifiche di obiettivi in corso con monitoraggio (che va perso per le "
                "fasi rimosse). Note del procedimento, allegati e obiettivi rendicontati o validati restano intatti."
            ),
        )

    def handle(self, *args, path, allow_removal=False, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossibile leggere {path}: {exc.strerror}.") from None
        try:
            result = import_plan_file(data, allow_removal=allow_removal)
        except PegDocumentError as exc:
            raise CommandError(f"Documento non importato. {exc}") from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
