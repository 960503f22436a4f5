# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The scheda's procedure, act by act, with each persona: who may do what, the review window,
the notes written, and the total the head is notified."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from evaluation import services
from evaluation.models import EvaluationSettings, NotaKind, NotaScheda, Scheda, SchedaStatus
from evaluation.selectors import scheda_view
from evaluation.tests.conftest import demo_scores
from objectives.append_only import AppendOnlyError
from objectives.models import Obiettivo

ROME = ZoneInfo("Europe/Rome")


def at(day: int, month: int = 4, year: int = 2022, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=ROME)


@pytest.fixture
def scheda(scenario):
    return services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)


@pytest.fixture
def scored(scenario, scheda):
    return services.score_behaviours(
        scheda=scheda, user=scenario.nina, scores=demo_scores(scenario.peg), comment="Buon anno di lavoro."
    )


@pytest.fixture
def notified(scenario, scored):
    return services.notify(scheda=scored, user=scenario.nina, now=at(1))


@pytest.fixture
def acknowledged(scenario, notified):
    return services.acknowledge(scheda=notified, user=scenario.robotti_user, now=at(2))


def kinds(scheda):
    return list(NotaScheda.objects.filter(scheda=scheda).values_list("kind", flat=True))


def test_the_total_is_seventy_percent_objectives_and_thirty_percent_behaviours(scenario, scored):
    figures = scheda_view(scored).figures

    assert figures.objectives_result == Decimal("85.00")
    assert figures.behaviours_result == Decimal("84.00")
    assert figures.total == Decimal("84.70")  # 0,7 × 85 + 0,3 × 84
    assert (figures.band_label, figures.pay_share) == ("Fascia 2 (≥ 80%)", Decimal("80"))


def test_notifying_keeps_the_figures_the_head_is_shown(scenario, notified):
    notified.refresh_from_db()
    assert notified.status == SchedaStatus.NOTIFICATA
    assert (notified.objectives_share, notified.behaviours_share) == (Decimal("70"), Decimal("30"))
    assert (notified.objectives_result, notified.behaviours_result) == (Decimal("85"), Decimal("84"))
    assert (notified.total, notified.band_label, notified.pay_share) == (Decimal("84.7"), "Fascia 2 (≥ 80%)", 80)

    # An objective validated later does not change the form the head was notified.
    Obiettivo.objects.filter(pk=scenario.objectives["urb_d"].pk).update(status="validato", validated_score=100)
    assert scheda_view(notified).figures.total == Decimal("84.7")
    assert scheda_view(notified, live=True).figures.total == Decimal("93.45")  # 0,7 × 97,5 + 0,3 × 84


def test_the_whole_procedure_with_a_review_writes_one_note_per_act(scenario, acknowledged):
    scheda = services.request_review(
        scheda=acknowledged, user=scenario.robotti_user, reason="L'obiettivo C è stato sterilizzato tardi.", now=at(10)
    )
    assert scheda.status == SchedaStatus.RIESAME_RICHIESTO
    scores = demo_scores(scenario.peg)
    first = next(iter(scores))
    scores[first] = (5, "Rivalutato dopo il riesame")
    services.score_behaviours(scheda=scheda, user=scenario.nina, scores=scores, comment="Rivisto.")
    scheda = services.conclude_review(scheda=scheda, user=scenario.nina, answer="Accolta in parte.", now=at(20))
    assert scheda.status == SchedaStatus.RIESAME_CONCLUSO
    assert scheda.total == Decimal("86.20")  # behaviours 89: 0,7 × 85 + 0,3 × 89
    scheda = services.close(scheda=scheda, user=scenario.nina, now=at(21))

    assert scheda.status == SchedaStatus.CHIUSA
    assert kinds(scheda) == [
        NotaKind.APERTURA,
        NotaKind.PUNTEGGI,
        NotaKind.NOTIFICA,
        NotaKind.PRESA_VISIONE,
        NotaKind.RICHIESTA_RIESAME,
        NotaKind.PUNTEGGI,
        NotaKind.RIESAME_CONCLUSO,
        NotaKind.CHIUSURA,
    ]
    notes = list(NotaScheda.objects.filter(scheda=scheda).select_related("author"))
    assert [note.author.username for note in notes] == [
        "nina",
        "nina",
        "nina",
        "robotti",
        "robotti",
        "nina",
        "nina",
        "nina",
    ]
    assert notes[4].text == "L'obiettivo C è stato sterilizzato tardi."
    assert notes[6].text == "Accolta in parte." and notes[6].total == Decimal("86.20")
    assert notes[2].total == Decimal("84.70")


def test_the_head_may_ask_for_a_review_up_to_the_last_day_of_the_window_only(scenario, acknowledged):
    # Acknowledged on 02/04/2022; 15 days: the last day is 17/04/2022.
    with pytest.raises(services.NotAllowed, match="scaduto il 17/04/2022"):
        services.request_review(scheda=acknowledged, user=scenario.robotti_user, reason="Tardi", now=at(18, hour=0))
    assert Scheda.objects.get(pk=acknowledged.pk).status == SchedaStatus.PRESA_VISIONE
    assert NotaKind.RICHIESTA_RIESAME not in kinds(acknowledged)

    scheda = services.request_review(
        scheda=acknowledged, user=scenario.robotti_user, reason="In tempo", now=at(17, hour=23)
    )
    assert scheda.status == SchedaStatus.RIESAME_RICHIESTO


def test_the_window_follows_the_pegs_setting(scenario, acknowledged):
    EvaluationSettings.objects.filter(peg=scenario.peg).update(review_days=3)
    with pytest.raises(services.NotAllowed, match="scaduto il 05/04/2022"):
        services.request_review(scheda=acknowledged, user=scenario.robotti_user, reason="Tardi", now=at(6))


def test_the_nucleo_cannot_close_while_the_head_may_still_ask_for_a_review(scenario, acknowledged):
    with pytest.raises(services.NotAllowed, match="fino al 17/04/2022"):
        services.close(scheda=acknowledged, user=scenario.nina, now=at(17))
    scheda = services.close(scheda=acknowledged, user=scenario.nina, now=at(18))
    assert scheda.status == SchedaStatus.CHIUSA
    assert kinds(scheda)[-1] == NotaKind.CHIUSURA


def test_a_review_needs_a_reason_and_its_answer_too(scenario, acknowledged):
    with pytest.raises(services.EvaluationError, match="motivazione è obbligatoria"):
        services.request_review(scheda=acknowledged, user=scenario.robotti_user, reason="  ", now=at(3))
    scheda = services.request_review(scheda=acknowledged, user=scenario.robotti_user, reason="Motivo", now=at(3))
    with pytest.raises(services.EvaluationError, match="motivazione è obbligatoria"):
        services.conclude_review(scheda=scheda, user=scenario.nina, answer="")
    assert Scheda.objects.get(pk=scheda.pk).status == SchedaStatus.RIESAME_RICHIESTO


def test_a_form_is_not_notified_until_every_behaviour_is_scored(scenario, scheda):
    scores = dict(list(demo_scores(scenario.peg).items())[:4])
    services.score_behaviours(scheda=scheda, user=scenario.nina, scores=scores)

    with pytest.raises(services.EvaluationError, match="comportamenti senza punteggio: Orientamento all'utenza"):
        services.notify(scheda=scheda, user=scenario.nina)
    assert Scheda.objects.get(pk=scheda.pk).status == SchedaStatus.BOZZA
    assert NotaKind.NOTIFICA not in kinds(scheda)


def test_a_score_outside_the_scale_is_refused_and_nothing_is_written(scenario, scheda):
    scores = demo_scores(scenario.peg)
    scores[next(iter(scores))] = (6, "")
    with pytest.raises(services.EvaluationError, match="il punteggio va da 1 a 5"):
        services.score_behaviours(scheda=scheda, user=scenario.nina, scores=scores)
    assert scheda.punteggi.count() == 0
    assert kinds(scheda) == [NotaKind.APERTURA]


# Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["robotti_user", "furia_user", "sara", "ugo"])
def test_only_the_nucleo_opens_scores_and_notifies(scenario, scheda, persona):
    user = getattr(scenario, persona)
    with pytest.raises(services.NotAllowed):
        services.open_scheda(peg=scenario.peg, dirigente=scenario.furia, user=user)
    with pytest.raises(services.NotAllowed):
        services.score_behaviours(scheda=scheda, user=user, scores=demo_scores(scenario.peg))
    with pytest.raises(services.NotAllowed):
        services.notify(scheda=scheda, user=user)
    assert kinds(scheda) == [NotaKind.APERTURA]


@pytest.mark.parametrize("persona", ["nina", "root", "furia_user", "sara", "ugo"])
def test_only_the_head_evaluated_acknowledges_and_asks_for_a_review(scenario, notified, persona):
    user = getattr(scenario, persona)
    with pytest.raises(services.NotAllowed):
        services.acknowledge(scheda=notified, user=user, now=at(2))
    acknowledged = services.acknowledge(scheda=notified, user=scenario.robotti_user, now=at(2))
    with pytest.raises(services.NotAllowed):
        services.request_review(scheda=acknowledged, user=user, reason="Motivo", now=at(3))


def test_the_administrator_acts_as_the_nucleo(scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.furia, user=scenario.root)
    assert kinds(scheda) == [NotaKind.APERTURA]


def test_scores_are_frozen_once_notified(scenario, notified):
    with pytest.raises(services.NotAllowed):
        services.score_behaviours(scheda=notified, user=scenario.nina, scores=demo_scores(scenario.peg))


def test_one_form_per_head_and_peg(scenario, scheda):
    with pytest.raises(services.EvaluationError, match="esiste già"):
        services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scheda.objects.create(peg=scenario.peg, dirigente=scenario.robotti)


def test_notes_are_append_only(scenario, scheda):
    note = NotaScheda.objects.get(scheda=scheda)
    note.text = "riscritta"
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        note.delete()
    with pytest.raises(AppendOnlyError):
        NotaScheda.objects.filter(scheda=scheda).update(text="riscritta")


def test_the_database_refuses_shares_that_do_not_sum_to_100(scenario):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationSettings.objects.filter(peg=scenario.peg).update(behaviours_share=Decimal("20"))
