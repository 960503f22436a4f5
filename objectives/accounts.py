# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Role groups and the demo users (for `make run`; never called by migrations)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF
from sectors.models import Dirigente

DEMO_PASSWORD = "alessandria2021"
DEMO_EMAIL_DOMAIN = "peg.example"

# Programmazione e Controllo prepares the plan in the admin: it reads everything and edits plan content.
STAFF_EDITS = {
    "objectives": ["peg", "scoreband", "obiettivo", "annualita", "fase", "indicatore"],
    "sectors": ["settore", "dirigente", "responsabile"],
    # The evaluation's settings and catalogue of behaviours (never the heads' forms: staff does not see them).
    "evaluation": ["evaluationsettings", "comportamento"],
}
STAFF_VIEWS = {"objectives": ["allegato", "nota", "allegatoindicatore"]}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    group: str
    dirigente_name: str = ""
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


DEMO_USERS = [
    DemoUser("dirigente.sistemi", "Luca", "Galandra", GROUP_DIRIGENTE, dirigente_name="Luca Galandra"),
    DemoUser("dirigente.urbanistica", "Pierfranco", "Robotti", GROUP_DIRIGENTE, dirigente_name="Pierfranco Robotti"),
    DemoUser("nucleo", "Nucleo", "di Valutazione", GROUP_NUCLEO),
    DemoUser("staff", "Programmazione", "e Controllo", GROUP_STAFF, is_staff=True),
]


def ensure_role_groups() -> dict[str, Group]:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF)}
    codenames = []
    for app_label, models in STAFF_EDITS.items():
        for model in models:
            codenames += [(app_label, f"{action}_{model}") for action in ("view", "add", "change")]
    for app_label, models in STAFF_VIEWS.items():
        codenames += [(app_label, f"view_{model}") for model in models]
    permissions = [
        permission
        for permission in Permission.objects.filter(
            codename__in=[codename for _, codename in codenames]
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in set(codenames)
    ]
    groups[GROUP_STAFF].permissions.add(*permissions)
    return groups


@transaction.atomic
def create_demo_users(password: str = DEMO_PASSWORD) -> list[str]:
    """Create or reset the demo users; returns one Italian line per user for the command's output."""
    groups = ensure_role_groups()
    User = get_user_model()
    lines = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.email = demo.email  # the reminders (activities) need one; .example never delivers
        user.is_staff = demo.is_staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(groups[demo.group])
        note = ""
        if demo.dirigente_name:
            dirigente = Dirigente.objects.filter(name=demo.dirigente_name).first()
            if dirigente is None:
                note = f" (attenzione: «{demo.dirigente_name}» non è tra i responsabili: caricare prima il PEG)"
            elif dirigente.user_id not in (None, user.pk):
                note = f" (attenzione: «{demo.dirigente_name}» è già collegato a un altro utente)"
            else:
                dirigente.user = user
                dirigente.save(update_fields=["user"])
                units = ", ".join(dirigente.settori.values_list("name", flat=True))
                note = f": {units}"
        lines.append(f"{'creato' if created else 'aggiornato'} {demo.username} [{demo.group}]{note}")
    return lines
