# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The personas of the workflow tests.

Alice heads the unit that owns the objective; Bob heads another unit and must see nothing of
it; Carla heads a unit whose Responsabile code is cited in one of the objective's phases, so she
reads it but changes nothing; Nina is the Nucleo di Valutazione; Sara is staff of Programmazione
e Controllo; Root is the administrator.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF
from tests.factories import DirigenteFactory, FaseFactory, ObiettivoFactory, PegFactory, SettoreFactory, UserFactory


def user_in(username: str, group: str | None = None, **extra):
    user = UserFactory(username=username, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def world(db):
    peg = PegFactory(year=2021)
    alice = user_in("alice", GROUP_DIRIGENTE, first_name="Alice", last_name="Bianchi")
    bob = user_in("bob", GROUP_DIRIGENTE)
    carla = user_in("carla", GROUP_DIRIGENTE)
    nina = user_in("nina", GROUP_NUCLEO)
    sara = user_in("sara", GROUP_STAFF, is_staff=True)
    root = user_in("root", is_superuser=True, is_staff=True)

    unit = SettoreFactory(name="SETTORE DI ALICE", head=DirigenteFactory(user=alice, name="Alice Bianchi"))
    other_unit = SettoreFactory(name="SETTORE DI BOB", head=DirigenteFactory(user=bob, name="Bob Verdi"))
    cited_unit = SettoreFactory(name="SETTORE DI CARLA", head=DirigenteFactory(user=carla, name="Carla Neri"))

    obiettivo = ObiettivoFactory(peg=peg, settore=unit, code="A", title="Digitalizzare i procedimenti")
    fase1 = FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, weight=Decimal("60"), deadline="30/06/2021")
    fase2 = FaseFactory(obiettivo=obiettivo, label="2", sort_order=2, weight=Decimal("40"), deadline="31/12/2021")
    fase2.responsabili.add(cited_unit.responsabile)
    other = ObiettivoFactory(peg=peg, settore=other_unit, code="A", title="Obiettivo di Bob")
    other_fase = FaseFactory(obiettivo=other, label="1", weight=Decimal("100"))

    return SimpleNamespace(
        peg=peg,
        alice=alice,
        bob=bob,
        carla=carla,
        nina=nina,
        sara=sara,
        root=root,
        unit=unit,
        other_unit=other_unit,
        cited_unit=cited_unit,
        obiettivo=obiettivo,
        fase1=fase1,
        fase2=fase2,
        other=other,
        other_fase=other_fase,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Six personas per test: hashing their passwords with PBKDF2 would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
