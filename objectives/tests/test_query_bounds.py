# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What the pages read from the query string is bounded: a refused value gets an Italian message
on the page, the page shows the default instead, and no value ever makes a page fail."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from objectives.filters import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from objectives.models import Annualita, Peg
from objectives.selectors import monitoring_span
from tests.factories import FaseFactory, ObiettivoFactory

OUT_OF_SPAN = "La data di monitoraggio del PEG 2021 deve essere compresa tra il 01/01/2021 e il 31/12/2022"
BAD_DATE = "La data di monitoraggio va indicata nel formato gg/mm/aaaa"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def nina(client, world):
    client.force_login(world.nina)
    return client


# The monitoring date ------------------------------------------------------------------------


def test_a_date_in_year_9999_is_refused_with_a_message_and_the_dashboard_shows_the_default(nina):
    response = nina.get(reverse("objectives:dashboard"), {"al": "31/12/9999"})
    assert response.status_code == 200
    assert OUT_OF_SPAN in page_text(response)
    assert response.context["on"] <= dt.date(2021, 12, 31)


def test_a_date_before_the_pegs_year_is_refused(nina):
    response = nina.get(reverse("objectives:dashboard"), {"al": "31/12/2020"})
    assert OUT_OF_SPAN in page_text(response)


def test_a_date_within_the_pegs_year_is_shown_without_a_message(nina):
    response = nina.get(reverse("objectives:dashboard"), {"al": "30/06/2021"})
    assert "Situazione al 30/06/2021" in page_text(response)
    assert "data di monitoraggio" not in page_text(response)


def test_the_year_after_the_peg_is_open_to_the_year_end_review(nina):
    response = nina.get(reverse("objectives:dashboard"), {"al": "15/03/2022"})
    assert response.context["on"] == dt.date(2022, 3, 15)


def test_a_date_that_is_not_a_date_is_refused_with_the_format(nina):
    response = nina.get(reverse("objectives:dashboard"), {"al": "31/02/2021"})
    assert response.status_code == 200
    assert BAD_DATE in page_text(response)


def test_the_objectives_list_refuses_the_same_dates(nina):
    response = nina.get(reverse("objectives:list"), {"al": "31/12/9999"})
    assert response.status_code == 200
    assert OUT_OF_SPAN in page_text(response)


def test_an_export_with_a_refused_date_sends_back_to_the_list_which_says_why(nina):
    response = nina.get(reverse("objectives:export_csv"), {"al": "31/12/9999", "q": "procedimenti"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("objectives:list") + "?")
    followed = nina.get(response["Location"])
    assert OUT_OF_SPAN in page_text(followed)


def test_the_span_reaches_the_latest_tranche_of_a_multi_year_objective(world):
    Annualita.objects.create(obiettivo=world.obiettivo, year=2024, deadline=dt.date(2024, 6, 30))
    assert monitoring_span(world.peg) == (dt.date(2021, 1, 1), dt.date(2024, 6, 30))


def test_the_span_reaches_the_latest_final_deadline_but_never_past_ten_years(world):
    ObiettivoFactory(peg=world.peg, settore=world.unit, code="Z", final_deadline=dt.date(2026, 3, 31))
    assert monitoring_span(Peg.objects.get(pk=world.peg.pk))[1] == dt.date(2026, 3, 31)
    ObiettivoFactory(peg=world.peg, settore=world.unit, code="Y", final_deadline=dt.date(2090, 1, 1))
    # Read anew, as each page reads its PEG: one object keeps the deadlines it read (latest_deadlines).
    assert monitoring_span(Peg.objects.get(pk=world.peg.pk))[1] == dt.date(2031, 12, 31)


def test_the_dashboard_form_keeps_only_a_date_that_was_asked_for(nina):
    asked = nina.get(reverse("objectives:dashboard"), {"al": "30/06/2021"})
    assert 'name="al" id="al" class="form-control form-control-sm" value="30/06/2021"' in page_text(asked)
    # Without a date, the field is empty (so that changing the year alone brings that year's default).
    default = nina.get(reverse("objectives:dashboard"))
    on = default.context["on"].strftime("%d/%m/%Y")
    assert f'value="" placeholder="{on}"' in page_text(default)


# The year -----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["1999", "²", "99999999999999999999999", "-1", "2021.5"])
def test_a_year_without_a_peg_shows_the_latest_peg_with_a_message(nina, year):
    for name in ("objectives:dashboard", "objectives:list", "sectors:list"):
        response = nina.get(reverse(name), {"anno": year})
        assert response.status_code == 200
        assert "si mostra il PEG più recente" in page_text(response)
        assert response.context["peg"].year == 2021


def test_a_unit_page_with_a_year_without_a_peg_says_so(nina, world):
    response = nina.get(reverse("sectors:detail", args=[world.unit.pk]), {"anno": "1999"})
    assert response.status_code == 200
    assert "Non c'è un PEG per l'anno 1999: si mostra il PEG più recente." in page_text(response)


# The text search ----------------------------------------------------------------------------


def test_a_search_of_two_thousand_words_is_refused_and_not_applied(nina):
    response = nina.get(reverse("objectives:list"), {"q": " ".join(["procedimenti"] * 2000)})
    assert response.status_code == 200
    assert f"La ricerca può contenere al massimo {SEARCH_MAX_CHARS} caratteri" in page_text(response)
    assert response.context["count"] == 2


def test_a_search_of_more_than_twenty_short_words_is_refused(nina):
    response = nina.get(reverse("objectives:list"), {"q": " ".join(["a"] * (SEARCH_MAX_WORDS + 1))})
    assert f"La ricerca può contenere al massimo {SEARCH_MAX_WORDS} parole (ne ha 21)" in page_text(response)


def test_a_search_of_twenty_words_is_applied(nina):
    words = ["procedimenti", *["i"] * (SEARCH_MAX_WORDS - 1)]
    response = nina.get(reverse("objectives:list"), {"q": " ".join(words)})
    assert "La ricerca può contenere" not in page_text(response)
    assert [obiettivo.title for obiettivo in response.context["table"].data] == ["Digitalizzare i procedimenti"]


def test_an_export_with_a_refused_search_sends_back_to_the_list(nina):
    response = nina.get(reverse("objectives:export_xlsx"), {"q": "x" * (SEARCH_MAX_CHARS + 1)})
    assert response.status_code == 302


# Sorting and pages --------------------------------------------------------------------------


@pytest.fixture
def many(world):
    """Thirty objectives more in Alice's unit: two pages of the list at 25 a page."""
    for index in range(30):
        obiettivo = ObiettivoFactory(peg=world.peg, settore=world.unit, code=f"X{index}")
        FaseFactory(obiettivo=obiettivo, label="1", weight=Decimal("100"))
    return world


def test_a_page_that_is_not_a_number_shows_the_first_page(nina, many):
    response = nina.get(reverse("objectives:list"), {"page": "abc"})
    assert response.status_code == 200
    assert response.context["table"].page.number == 1


def test_a_page_past_the_end_shows_the_last_page(nina, many):
    response = nina.get(reverse("objectives:list"), {"page": "999999999999999999999999"})
    assert response.context["table"].page.number == 2


def test_the_page_size_cannot_be_chosen_from_the_query_string(nina, many):
    response = nina.get(reverse("objectives:list"), {"per_page": "0"})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 25


def test_an_unknown_sort_is_ignored_and_a_known_one_applies(nina, many):
    assert nina.get(reverse("objectives:list"), {"sort": "password"}).status_code == 200
    response = nina.get(reverse("objectives:list"), {"sort": "-score_value"})
    assert response.status_code == 200
    assert response.context["table"].order_by == ("-score_value",)


# Any value, any page ------------------------------------------------------------------------

PAGES = [
    "objectives:dashboard",
    "objectives:list",
    "objectives:export_csv",
    "objectives:export_xlsx",
    "sectors:list",
    "sectors:detail",
]
SORTS = ["settore", "code", "title", "status", "score_value", "late_count"]

dates = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda day: day.strftime("%d/%m/%Y"))
values = st.text(max_size=40) | st.integers(-(10**30), 10**30).map(str)
query_strings = st.fixed_dictionaries(
    {},
    optional={
        "al": dates | values,
        "q": values | st.lists(st.sampled_from(["procedimenti", "a", "Bob"]), max_size=60).map(" ".join),
        "sort": values | st.sampled_from(SORTS).flatmap(lambda name: st.sampled_from([name, "-" + name])),
        "page": values,
        "per_page": values,
        "anno": values | st.sampled_from(["2021", "2022"]),
        "settore": values,
        "status": values,
        "late": values | st.just("on"),
    },
)


def expected_refusals(params) -> list[str]:
    """The message the page must show for each refused value, computed apart from the form."""
    refusals = []
    anno = re.sub(r"\.0*\s*$", "", params.get("anno", "").strip())  # as Django reads whole numbers
    if anno:
        try:
            known = int(anno) == 2021
        except ValueError:
            known = False
        if not known:
            refusals.append("si mostra il PEG più recente")
    al = params.get("al", "").strip()
    if al:
        parsed = None
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                parsed = dt.datetime.strptime(al, pattern).date()
                break
            except ValueError:
                continue
        if parsed is None:
            refusals.append(BAD_DATE)
        elif not dt.date(2021, 1, 1) <= parsed <= dt.date(2022, 12, 31):
            refusals.append(OUT_OF_SPAN)
    return refusals


def expected_search_refusal(params) -> str | None:
    q = params.get("q", "").strip()
    if "\x00" in q:
        return "I caratteri null non sono ammessi."
    if len(q) > SEARCH_MAX_CHARS:
        return f"La ricerca può contenere al massimo {SEARCH_MAX_CHARS} caratteri"
    if len(q.split()) > SEARCH_MAX_WORDS:
        return f"La ricerca può contenere al massimo {SEARCH_MAX_WORDS} parole"
    return None


def filter_errors(response) -> list[str]:
    filterset = response.context.get("filter")
    return [message for messages in filterset.errors.values() for message in messages] if filterset else []


@pytest.mark.parametrize("name", PAGES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=query_strings)
@example(params={"al": " "})  # spaces alone are an empty box, not a refused date (found by hypothesis)
@example(params={"settore": " 1"})
def test_no_query_string_makes_a_page_fail_and_every_refusal_is_said(nina, world, name, params):
    args = [world.unit.pk] if name == "sectors:detail" else []
    response = nina.get(reverse(name, args=args), params)
    refusals = expected_refusals(params)
    if name.startswith(("objectives:list", "objectives:export_")) and expected_search_refusal(params):
        refusals.append(expected_search_refusal(params))
    if name.startswith("objectives:export_"):
        if response.status_code == 200:
            assert refusals == []
            return
        # Refused: back to the list with the same query, which says why.
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("objectives:list") + "?")
        response = nina.get(response["Location"])
        assert refusals or filter_errors(response)
    assert response.status_code == 200
    text = page_text(response)
    for refusal in refusals:
        if name.startswith("sectors:") and refusal in (BAD_DATE, OUT_OF_SPAN):
            assert refusal not in text  # the unit pages show the year's results: they read no date
        else:
            assert refusal in text
    for error in filter_errors(response):
        assert error in text
