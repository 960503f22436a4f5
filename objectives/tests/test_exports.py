"""Exports of the objectives list: the filtered rows, as CSV and as an XLSX that openpyxl opens."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from objectives import workflow
from objectives.exports import HEADERS
from objectives.models import FaseState
from tests.factories import FaseFactory, ObiettivoFactory, PegFactory


def xlsx_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
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
