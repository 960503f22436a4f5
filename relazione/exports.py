# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Relazione as an editable Word document (DOCX), for the Giunta's procedure.

The same sections and figures as the printed document (relazione/templates/relazione/_document.html),
drawn from relazione.selectors; the charts become their tables (Word cannot take our SVG as such).
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from objectives.templatetags.peg_tags import it_date, percent, weight
from relazione.models import Relazione, ValidazioneRelazione
from relazione.selectors import RelazioneData, relazione_data


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return table


def _narrative(document, text: str) -> None:
    paragraphs = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    for block in paragraphs or ["Sezione da redigere."]:
        document.add_paragraph(block)


def _score(value: Decimal | None) -> str:
    return percent(value)


def relazione_docx(relazione: Relazione, *, validation: ValidazioneRelazione | None = None) -> bytes:
    data: RelazioneData = relazione_data(relazione.peg)
    peg = relazione.peg
    document = Document()
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    for text in (peg.card_header_text, f"RELAZIONE SULLA PERFORMANCE – ANNO {peg.year}"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(14)
    state = (
        f"{validation.get_outcome_display()} dal Nucleo di Valutazione il {it_date(validation.date)}"
        if validation
        else "BOZZA – NON VALIDATA"
    )
    document.add_paragraph(state).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("1. Presentazione", level=1)
    _narrative(document, relazione.introduction)
    document.add_heading("2. Il contesto di riferimento", level=1)
    _narrative(document, relazione.context)

    document.add_heading("3. I risultati dell'ente", level=1)
    document.add_paragraph(
        f"Il PEG {peg.year} assegna {len(data.objectives)} obiettivi a {len(data.units)} strutture. "
        f"Obiettivi validati dal Nucleo di Valutazione: {data.validated_objectives}; "
        f"con un grado di raggiungimento: {data.scored_objectives}."
    )
    document.add_paragraph(f"Grado di raggiungimento medio dell'ente: {_score(data.results.total.score)}")
    _table(
        document,
        ["Struttura", "Obiettivi", "Validati", "Grado medio"],
        [[u.settore.name, str(len(u.objectives)), str(u.validated), _score(u.result.score)] for u in data.units],
    )

    document.add_heading("4. I risultati per struttura e per obiettivo", level=1)
    for unit in data.units:
        document.add_heading(f"{unit.settore.name} – grado medio {_score(unit.result.score)}", level=2)
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

    document.add_heading("5. Indicatori di risultato", level=1)
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
        document.add_paragraph("Nessun indicatore strutturato per gli obiettivi dell'anno.")

    document.add_heading("6. Fasi sterilizzate e raggiungimenti parziali", level=1)
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
        document.add_paragraph("Nessuna fase sterilizzata né raggiunta parzialmente.")

    document.add_heading("7. La distribuzione dei risultati dei responsabili per fascia", level=1)
    if data.distribution:
        _table(
            document,
            ["Fascia", "Quota della retribuzione di risultato", "Responsabili", "Quota dei responsabili"],
            [[r.label, weight(r.pay_share), str(r.heads), percent(r.share)] for r in data.distribution],
        )
        d = data.differentiation
        document.add_paragraph(
            f"Grado di differenziazione: {d.heads} responsabili, {d.scored} con un risultato; nella fascia più alta "
            f"il {percent(d.top_band_share)}; fasce utilizzate {d.bands_used} su {d.bands}; risultato più basso "
            f"{percent(d.lowest)}, più alto {percent(d.highest)} (scarto {percent(d.spread)}); media "
            f"{percent(d.mean)}, deviazione standard {d.deviation_text}."
        )
    else:
        document.add_paragraph("Il PEG non ha fasce di valutazione.")

    document.add_heading("8. Criticità e azioni di miglioramento", level=1)
    _narrative(document, relazione.critical_issues)
    if validation:
        document.add_heading("Validazione del Nucleo di Valutazione", level=1)
        document.add_paragraph(
            f"Esito: {validation.get_outcome_display()} – documento di validazione del {it_date(validation.date)}."
        )
        if validation.notes:
            _narrative(document, validation.notes)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
