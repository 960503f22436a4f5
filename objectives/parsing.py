# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Reading a PEG: the printed document's text, or export_peg's JSON → plain data, no database.

The document's format is the one of the 2021 Città di Alessandria PEG
(fixtures/peg_2021_alessandria.txt): a cover, then one card per objective opened by the ente's
header line, then the closing table "Elenco Responsabili". Phase tables are tab-separated rows.
The JSON is the one of services.export_plan. Every error names the line (and the column for
JSON); the limits of what the database can hold are checked by services._check_plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from objectives.deadlines import DATE_RE, DeadlineKind, normalise_label, parse_deadline
from objectives.models import CARD_HEADINGS, CARD_TEXT_FIELDS, IndicatoreDirection, IndicatoreKind, PegStatus, ScoreMode
from sectors.models import HeadRole, SettoreKind

BOM = "\ufeff"


class PegDocumentError(ValueError):
    """A malformed document; the message is in Italian and names the line (None: the whole plan)."""

    def __init__(self, line: int | None, message: str, *, column: int | None = None, byte_offset: int | None = None):
        self.line = line
        self.column = column
        self.byte_offset = byte_offset
        self.message = message
        where = self.where
        super().__init__(f"{where}: {message}" if where else message[:1].upper() + message[1:])

    @property
    def where(self) -> str:
        if not self.line:
            return ""
        where = f"Riga {self.line}"
        if self.column:
            where += f", colonna {self.column}"
        if self.byte_offset is not None:
            where += f" (byte {self.byte_offset})"
        return where


@dataclass
class ParsedPhase:
    label: str
    description: str
    weight: Decimal | None
    year: int
    codes: list[str]
    responsabili_text: str
    deadline_text: str
    line: int = 0


@dataclass
class ParsedTranche:
    year: int
    label: str
    deadline_text: str
    line: int = 0


@dataclass
class ParsedIndicator:
    """An indicator of result as the JSON export carries it; values typed by kind (see objectives.indicators)."""

    name: str
    kind: str
    unit: str
    baseline: object
    baseline_period: str
    target: object
    direction: str
    data_source: str
    card_text: str
    counts: bool
    line: int = 0


@dataclass
class ParsedObjective:
    unit: str
    unit_kind: str
    head_role: str
    head_honorific: str
    head_name: str
    code: str
    title: str
    title_detail: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    final_deadline_text: str = ""
    tranches: list[ParsedTranche] = field(default_factory=list)
    phases: list[ParsedPhase] = field(default_factory=list)
    line: int = 0
    unit_line: int = 0
    head_line: int = 0
    # Only a JSON plan carries these; None (a printed document) leaves the stored ones as they are.
    indicators: list[ParsedIndicator] | None = None
    scoring: dict | None = None


@dataclass
class ParsedPlan:
    year: int
    ente: str
    title: str
    status: str
    publisher: str
    card_header: str = ""
    responsabili_title: str = ""
    responsabili: list[tuple[str, str]] = field(default_factory=list)
    objectives: list[ParsedObjective] = field(default_factory=list)
    line: int = 1
    year_line: int = 0
    # The line of each row of `responsabili`.
    responsabili_lines: list[int] = field(default_factory=list)


# --- the patterns of the printed card --------------------------------------------------------

_HEADER_RE = re.compile(r"^(?:CITT[AÀ]'?|COMUNE)\s+DI\s+\S", re.IGNORECASE)
_ROLE_RE = re.compile(r"^(Dirigente|Responsabile in P\.\s*O\.?|Direttore)\s*:?\s*(.*)$", re.IGNORECASE)
_OBJECTIVE_RE = re.compile(r"^Obiettivo\s+([A-Z0-9]{1,4})\s*:\s*(.*)$")
# Possessive: a line of thousands of tabs must not make the match backtrack in cubic time.
_CATALOGUE_RE = re.compile(r"^codifica(?=\s*\t)\s*+(.*Elenco Responsabili.*)$", re.IGNORECASE)
_TABLE_TITLE_RE = re.compile(r"^Fasi progettuali di sviluppo dell.obiettivo\s*$", re.IGNORECASE)
_FINAL_DEADLINE_RE = re.compile(r"^Scadenza finale per il raggiungimento dell.obiettivo\s*:\s*(.*)$", re.IGNORECASE)
_TRANCHE_RE = re.compile(r"^(Scadenza raggiungimento obiettivo annualit[àa]\s+(\d{4})\s*:)\s*(.*)$", re.IGNORECASE)
_SIGNATURE_RE = re.compile(r"^Il (Dirigente|Responsabile in P\.?\s*O\.?|Direttore)\s*$", re.IGNORECASE)
_VISTO_RE = re.compile(r"^Visto di validazione", re.IGNORECASE)
_PHASE_LABEL_RE = re.compile(r"^fase\s*(\d+(?:\s*-\s*[A-Z])?)\s*:?$", re.IGNORECASE)
_SUBPHASE_RE = re.compile(r"^([a-z])\)")
_PERCENT_RE = re.compile(r"^(\d{1,3}(?:[.,]\d+)?)\s*%?$")
_CODE_RE = re.compile(r"\b\d{4,5}\b")
_TRANCHE_PHASES_RE = re.compile(r"prime\s+(\w+)\s+fasi", re.IGNORECASE)

# Field headings, tried in order; group 1 is the heading as printed, group 2 the text after it.
_FIELD_PATTERNS = [
    ("strategic_aims", re.compile(r"^(Finalit[àa] Strategiche\s*:)\s*(.*)$", re.IGNORECASE)),
    ("directives", re.compile(r"^(Direttive specifiche(?:\s*[-–]\s*descrizione)?\s*:)\s*(.*)$", re.IGNORECASE)),
    ("directives", re.compile(r"^(Direttive specifiche\s*[-–])\s*(.*)$", re.IGNORECASE)),
    ("timing", re.compile(r"^(Tempistica\s*:)\s*(.*)$", re.IGNORECASE)),
    ("expected_result", re.compile(r"^(Risultato atteso[^:]{0,40}:)\s*(.*)$", re.IGNORECASE)),
    (
        "achieved_text",
        re.compile(r"^((?:Annualit[àa] \d{4}\s*[-–]\s*)?Obiettivo raggiunto al 100\s*%\s*:)\s*(.*)$", re.IGNORECASE),
    ),
    (
        "not_achieved_text",
        re.compile(r"^((?:Annualit[àa] \d{4}\s*[-–]\s*)?Obiettivo non raggiunto\s*:)\s*(.*)$", re.IGNORECASE),
    ),
    ("indicators", re.compile(r"^(Indicatori di risultato\s*:)\s*(.*)$", re.IGNORECASE)),
    ("constraints_text", re.compile(r"^(Vincoli\s*:)\s*(.*)$", re.IGNORECASE)),
    ("human_resources", re.compile(r"^(Risorse Umane\s*:)\s*(.*)$", re.IGNORECASE)),
    ("financial_resources", re.compile(r"^(Risorse Finanziarie\s*:)\s*(.*)$", re.IGNORECASE)),
]

HONORIFICS = [
    "Comandante Vicario",
    "Comandante",
    "Dott.ssa",
    "Dott.",
    "Dr.ssa",
    "Dr.",
    "Avv.",
    "Arch.",
    "Ing.",
    "Prof.ssa",
    "Prof.",
    "Geom.",
    "Rag.",
    "Sig.ra",
    "Sig.",
]

_KIND_PREFIXES = [
    ("SERVIZIO AUTONOMO", SettoreKind.SERVIZIO_AUTONOMO),
    ("AZIENDA SPECIALE", SettoreKind.AZIENDA_SPECIALE),
    ("SETTORE", SettoreKind.SETTORE),
    ("AREA", SettoreKind.AREA),
]

_NUMBER_WORDS = {
    "una": 1,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "sette": 7,
    "otto": 8,
    "nove": 9,
    "dieci": 10,
}


def clean_cell(text: str) -> str:
    """HTML paragraphs of the original layout become line breaks; the rest is kept verbatim."""
    text = text.strip()
    if "<p>" in text or "</p>" in text:
        text = re.sub(r"(?<!\s)\s*</p>\s*<p>\s*", "\n", text)  # (?<!\s): linear on long blank runs
        text = re.sub(r"</?p>", "", text)
        text = html.unescape(text).strip()
    return text


def parse_weight(raw: str, line: int) -> Decimal | None:
    raw = raw.strip()
    if not raw:
        return None
    match = _PERCENT_RE.match(raw)
    if not match:
        raise PegDocumentError(line, f"l'incidenza «{raw}» non è una percentuale (es. 40%).")
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise PegDocumentError(line, f"l'incidenza «{raw}» non è un numero.") from None
    if value > 100:
        raise PegDocumentError(line, f"l'incidenza {raw} supera il 100%.")
    return value


def unit_kind(name: str) -> str | None:
    upper = name.upper()
    for prefix, kind in _KIND_PREFIXES:
        if upper.startswith(prefix):
            return kind
    return None


def head_role(word: str) -> str:
    lowered = word.lower()
    if lowered.startswith("responsabile"):
        return HeadRole.RESPONSABILE_PO
    if lowered.startswith("direttore"):
        return HeadRole.DIRETTORE
    return HeadRole.DIRIGENTE


def split_honorific(person: str) -> tuple[str, str]:
    person = " ".join(person.split())
    for honorific in HONORIFICS:
        if person.startswith(honorific + " "):
            return honorific, person[len(honorific) + 1 :].strip()
    return "", person


def cited_codes(text: str) -> list[str]:
    """The numeric Responsabile codes in a 'Codifica Responsabili coinvolti' cell, in order, once."""
    seen: list[str] = []
    for code in _CODE_RE.findall(text):
        if code not in seen:
            seen.append(code)
    return seen


# --- the reader --------------------------------------------------------------------------------


class _Lines:
    def __init__(self, text: str):
        self.raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def __len__(self):
        return len(self.raw)

    def get(self, index: int) -> str:
        return self.raw[index].rstrip()


def parse_document(text: str) -> ParsedPlan:
    lines = _Lines(text.removeprefix(BOM))
    index = _skip_blank(lines, 0)
    if index >= len(lines) or not _HEADER_RE.match(_strip_md(lines.get(index))):
        raise PegDocumentError(index + 1, "il documento non comincia con la copertina (es. «CITTÀ DI ALESSANDRIA»).")

    plan, index = _parse_cover(lines, index)
    card_starts: list[int] = []
    catalogue_at = None
    for position in range(index, len(lines)):
        line = lines.get(position)
        if _CATALOGUE_RE.match(line):
            catalogue_at = position
            break
        if _HEADER_RE.match(line.strip()):
            card_starts.append(position)
    if not card_starts:
        raise PegDocumentError(index + 1, "nessuna scheda obiettivo trovata dopo la copertina.")
    if card_starts[0] != _skip_blank(lines, index):
        first = _skip_blank(lines, index)
        raise PegDocumentError(first + 1, f"riga fuori da una scheda obiettivo: «{lines.get(first).strip()[:60]}».")

    plan.card_header = lines.get(card_starts[0]).strip()
    ends = card_starts[1:] + [catalogue_at if catalogue_at is not None else len(lines)]
    for start, end in zip(card_starts, ends, strict=True):
        plan.objectives.append(_parse_card(lines, start, end, plan.year))

    if catalogue_at is not None:
        plan.responsabili_title, plan.responsabili, plan.responsabili_lines = _parse_catalogue(lines, catalogue_at)
    return plan


def _strip_md(line: str) -> str:
    return line.replace("**", "").strip()


def _skip_blank(lines: _Lines, index: int) -> int:
    while index < len(lines) and not lines.get(index).strip():
        index += 1
    return index


def _parse_cover(lines: _Lines, index: int) -> tuple[ParsedPlan, int]:
    ente = _strip_md(lines.get(index))
    title_lines: list[str] = []
    publisher_lines: list[str] = []
    year = None
    year_line = 0
    position = index + 1
    while position < len(lines):
        raw = lines.get(position)
        stripped = raw.strip()
        if _HEADER_RE.match(stripped) and title_lines:
            break
        if stripped:
            if year is None:
                title_lines.append(_strip_md(stripped))
                match = re.search(r"\(Obiettivi\s+(\d{4})\)", stripped)
                if match:
                    year, year_line = int(match.group(1)), position + 1
            else:
                publisher_lines.append(_strip_md(stripped))
        position += 1
    if year is None:
        raise PegDocumentError(index + 1, "la copertina non indica l'anno del PEG «(Obiettivi AAAA)».")
    full_title = " ".join(" ".join(title_lines).split())
    status = "approvato" if re.search(r"\bDEFINITIVO\b", full_title, re.IGNORECASE) else "provvisorio"
    title = re.sub(r"\s*\(Obiettivi\s+\d{4}\)", "", full_title)
    title = re.sub(r"\s+(PROVVISORIO|DEFINITIVO)\b", "", title, flags=re.IGNORECASE).strip()
    plan = ParsedPlan(
        year=year,
        ente=ente,
        title=title,
        status=status,
        publisher="\n".join(publisher_lines),
        line=index + 1,
        year_line=year_line,
    )
    return plan, position


def _parse_catalogue(lines: _Lines, index: int) -> tuple[str, list[tuple[str, str]], list[int]]:
    title = _CATALOGUE_RE.match(lines.get(index)).group(1).strip()
    rows: list[tuple[str, str]] = []
    row_lines: list[int] = []
    for position in range(index + 1, len(lines)):
        line = lines.get(position)
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 2 or not re.fullmatch(r"\d{3,6}", cells[0]) or not cells[1]:
            raise PegDocumentError(position + 1, f"riga dell'Elenco Responsabili non valida: «{line.strip()[:60]}».")
        if any(code == cells[0] for code, _ in rows):
            raise PegDocumentError(position + 1, f"il codice {cells[0]} compare due volte nell'Elenco Responsabili.")
        rows.append((cells[0], " ".join(cells[1:]).strip()))
        row_lines.append(position + 1)
    return title, rows, row_lines


def _looks_like_phase_row(line: str) -> bool:
    cells = line.split("\t")
    return len(cells) >= 3 and bool(_PHASE_LABEL_RE.match(cells[0].strip()))


def _parse_card(lines: _Lines, start: int, end: int, year: int) -> ParsedObjective:
    # Header block: unit name (one or more lines), then the head's role and name, then the objective.
    head_block: list[tuple[int, str]] = []
    position = start + 1
    objective_match = None
    while position < end:
        line = lines.get(position)
        stripped = line.strip()
        position += 1
        if not stripped:
            continue
        if _looks_like_phase_row(line):
            raise PegDocumentError(position, "riga di fase senza un obiettivo: manca la riga «Obiettivo X: titolo».")
        objective_match = _OBJECTIVE_RE.match(stripped)
        if objective_match:
            break
        head_block.append((position, stripped))
    if not objective_match:
        raise PegDocumentError(start + 1, "la scheda non contiene la riga «Obiettivo X: titolo».")
    objective_line = position

    role_at = next((i for i, (_, text) in enumerate(head_block) if _ROLE_RE.match(text)), None)
    if role_at is None:
        raise PegDocumentError(
            start + 1, "manca il responsabile della struttura (Dirigente, Responsabile in P.O., Direttore)."
        )
    if role_at == 0:
        raise PegDocumentError(start + 1, "manca la denominazione della struttura dopo l'intestazione della scheda.")
    unit = " ".join(text for _, text in head_block[:role_at])
    kind = unit_kind(unit)
    if kind is None:
        raise PegDocumentError(
            head_block[0][0],
            f"struttura «{unit[:60]}» di tipo non riconosciuto (Settore, Servizio Autonomo, Area, Azienda Speciale).",
        )
    role_match = _ROLE_RE.match(head_block[role_at][1])
    person = " ".join([role_match.group(2)] + [text for _, text in head_block[role_at + 1 :]]).strip()
    if not person:
        raise PegDocumentError(head_block[role_at][0], "manca il nome del responsabile della struttura.")
    honorific, name = split_honorific(person)

    objective = ParsedObjective(
        unit=unit,
        unit_kind=kind,
        head_role=head_role(role_match.group(1)),
        head_honorific=honorific,
        head_name=name,
        code=objective_match.group(1),
        title=objective_match.group(2).strip(),
        line=objective_line,
        unit_line=head_block[0][0],
        head_line=head_block[role_at][0],
    )
    _parse_card_body(lines, position, end, objective, year)
    _assign_tranche_years(objective)
    return objective


def _parse_card_body(lines: _Lines, start: int, end: int, objective: ParsedObjective, year: int) -> None:
    current: str | None = "title_detail"
    detail: list[str] = []
    texts: dict[str, list[str]] = {}
    in_table = False
    phase_year = year
    final_lines: list[str] = []
    finished = False

    for position in range(start, end):
        raw = lines.get(position)
        line_no = position + 1
        stripped = raw.strip()
        if not stripped:
            continue
        if finished:
            raise PegDocumentError(line_no, f"testo dopo il visto di validazione: «{stripped[:60]}».")
        cells = raw.split("\t")

        if _VISTO_RE.match(stripped):
            finished = True
            continue
        if _SIGNATURE_RE.match(stripped):
            current = None
            continue
        if _TABLE_TITLE_RE.match(stripped):
            current = None
            continue
        if not in_table and len(cells) >= 4 and "Descrizione" in raw and "Incidenza" in raw:
            in_table = True
            current = None
            continue

        tranche = _TRANCHE_RE.match(stripped)
        if tranche:
            _check_total(cells, line_no)
            deadline = _last_text_cell(cells[1:]) if len(cells) > 1 else tranche.group(3)
            objective.tranches.append(
                ParsedTranche(year=int(tranche.group(2)), label=tranche.group(1), deadline_text=deadline, line=line_no)
            )
            phase_year = int(tranche.group(2)) + 1
            current = None
            continue

        final = _FINAL_DEADLINE_RE.match(stripped)
        if final:
            first_cell = next(i for i, cell in enumerate(cells) if cell.strip())
            inline = _FINAL_DEADLINE_RE.match(cells[first_cell].strip()).group(1).strip()
            rest = [cell.strip() for cell in cells[first_cell + 1 :] if cell.strip()]
            rest = [cell for cell in rest if not _PERCENT_RE.match(cell)]
            final_lines.extend(part for part in [inline, *rest] if part)
            current = "final_deadline"
            continue

        if in_table and len(cells) >= 3 and current != "final_deadline":
            label_cell = cells[0].strip()
            label_match = _PHASE_LABEL_RE.match(label_cell)
            if label_match or (not label_cell and any(cell.strip() for cell in cells[1:])):
                if _is_total_row(cells):
                    _check_total(cells, line_no)
                    continue
                _add_phase(objective, cells, label_match, phase_year, line_no)
                continue

        if current == "final_deadline" and not cells[0].strip():
            final_lines.append(stripped)
            continue

        field_match = _match_field(stripped)
        if field_match:
            name, heading, value = field_match
            if name in texts:
                texts[name].append(stripped)
            else:
                texts[name] = [value] if value else []
                if heading != _canonical_heading(name):
                    objective.headings[name] = heading
            current = name
            continue

        if current == "title_detail":
            detail.append(stripped)
        elif current and current != "final_deadline":
            texts[current].append(stripped)
        else:
            raise PegDocumentError(line_no, f"riga non riconosciuta nella scheda: «{stripped[:60]}».")

    if not finished:
        raise PegDocumentError(
            objective.line, "la scheda non termina con «Visto di validazione: il Nucleo di Valutazione»."
        )
    if not objective.phases:
        raise PegDocumentError(objective.line, f"l'obiettivo {objective.code} non ha fasi progettuali.")
    objective.title_detail = "\n".join(detail)
    objective.texts = {name: "\n".join(parts) for name, parts in texts.items()}
    objective.final_deadline_text = "\n".join(final_lines)


def _canonical_heading(name: str) -> str:
    return CARD_HEADINGS[name]


def _match_field(stripped: str) -> tuple[str, str, str] | None:
    for name, pattern in _FIELD_PATTERNS:
        match = pattern.match(stripped)
        if match:
            return name, match.group(1), match.group(2).strip()
    return None


def _is_total_row(cells: list[str]) -> bool:
    padded = [cell.strip() for cell in cells] + [""] * 5
    return not padded[0] and not padded[1] and bool(_PERCENT_RE.match(padded[2])) and not padded[3]


def _check_total(cells: list[str], line_no: int) -> None:
    for cell in cells:
        if "%" in cell:
            parse_weight(cell, line_no)


def _last_text_cell(cells: list[str]) -> str:
    texts = [cell.strip() for cell in cells if cell.strip() and not _PERCENT_RE.match(cell.strip())]
    return texts[-1] if texts else ""


def _add_phase(objective, cells, label_match, phase_year, line_no) -> None:
    padded = cells + [""] * (5 - len(cells))
    description = clean_cell(padded[1])
    weight = parse_weight(padded[2], line_no)
    responsabili_text = padded[3].strip()
    deadline_text = clean_cell("\t".join(padded[4:]))
    if label_match:
        label = normalise_label(label_match.group(1))
    else:
        # A sub-phase row 'b) …' continues the phase above, which becomes its 'a)'.
        if not objective.phases:
            raise PegDocumentError(line_no, "riga di sotto-fase prima di qualsiasi fase.")
        letter = _SUBPHASE_RE.match(description)
        if not letter:
            raise PegDocumentError(
                line_no, "riga della tabella senza numero di fase né lettera di sotto-fase (a), b)…)."
            )
        parent = objective.phases[-1]
        number = re.sub(r"[a-z]$", "", parent.label)
        if parent.label == number:
            if not _SUBPHASE_RE.match(parent.description):
                raise PegDocumentError(line_no, f"la sotto-fase {letter.group(1)}) segue una fase senza «a)».")
            parent.label = f"{number}a"
        label = f"{number}{letter.group(1)}"
    if any(phase.label == label for phase in objective.phases):
        raise PegDocumentError(line_no, f"la fase {label} compare due volte nell'obiettivo {objective.code}.")
    if not description:
        raise PegDocumentError(line_no, f"la fase {label} non ha descrizione.")
    objective.phases.append(
        ParsedPhase(
            label=label,
            description=description,
            weight=weight,
            year=_phase_year(weight, deadline_text, phase_year),
            codes=cited_codes(responsabili_text),
            responsabili_text=responsabili_text,
            deadline_text=deadline_text,
            line=line_no,
        )
    )


def _phase_year(weight: Decimal | None, deadline_text: str, default: int) -> int:
    """A 0% phase belongs to another year when its deadline says so ('Conclusa', a later date)."""
    if weight != 0:
        return default
    deadline = parse_deadline(deadline_text)
    if deadline.kind == DeadlineKind.CONCLUSA:
        return default - 1
    if deadline.kind == DeadlineKind.DATE and deadline.date.year != default:
        return deadline.date.year
    return default


def _assign_tranche_years(objective: ParsedObjective) -> None:
    """'Annualità 2021 - … delle prime quattro fasi': the later phases count in the next year."""
    if objective.tranches:
        return
    heading = objective.headings.get("achieved_text", "")
    year_match = re.search(r"Annualit[àa]\s+(\d{4})", heading, re.IGNORECASE)
    count_match = _TRANCHE_PHASES_RE.search(objective.texts.get("achieved_text", ""))
    if not (year_match and count_match):
        return
    word = count_match.group(1).lower()
    count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    if not count:
        return
    year = int(year_match.group(1))
    deadline = ""
    dates = DATE_RE.findall(objective.texts.get("achieved_text", ""))
    if dates:
        deadline = "/".join(dates[-1])
    objective.tranches.append(ParsedTranche(year=year, label="", deadline_text=deadline, line=objective.line))
    for phase in objective.phases[count:]:
        if phase.year == year:
            phase.year = year + 1


# --- the JSON of export_peg -------------------------------------------------------------------

_TEXT_FIELDS = [name for name, _ in CARD_TEXT_FIELDS]
_KIND_BY_LABEL = {label: value for value, label in SettoreKind.choices}
_ROLE_BY_LABEL = {label: value for value, label in HeadRole.choices}
_STATUSES = PegStatus.values
_STATUS_LIST = ", ".join(_STATUSES)
_MISSING = object()

# The decoder's messages, in Italian.
_JSON_MESSAGES = [
    ("Expecting value", "atteso un valore"),
    ("Expecting ',' delimiter", "attesa una virgola"),
    ("Expecting ':' delimiter", "attesi i due punti"),
    ("Expecting property name enclosed in double quotes", "atteso il nome di un campo tra virgolette"),
    ("Unterminated string", "testo tra virgolette non chiuso"),
    ("Invalid control character", "carattere di controllo non ammesso in un testo"),
    ("Invalid \\uXXXX escape", "sequenza \\u non valida"),
    ("Invalid \\escape", "sequenza di escape non valida"),
    ("Extra data", "testo dopo la fine del JSON"),
]


class _JsonObject(dict):
    """A JSON object that remembers the line where it begins."""

    line = 1


class _JsonConstant(Exception):
    pass


def _refuse_constant(name: str):
    raise _JsonConstant(name)


def _json_int(digits: str):
    # Beyond any count, year or order: a Decimal, which the field checks then refuse by name.
    return int(digits) if len(digits) <= 18 else Decimal(digits)


def load_json(text: str):
    """json.loads with every object's line, exact decimals, no NaN/Infinity, no repeated keys."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=_json_int, parse_constant=_refuse_constant)

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        line = bisect.bisect_right(line_starts, s_and_end[1] - 1)
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        obj = _JsonObject()
        obj.line = line
        for key, value in pairs:
            if key in obj:
                raise PegDocumentError(line, f"il campo «{_excerpt(key)}» compare due volte nello stesso oggetto.")
            obj[key] = value
        return obj, end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        message = next((it for en, it in _JSON_MESSAGES if exc.msg.startswith(en)), "sintassi non valida")
        raise PegDocumentError(exc.lineno, f"JSON non valido: {message}.", column=exc.colno) from None
    except _JsonConstant as exc:
        found = re.search(re.escape(str(exc)), text)
        line = bisect.bisect_right(line_starts, found.start()) if found else None
        raise PegDocumentError(line, f"JSON non valido: il valore {exc} non è un numero ammesso.") from None
    except RecursionError:
        raise PegDocumentError(None, "JSON non valido: troppi livelli annidati.") from None


def parse_export(text: str) -> ParsedPlan:
    """Read back export_peg's JSON; a missing or mistyped field is reported with its line."""
    data = load_json(text.removeprefix(BOM))
    if not isinstance(data, dict):
        raise PegDocumentError(1, "il JSON del PEG deve essere un oggetto {…} con «year» e «objectives».")
    status = _text(data, "status", "provvisorio")
    if status not in _STATUSES:
        raise PegDocumentError(data.line, f"stato del PEG «{_excerpt(status)}» sconosciuto ({_STATUS_LIST}).")
    plan = ParsedPlan(
        year=_integer(data, "year"),
        ente=_text(data, "ente", ""),
        title=_text(data, "title"),
        status=status,
        publisher=_text(data, "publisher", ""),
        card_header=_text(data, "card_header", ""),
        responsabili_title=_text(data, "responsabili_title", ""),
        line=data.line,
    )
    for row in _objects(data, "responsabili", []):
        plan.responsabili.append((_text(row, "code", required=True), _text(row, "description")))
        plan.responsabili_lines.append(row.line)
    for item in _objects(data, "objectives"):
        plan.objectives.append(_objective_from_export(item))
    if not plan.objectives:
        raise PegDocumentError(data.line, "il piano non contiene obiettivi («objectives» è vuoto).")
    return plan


def _objective_from_export(item: _JsonObject) -> ParsedObjective:
    unit_kind_label, role_label = _text(item, "unit_kind"), _text(item, "manager_role")
    if unit_kind_label not in _KIND_BY_LABEL:
        known = ", ".join(_KIND_BY_LABEL)
        raise PegDocumentError(item.line, f"tipo di struttura «{_excerpt(unit_kind_label)}» sconosciuto ({known}).")
    if role_label not in _ROLE_BY_LABEL:
        known = ", ".join(_ROLE_BY_LABEL)
        raise PegDocumentError(item.line, f"qualifica «{_excerpt(role_label)}» sconosciuta ({known}).")
    if "manager_name" in item:
        honorific, name = _text(item, "manager_honorific", ""), _text(item, "manager_name")
    else:
        honorific, name = split_honorific(_text(item, "manager", ""))
    headings = _value(item, "headings", {})
    if not isinstance(headings, dict) or not all(
        key in _TEXT_FIELDS and isinstance(value, str) for key, value in headings.items()
    ):
        raise PegDocumentError(
            item.line, f"il campo «headings» deve associare a campi della scheda ({', '.join(_TEXT_FIELDS)}) un testo."
        )
    phases = [_phase_from_export(p) for p in _objects(item, "phases")]
    if not phases:
        raise PegDocumentError(item.line, f"l'obiettivo {_excerpt(_text(item, 'code'))} non ha fasi progettuali.")
    return ParsedObjective(
        unit=_text(item, "unit", required=True),
        unit_kind=_KIND_BY_LABEL[unit_kind_label],
        head_role=_ROLE_BY_LABEL[role_label],
        head_honorific=honorific,
        head_name=name,
        code=_text(item, "code", required=True),
        title=_text(item, "title"),
        title_detail=_text(item, "title_detail", ""),
        texts={name: _text(item, name, "") for name in _TEXT_FIELDS},
        headings=dict(headings),
        final_deadline_text=_text(item, "final_deadline", ""),
        tranches=[
            ParsedTranche(_integer(t, "year"), _text(t, "label", ""), _text(t, "deadline", ""), line=t.line)
            for t in _objects(item, "tranches", [])
        ],
        phases=phases,
        line=item.line,
        unit_line=item.line,
        head_line=item.line,
        indicators=[_indicator_from_export(i) for i in _objects(item, "result_indicators")]
        if "result_indicators" in item
        else None,
        scoring=_scoring_from_export(item),
    )


def _scoring_from_export(item: _JsonObject) -> dict | None:
    """score_mode, indicator_cap, phase_share of an objective; None when the JSON has none of them."""
    if not any(key in item for key in ("score_mode", "indicator_cap", "phase_share")):
        return None
    mode = _text(item, "score_mode", ScoreMode.PHASES)
    if mode not in ScoreMode.values:
        raise PegDocumentError(
            item.line, f"calcolo del grado «{_excerpt(mode)}» sconosciuto ({', '.join(ScoreMode.values)})."
        )
    shares = {}
    for key, default in (("indicator_cap", 0), ("phase_share", 50)):
        value = _value(item, key, default)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise PegDocumentError(item.line, f"il campo «{key}» deve essere un numero (una percentuale).")
        shares[key] = Decimal(value)
    return {"score_mode": mode, **shares}


def _indicator_from_export(item: _JsonObject) -> ParsedIndicator:
    kind = _text(item, "kind", required=True)
    if kind not in IndicatoreKind.values:
        raise PegDocumentError(
            item.line, f"tipo di indicatore «{_excerpt(kind)}» sconosciuto ({', '.join(IndicatoreKind.values)})."
        )
    direction = _text(item, "direction", IndicatoreDirection.HIGHER)
    if direction not in IndicatoreDirection.values:
        raise PegDocumentError(
            item.line, f"verso «{_excerpt(direction)}» sconosciuto ({', '.join(IndicatoreDirection.values)})."
        )
    counts = _value(item, "counts", True)
    if not isinstance(counts, bool):
        raise PegDocumentError(item.line, "il campo «counts» deve essere true o false.")
    return ParsedIndicator(
        name=_text(item, "name", required=True),
        kind=kind,
        unit=_text(item, "unit", ""),
        baseline=_indicator_value(item, "baseline", kind),
        baseline_period=_text(item, "baseline_period", ""),
        target=_indicator_value(item, "target", kind),
        direction=direction,
        data_source=_text(item, "data_source", ""),
        card_text=_text(item, "card_text", ""),
        counts=counts,
        line=item.line,
    )


def _indicator_value(item: _JsonObject, key: str, kind: str):
    """A value of the indicator's kind: a number, true/false (sì/no), or an ISO date "2021-12-31"."""
    value = _value(item, key, None)
    if value is None:
        return None
    if kind == "date":
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise PegDocumentError(item.line, f"il campo «{key}» deve essere una data nel formato aaaa-mm-gg o null.")
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise PegDocumentError(
                item.line, f"il campo «{key}» di un indicatore sì/no va indicato true, false o null."
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PegDocumentError(item.line, f"il campo «{key}» deve essere un numero o null.")
    return Decimal(value)


def _phase_from_export(item: _JsonObject) -> ParsedPhase:
    weight = _value(item, "weight")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | Decimal)):
        raise PegDocumentError(item.line, "il campo «weight» deve essere un numero (l'incidenza %) o null.")
    codes = _value(item, "responsabili", [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise PegDocumentError(item.line, "il campo «responsabili» deve essere un elenco di codici tra virgolette.")
    return ParsedPhase(
        label=_text(item, "label", required=True),
        description=_text(item, "description", required=True),
        weight=None if weight is None else Decimal(weight),
        year=_integer(item, "year"),
        codes=list(dict.fromkeys(codes)),
        responsabili_text=_text(item, "responsabili_text", ""),
        deadline_text=_text(item, "deadline", ""),
        line=item.line,
    )


def _value(obj: _JsonObject, key: str, default=_MISSING):
    if key not in obj:
        if default is _MISSING:
            raise PegDocumentError(obj.line, f"manca il campo «{key}».")
        return default
    return obj[key]


def _text(obj: _JsonObject, key: str, default=_MISSING, *, required: bool = False) -> str:
    value = _value(obj, key, default)
    if not isinstance(value, str):
        raise PegDocumentError(obj.line, f"il campo «{key}» deve essere un testo tra virgolette.")
    if required and not value.strip():
        raise PegDocumentError(obj.line, f"il campo «{key}» è vuoto.")
    return value


def _integer(obj: _JsonObject, key: str) -> int:
    value = _value(obj, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PegDocumentError(obj.line, f"il campo «{key}» deve essere un numero intero (es. 2021).")
    return value


def _objects(obj: _JsonObject, key: str, default=_MISSING) -> list[_JsonObject]:
    value = _value(obj, key, default)
    if not isinstance(value, list) or not all(isinstance(item, _JsonObject) for item in value):
        raise PegDocumentError(obj.line, f"il campo «{key}» deve essere un elenco di oggetti {{…}}.")
    return value


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


__all__ = [
    "ParsedIndicator",
    "ParsedObjective",
    "ParsedPhase",
    "ParsedPlan",
    "ParsedTranche",
    "PegDocumentError",
    "cited_codes",
    "load_json",
    "parse_document",
    "parse_export",
]
