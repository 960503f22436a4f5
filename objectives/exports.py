# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The filtered objectives list as CSV or XLSX: the same rows the page shows.

Both files are inert (OWASP "CSV injection"): a text that a spreadsheet would read as a formula
— one beginning with =, +, -, @, a tab or a carriage return — is written as text. In the CSV it
gets a leading apostrophe; in the XLSX it is stored as a string cell with the "quote prefix"
style, so it shows verbatim and stays text even when the cell is edited. Numbers and dates stay
numbers and dates: only texts are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

HEADERS = [
    "Anno",
    "Struttura",
    "Responsabile",
    "Obiettivo",
    "Titolo",
    "Stato",
    "Raggiungimento calcolato (%)",
    "Raggiungimento validato (%)",
    "Data di validazione",
    "Fasi in ritardo",
]


def export_rows(obiettivi: Iterable) -> list[list]:
    """One row per objective; each carries `score_value` and `late_count` (set by the view)."""
    rows = []
    for obiettivo in obiettivi:
        rows.append(
            [
                obiettivo.peg.year,
                obiettivo.settore.name,
                obiettivo.head_line,
                obiettivo.code,
                obiettivo.title,
                obiettivo.get_status_display(),
                obiettivo.score_value,
                obiettivo.validated_score,
                obiettivo.validated_on,
                obiettivo.late_count,
            ]
        )
    return rows


# What a spreadsheet takes for the start of a formula (or of a DDE call).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def inert_text(text: str) -> str:
    """A text as a CSV cell that no spreadsheet evaluates: a formula-like one gets a leading apostrophe."""
    return "'" + text if is_formula_like(text) else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return inert_text(value)
    return str(value)


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        # Control characters cannot be stored in an XLSX file at all.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def csv_response(rows: list[list], filename: str) -> HttpResponse:
    """Semicolon-separated, UTF-8 with BOM: what Excel opens correctly with Italian settings."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: list[list], filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Obiettivi"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                # openpyxl stores a text beginning with "=" as a formula: keep every text a string.
                cell.data_type = "s"
                if is_formula_like(cell.value):
                    cell.quotePrefix = True
        for cell in row[6:8]:
            cell.number_format = "0.00"
        row[8].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", [6, 40, 40, 10, 80, 18, 14, 14, 14, 10], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
