# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.core.management.base import BaseCommand

from objectives.accounts import DEMO_PASSWORD, create_demo_users


class Command(BaseCommand):
    help = (
        "Crea (o reimposta) gli utenti dimostrativi dirigente.sistemi, dirigente.urbanistica, nucleo e staff "
        f"con la password «{DEMO_PASSWORD}». Da eseguire dopo il caricamento del PEG 2021; idempotente."
    )

    def handle(self, *args, **options):
        for line in create_demo_users():
            self.stdout.write(line)
