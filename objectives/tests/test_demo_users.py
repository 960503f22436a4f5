# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""create_demo_users: the four demo accounts on the 2021 PEG, created once, reset on every run."""

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from objectives import access
from objectives.models import Obiettivo


def test_the_demo_users_are_linked_to_their_units_and_roles(peg_2021):
    call_command("create_demo_users", verbosity=0)
    call_command("create_demo_users", verbosity=0)
    User = get_user_model()
    assert (
        User.objects.filter(username__in=["dirigente.sistemi", "dirigente.urbanistica", "nucleo", "staff"]).count() == 4
    )

    sistemi = User.objects.get(username="dirigente.sistemi")
    assert [s.name for s in access.headed_settori(sistemi)] == ["SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"]
    urbanistica = User.objects.get(username="dirigente.urbanistica")
    assert sorted(s.name for s in access.headed_settori(urbanistica)) == [
        "AREA TECNICA",
        "SETTORE URBANISTICA E PATRIMONIO",
    ]
    assert access.is_nucleo(User.objects.get(username="nucleo"))
    staff = User.objects.get(username="staff")
    assert access.is_staff_reader(staff) and staff.is_staff and staff.has_perm("objectives.change_obiettivo")
    assert access.visible_objectives(staff).count() == Obiettivo.objects.count() == 41


def test_a_head_of_the_2021_plan_sees_their_objectives_and_the_ones_citing_their_code(peg_2021):
    call_command("create_demo_users", verbosity=0)
    sistemi = get_user_model().objects.get(username="dirigente.sistemi")
    visible = access.visible_objectives(sistemi)
    own = visible.filter(settore__name="SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT")
    assert own.count() == 4
    code = own.first().settore.responsabile.code
    cited = visible.exclude(pk__in=own.values("pk"))
    assert cited.exists()
    for obiettivo in cited:
        assert obiettivo.fasi.filter(responsabili__code=code).exists(), obiettivo


def test_the_demo_password_works(peg_2021, rf):
    call_command("create_demo_users", verbosity=0)
    request = rf.post("/accesso/")
    assert authenticate(request=request, username="nucleo", password="alessandria2021") is not None
