# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list speaks Italian and tells assistive technology how it is sorted."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from objectives.accounts import create_demo_users


@pytest.fixture
def staff_page(client, peg_2021, settings):
    settings.PEG_PAGE_SIZE = 10
    create_demo_users()
    client.force_login(get_user_model().objects.get(username="staff"))

    def get(**params):
        return client.get(reverse("objectives:list"), {"anno": 2021, **params}).content.decode()

    return get


def test_the_empty_choices_of_the_filters_say_what_they_mean(staff_page):
    page = staff_page()
    assert '<option value="" selected>Tutte le strutture</option>' in page
    assert '<option value="" selected>Tutti gli stati</option>' in page
    assert "---------" not in page


def test_the_pager_is_labelled_in_italian_and_marks_the_current_page(staff_page):
    page = staff_page(page=2)
    assert '<nav aria-label="Navigazione pagine">' in page
    assert "Table navigation" not in page
    assert re.search(r'aria-current="page"><span class="visually-hidden">Pagina </span>\s*2\s*</a>', page)
    assert "Precedente" in page and "Successiva" in page


def test_sortable_headers_say_which_column_sorts_the_list_and_which_way(staff_page):
    unsorted = staff_page()  # in print order: by objective ("Ob."), ascending
    assert unsorted.count('aria-sort="none"') == 5
    assert re.search(r'aria-sort="ascending">\s*<a [^>]*>Ob.</a>', unsorted)
    by_title = staff_page(sort="title")
    assert re.search(r'aria-sort="ascending">\s*<a [^>]*>Titolo</a>', by_title)
    assert re.search(r'aria-sort="descending">\s*<a [^>]*>Titolo</a>', staff_page(sort="-title"))


def test_each_cell_carries_its_column_name_for_the_phone_cards(staff_page):
    page = staff_page()
    assert 'data-label="Stato"' in page and 'data-label="Raggiungimento"' in page
    assert '<div class="table-container peg-table-cards">' in page


def test_the_header_does_not_repeat_a_role_that_is_the_users_name(staff_page):
    page = staff_page()
    assert "Programmazione e Controllo · Programmazione e Controllo" not in page
    assert re.search(r'id="utente-corrente">Programmazione e Controllo</span>', page)


def _tbody(html: str) -> str:
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).replace("> ", ">").replace(" <", "<")


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-score_value", "page": "2"}, {"late": "on"}, {"q": "nessuna-parola-così"}]
)
def test_the_rows_written_in_one_pass_are_those_django_tables2_writes(client, peg_2021, settings, params):
    from django.template.loader import get_template

    settings.PEG_PAGE_SIZE = 10
    create_demo_users()
    client.force_login(get_user_model().objects.get(username="dirigente.sistemi"))

    def context():  # a table of its own for each rendering (django-tables2 counts rows for odd/even)
        response = client.get(reverse("objectives:list"), {"anno": 2021, **params})
        return {"table": response.context["table"], "request": response.wsgi_request}

    ours = get_template("objectives/_objective_table.html").render(context())
    theirs = get_template("django_tables2/bootstrap5.html").render(context())
    assert _tbody(ours) == _tbody(theirs)
    assert "<tr" in _tbody(ours)
