# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The indicators in the printed card: a table under the phases, read back from the PDF with pypdf."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from objectives.models import Indicatore, IndicatoreKind, Obiettivo
from reports import services
from reports.rendering import NoCache


def _text(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", " ".join(pages)))


def _position(text: str, needle: str, after: int = 0) -> int:
    found = text.find(needle, after)
    assert found != -1, f"{needle!r} missing after {after}"
    return found


@pytest.fixture
def biblioteca(peg_2021):
    return Obiettivo.objects.get(
        peg=peg_2021, settore__name="SETTORE TRASPARENZA, POLITICHE CULTURALI E BIBLIOTECA", code="A"
    )


def test_the_card_prints_the_indicators_table_under_the_phases(biblioteca):
    text = _text(services.objective_pdf(biblioteca, cache=NoCache(), workers=1))
    table = _position(text, "Fasi progettuali di sviluppo dell'obiettivo")
    deadline = _position(text, "Scadenza finale per il raggiungimento dell'obiettivo", table)
    indicators = _position(
        text, "Indicatori di risultato Indicatore Valore di partenza Target Fonte dei dati", deadline
    )
    row = _position(text, "Incremento degli utenti II semestre 2021 rispetto al II semestre 2019", indicators)
    _position(
        text, "«espletamento di tutte le fasi previste con incremento del 10% degli utenti (II sem 2021/II sem", row
    )
    _position(text, "II semestre 2019 almeno 10%", row)
    # The card's own texts follow, as printed.
    _position(text, "Risultato atteso:", row)


def test_a_card_without_indicators_prints_no_indicators_table(peg_2021):
    obiettivo = Obiettivo.objects.filter(peg=peg_2021, indicatori__isnull=True).first()
    text = _text(services.objective_pdf(obiettivo, cache=NoCache(), workers=1))
    assert "Indicatore Valore di partenza Target" not in text


def test_the_monitoring_card_prints_the_value_that_counts_and_whether_it_meets_the_target(biblioteca):
    Indicatore.objects.filter(obiettivo=biblioteca).update(actual_value=Decimal("12.5"))
    Indicatore.objects.create(
        obiettivo=biblioteca,
        name="Apertura del punto prestito in ospedale",
        kind=IndicatoreKind.DATE,
        target_date=dt.date(2021, 9, 30),
        direction="lower",
        sort_order=2,
    )
    text = _text(services.monitoring_pdf(biblioteca, dt.date(2021, 12, 31), cache=NoCache(), workers=1))
    indicators = _position(text, "Indicatore Valore di partenza Target Fonte dei dati Valore Esito")
    _position(text, "almeno 10%", indicators)
    _position(text, "12,5% raggiunto", indicators)
    _position(text, "Apertura del punto prestito in ospedale", indicators)
    _position(text, "entro il 30/09/2021", indicators)
    _position(text, "non rilevato da rilevare", indicators)
