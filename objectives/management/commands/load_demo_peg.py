from django.core.management import call_command
from django.core.management.base import BaseCommand

from objectives.models import Peg


class Command(BaseCommand):
    help = (
        "Carica il PEG 2021 della Città di Alessandria (fixtures/peg_2021.json) se il database non lo contiene "
        "ancora; un PEG 2021 già presente, con il suo monitoraggio, non viene toccato."
    )

    def handle(self, *args, **options):
        if Peg.objects.filter(year=2021).exists():
            self.stdout.write("PEG 2021 già presente: nessun caricamento.")
            return
        call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
        self.stdout.write(self.style.SUCCESS("PEG 2021 caricato: 41 obiettivi, 171 fasi."))
