# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The monitoring card explains itself: state, earned weight and reason of each phase, the years' subtotals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from objectives.models import Fase, FaseState, Obiettivo, Peg
from reports import documents
from reports.tests.conftest import flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def peg(db):
    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    return Peg.objects.get(year=2021)


def card_text(peg, unit, code, on) -> str:
    obiettivo = documents.objectives_for(year=2021).get(settore__name__startswith=unit, code=code)
    card = documents.build_monitoring_card(obiettivo, on)
    html = documents.card_fragment(card, monitoring=True)
    return flat(__import__("re").sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def complete(peg, unit, code, **days):
    obiettivo = Obiettivo.objects.get(peg=peg, settore__name__startswith=unit, code=code)
    for label, day in days.items():
        Fase.objects.filter(obiettivo=obiettivo, label=label.removeprefix("f")).update(
            state=FaseState.COMPLETATA, completed_on=day
        )
    return obiettivo


def test_a_neutralised_phase_shows_its_state_and_the_nucleos_reason_never_da_avviare(peg):
    obiettivo = complete(peg, "SERVIZIO AUTONOMO AVVOCATURA", "B", f1=date(2021, 2, 1))
    Fase.objects.filter(obiettivo=obiettivo, label="2").update(
        neutralised=True, neutralisation_reason="Parere del Garante non pervenuto"
    )

    text = card_text(peg, "SERVIZIO AUTONOMO AVVOCATURA", "B", date(2021, 12, 31))

    assert "Sterilizzata esclusa Sterilizzata: Parere del Garante non pervenuto" in text
    assert "Da avviare esclusa" not in text


def test_a_late_phase_says_its_limit_and_its_date_and_a_partial_one_its_share_and_reason(peg):
    obiettivo = complete(
        peg, "SERVIZIO AUTONOMO AVVOCATURA", "B", f1=date(2021, 2, 1), f2=date(2021, 12, 15), f3=date(2021, 11, 1)
    )
    Fase.objects.filter(obiettivo=obiettivo, label="3").update(
        partial_achievement=Decimal("60"), partial_reason="Report incompleto"
    )

    text = card_text(peg, "SERVIZIO AUTONOMO AVVOCATURA", "B", date(2021, 12, 31))

    assert (
        "Completata in ritardo (il 15/12/2021, scadenza 30/11/2021): oltre la scadenza finale del 30/11/2021, "
        "nessun punteggio; scadenza del 31/12/2021 limitata alla scadenza finale del 30/11/2021"
    ) in text
    assert "Raggiungimento parziale 60%: Report incompleto" in text
    # The total row's earned weight: 10 (fase 1) + 6 (60% of fase 3's 10) out of 100.
    assert "100% 16% su 100%" in text


def test_each_years_subtotal_prints_the_weight_earned_and_other_years_are_named(peg):
    complete(peg, "SETTORE LLPP", "A", f1=date(2021, 7, 1), f2=date(2021, 9, 1))

    text = card_text(peg, "SETTORE LLPP", "A", date(2021, 12, 31))

    assert "Scadenza raggiungimento obiettivo annualità 2021: 100% 31/12/2021 70% su 100%" in text
    assert "annualità 2022 Fase di altra annualità (2022)" in text


def test_at_mid_year_the_card_shows_the_share_of_due_work_done_beside_the_score_so_far(peg):
    """SVILUPPO ECONOMICO C at 30/06/2021: fase 1 done, the only one due; 20% so far of the 2021 tranche."""
    complete(peg, "SETTORE SVILUPPO ECONOMICO", "C", f1=date(2021, 4, 30))

    text = card_text(peg, "SETTORE SVILUPPO ECONOMICO", "C", date(2021, 6, 30))

    assert (
        "Stato di avanzamento al 30/06/2021: 20% (grado di raggiungimento finora); lavoro dovuto al 30/06/2021: "
        "10% di incidenza su 50%, completato per il 100%"
    ) in text


def test_at_the_tranche_deadline_the_card_shows_the_figure_the_nucleo_validates(peg):
    complete(
        peg,
        "SETTORE SVILUPPO ECONOMICO",
        "C",
        f1=date(2021, 4, 30),
        f2=date(2021, 9, 30),
        f3=date(2022, 1, 15),
        f4=date(2022, 1, 31),
    )

    text = card_text(peg, "SETTORE SVILUPPO ECONOMICO", "C", date(2022, 1, 31))

    assert "Stato di avanzamento al 31/01/2022: 100% (grado di raggiungimento)" in text
