# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The 2021 cards the issue #9 findings come from, each with the figure its card promises.

Every rule of docs/calculator.md that a card motivates is tried here on that card, loaded from
the committed fixture (the import of fixtures/peg_2021_alessandria.txt).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from objectives import facts, selectors
from objectives.calculator import Policy, score_objective
from objectives.models import Fase, FaseState, LatePolicy, Obiettivo, Peg

pytestmark = pytest.mark.django_db

URBANISTICA = "SETTORE URBANISTICA E PATRIMONIO"
AREA_TECNICA = "AREA TECNICA"
AVVOCATURA = "SERVIZIO AUTONOMO AVVOCATURA"
RISORSE_UMANE = "SERVIZIO AUTONOMO RISORSE UMANE"
SVILUPPO = "SETTORE SVILUPPO ECONOMICO"


@pytest.fixture
def peg(db) -> Peg:
    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    peg = Peg.objects.get(year=2021)
    facts.refresh_peg(peg)  # loaddata's raw saves leave the stored figures alone
    return peg


def card(peg: Peg, unit: str, code: str) -> Obiettivo:
    return (
        Obiettivo.objects.filter(peg=peg, settore__name__startswith=unit, code=code)
        .select_related("peg", "settore")
        .prefetch_related("tranches")
        .get()
    )


def done(obiettivo: Obiettivo, **days: date) -> None:
    """Phases completed on the given days, by label: done(o, f1=date(…)) completes phase '1'."""
    for key, day in days.items():
        label = key.removeprefix("f").replace("_", "-")
        updated = Fase.objects.filter(obiettivo=obiettivo, label=label).update(
            state=FaseState.COMPLETATA, completed_on=day
        )
        assert updated == 1, label
    facts.refresh_objectives([obiettivo.pk])  # queryset.update() sends no signal


def score(obiettivo: Obiettivo, *, on=None, policy: Policy | None = None):
    obiettivo.refresh_from_db()
    phases = list(Fase.objects.filter(obiettivo=obiettivo))
    return score_objective(obiettivo, phases, policy or Policy.from_peg(obiettivo.peg), on=on)


def row(result, label):
    return next(r for r in result.rows if r.fase.label == label)


# Rule 2: the policy the 2021 cards state ----------------------------------------------------


def test_the_2021_peg_evaluates_with_full_weight_within_the_final_deadline_as_its_cards_say(peg):
    assert peg.late_policy == LatePolicy.FULL_WITHIN_FINAL


# Rule 1: time limits as the cards state them --------------------------------------------------


def test_urbanistica_b_phase_3_done_after_the_final_deadline_is_late_and_earns_nothing(peg):
    """Fase 3 is due 120 days after fase 2 (29/01/2022), but the card's final deadline is 30/11/2021."""
    obiettivo = card(peg, URBANISTICA, "B")
    done(obiettivo, f1=date(2021, 7, 3), f2=date(2021, 10, 1), f3=date(2022, 1, 20))

    result = score(obiettivo)

    fase3 = row(result, "3")
    assert fase3.printed_due == date(2022, 1, 29)
    assert fase3.due_date == date(2021, 11, 30)
    assert fase3.late and fase3.earned == 0
    assert "scadenza del 29/01/2022 limitata alla scadenza finale del 30/11/2021" in fase3.reason
    assert "oltre la scadenza finale del 30/11/2021, nessun punteggio" in fase3.reason
    # Fase 1 late (due 30/04) but within the final deadline: full weight under the 2021 policy.
    assert row(result, "1").earned == Decimal("40")
    assert result.score == Decimal("70.00")


def test_area_tecnica_1_phase_2_with_a_blank_deadline_done_in_2022_is_late(peg):
    """No deadline printed and a final deadline 'Non prevedibile': the year's end stands in."""
    obiettivo = card(peg, AREA_TECNICA, "1")
    done(obiettivo, f1_A=date(2021, 9, 30), f1_B=date(2021, 9, 15), f2=date(2022, 6, 30))

    fase2 = row(score(obiettivo), "2")

    assert fase2.late and fase2.earned == 0
    assert fase2.due_date == date(2021, 12, 31)
    assert "scadenza non indicata: vale la fine dell'annualità 2021 (31/12/2021)" in fase2.reason


def test_avvocatura_b_phase_2_in_corso_d_anno_done_after_the_final_deadline_is_late(peg):
    obiettivo = card(peg, AVVOCATURA, "B")
    done(obiettivo, f1=date(2021, 2, 28), f2=date(2021, 12, 15), f3=date(2021, 11, 30))

    result = score(obiettivo)

    fase2 = row(result, "2")
    assert fase2.due_date == date(2021, 11, 30)
    assert fase2.late and fase2.earned == 0
    assert "scadenza del 31/12/2021 limitata alla scadenza finale del 30/11/2021" in fase2.reason
    assert result.score == Decimal("20.00")


def test_risorse_umane_c_row_1b_takes_the_deadline_printed_above_it(peg):
    """The card prints 31/03/2021 once, on fase 1's a) row; the b) row's cell is empty."""
    obiettivo = card(peg, RISORSE_UMANE, "C")
    done(obiettivo, f1a=date(2021, 3, 31), f1b=date(2021, 4, 15))

    fase1b = row(score(obiettivo), "1b")

    assert fase1b.due_date == date(2021, 3, 31)
    assert fase1b.late
    assert "scadenza della fase 1a stampata sopra (31/03/2021)" in fase1b.reason


def test_the_year_end_evaluation_counts_only_completions_by_the_closing_date(peg):
    obiettivo = card(peg, AVVOCATURA, "B")
    done(obiettivo, f1=date(2021, 2, 28), f2=date(2021, 11, 1), f3=date(2022, 3, 15))
    Peg.objects.filter(pk=peg.pk).update(evaluation_closing_date=date(2022, 2, 28))

    result = score(obiettivo)

    fase3 = row(result, "3")
    assert fase3.completed_on is None and fase3.earned == 0
    assert "dopo la chiusura della valutazione del 28/02/2022: non conteggiata" in fase3.reason
    assert result.score == Decimal("90.00")


# Rule 2: the late policy and the cards' own 100% criterion --------------------------------------


def test_sviluppo_economico_c_2021_with_four_phases_done_by_the_tranche_deadline_scores_100(peg):
    """'Annualità 2021 - Obiettivo raggiunto al 100%: espletamento delle prime quattro fasi entro il 31/01/2022'."""
    obiettivo = card(peg, SVILUPPO, "C")
    done(obiettivo, f1=date(2021, 4, 30), f2=date(2021, 9, 30), f3=date(2022, 1, 15), f4=date(2022, 1, 31))

    assert score(obiettivo).score == Decimal("100.00")
    strict = Policy(LatePolicy.NOTHING, Decimal("0"))
    assert score(obiettivo, policy=strict).score == Decimal("60.00")


def test_area_tecnica_1_with_1a_and_1b_on_time_scores_100_as_its_card_says(peg):
    """'Obiettivo raggiunto al 100%: se la fase 1 è stata espletata entro la scadenza finale prevista'."""
    obiettivo = card(peg, AREA_TECNICA, "1")
    done(obiettivo, f1_A=date(2021, 9, 30), f1_B=date(2021, 9, 15))

    result = score(obiettivo)

    assert result.score == Decimal("100.00")
    assert result.earned_weight == Decimal("80") and result.evaluable_weight == Decimal("100")
    assert "la fase 1 è stata espletata entro la scadenza (criterio della scheda)" in result.criterion


def test_area_tecnica_1_with_phase_1_late_is_scored_on_its_phases_weights(peg):
    obiettivo = card(peg, AREA_TECNICA, "1")
    done(obiettivo, f1_A=date(2021, 10, 15), f1_B=date(2021, 9, 15))

    result = score(obiettivo)

    # No final deadline is printed ('Non prevedibile'): a late part earns nothing, 1-B's 30 remain.
    assert result.score == Decimal("30.00")
    assert result.criterion == ""


# Rule 7: the monitoring date reaches the tranche deadline -----------------------------------------


def test_the_dashboard_default_date_reaches_the_latest_tranche_deadline_of_the_year(peg, monkeypatch):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: date(2026, 11, 25))

    assert selectors.default_monitoring_date(peg) == date(2022, 1, 31)


def test_sviluppo_economico_c_at_31_01_2022_shows_the_tranches_final_figure(peg):
    obiettivo = card(peg, SVILUPPO, "C")
    done(obiettivo, f1=date(2021, 4, 30), f2=date(2021, 9, 30), f3=date(2022, 1, 15), f4=date(2022, 1, 31))

    state = selectors.monitoring(peg, date(2022, 1, 31))

    progress = next(p for unit in state.units for p in unit.objectives if p.obiettivo.pk == obiettivo.pk)
    assert progress.score.score == Decimal("100.00")


def test_sviluppo_economico_c_at_30_06_has_done_all_the_work_due_while_scoring_20_so_far(peg):
    obiettivo = card(peg, SVILUPPO, "C")
    done(obiettivo, f1=date(2021, 4, 30))

    state = selectors.monitoring(peg, date(2021, 6, 30))

    progress = next(p for unit in state.units for p in unit.objectives if p.obiettivo.pk == obiettivo.pk)
    assert progress.score.score == Decimal("20.00")
    assert progress.due_done_share == Decimal("100")


def test_an_objective_page_defaults_to_its_own_tranche_deadline_once_the_year_is_over(peg, monkeypatch):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: date(2026, 11, 25))
    sviluppo, avvocatura = card(peg, SVILUPPO, "C"), card(peg, AVVOCATURA, "B")

    assert selectors.default_monitoring_date(peg, sviluppo.tranches.all()) == date(2022, 1, 31)
    assert selectors.default_monitoring_date(peg, avvocatura.tranches.all()) == date(2021, 12, 31)
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: date(2021, 6, 30))
    assert selectors.default_monitoring_date(peg, sviluppo.tranches.all()) == date(2021, 6, 30)


def test_the_objective_page_says_when_the_cards_decisive_phase_gave_100(peg, client, django_user_model):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    obiettivo = card(peg, AREA_TECNICA, "1")
    done(obiettivo, f1_A=date(2021, 9, 30), f1_B=date(2021, 9, 15))
    staff = django_user_model.objects.create_user("staff.cards", password="x")
    staff.groups.add(Group.objects.get_or_create(name="Programmazione e Controllo")[0])
    client.force_login(staff)

    page = client.get(reverse("objectives:detail", args=[obiettivo.pk])).content.decode()

    assert "Obiettivo raggiunto al 100%: la fase 1 è stata espletata entro la scadenza (criterio della scheda)" in page


def test_the_dashboard_shows_the_date_range_and_accepts_the_tranche_deadline(peg, client, django_user_model):
    from django.contrib.auth.models import Group

    obiettivo = card(peg, SVILUPPO, "C")
    done(obiettivo, f1=date(2021, 4, 30), f2=date(2021, 9, 30), f3=date(2022, 1, 15), f4=date(2022, 1, 31))
    nucleo = django_user_model.objects.create_user("nucleo.cards", password="x")
    nucleo.groups.add(Group.objects.get_or_create(name="Nucleo di Valutazione")[0])
    client.force_login(nucleo)

    page = client.get("/", {"anno": 2021, "al": "31/01/2022"})

    assert page.context["on"] == date(2022, 1, 31)
    assert "dal 01/01/2021 al 31/12/2022" in page.content.decode()
    listing = client.get("/obiettivi/", {"anno": 2021, "al": "31/01/2022"})
    [shown] = [row.record for row in listing.context["table"].rows if row.record.pk == obiettivo.pk]
    assert shown.score_value == Decimal("100.00")
