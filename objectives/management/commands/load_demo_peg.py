# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from objectives import facts
from objectives.models import Fase, Peg
from objectives.services import load_indicators_file


class Command(BaseCommand):
    help = (
        "Carica il PEG 2021 della Città di Alessandria (fixtures/peg_2021.json) se il database non lo contiene "
        "ancora; un PEG 2021 già presente, con il suo monitoraggio, non viene toccato. Aggiunge poi gli esempi "
        "della demo che mancano: gli indicatori di risultato strutturati (fixtures/peg_2021_indicators.json) e, con "
        "load_demo_evaluation, fasce di valutazione e valutazione individuale."
    )

    def handle(self, *args, **options):
        if Peg.objects.filter(year=2021).exists():
            self.stdout.write("PEG 2021 già presente: nessun caricamento.")
        else:
            call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
            peg = Peg.objects.get(year=2021)
            facts.refresh_peg(peg)  # loaddata's raw saves leave the stored figures to us
            phases = Fase.objects.filter(obiettivo__peg=peg).count()
            self.stdout.write(
                self.style.SUCCESS(f"PEG 2021 caricato: {peg.obiettivi.count()} obiettivi, {phases} fasi.")
            )
        added = load_indicators_file("fixtures/peg_2021_indicators.json")
        if added:
            self.stdout.write(f"Indicatori di risultato strutturati aggiunti: {added}.")
        # By the command's name: the core does not import the apps built on it.
        if apps.is_installed("evaluation"):
            call_command("load_demo_evaluation", year=2021, stdout=self.stdout)
