# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""links.by_id builds the addresses reverse() gives, also under a script prefix (an installation
served below a path), and the dashboard's and the list's links lead to the objective and phase shown."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import clear_script_prefix, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from objectives.accounts import create_demo_users
from objectives.links import by_id
from objectives.models import Fase


@given(pk=st.integers(1, 10**12))
def test_an_address_by_id_is_the_reversed_one(pk):
    for viewname in ("objectives:detail", "sectors:detail"):
        assert by_id(viewname)(pk) == reverse(viewname, args=[pk])


def test_under_a_script_prefix_too():
    set_script_prefix("/peg/")
    try:
        assert by_id("objectives:detail")(7) == reverse("objectives:detail", args=[7]) == "/peg/obiettivi/7/"
    finally:
        clear_script_prefix()


@pytest.mark.django_db
def test_the_dashboards_phase_links_lead_to_the_phase_on_its_objective(client, peg_2021):
    create_demo_users()
    client.force_login(get_user_model().objects.get(username="staff"))
    html = client.get(reverse("objectives:dashboard"), {"anno": 2021, "al": "31/12/2021"}).content.decode()
    links = re.findall(r'href="/obiettivi/(\d+)/#fase-(\d+)">Ob\. ([^,]+), fase ([^<]+)</a>', html)
    assert links
    for objective, phase, code, label in links:
        fase = Fase.objects.select_related("obiettivo").get(pk=phase)
        assert (fase.obiettivo_id, fase.obiettivo.code, fase.label) == (int(objective), code, label)
    units = re.findall(r'href="/strutture/(\d+)/\?anno=2021"', html)
    assert units
