# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The printed form, read back with pypdf: who, the objectives with their scores, the behaviours,
the total, the band and the signatures of the Nucleo and of the head."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluation import printing, services
from evaluation.selectors import scheda_view
from evaluation.tests.conftest import NEUTRALISATION_REASON, demo_scores


def text_of(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


@pytest.fixture
def notified(scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    services.score_behaviours(
        scheda=scheda,
        user=scenario.nina,
        scores=demo_scores(scenario.peg),
        comment="Obiettivi raggiunti in larga parte.",
    )
    rome = ZoneInfo("Europe/Rome")
    services.notify(scheda=scheda, user=scenario.nina, now=dt.datetime(2022, 4, 1, 10, tzinfo=rome))
    return services.acknowledge(scheda=scheda, user=scenario.robotti_user, now=dt.datetime(2022, 4, 2, 9, tzinfo=rome))


def test_the_printed_form_holds_the_head_the_objectives_the_behaviours_the_total_and_the_signatures(scenario, notified):
    text = text_of(printing.scheda_pdf(scheda_view(notified)))

    for expected in [
        "SCHEDA DI VALUTAZIONE INDIVIDUALE – ANNO 2021",
        "Arch. Pierfranco Robotti",
        "AREA TECNICA (Dirigente)",
        "SETTORE URBANISTICA E PATRIMONIO (Dirigente)",
        "obiettivi (quota 70%)",
        "85,00%",  # the objectives' result
        "100,00%",  # AREA TECNICA 1 (its decisive phase 1 on time) and URBANISTICA A
        "90,00% validato 15/03/2022",  # URBANISTICA B, the validated score
        "50,00%",  # URBANISTICA D
        f"non valutato: tutte le fasi dell'annualità 2021 sono sterilizzate dal Nucleo ({NEUTRALISATION_REASON})",
        "Comportamenti organizzativi (quota 30%; scala 1–5)",
        "Capacità di programmazione e organizzazione 25% 4 / 5 Commento sul comportamento 1",
        "Risultato dei comportamenti 84,00%",
        "Punteggio complessivo: 84,70% (70% × 85,00% + 30% × 84,00%)",
        "Fascia: Fascia 2 (≥ 80%) – quota della retribuzione di risultato: 80%",
        "Giudizio del Nucleo di Valutazione: Obiettivi raggiunti in larga parte.",
        "Il Nucleo di Valutazione",
        "notificata il 01/04/2022",
        "Per presa visione: Il Dirigente Arch. Pierfranco Robotti",
        "presa visione il 02/04/2022",
        "Pagina 1 di ",
    ]:
        assert expected in text, expected
    assert "BOZZA" not in text


def test_a_draft_prints_as_such_with_the_figures_of_the_moment(client, scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    client.force_login(scenario.nina)

    response = client.get(reverse("evaluation:scheda_pdf", args=[scheda.pk]))

    text = text_of(response.content)
    assert "BOZZA – NON NOTIFICATA" in text
    assert "Scheda incompleta: comportamenti senza punteggio" in text
    assert response["Content-Disposition"] == 'inline; filename="scheda-valutazione-2021-pierfranco-robotti.pdf"'
