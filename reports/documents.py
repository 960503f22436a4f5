# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The printed PEG as HTML: what each card, the cover, the contents and the Elenco Responsabili show.

Everything here builds strings from Django templates; turning them into PDF is `reports.rendering`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.formats import date_format

from objectives.calculator import percent_of, round_score
from objectives.models import Obiettivo, Peg
from sectors.models import Responsabile, Settore

# Bump when a template changes in a way the HTML itself would not show (the cache key already
# covers the rendered HTML, the stylesheet, the fonts and WeasyPrint's version).
TEMPLATE_VERSION = "1"

PRINT_CSS = Path(__file__).resolve().parent / "static" / "reports" / "print.css"

FINAL_DEADLINE_HEADING = "Scadenza finale per il raggiungimento dell'obiettivo:"
PHASE_TABLE_TITLE = "Fasi progettuali di sviluppo dell'obiettivo"
VALIDATION_LINE = "Visto di validazione: il Nucleo di Valutazione"


@cache
def print_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


@dataclass(frozen=True)
class PhaseRow:
    """One row of the phase table: a phase, an annualità's subtotal or the total."""

    kind: str  # "phase", "subtotal" or "total"
    label: str = ""
    description: str = ""
    weight: str = ""
    responsabili: str = ""
    deadline: str = ""
    fase: object = None
    monitoring: dict | None = None


@dataclass
class Card:
    """What one objective card prints, in print order."""

    obiettivo: Obiettivo
    anchor: str
    header: str
    unit: str
    head_line: str
    title_line: str
    title_detail: str
    sections_before_table: list[tuple[str, str]]
    rows: list[PhaseRow]
    final_deadline_weight: str
    final_deadline: str
    final_deadline_inline: bool
    sections_after_table: list[tuple[str, str]]
    signature: str
    validated_on: str
    monitoring_date: str = ""
    achievement: str = ""


def format_weight(value: Decimal | None) -> str:
    """50 → '50%', 12.5 → '12,5%', None → ''."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}".replace(".", ",")
    return f"{text}%"


_SPLIT_FIRST_ROW = re.compile(r"^(\d+)a$")


def phase_label_cell(fase) -> str:
    """'fase 2:' for phases 2 and 2a (whose description opens with 'a)'), '' for the 'b)' rows."""
    if fase.is_subphase_continuation:
        return ""
    label = fase.label.strip()
    if label.lower().startswith("fase"):
        return label
    label = _SPLIT_FIRST_ROW.sub(r"\1", label)
    return f"fase {label}:"


def _sum(phases) -> Decimal | None:
    weights = [Decimal(f.weight) for f in phases if f.weight is not None]
    return sum(weights, Decimal(0)) if weights else None


def phase_rows(obiettivo: Obiettivo) -> tuple[list[PhaseRow], str]:
    """The table's rows and the weight printed on the final-deadline row ('' when none).

    A single-year table ends with one total row. When the objective has tranches (annualità with
    their own printed label and deadline), each year's phases are followed by that year's subtotal; the
    last year without a tranche of its own has its sum printed on the final-deadline row, as the
    document does for LLPP A ('Scadenza finale per il raggiungimento dell'obiettivo: 100% 31/12/2022').
    """
    phases = sorted(obiettivo.fasi.all(), key=lambda f: f.sort_order)
    # Only a tranche with a printed label has its own row (SVILUPPO ECONOMICO C's 2021 tranche
    # re-proportions the weights for the evaluation but prints no subtotal).
    tranches = {t.year: t for t in obiettivo.tranches.all() if t.label}
    rows: list[PhaseRow] = []
    if not tranches:
        rows.extend(_phase_row(f) for f in phases)
        rows.append(PhaseRow(kind="total", weight=format_weight(_sum(phases))))
        return rows, ""

    groups: list[tuple[int, list]] = []
    for fase in phases:
        if groups and groups[-1][0] == fase.year:
            groups[-1][1].append(fase)
        else:
            groups.append((fase.year, [fase]))
    final_weight = ""
    for index, (year, group) in enumerate(groups):
        rows.extend(_phase_row(f) for f in group)
        tranche = tranches.get(year)
        if tranche is not None:
            rows.append(
                PhaseRow(
                    kind="subtotal",
                    label=tranche.label or f"Scadenza raggiungimento obiettivo annualità {year}:",
                    weight=format_weight(_sum(group)),
                    deadline=tranche.deadline_text,
                )
            )
        elif index == len(groups) - 1:
            final_weight = format_weight(_sum(group))
        else:
            rows.append(PhaseRow(kind="subtotal", label=f"Annualità {year}:", weight=format_weight(_sum(group))))
    return rows, final_weight


def _phase_row(fase) -> PhaseRow:
    return PhaseRow(
        kind="phase",
        label=phase_label_cell(fase),
        description=fase.description,
        weight=format_weight(fase.weight),
        responsabili=fase.responsabili_text,
        deadline=fase.deadline_text,
        fase=fase,
    )


def build_card(obiettivo: Obiettivo) -> Card:
    """The card of one objective; expects `Obiettivo.objects.with_card_data()`."""
    peg = obiettivo.peg
    settore = obiettivo.settore
    sections = obiettivo.card_sections()
    rows, final_weight = phase_rows(obiettivo)
    return Card(
        obiettivo=obiettivo,
        anchor=f"obiettivo-{obiettivo.pk}",
        header=peg.card_header_text,
        unit=settore.name,
        head_line=obiettivo.head_line,
        title_line=f"Obiettivo {obiettivo.code}: {obiettivo.title}",
        title_detail=obiettivo.title_detail,
        # The document prints the phase table after the first three fields (up to Tempistica).
        sections_before_table=sections[:3],
        rows=rows,
        final_deadline_weight=final_weight,
        final_deadline=obiettivo.final_deadline_text,
        # A date goes in the 'Scadenze previste' column; a sentence runs across the row, as printed.
        final_deadline_inline=len(obiettivo.final_deadline_text) <= 40 and "\n" not in obiettivo.final_deadline_text,
        sections_after_table=sections[3:],
        signature=settore.signature,
        validated_on=date_format(obiettivo.validated_on, "d/m/Y") if obiettivo.validated_on else "",
    )


def build_monitoring_card(obiettivo: Obiettivo, on: dt.date) -> Card:
    """The card with each phase's state at `on`, its earned weight and the reason in words; each
    year's subtotal with the weight earned; the achievement and, before the year's limit, the share
    of the work due by `on` that is done.

    The figures are the calculator's (objectives.calculator), the same the evaluation uses.
    """
    from objectives.calculator import Policy, progress_at

    card = build_card(obiettivo)
    year = obiettivo.peg.year
    progress = progress_at(obiettivo, list(obiettivo.fasi.all()), Policy.from_peg(obiettivo.peg), on)
    score = progress.score
    by_phase = {row.fase.pk: row for row in score.rows}
    rows = []
    for row in card.rows:
        if row.kind == "phase":
            rows.append(_with_monitoring(row, by_phase.get(row.fase.pk), on))
        else:
            rows.append(replace(row, monitoring=_earned_in(row, rows, year)))
    card.rows = rows
    card.monitoring_date = date_format(on, "d/m/Y")
    card.achievement = _achievement(score, progress, on)
    return card


def _phase_state(fase, scored, on: dt.date) -> str:
    """The state as known at `on`: never "Da avviare" for a phase the Nucleo neutralised."""
    from objectives.deadlines import DeadlineKind
    from objectives.models import FaseState

    if fase.neutralised:
        return "Sterilizzata"
    if scored.completed_on is not None:
        return "Completata"
    if fase.state == FaseState.COMPLETATA:
        return f"Non ancora completata al {date_format(on, 'd/m/Y')}"
    if fase.deadline_kind == DeadlineKind.CONCLUSA:
        return "Conclusa (anno precedente)"
    state = fase.get_state_display()
    return f"{state}, in ritardo" if scored.late else state


def _earned_cell(scored) -> str:
    if scored.counted:
        return format_weight(scored.earned) or "0%"
    if scored.fase.neutralised:
        return "esclusa"
    if scored.reason.startswith("fase di altra annualità"):
        return f"annualità {scored.fase.year}"
    return "non valutata"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


def _with_monitoring(row: PhaseRow, scored, on: dt.date) -> PhaseRow:
    if scored is None:
        return row
    return replace(
        row,
        monitoring={
            "state": _phase_state(scored.fase, scored, on),
            "completed_on": date_format(scored.completed_on, "d/m/Y") if scored.completed_on else "",
            "earned": _earned_cell(scored),
            "reason": _sentence(scored.reason),
            "counted": scored.counted,
            "late": scored.late,
            "scored": scored,
            "progress": progress_in_words(scored.fase),
        },
    )


def progress_in_words(fase) -> str:
    """The head's mid-year progress of a phase: "Avanzamento 40%: nota"; empty when not recorded."""
    parts = []
    if fase.progress_percent is not None:
        parts.append(f"Avanzamento {fase.progress_percent}%")
    if fase.progress_note:
        parts.append(fase.progress_note if parts else f"Avanzamento: {fase.progress_note}")
    return ": ".join(parts)


def _earned_in(total_row: PhaseRow, rows: list[PhaseRow], year: int) -> dict:
    """'Peso conseguito' of a subtotal or total row: the earned weight of the phases above it (since
    the previous subtotal) that count in `year`, out of their evaluable weight."""
    group = []
    for row in reversed(rows):
        if row.kind != "phase":
            break
        group.append(row)
    scored = [row.monitoring["scored"] for row in group if row.monitoring]
    counted = [item for item in scored if item.counted]
    if not counted:
        years = sorted({item.fase.year for item in scored if item.fase.year != year})
        return {"earned": f"annualità {', '.join(map(str, years))}" if years else ""}
    earned = sum((item.earned for item in counted), Decimal(0))
    evaluable = sum((item.weight for item in counted), Decimal(0))
    return {"earned": f"{format_weight(earned) or '0%'} su {format_weight(evaluable)}"}


def _achievement(score, progress, on: dt.date) -> str:
    if score.score is None:
        return score.error
    text = f"{format_weight(score.score)} (grado di raggiungimento"
    if score.criterion:
        text += f"; {score.criterion}"
    limit = max((row.due_date for row in score.rows if row.counted and row.due_date), default=None)
    if limit is not None and on < limit:
        text += " finora"
        if progress.due_weight:
            done = percent_of(progress.due_done_weight, progress.due_weight)
            text += (
                f"); lavoro dovuto al {date_format(on, 'd/m/Y')}: {format_weight(progress.due_weight)} di "
                f"incidenza su {format_weight(progress.evaluable_weight)}, completato per il "
                f"{format_weight(round_score(done, 2))}"
            )
            return text
        text += f"); nessuna fase ancora dovuta al {date_format(on, 'd/m/Y')}"
        return text
    return text + ")"


def card_fragment(card: Card, *, monitoring: bool = False) -> str:
    """One card's HTML (a <section>): the unit the PDF cache works on."""
    return render_to_string("reports/_card.html", {"card": card, "monitoring": monitoring})


def responsabili_fragment(peg: Peg, responsabili) -> str:
    return render_to_string("reports/_responsabili.html", {"peg": peg, "responsabili": responsabili})


@dataclass
class TocEntry:
    label: str
    anchor: str
    page: int | None = None
    level: int = 1


@dataclass
class TocUnit:
    name: str
    head_line: str
    entries: list[TocEntry]


def toc_units(cards: list[Card]) -> list[TocUnit]:
    units: list[TocUnit] = []
    for card in cards:
        if not units or units[-1].name != card.unit:
            units.append(TocUnit(name=card.unit, head_line=card.head_line, entries=[]))
        units[-1].entries.append(TocEntry(label=card.title_line, anchor=card.anchor))
    return units


def front_fragment(peg: Peg, units: list[TocUnit], responsabili_entry: TocEntry | None) -> str:
    """Cover and table of contents, with the page numbers already written into the entries."""
    context = {"peg": peg, "units": units, "responsabili_entry": responsabili_entry, "literal_pages": True}
    return render_to_string("reports/_cover.html", context) + render_to_string("reports/_toc.html", context)


def peg_document_html(peg: Peg, cards: list[Card], responsabili, *, monitoring: bool = False) -> str:
    """The whole printed PEG as one HTML file: cover, contents (target-counter), cards, Elenco Responsabili."""
    return render_to_string(
        "reports/peg_document.html",
        {
            "peg": peg,
            "cards": cards,
            "units": toc_units(cards),
            "responsabili": responsabili,
            "responsabili_entry": TocEntry(label=peg.responsabili_title, anchor="elenco-responsabili")
            if responsabili
            else None,
            "monitoring": monitoring,
            "css": print_css(),
            "literal_pages": False,
        },
    )


# Selectors: the objectives and codes a document prints, in the document's order.


def objectives_for(*, year: int, settore: Settore | None = None, obiettivo_ids=None):
    qs = Obiettivo.objects.for_year(year).with_card_data().in_print_order()
    if settore is not None:
        qs = qs.filter(settore=settore)
    if obiettivo_ids is not None:
        qs = qs.filter(pk__in=obiettivo_ids)
    return qs


def responsabili_list():
    return list(Responsabile.objects.order_by("print_order", "code"))


def cards_document_html(cards: list[Card], *, monitoring: bool = False) -> str:
    """Only these cards, as one HTML file numbered by the stylesheet."""
    return render_to_string(
        "reports/cards_document.html", {"cards": cards, "monitoring": monitoring, "css": print_css()}
    )
