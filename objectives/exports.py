# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The filtered objectives list as CSV or XLSX: the same rows the page shows.

Both files are inert (OWASP "CSV injection"): a text that a spreadsheet would read as a formula
— one beginning with =, +, -, @, a tab or a carriage return — is written as text. In the CSV it
gets a leading apostrophe; in the XLSX it is stored as a string cell with the "quote prefix"
style, so it shows verbatim and stays text even when the cell is edited. Numbers and dates stay
numbers and dates: only texts are neutralised.

Both are written as the rows are read (QuerySet.iterator): the CSV streams to the client, the XLSX
is written by openpyxl's write-only workbook to a temporary file that is then sent, so memory does
not grow with the number of objectives.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from objectives.models import ObiettivoStatus
from sectors.models import Dirigente, Settore

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


# Objectives read from the database at a time while exporting.
CHUNK = 500


def export_rows(obiettivi: QuerySet) -> Iterator[list]:
    """One row per objective of the queryset (annotated by objectives.figures.with_figures), read as
    plain values a chunk at a time; the units and heads the rows name are read once (two queries)."""
    settori = {
        settore.pk: settore
        for settore in Settore.objects.filter(pk__in=obiettivi.values("settore_id")).select_related("head")
    }
    heads = {head.pk: head for head in Dirigente.objects.filter(pk__in=obiettivi.values("dirigente_id"))}
    statuses = dict(ObiettivoStatus.choices)
    columns = ["peg__year", "settore_id", "dirigente_id", "code", "title", "status"]
    columns += ["score_value", "validated_score", "validated_on", "late_count"]
    for year, settore_id, head_id, code, title, status, score, validated, on, late in obiettivi.values_list(
        *columns
    ).iterator(chunk_size=CHUNK):
        settore = settori[settore_id]
        # Obiettivo.head_line: the objective's own responsible, else the unit's head.
        head_line = settore.head_line_for(heads.get(head_id) or settore.head)
        yield [year, settore.name, head_line, code, title, statuses.get(status, status), score, validated, on, late]


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


class _Line:
    """What csv.writer writes to: it hands back the line instead of storing it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(HEADERS)
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Semicolon-separated, UTF-8 with BOM: what Excel opens correctly with Italian settings."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


WIDTHS = [6, 40, 40, 10, 80, 18, 14, 14, 14, 10]


# The columns of scores and of the validation date, and their number formats.
XLSX_FORMATS = {6: "0.00", 7: "0.00", 8: "DD/MM/YYYY"}


def _xlsx_cell(sheet, value, column: int):
    """A cell of the write-only sheet: a plain value where openpyxl's default is right (the cheap
    case), a styled cell for the score and date columns and for a text that looks like a formula."""
    value = _xlsx_value(value)
    number_format = XLSX_FORMATS.get(column)  # also on an empty cell, for what is typed in later
    formula_like = isinstance(value, str) and is_formula_like(value)
    if number_format is None and not formula_like and value not in ERROR_CODES:
        return value
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        # openpyxl stores a text beginning with "=" as a formula, "#N/A" as an error: keep texts strings.
        cell.data_type = "s"
        cell.quotePrefix = formula_like
    if number_format is not None:
        cell.number_format = number_format
    return cell


def xlsx_response(rows: Iterable[list], filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Obiettivi")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, column) for column, value in enumerate(row)])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
