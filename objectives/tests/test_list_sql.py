# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objectives list and its exports on the monitored 2021 PEG: sorted, filtered and paged in SQL,
they show the calculator's figures at the date (objectives.selectors, computed apart), only what
the user may see; the streamed CSV is byte for byte what the list used to build in memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from objectives import access, selectors
from objectives.accounts import create_demo_users
from objectives.calculator import effective_score
from objectives.exports import HEADERS
from objectives.models import Obiettivo
from objectives.tests.test_figures import enter_a_year_of_monitoring

ON = dt.date(2021, 9, 30)
AL = ON.strftime("%d/%m/%Y")


@pytest.fixture
def monitored(peg_2021, settings):
    settings.PEG_PAGE_SIZE = 100  # every row on one page, to compare whole orders
    enter_a_year_of_monitoring(peg_2021)
    create_demo_users()
    return peg_2021


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def expected(user, peg, on):
    """(obiettivo, shown score, late count) in print order, from the calculator."""
    visible = set(access.visible_objectives(user).filter(peg=peg).values_list("pk", flat=True))
    rows = []
    for unit in selectors.monitoring(peg, on).units:
        for progress in unit.objectives:
            if progress.obiettivo.pk in visible:
                rows.append(
                    (progress.obiettivo, effective_score(progress.obiettivo, progress.score), len(progress.late))
                )
    return rows


def listed(client, **params) -> list[tuple[int, Decimal | None, int]]:
    response = client.get(reverse("objectives:list"), {"anno": 2021, "al": AL, **params})
    assert response.status_code == 200
    rows = [(row.record.pk, row.record.score_value, row.record.late_count) for row in response.context["table"].rows]
    # The count is read apart (without the figures): it says as many as the list shows.
    assert response.context["count"] == len(rows)
    assert f"{len(rows)} obiettivi" in response.content.decode()
    return rows


def test_the_list_shows_the_calculators_figures_in_print_order(client, monitored):
    staff = login(client, "staff")
    assert listed(client) == [(o.pk, score, late) for o, score, late in expected(staff, monitored, ON)]


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_score_puts_objectives_without_a_score_last_and_ties_in_print_order(client, monitored, descending):
    staff = login(client, "staff")
    rows = [(o.pk, score, late) for o, score, late in expected(staff, monitored, ON)]
    # Python's sort is stable in both directions: ties stay in print order.
    scored = sorted([row for row in rows if row[1] is not None], key=lambda row: row[1], reverse=descending)
    assert listed(client, sort="-score_value" if descending else "score_value") == scored + [
        row for row in rows if row[1] is None
    ]


def test_sorting_by_late_phases(client, monitored):
    staff = login(client, "staff")
    rows = [(o.pk, score, late) for o, score, late in expected(staff, monitored, ON)]
    assert listed(client, sort="-late_count") == sorted(rows, key=lambda row: -row[2])


def test_only_late_keeps_the_objectives_with_a_phase_late_at_the_date(client, monitored):
    staff = login(client, "staff")
    late = [(o.pk, score, n) for o, score, n in expected(staff, monitored, ON) if n > 0]
    assert 0 < len(late) < 41
    assert listed(client, late="on") == late


def test_a_head_lists_only_the_objectives_he_may_see_with_the_same_figures(client, monitored):
    head = login(client, "dirigente.sistemi")
    rows = [(o.pk, score, late) for o, score, late in expected(head, monitored, ON)]
    assert 0 < len(rows) < 41
    assert listed(client) == rows
    response = client.get(reverse("objectives:list"), {"anno": 2021})
    own_units = {o.settore_id for o in access.visible_objectives(head)}
    offered = {value for value, _ in response.context["filter"].form.fields["settore"].choices if value != ""}
    assert offered == own_units


# The exports -------------------------------------------------------------------------------------


def old_csv(rows) -> bytes:
    """The CSV as objectives/exports.py built it in memory before it streamed (kept here as the reference)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, str):
            return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
        return str(value)

    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def old_rows(user, peg, on):
    rows = []
    for obiettivo, score, late in expected(user, peg, on):
        obiettivo = Obiettivo.objects.select_related("peg", "settore", "settore__head", "dirigente").get(
            pk=obiettivo.pk
        )
        rows.append(
            [
                peg.year,
                obiettivo.settore.name,
                obiettivo.head_line,
                obiettivo.code,
                obiettivo.title,
                obiettivo.get_status_display(),
                score,
                obiettivo.validated_score,
                obiettivo.validated_on,
                late,
            ]
        )
    return rows


@pytest.mark.parametrize("username", ["staff", "dirigente.sistemi"])
def test_the_streamed_csv_is_what_the_list_built_before(client, monitored, username):
    user = login(client, username)
    response = client.get(reverse("objectives:export_csv"), {"anno": 2021, "al": AL})
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="obiettivi_peg_2021.csv"'
    assert b"".join(response.streaming_content) == old_csv(old_rows(user, monitored, ON))


def test_the_xlsx_holds_the_same_rows_with_numbers_and_dates_typed(client, monitored):
    staff = login(client, "staff")
    response = client.get(reverse("objectives:export_xlsx"), {"anno": 2021, "al": AL})
    assert response["Content-Disposition"] == 'attachment; filename="obiettivi_peg_2021.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = list(sheet.iter_rows())
    assert [cell.value for cell in cells[0]] == HEADERS and all(cell.font.b for cell in cells[0])
    expected_rows = old_rows(staff, monitored, ON)
    assert len(cells) == len(expected_rows) + 1
    for row, want in zip(cells[1:], expected_rows, strict=True):
        values = [cell.value for cell in row]
        assert values[:6] == want[:6]
        assert values[6] == (float(want[6]) if want[6] is not None else None)
        assert values[7] == (float(want[7]) if want[7] is not None else None)
        assert values[8] == (dt.datetime.combine(want[8], dt.time()) if want[8] else None)
        assert values[9] == want[9]
        assert row[6].number_format == "0.00" and row[8].number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A2"
