# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The 2021 PEG with a year-end scenario for Arch. Robotti, and the personas of the evaluation.

Robotti heads AREA TECNICA and SETTORE URBANISTICA E PATRIMONIO (five objectives):

- AREA TECNICA 1: phases 1-A (50%) and 1-B (30%) completed on 01/06/2021, phase 2 (20%) not → 100
  (its card: "Obiettivo raggiunto al 100%: se la fase 1 è stata espletata entro la scadenza
  finale prevista", docs/calculator.md; by the weights alone it would be 80)
- URBANISTICA A: its three phases completed on 20/01/2021, before any deadline → 100
- URBANISTICA B: nothing completed (computed 0), validated by the Nucleo at 90 → 90
- URBANISTICA C: all six phases neutralised (the private applications never came) → not scored
- URBANISTICA D: phase 1 (50%) completed on 01/03/2021, phase 2 not → 50

so his result is (100 + 100 + 90 + 50) / 4 = 85,00: the band "≥ 80 → 80%".

Personas: Robotti (the head evaluated), Furia (the head of another unit), Nina (Nucleo), Sara
(staff of Programmazione e Controllo), Ugo (a stranger: no role, heads nothing), Root (admin).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from evaluation.models import Comportamento
from evaluation.services import ensure_demo_evaluation
from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF
from objectives.models import Fase, FaseState, Obiettivo, ObiettivoStatus
from sectors.models import Dirigente
from tests.factories import UserFactory

AREA = "AREA TECNICA"
URBANISTICA = "SETTORE URBANISTICA E PATRIMONIO"
NEUTRALISATION_REASON = "Nessuna istanza presentata dai privati nel 2021"


def user_in(username: str, group: str | None = None, **extra):
    user = UserFactory(username=username, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def objective(unit: str, code: str) -> Obiettivo:
    return Obiettivo.objects.get(peg__year=2021, settore__name=unit, code=code)


def complete(obiettivo: Obiettivo, labels: list[str], on: dt.date) -> None:
    Fase.objects.filter(obiettivo=obiettivo, label__in=labels).update(state=FaseState.COMPLETATA, completed_on=on)


def robotti_year_end() -> dict[str, Obiettivo]:
    objectives = {
        "area_1": objective(AREA, "1"),
        "urb_a": objective(URBANISTICA, "A"),
        "urb_b": objective(URBANISTICA, "B"),
        "urb_c": objective(URBANISTICA, "C"),
        "urb_d": objective(URBANISTICA, "D"),
    }
    complete(objectives["area_1"], ["1-A", "1-B"], dt.date(2021, 6, 1))
    complete(objectives["urb_a"], ["1", "2", "3"], dt.date(2021, 1, 20))
    Obiettivo.objects.filter(pk=objectives["urb_b"].pk).update(
        status=ObiettivoStatus.VALIDATO, validated_score=Decimal("90"), validated_on=dt.date(2022, 3, 15)
    )
    Fase.objects.filter(obiettivo=objectives["urb_c"]).update(
        neutralised=True, neutralisation_reason=NEUTRALISATION_REASON
    )
    complete(objectives["urb_d"], ["1"], dt.date(2021, 3, 1))
    return objectives


@pytest.fixture
def scenario(peg_2021):
    """The 2021 PEG with the demo's bands, 70/30 settings and behaviours, and Robotti's year end."""
    ensure_demo_evaluation(peg=peg_2021)
    objectives = robotti_year_end()
    robotti_user = user_in("robotti", GROUP_DIRIGENTE, first_name="Pierfranco", last_name="Robotti")
    furia_user = user_in("furia", GROUP_DIRIGENTE)
    robotti = Dirigente.objects.get(name="Pierfranco Robotti")
    furia = Dirigente.objects.get(name="Fabrizio Furia")
    Dirigente.objects.filter(pk=robotti.pk).update(user=robotti_user)
    Dirigente.objects.filter(pk=furia.pk).update(user=furia_user)
    robotti.refresh_from_db()
    furia.refresh_from_db()
    return SimpleNamespace(
        peg=peg_2021,
        objectives=objectives,
        robotti=robotti,
        furia=furia,
        robotti_user=robotti_user,
        furia_user=furia_user,
        nina=user_in("nina", GROUP_NUCLEO, first_name="Nina", last_name="Nucleo"),
        sara=user_in("sara", GROUP_STAFF, is_staff=True),
        ugo=user_in("ugo"),
        root=user_in("root", is_superuser=True, is_staff=True),
    )


# The Nucleo's scores of the demo behaviours (weights 25, 25, 20, 15, 15 on a 1–5 scale):
# Σ weight × score / 5 = 20 + 25 + 12 + 12 + 15 = 84 out of 100.
DEMO_SCORES = [4, 5, 3, 4, 5]


def demo_scores(peg) -> dict[int, tuple[int, str]]:
    catalogue = Comportamento.objects.filter(peg=peg).order_by("print_order")
    return {
        comportamento.pk: (score, f"Commento sul comportamento {index}")
        for index, (comportamento, score) in enumerate(zip(catalogue, DEMO_SCORES, strict=True), start=1)
    }


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
