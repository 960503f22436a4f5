# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Exports of the objectives list: the filtered rows, as CSV and as an XLSX that openpyxl opens."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from objectives import workflow
from objectives.exports import FORMULA_PREFIXES, HEADERS, csv_response, xlsx_response
from objectives.models import FaseState
from tests.factories import FaseFactory, ObiettivoFactory, PegFactory


def body(response) -> bytes:
    """The bytes of a response; the exports are streamed."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    text = body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_xlsx_holds_the_objectives_the_nucleo_filtered_by_unit(client, world):
    client.force_login(world.nina)
    response = client.get(reverse("objectives:export_xlsx"), {"settore": world.unit.pk})
    rows = xlsx_rows(response)
    assert rows[0] == HEADERS
    assert [(row[1], row[3], row[4]) for row in rows[1:]] == [("SETTORE DI ALICE", "A", "Digitalizzare i procedimenti")]


def test_the_xlsx_holds_every_visible_objective_without_filters(client, world):
    client.force_login(world.sara)
    rows = xlsx_rows(client.get(reverse("objectives:export_xlsx")))
    assert sorted(row[4] for row in rows[1:]) == ["Digitalizzare i procedimenti", "Obiettivo di Bob"]


def test_a_head_exports_only_what_they_may_see(client, world):
    client.force_login(world.bob)
    rows = xlsx_rows(client.get(reverse("objectives:export_xlsx")))
    assert [row[4] for row in rows[1:]] == ["Obiettivo di Bob"]


def test_the_export_carries_the_score_and_the_validation(client, world):
    workflow.update_phase(
        fase=world.fase1,
        user=world.alice,
        version=1,
        state=FaseState.COMPLETATA,
        completed_on=dt.date(2021, 6, 1),
        evidence="",
    )
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 3, 15))
    client.force_login(world.alice)
    rows = xlsx_rows(client.get(reverse("objectives:export_xlsx")))
    row = rows[1]
    assert row[5] == "Validato"
    assert row[6] == 60 and row[7] == 60
    assert row[8] == dt.datetime(2022, 3, 15)
    csv_row = csv_rows(client.get(reverse("objectives:export_csv")))[1]
    assert csv_row[6:9] == ["60,00", "60,00", "15/03/2022"]


def test_status_text_and_late_filters_apply_to_the_export(client, world):
    client.force_login(world.nina)
    url = reverse("objectives:export_csv")
    assert [row[4] for row in csv_rows(client.get(url, {"q": "procedimenti"}))[1:]] == ["Digitalizzare i procedimenti"]
    assert csv_rows(client.get(url, {"status": "validato"}))[1:] == []
    # At 31/12/2021 only Alice's phase 1 (due 30/06) is overdue; Bob's is due that very day.
    late = csv_rows(client.get(url, {"late": "on", "al": "31/12/2021"}))[1:]
    assert [row[4] for row in late] == ["Digitalizzare i procedimenti"]
    assert late[0][9] == "1"
    assert len(csv_rows(client.get(url, {"late": "on", "al": "15/01/2022"}))[1:]) == 2
    assert csv_rows(client.get(url, {"late": "on", "al": "01/01/2021"}))[1:] == []


def test_the_year_filter_picks_the_plan(client, world):
    peg_2022 = PegFactory(year=2022)
    obiettivo = ObiettivoFactory(peg=peg_2022, settore=world.unit, title="Obiettivo 2022")
    FaseFactory(obiettivo=obiettivo, label="1", weight=Decimal("100"))
    client.force_login(world.alice)
    url = reverse("objectives:export_csv")
    assert [row[4] for row in csv_rows(client.get(url, {"anno": "2022"}))[1:]] == ["Obiettivo 2022"]
    assert [row[4] for row in csv_rows(client.get(url, {"anno": "2021"}))[1:]] == ["Digitalizzare i procedimenti"]
    # Without a year, the most recent plan.
    assert [row[0] for row in csv_rows(client.get(url))[1:]] == ["2022"]


# Inert exports (OWASP CSV injection) ------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://x")'


def xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows()]


def test_a_title_that_looks_like_a_formula_is_plain_text_in_the_xlsx(client, world):
    world.obiettivo.title = FORMULA_TITLE
    world.obiettivo.save(update_fields=["title"])
    client.force_login(world.alice)
    title_cell = xlsx_cells(client.get(reverse("objectives:export_xlsx")))[1][4]
    assert title_cell.data_type == "s"
    assert title_cell.value == FORMULA_TITLE
    assert title_cell.quotePrefix is True


def test_a_title_that_looks_like_a_formula_gets_an_apostrophe_in_the_csv(client, world):
    world.obiettivo.title = FORMULA_TITLE
    world.obiettivo.save(update_fields=["title"])
    client.force_login(world.alice)
    row = csv_rows(client.get(reverse("objectives:export_csv")))[1]
    assert row[4] == "'" + FORMULA_TITLE


def test_numbers_stay_numbers_and_plain_texts_stay_as_they_are():
    rows = [[2021, "SETTORE", "Ing. Rossi", "A", "Titolo - con trattino", "In corso", Decimal("-5"), None, None, 0]]
    sheet_row = xlsx_cells(xlsx_response(rows, "x"))[1]
    assert sheet_row[0].value == 2021 and sheet_row[0].data_type == "n"
    assert sheet_row[6].value == -5 and sheet_row[6].data_type == "n"
    assert sheet_row[4].value == "Titolo - con trattino" and not sheet_row[4].quotePrefix
    csv_row = csv_rows(csv_response(rows, "x"))[1]
    assert csv_row[4] == "Titolo - con trattino"
    assert csv_row[6] == "-5,00"


texts = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", "#N/A"]
).flatmap(lambda start: st.text(max_size=5).map(lambda rest: start + rest))
cells = st.one_of(
    texts,
    st.integers(-(10**6), 10**6),
    st.decimals(-1000, 1000, places=2),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.none(),
)


def one_line_end(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")  # any number lands in the date column
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=4))
def test_no_text_cell_of_either_export_is_read_as_a_formula(rows):
    for written, read in zip(rows, csv_rows(csv_response(rows, "x"))[1:], strict=True):
        for value, cell in zip(written, read, strict=True):
            if isinstance(value, str):
                assert cell == (("'" + value) if value.startswith(FORMULA_PREFIXES) else value)
    for written, read in zip(rows, xlsx_cells(xlsx_response(rows, "x"))[1:], strict=True):
        for value, cell in zip(written, read, strict=True):
            assert cell.data_type != "f"
            if isinstance(value, str) and cell.value is not None:
                assert cell.data_type == "s"
                stored = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored
                # A carriage return may come back as a line feed (XML normalises line ends) or as itself.
                assert one_line_end(cell.value) == one_line_end(stored)
                assert cell.quotePrefix == stored.startswith(FORMULA_PREFIXES)
