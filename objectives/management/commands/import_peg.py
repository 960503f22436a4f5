from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objectives.parsing import PegDocumentError
from objectives.services import import_plan_text


class Command(BaseCommand):
    help = (
        "Importa un PEG dal documento testuale (formato di fixtures/peg_2021_alessandria.txt) "
        "o dal JSON di export_peg. Tutto o niente: un documento malformato non importa nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Percorso del documento del PEG")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Impossibile leggere {path}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} non è un testo UTF-8.") from None
        try:
            result = import_plan_text(text)
        except PegDocumentError as exc:
            raise CommandError(f"Documento non importato. {exc}") from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
