# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Relazione as an editable Word document (DOCX), for the Giunta's procedure.

The same sections and figures as the printed document (relazione/templates/relazione/_document.html),
drawn from relazione.selectors; the charts become their tables (Word cannot take our SVG as such).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from objectives.templatetags.peg_tags import it_date, percent, weight
from relazione.models import Relazione, ValidazioneRelazione
from relazione.selectors import RelazioneData, relazione_data

# Characters XML 1.0 cannot hold (python-docx refuses them): control characters but tab and newlines.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _safe(text) -> str:
    return _NOT_XML.sub("", str(text))


def _paragraph(document, text: str):
    return document.add_paragraph(_safe(text))


def _heading(document, text: str, level: int):
    return document.add_heading(_safe(text), level=level)


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = _safe(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = _safe(text)
    return table


def _narrative(document, text: str) -> None:
    paragraphs = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    for block in paragraphs or ["Sezione da redigere."]:
        _paragraph(document, block)


def _score(value: Decimal | None) -> str:
    return percent(value)


def relazione_docx(relazione: Relazione, *, validation: ValidazioneRelazione | None = None) -> bytes:
    data: RelazioneData = relazione_data(relazione.peg)
    peg = relazione.peg
    document = Document()
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    for text in (peg.card_header_text, f"RELAZIONE SULLA PERFORMANCE – ANNO {peg.year}"):
        paragraph = _paragraph(document, "")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(_safe(text))
        run.bold = True
        run.font.size = Pt(14)
    state = (
        f"{validation.get_outcome_display()} dal Nucleo di Valutazione il {it_date(validation.date)}"
        if validation
        else "BOZZA – NON VALIDATA"
    )
    _paragraph(document, state).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(document, "1. Presentazione", 1)
    _narrative(document, relazione.introduction)
    _heading(document, "2. Il contesto di riferimento", 1)
    _narrative(document, relazione.context)

    _heading(document, "3. I risultati dell'ente", 1)
    _paragraph(
        document,
        f"Il PEG {peg.year} assegna {len(data.objectives)} obiettivi a {len(data.units)} strutture. "
        f"Obiettivi validati dal Nucleo di Valutazione: {data.validated_objectives}; "
        f"con un grado di raggiungimento: {data.scored_objectives}.",
    )
    _paragraph(document, f"Grado di raggiungimento medio dell'ente: {_score(data.results.total.score)}")
    _table(
        document,
        ["Struttura", "Obiettivi", "Validati", "Grado medio"],
        [[u.settore.name, str(len(u.objectives)), str(u.validated), _score(u.result.score)] for u in data.units],
    )

    _heading(document, "4. I risultati per struttura e per obiettivo", 1)
    for unit in data.units:
        _heading(document, f"{unit.settore.name} – grado medio {_score(unit.result.score)}", 2)
        rows = []
        for section in unit.objectives:
            result = section.result
            if result.score is None:
                figure, source = "—", f"non valutato: {section.unscored_reason}"
            else:
                figure = _score(result.score)
                source = f"validato il {it_date(section.obiettivo.validated_on)}" if result.validated else "calcolato"
            rows.append([section.obiettivo.code, section.obiettivo.title, figure, source])
        _table(document, ["Obiettivo", "Titolo", "Grado", "Fonte"], rows)

    _heading(document, "5. Indicatori di risultato", 1)
    lines = [
        [
            f"{section.obiettivo.settore.name} {section.obiettivo.code}",
            line.name,
            line.baseline or "—",
            line.target or "—",
            line.actual or "—",
            "da rilevare" if line.met is None else ("raggiunto" if line.met else "non raggiunto"),
        ]
        for section in data.objectives
        for line in section.indicators
    ]
    if lines:
        _table(document, ["Obiettivo", "Indicatore", "Valore di partenza", "Target", "Valore rilevato", "Esito"], lines)
    else:
        _paragraph(document, "Nessun indicatore strutturato per gli obiettivi dell'anno.")

    _heading(document, "6. Fasi sterilizzate e raggiungimenti parziali", 1)
    rows = [
        [f"{i.obiettivo.settore.name} {i.obiettivo.code}", i.fase.label, "sterilizzata", i.reason or "—"]
        for i in data.neutralisations
    ] + [
        [f"{i.obiettivo.settore.name} {i.obiettivo.code}", i.fase.label, f"raggiunta al {weight(i.partial)}", i.reason]
        for i in data.partials
    ]
    if rows:
        _table(document, ["Obiettivo", "Fase", "Esito", "Motivo"], rows)
    else:
        _paragraph(document, "Nessuna fase sterilizzata né raggiunta parzialmente.")

    _heading(document, "7. La distribuzione dei risultati dei responsabili per fascia", 1)
    if data.distribution:
        _table(
            document,
            ["Fascia", "Quota della retribuzione di risultato", "Responsabili", "Quota dei responsabili"],
            [[r.label, weight(r.pay_share), str(r.heads), percent(r.share)] for r in data.distribution],
        )
        d = data.differentiation
        _paragraph(
            document,
            f"Grado di differenziazione: {d.heads} responsabili, {d.scored} con un risultato; nella fascia più alta "
            f"il {percent(d.top_band_share)}; fasce utilizzate {d.bands_used} su {d.bands}; risultato più basso "
            f"{percent(d.lowest)}, più alto {percent(d.highest)} (scarto {percent(d.spread)}); media "
            f"{percent(d.mean)}, deviazione standard {d.deviation_text}.",
        )
    else:
        _paragraph(document, "Il PEG non ha fasce di valutazione.")

    _heading(document, "8. Criticità e azioni di miglioramento", 1)
    _narrative(document, relazione.critical_issues)
    if validation:
        _heading(document, "Validazione del Nucleo di Valutazione", 1)
        _paragraph(
            document,
            f"Esito: {validation.get_outcome_display()} – documento di validazione del {it_date(validation.date)}.",
        )
        if validation.notes:
            _narrative(document, validation.notes)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
