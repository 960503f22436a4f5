# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand

from activities.services import load_demo_settings


class Command(BaseCommand):
    help = (
        "Impostazioni dei promemoria per ogni PEG che non le ha (preavviso predefinito) e preferenze di notifica "
        "(tutte attive) per ogni utente con un indirizzo e-mail che non le ha. Ripetibile: non cambia le esistenti."
    )

    def handle(self, *args, **options):
        pegs, users = load_demo_settings()
        self.stdout.write(f"Impostazioni dei promemoria aggiunte: {pegs}; preferenze di notifica aggiunte: {users}.")
