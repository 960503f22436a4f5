# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The 'Scadenze previste' cell: from printed text to a structured deadline, and to a due date.

Pure functions, no database. The printed text is always kept; the structure is derived from it
so that a due date can be computed wherever the text allows one:

    30/06/2021                                  → DATE
    inizio servizio 01/02/2021                  → DATE (the one date in the text)
    in corso d'anno                             → IN_CORSO_ANNO (31/12 of the phase's year)
    Conclusa                                    → CONCLUSA (done before the PEG year: no due date)
    90 giorni dalla conclusione della fase 1    → AFTER_PHASE (once phase 1 is completed)
    2 mesi da fase 2)                           → AFTER_PHASE, in calendar months
    90 giorni dalla prima riunione … del 22/01/2021 → AFTER_EVENT with the event's date
    Entro 30 giorni dalla presentazione dell'istanza → AFTER_EVENT, date unknown until recorded
    (blank)                                     → BLANK
    anything else                               → TEXT (never guessed)

The bounds of a sensible deadline (deadline_error) are shared by the admin and the import:
relative deadlines of at most MAX_OFFSET_DAYS days or MAX_OFFSET_MONTHS months, dates within
the years MIN_YEAR–MAX_YEAR. Due-date arithmetic never raises: a date it cannot compute is None.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models


class DeadlineKind(models.TextChoices):
    DATE = "date", "Data"
    IN_CORSO_ANNO = "in_corso_anno", "In corso d'anno"
    CONCLUSA = "conclusa", "Conclusa"
    AFTER_PHASE = "after_phase", "Relativa a un'altra fase"
    AFTER_EVENT = "after_event", "Relativa a un evento"
    BLANK = "blank", "Non indicata"
    TEXT = "text", "Testo libero"


MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_OFFSET_DAYS = 3650
MAX_OFFSET_MONTHS = 120

DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
# (?<!\d): a match starts only where a run of digits does, so a long run costs linear, not quadratic, time.
_OFFSET_RE = re.compile(r"(?<!\d)(\d+)\s*(giorni|giorno|gg\.?|mesi|mese)\b", re.IGNORECASE)
# At most 9 digits: a phase number that long is no phase, and the anchor must fit its column.
_PHASE_REF_RE = re.compile(r"\bfase\s+(\d{1,9}(?:\s*-\s*[A-Z])?(?:\s*[a-z]\))?)", re.IGNORECASE)
_MAX_AMOUNT_DIGITS = 9


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: dt.date | None = None
    offset_days: int | None = None
    offset_months: int | None = None
    anchor_label: str = ""
    anchor_date: dt.date | None = None


def parse_date(text: str) -> dt.date | None:
    """The first dd/mm/yyyy date in the text, or None (also for an impossible date)."""
    match = DATE_RE.search(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normalise_label(raw: str) -> str:
    """'1', '2 a)' → '2a', '1 - A' → '1-A': the phase label as the document means it."""
    label = re.sub(r"\s+", "", raw).rstrip(":)")
    return label.replace(")", "")


_SPLIT_LABEL_RE = re.compile(r"^(\d+)-?[A-Za-z]$")


def split_phase_number(label: str) -> str | None:
    """The number of the phase a split row belongs to: '2b' → '2', '1-B' → '1'; None for '2'.

    Labels as normalise_label stores them: the card prints '2 a)'/'b)' (SISTEMI INFORMATIVI B,
    RISORSE UMANE C) or '1-A'/'1-B' (AREA TECNICA 1) for the parts of one phase.
    """
    match = _SPLIT_LABEL_RE.match(normalise_label(label))
    return match.group(1) if match else None


def parse_deadline(text: str, own_label: str = "") -> Deadline:
    """Structure a printed deadline. `own_label` keeps a phase from depending on itself."""
    clean = " ".join(text.split())
    if not clean:
        return Deadline(DeadlineKind.BLANK)
    lowered = clean.lower()
    if lowered == "conclusa":
        return Deadline(DeadlineKind.CONCLUSA)
    if lowered.startswith("in corso d") and "anno" in lowered:
        return Deadline(DeadlineKind.IN_CORSO_ANNO)

    offset = _OFFSET_RE.search(clean)
    if offset and len(offset.group(1)) > _MAX_AMOUNT_DIGITS:
        return Deadline(DeadlineKind.TEXT)  # no calendar holds it; deadline_error names it
    if offset:
        amount = int(offset.group(1))
        in_months = offset.group(2).lower().startswith("mes")
        days, months = (None, amount) if in_months else (amount, None)
        rest = clean[offset.end() :]
        phase_ref = _PHASE_REF_RE.search(rest)
        if phase_ref:
            anchor = normalise_label(phase_ref.group(1))
            if anchor != own_label:
                return Deadline(DeadlineKind.AFTER_PHASE, offset_days=days, offset_months=months, anchor_label=anchor)
        return Deadline(DeadlineKind.AFTER_EVENT, offset_days=days, offset_months=months, anchor_date=parse_date(rest))

    if len(DATE_RE.findall(clean)) == 1:
        date = parse_date(clean)
        if date:
            return Deadline(DeadlineKind.DATE, date=date)
    return Deadline(DeadlineKind.TEXT)


def deadline_error(text: str) -> str | None:
    """Why a printed deadline (or a final or tranche deadline) is not sensible, in Italian; None if it is."""
    for match in _OFFSET_RE.finditer(text):
        digits, unit = match.group(1), match.group(2).lower()
        in_months = unit.startswith("mes")
        limit = MAX_OFFSET_MONTHS if in_months else MAX_OFFSET_DAYS
        if len(digits) > _MAX_AMOUNT_DIGITS or int(digits) > limit:
            what = "mesi" if in_months else "giorni"
            limit_text = f"{limit:,}".replace(",", ".")
            return f"la scadenza «{_excerpt(match.group(0))}» supera il massimo ammesso di {limit_text} {what}."
    for match in DATE_RE.finditer(text):
        year = int(match.group(3))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return f"la data {match.group(0)} è fuori dall'intervallo ammesso (anni dal {MIN_YEAR} al {MAX_YEAR})."
    return None


def _excerpt(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months; the day is clamped to the month's length (31/01 + 1 month → 28/02)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def shift(start: dt.date, days: int | None, months: int | None) -> dt.date:
    if months:
        start = add_months(start, months)
    return start + dt.timedelta(days=days or 0)


def resolve_due_date(deadline: Deadline, year: int, anchor_completed_on: dt.date | None = None) -> dt.date | None:
    """The due date the deadline gives, or None when it cannot be determined (yet).

    `year` is the annualità the phase counts in; `anchor_completed_on` is the completion date
    of the phase an AFTER_PHASE deadline depends on, once it is completed. A date beyond the
    calendar (a stored offset of millions of days) is not determinable either: None, never an error.
    """
    try:
        return _resolve(deadline, year, anchor_completed_on)
    except (OverflowError, ValueError):
        return None


def _resolve(deadline: Deadline, year: int, anchor_completed_on: dt.date | None) -> dt.date | None:
    kind = deadline.kind
    if kind == DeadlineKind.DATE:
        return deadline.date
    if kind == DeadlineKind.IN_CORSO_ANNO:
        return dt.date(year, 12, 31)
    if kind == DeadlineKind.AFTER_PHASE and anchor_completed_on:
        return shift(anchor_completed_on, deadline.offset_days, deadline.offset_months)
    if kind == DeadlineKind.AFTER_EVENT and deadline.anchor_date:
        return shift(deadline.anchor_date, deadline.offset_days, deadline.offset_months)
    return None
