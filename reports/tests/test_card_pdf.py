# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""One card, printed from factories and read back with pypdf."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from objectives.models import Annualita, ObiettivoStatus
from reports import documents, services
from reports.rendering import NoCache
from reports.tests.conftest import flat
from sectors.models import HeadRole, SettoreKind
from tests.factories import FaseFactory, ObiettivoFactory, SettoreFactory

pytestmark = pytest.mark.django_db


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def print_card(obiettivo) -> list[str]:
    return pages_of(services.objective_pdf(obiettivo, cache=NoCache(), workers=1))


def assert_in_order(text: str, *expected: str) -> None:
    text = flat(text)
    position = 0
    for item in expected:
        found = text.find(flat(item), position)
        assert found != -1, f"{item!r} missing after position {position} in {text[position : position + 300]!r}"
        position = found + len(flat(item))


def full_objective(**overrides):
    settore = SettoreFactory(name="SETTORE DI PROVA", head__honorific="Dott.", head__name="Mario Rossi")
    values = {
        "settore": settore,
        "code": "A",
        "title": "Titolo dell'obiettivo",
        "title_detail": "- 1) Scuola Carducci\n- 2) Scuola Vochieri",
        "strategic_aims": "Le finalità",
        "directives": "Le direttive",
        "timing": "18/01/2021 – 31/10/2021",
        "final_deadline_text": "31/12/2021",
        "expected_result": "Il risultato",
        "achieved_text": "Tutte le fasi",
        "not_achieved_text": "Nessuna fase",
        "indicators": "Rispetto dei tempi",
        "constraints_text": "Parere della Soprintendenza",
        "human_resources": "Personale del Settore",
        "financial_resources": "Bilancio 2021",
    }
    values.update(overrides)
    obiettivo = ObiettivoFactory(**values)
    FaseFactory(
        obiettivo=obiettivo, label="1", sort_order=1, description="Prima fase", weight=50, deadline="30/06/2021"
    )
    FaseFactory(
        obiettivo=obiettivo,
        label="2",
        sort_order=2,
        description="Seconda fase",
        weight=50,
        responsabili_text="2249, 2252",
        deadline="in corso d'anno",
    )
    return obiettivo


def test_a_card_prints_every_field_in_order():
    [page] = print_card(full_objective())
    assert_in_order(
        page,
        "CITTÀ DI ALESSANDRIA",
        "SETTORE DI PROVA",
        "Dirigente Dott. Mario Rossi",
        "Obiettivo A: Titolo dell'obiettivo",
        "- 1) Scuola Carducci\n- 2) Scuola Vochieri",
        "Finalità Strategiche: Le finalità",
        "Direttive specifiche - descrizione: Le direttive",
        "Tempistica: 18/01/2021 – 31/10/2021",
        "Fasi progettuali di sviluppo dell'obiettivo",
        "Descrizione Incidenza % Codifica Responsabili coinvolti Scadenze previste",
        "fase 1: Prima fase 50% 30/06/2021",
        "fase 2: Seconda fase 50% 2249, 2252 in corso d'anno",
        "100%",
        "Scadenza finale per il raggiungimento dell'obiettivo: 31/12/2021",
        "Risultato atteso: Il risultato",
        "Obiettivo raggiunto al 100%: Tutte le fasi",
        "Obiettivo non raggiunto: Nessuna fase",
        "Indicatori di risultato: Rispetto dei tempi",
        "Vincoli: Parere della Soprintendenza",
        "Risorse Umane: Personale del Settore",
        "Risorse Finanziarie: Bilancio 2021",
        "Il Dirigente",
        "Visto di validazione: il Nucleo di Valutazione",
        "Pagina 1 di 1",
    )


def test_a_card_prints_the_heading_the_document_printed():
    obiettivo = full_objective(headings={"directives": "Direttive specifiche:"})
    [page] = print_card(obiettivo)
    assert "Direttive specifiche: Le direttive" in flat(page)
    assert "descrizione" not in flat(page).split("Direttive specifiche:")[1][:20]


def test_the_card_header_comes_from_the_peg():
    obiettivo = full_objective()
    obiettivo.peg.card_header = "CITTA' DI ALESSANDRIA"
    obiettivo.peg.save()
    [page] = print_card(obiettivo)
    assert page.startswith("CITTA' DI ALESSANDRIA\nSETTORE DI PROVA")


@pytest.mark.parametrize(
    "kind, role, head_line, signature",
    [
        (SettoreKind.SETTORE, HeadRole.DIRIGENTE, "Dirigente Dott. Mario Rossi", "Il Dirigente"),
        (
            SettoreKind.SERVIZIO_AUTONOMO,
            HeadRole.RESPONSABILE_PO,
            "Responsabile in P.O. Dott. Mario Rossi",
            "Il Responsabile in P.O",
        ),
        (SettoreKind.AZIENDA_SPECIALE, HeadRole.DIRETTORE, "Direttore Dott. Mario Rossi", "Il Direttore"),
    ],
)
def test_the_head_line_and_the_signature_follow_the_heads_role(kind, role, head_line, signature):
    obiettivo = full_objective()
    obiettivo.settore.kind, obiettivo.settore.head_role = kind, role
    obiettivo.settore.save()
    [page] = print_card(obiettivo)
    lines = page.splitlines()
    assert lines[2] == head_line
    assert lines[lines.index("Visto di validazione: il Nucleo di Valutazione") - 1] == signature


def test_sub_phase_rows_leave_the_phase_cell_empty():
    obiettivo = ObiettivoFactory(code="B")
    FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, description="Conclusa nel 2020", weight=0)
    FaseFactory(obiettivo=obiettivo, label="2a", sort_order=2, description="a) Wi-fi", weight=40)
    FaseFactory(obiettivo=obiettivo, label="2b", sort_order=3, description="b) – realtà immersiva", weight=60)
    FaseFactory(obiettivo=obiettivo, label="1-A", sort_order=4, description="Lotto uno", weight=None)
    rows, _ = documents.phase_rows(obiettivo)
    assert [row.label for row in rows] == ["fase 1:", "fase 2:", "", "fase 1-A:", ""]
    assert [row.weight for row in rows] == ["0%", "40%", "60%", "", "100%"]
    text = flat(print_card(obiettivo)[0])
    assert "fase 2: a) Wi-fi 40%" in text
    assert "40% 31/12/2021 b) – realtà immersiva 60%" in text


def test_a_multi_year_objective_prints_a_subtotal_per_annualita():
    obiettivo = ObiettivoFactory(code="A", final_deadline_text="31/12/2022")
    for label, year, weight in [("1", 2021, 40), ("2", 2021, 60), ("3", 2022, 85), ("4", 2022, 15)]:
        FaseFactory(obiettivo=obiettivo, label=label, sort_order=int(label), year=year, weight=weight)
    Annualita.objects.create(
        obiettivo=obiettivo,
        year=2021,
        label="Scadenza raggiungimento obiettivo annualità 2021:",
        deadline_text="31/12/2021",
    )
    text = flat(print_card(obiettivo)[0])
    assert_in_order(
        text,
        "fase 1:",
        "fase 2:",
        "Scadenza raggiungimento obiettivo annualità 2021: 100% 31/12/2021",
        "fase 3:",
        "fase 4:",
        "Scadenza finale per il raggiungimento dell'obiettivo: 100% 31/12/2022",
    )


def test_a_tranche_without_a_printed_label_prints_no_subtotal():
    obiettivo = ObiettivoFactory()
    FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, year=2021, weight=60)
    FaseFactory(obiettivo=obiettivo, label="2", sort_order=2, year=2022, weight=40)
    Annualita.objects.create(obiettivo=obiettivo, year=2021, deadline_text="31/01/2022")
    rows, final_weight = documents.phase_rows(obiettivo)
    assert [row.kind for row in rows] == ["phase", "phase", "total"]
    assert rows[-1].weight == "100%" and final_weight == ""


def test_a_long_final_deadline_runs_across_the_row():
    text = "Non prevedibile la data finale poiché l'attuazione deriva dal cronoprogramma dei lavori"
    obiettivo = full_objective(final_deadline_text=text)
    assert f"Scadenza finale per il raggiungimento dell'obiettivo: {text}" in flat(print_card(obiettivo)[0])


def test_the_validation_date_is_printed_once_validated():
    obiettivo = full_objective()
    assert "validato il" not in print_card(obiettivo)[0]
    obiettivo.status, obiettivo.validated_on = ObiettivoStatus.VALIDATO, dt.date(2022, 3, 15)
    obiettivo.save()
    assert "Visto di validazione: il Nucleo di Valutazione – validato il 15/03/2022" in print_card(obiettivo)[0]


def test_texts_keep_their_line_breaks_and_are_escaped():
    obiettivo = full_objective(expected_result='riga uno\nriga due <b>non grassetto</b> <img src="file:///etc/passwd">')
    page = print_card(obiettivo)[0]
    assert 'Risultato atteso: riga uno\nriga due <b>non grassetto</b> <img src="file:///etc/passwd">' in page
    html = documents.card_fragment(documents.build_card(obiettivo))
    assert "riga uno<br>riga due &lt;b&gt;" in html


def test_weights_print_as_percentages():
    assert documents.format_weight(Decimal("50.00")) == "50%"
    assert documents.format_weight(Decimal("12.50")) == "12,5%"
    assert documents.format_weight(Decimal("0")) == "0%"
    assert documents.format_weight(None) == ""


def test_a_forty_phase_table_repeats_its_header_on_every_page_and_splits_no_row():
    obiettivo = full_objective()
    obiettivo.fasi.all().delete()
    for number in range(1, 41):
        FaseFactory(
            obiettivo=obiettivo,
            label=str(number),
            sort_order=number,
            weight=Decimal("2.5"),
            description=f"Descrizione della fase numero {number}\nsu tre righe, con un testo lungo\nfine {number}",
        )
    pages = print_card(obiettivo)
    assert len(pages) >= 3
    for text in pages[:-1] if "Descrizione" not in pages[-1] else pages:
        assert "Descrizione Incidenza % Codifica Responsabili coinvolti Scadenze previste" in flat(text)
    for number in range(1, 41):
        holding = [text for text in pages if f"fase numero {number}\n" in text]
        assert len(holding) == 1, number
        assert f"fine {number}\n" in holding[0]  # the whole row is on that page
    assert "Pagina 2 di" in pages[1]
