# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand

from ente.services import ensure_demo_ente


class Command(BaseCommand):
    help = "Inserisce l'ente della demo (Comune di Alessandria, senza stemma) se non ce n'è già uno."

    def handle(self, *args, **options):
        ente, created = ensure_demo_ente()
        self.stdout.write(f"{'creato' if created else 'già presente'}: {ente.name}")
