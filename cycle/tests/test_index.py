# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The cycle's index leads to each year's cycle, Relazione and public pages, and staff to the new year."""

from django.urls import reverse


def test_staff_find_each_years_pages_and_the_new_year(world, client):
    client.force_login(world.sara)
    page = client.get(reverse("cycle:index")).content.decode()
    for url in (
        reverse("cycle:peg", args=[2021]),
        reverse("relazione:detail", args=[2021]),
        reverse("transparency:index"),
        reverse("rollover:choose"),
    ):
        assert f'href="{url}"' in page


def test_the_nucleo_reads_the_index_without_the_new_year_button(world, client):
    client.force_login(world.nina)
    page = client.get(reverse("cycle:index")).content.decode()
    assert reverse("relazione:detail", args=[2021]) in page
    assert reverse("rollover:choose") not in page


def test_a_head_does_not_find_the_index(world, client):
    client.force_login(world.alice)
    assert client.get(reverse("cycle:index")).status_code == 404
