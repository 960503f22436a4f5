# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Scores, monitoring and roll-ups read from the database, and the worked examples of the 2021 PEG."""

from datetime import date
from decimal import Decimal

import pytest

from objectives import selectors
from objectives.calculator import Policy, score_objective
from objectives.models import Annualita, Fase, FaseState, LatePolicy, Obiettivo, ObiettivoStatus, Peg, ScoreBand
from objectives.selectors import default_monitoring_date, monitoring, monitoring_span, scores_for_peg, unit_results
from tests.factories import FaseFactory, ObiettivoFactory, PegFactory, SettoreFactory

pytestmark = pytest.mark.django_db


def complete(fase: Fase, day: date) -> None:
    Fase.objects.filter(pk=fase.pk).update(state=FaseState.COMPLETATA, completed_on=day)


def objective_with_phases(peg, settore=None, *, weights=("50", "50"), done=(), **fields) -> Obiettivo:
    """Phases due 30/06 and 31/10; `done` lists the indexes completed on their due date."""
    obiettivo = ObiettivoFactory(peg=peg, **({"settore": settore} if settore else {}), **fields)
    deadlines = [f"30/06/{peg.year}", f"31/10/{peg.year}", f"31/12/{peg.year}"]
    for index, weight in enumerate(weights):
        fase = FaseFactory(obiettivo=obiettivo, label=str(index + 1), weight=Decimal(weight), deadline=deadlines[index])
        if index in done:
            complete(fase, fase.due_date())
    return obiettivo


def peg_with_objectives(count: int) -> Peg:
    peg = PegFactory(year=2021)
    settori = [SettoreFactory(), SettoreFactory()]
    for index in range(count):
        objective_with_phases(peg, settori[index % 2], done=(0,))
    return peg


# Scores for a whole PEG -------------------------------------------------------------------


def test_scores_for_peg_scores_every_objective_keyed_by_its_id():
    peg = PegFactory(year=2021)
    half = objective_with_phases(peg, done=(0,))
    full = objective_with_phases(peg, done=(0, 1))
    invalid = objective_with_phases(peg, weights=("50", "30"))

    scores = scores_for_peg(peg)

    assert scores[half.pk].score == Decimal("50.00")
    assert scores[full.pk].score == Decimal("100.00")
    assert scores[invalid.pk].score is None
    assert "devono sommare a 100%" in scores[invalid.pk].error


def test_scores_for_peg_ignores_completions_after_the_reference_date():
    peg = PegFactory(year=2021)
    obiettivo = objective_with_phases(peg, done=(0, 1))

    assert scores_for_peg(peg, on=date(2021, 7, 1))[obiettivo.pk].score == Decimal("50.00")


@pytest.mark.parametrize("count", [3, 30])
def test_scores_for_peg_takes_three_queries_whatever_the_number_of_objectives(count, django_assert_num_queries):
    peg = peg_with_objectives(count)

    with django_assert_num_queries(3):
        scores = scores_for_peg(peg)
        # The rows can be read without more queries: phases know their objective.
        titles = [row.fase.obiettivo.title for score in scores.values() for row in score.rows]

    assert len(scores) == count
    assert len(titles) == 2 * count


def test_scores_for_peg_uses_the_annualita_deadline_of_the_pegs_year():
    peg = PegFactory(year=2021, late_policy=LatePolicy.FULL_WITHIN_FINAL)
    obiettivo = ObiettivoFactory(peg=peg, final_deadline=date(2022, 8, 31))
    fase = FaseFactory(obiettivo=obiettivo, label="1", weight=Decimal("50"), deadline="31/10/2021")
    FaseFactory(obiettivo=obiettivo, label="2", weight=Decimal("50"), deadline="30/06/2022", year=2022)
    complete(fase, date(2022, 3, 1))

    lenient_to_the_final_deadline = scores_for_peg(peg)[obiettivo.pk].score
    Annualita.objects.create(obiettivo=obiettivo, year=2021, deadline=date(2022, 1, 31))
    bounded_by_the_tranche = scores_for_peg(peg)[obiettivo.pk].score

    assert lenient_to_the_final_deadline == Decimal("100.00")
    assert bounded_by_the_tranche == Decimal("0.00")


def test_scores_for_peg_leaves_other_pegs_alone():
    peg = PegFactory(year=2021)
    objective_with_phases(peg)
    objective_with_phases(PegFactory(year=2022))

    assert len(scores_for_peg(peg)) == 1


# Monitoring -------------------------------------------------------------------------------


def test_monitoring_reports_each_objective_each_unit_and_the_peg(django_assert_num_queries):
    peg = PegFactory(year=2021)
    on_track, behind = SettoreFactory(), SettoreFactory()
    objective_with_phases(peg, on_track, done=(0,))
    objective_with_phases(peg, behind)

    with django_assert_num_queries(3):
        report = monitoring(peg, date(2021, 6, 30))

    assert [unit.settore for unit in report.units] == [on_track, behind]
    first, second = report.objectives
    assert (first.due_weight, first.done_weight, first.late) == (Decimal("50"), Decimal("50"), [])
    assert second.due_weight == Decimal("50")
    assert second.done_weight == 0
    assert [row.fase.label for row in second.late] == []  # due 30/06 is not late on 30/06
    assert report.units[0].due_share == Decimal("50.00")
    assert report.units[0].done_share == Decimal("50.00")
    assert report.done_share == Decimal("25.00")

    later = monitoring(peg, date(2021, 7, 1))

    assert [row.fase.label for row in later.late_phases] == ["1"]
    assert [progress.obiettivo for progress in later.units[1].objectives_behind] == [second.obiettivo]
    assert later.objectives_behind == later.units[1].objectives_behind


# Roll-ups ---------------------------------------------------------------------------------


@pytest.fixture
def bands():
    peg = PegFactory(year=2021)
    for minimum, share in [("95", "100"), ("80", "80"), ("60", "60"), ("0", "0")]:
        ScoreBand.objects.create(peg=peg, min_score=Decimal(minimum), pay_share=Decimal(share))
    return peg


def test_a_unit_result_is_the_mean_of_its_objectives_with_its_band(bands, django_assert_num_queries):
    peg = bands
    settore = SettoreFactory()
    objective_with_phases(peg, settore, done=(0, 1))
    objective_with_phases(peg, settore, done=(0,))

    with django_assert_num_queries(4):
        results = unit_results(peg)

    [unit] = results
    assert unit.settore == settore
    assert unit.score == Decimal("75.00")
    assert not unit.weighted
    assert unit.band.pay_share == Decimal("60")
    assert [result.band.pay_share for result in unit.objectives] == [Decimal("100"), Decimal("0")]


def test_a_unit_result_is_weighted_when_every_objective_has_a_weight(bands):
    settore = SettoreFactory()
    objective_with_phases(bands, settore, done=(0, 1), weight=Decimal("3"))
    objective_with_phases(bands, settore, done=(0,), weight=Decimal("1"))

    [unit] = unit_results(bands)

    # (100 × 3 + 50 × 1) / 4 = 87.5
    assert unit.score == Decimal("87.50")
    assert unit.weighted
    assert unit.band.pay_share == Decimal("80")


def test_an_objective_without_a_score_is_left_out_of_the_mean_and_listed(bands):
    settore = SettoreFactory()
    objective_with_phases(bands, settore, done=(0, 1))
    invalid = objective_with_phases(bands, settore, weights=("50", "10"))

    [unit] = unit_results(bands)

    assert unit.score == Decimal("100.00")
    assert [result.obiettivo for result in unit.unscored] == [invalid]
    assert "devono sommare" in unit.unscored[0].computed.error


def test_a_validated_objective_counts_with_its_validated_score(bands):
    settore = SettoreFactory()
    obiettivo = objective_with_phases(bands, settore, done=(0,))
    Obiettivo.objects.filter(pk=obiettivo.pk).update(status=ObiettivoStatus.VALIDATO, validated_score=Decimal("90"))

    [unit] = unit_results(bands)

    assert unit.objectives[0].computed.score == Decimal("50.00")
    assert unit.objectives[0].validated
    assert unit.score == Decimal("90.00")


def test_the_peg_total_is_the_mean_over_all_its_objectives(bands):
    first, second = SettoreFactory(), SettoreFactory()
    objective_with_phases(bands, first, done=(0, 1))
    objective_with_phases(bands, second, done=(0, 1))
    objective_with_phases(bands, second)

    results = unit_results(bands)

    assert [unit.score for unit in results] == [Decimal("100.00"), Decimal("50.00")]
    assert results.total.settore is None
    assert results.total.score == Decimal("66.67")  # (100 + 100 + 0) / 3
    assert results.total.band.pay_share == Decimal("60")


def test_without_bands_nothing_is_banded():
    peg = PegFactory(year=2021)
    objective_with_phases(peg, done=(0, 1))

    results = unit_results(peg)

    assert results[0].score == Decimal("100.00")
    assert results[0].band is None
    assert len(results) == 1


# Worked examples on the 2021 PEG ----------------------------------------------------------


def card(unit: str, code: str) -> Obiettivo:
    return Obiettivo.objects.get(peg__year=2021, settore__name__startswith=unit, code=code)


def record(obiettivo: Obiettivo, **completed_on) -> None:
    """record(obiettivo, f1=date(…)) completes phase '1' on that date."""
    for key, day in completed_on.items():
        complete(obiettivo.fasi.get(label=key.removeprefix("f")), day)


def with_policy(peg: Peg, policy: str, fraction: str = "50") -> Peg:
    Peg.objects.filter(pk=peg.pk).update(late_policy=policy, late_fraction=Decimal(fraction))
    return Peg.objects.get(pk=peg.pk)


LLPP = "SETTORE LLPP"
SVILUPPO = "SETTORE SVILUPPO ECONOMICO"


def test_worked_example_llpp_a_2021_under_each_policy(peg_2021):
    peg_2021 = with_policy(peg_2021, LatePolicy.NOTHING)  # the fixture's own is full_within_final
    obiettivo = card(LLPP, "A")
    record(obiettivo, f1=date(2021, 7, 20), f2=date(2021, 10, 15), f3=date(2021, 12, 20))
    # Phases 1–3 (40, 30, 30) count for 2021, due 31/07, 30/09, 31/12; phases 4–5 are 2022's.
    # Phase 2 is 15 days late.
    #   strict:           40 + 0       + 30 = 70  → 70 / 100 = 70.00
    #   fraction 50%:     40 + 30×50%  + 30 = 85  → 85.00
    #   full within 2021 tranche (31/12/2021): 40 + 30 + 30 = 100 → 100.00
    assert scores_for_peg(peg_2021)[obiettivo.pk].score == Decimal("70.00")
    assert scores_for_peg(with_policy(peg_2021, LatePolicy.FRACTION))[obiettivo.pk].score == Decimal("85.00")
    assert scores_for_peg(with_policy(peg_2021, LatePolicy.FULL_WITHIN_FINAL))[obiettivo.pk].score == Decimal("100.00")


def test_worked_example_sviluppo_economico_c_first_four_phases(peg_2021):
    peg_2021 = with_policy(peg_2021, LatePolicy.NOTHING)  # the fixture's own is full_within_final
    obiettivo = card(SVILUPPO, "C")
    record(obiettivo, f1=date(2021, 4, 30), f2=date(2021, 9, 30), f3=date(2021, 11, 10), f4=date(2022, 1, 25))
    # 2021 tranche = phases 1–4, weights 10, 10, 20, 10 = 50 (phases 5–6, 20 + 30, are 2022's).
    # Phase 3 (20, due 31/10/2021) is late; the tranche is judged by 31/01/2022 (Annualita 2021).
    #   strict:        10 + 10 + 0  + 10 = 30 → 30 / 50 × 100 = 60.00
    #   fraction 50%:  10 + 10 + 10 + 10 = 40 → 40 / 50 × 100 = 80.00
    #   full within the tranche deadline 31/01/2022: 50 / 50 = 100.00
    scores = scores_for_peg(peg_2021)
    assert scores[obiettivo.pk].score == Decimal("60.00")
    assert scores[obiettivo.pk].evaluable_weight == Decimal("50")
    assert scores_for_peg(with_policy(peg_2021, LatePolicy.FRACTION))[obiettivo.pk].score == Decimal("80.00")
    assert scores_for_peg(with_policy(peg_2021, LatePolicy.FULL_WITHIN_FINAL))[obiettivo.pk].score == Decimal("100.00")


def test_worked_example_llpp_b_with_a_weightless_phase_and_relative_deadlines(peg_2021):
    peg_2021 = with_policy(peg_2021, LatePolicy.NOTHING)  # the fixture's own is full_within_final
    obiettivo = card(LLPP, "B")
    # Phase 2 (AMAG RETI, no weight) done 28/02 → phase 3 due "2 mesi da fase 2)" = 28/04/2021.
    # Phase 3 done 20/04 → phase 4 due "1 mese da fase 3)" = 20/05/2021; done 15/06: late.
    # Phase 4 done 15/06 → phase 5 due 15/07/2021; not done.
    #   strict: phase 1 (20) + phase 3 (50) = 70 of 20 + 50 + 20 + 10 = 100 → 70.00
    record(obiettivo, f1=date(2021, 6, 30), f2=date(2021, 2, 28), f3=date(2021, 4, 20), f4=date(2021, 6, 15))

    score = scores_for_peg(peg_2021)[obiettivo.pk]

    assert score.score == Decimal("70.00")
    assert [(row.fase.label, row.due_date) for row in score.rows] == [
        ("1", date(2021, 6, 30)),
        ("2", date(2021, 2, 28)),
        ("3", date(2021, 4, 28)),
        ("4", date(2021, 5, 20)),
        ("5", date(2021, 7, 15)),
    ]
    assert score.rows[1].reason == "fase senza incidenza"
    # At 30/06 phase 5 is not due yet; phase 4 is done, late.
    [progress] = [p for p in monitoring(peg_2021, date(2021, 6, 30)).objectives if p.obiettivo == obiettivo]
    assert progress.due_weight == Decimal("90")  # 20 + 50 + 20
    assert progress.done_weight == Decimal("90")
    assert [row.fase.label for row in progress.late] == ["4"]


def test_worked_example_sistemi_informativi_b_neutralised_sub_phase(peg_2021):
    obiettivo = card("SETTORE SISTEMI INFORMATIVI", "B")
    record(obiettivo, f2a=date(2021, 4, 30))
    Fase.objects.filter(obiettivo=obiettivo, label="2b").update(
        neutralised=True, neutralisation_reason="ritardo nell'erogazione dei fondi regionali POR-FESR"
    )
    # 2a (40) on time; 2b (60) neutralised; phases 1 (0%, Conclusa) and 3 (0%, 2022) do not count.
    #   40 / 40 × 100 = 100.00
    score = scores_for_peg(peg_2021)[obiettivo.pk]

    assert score.score == Decimal("100.00")
    assert [row.counted for row in score.rows] == [False, True, False, False]
    assert score.rows[2].reason == "sterilizzata: ritardo nell'erogazione dei fondi regionali POR-FESR"


def test_worked_example_the_llpp_unit_result_and_its_band(peg_2021):
    peg_2021 = with_policy(peg_2021, LatePolicy.NOTHING)  # the fixture's own is full_within_final
    for minimum, share in [("95", "100"), ("80", "80"), ("60", "60"), ("0", "0")]:
        ScoreBand.objects.create(peg=peg_2021, min_score=Decimal(minimum), pay_share=Decimal(share))
    record(card(LLPP, "A"), f1=date(2021, 7, 20), f2=date(2021, 10, 15), f3=date(2021, 12, 20))
    record(card(LLPP, "B"), f1=date(2021, 6, 30), f2=date(2021, 2, 28), f3=date(2021, 4, 20), f4=date(2021, 6, 15))
    record(card(LLPP, "D"), f1=date(2021, 2, 1), f2=date(2021, 3, 1), f3=date(2021, 5, 1))
    record(card(LLPP, "D"), f4=date(2021, 7, 1), f5=date(2021, 9, 1))
    # LLPP A 70 (above), B 70 (above), C nothing done = 0, D all on time = 100.
    #   unit: (70 + 70 + 0 + 100) / 4 = 60.00 → band ≥ 60 → 60% of result pay.
    results = unit_results(peg_2021)

    [llpp] = [unit for unit in results if unit.settore.name.startswith(LLPP)]
    assert [result.score for result in llpp.objectives] == [
        Decimal("70.00"),
        Decimal("70.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    ]
    assert llpp.score == Decimal("60.00")
    assert llpp.band.pay_share == Decimal("60")
    assert len(results) == 14


def test_every_objective_of_the_2021_peg_gets_a_score_or_a_reason(peg_2021, django_assert_num_queries):
    with django_assert_num_queries(3):
        scores = scores_for_peg(peg_2021)

    assert len(scores) == 41
    for score in scores.values():
        assert score.score == Decimal("0.00") or score.error


def test_a_card_loaded_with_its_card_data_is_scored_without_queries(peg_2021, django_assert_num_queries):
    obiettivo = card(SVILUPPO, "C")
    record(obiettivo, f1=date(2021, 4, 30), f2=date(2021, 9, 30), f3=date(2021, 11, 10), f4=date(2022, 1, 25))
    peg = with_policy(peg_2021, LatePolicy.FULL_WITHIN_FINAL)
    loaded = Obiettivo.objects.with_card_data().get(pk=obiettivo.pk)

    with django_assert_num_queries(0):
        score = score_objective(loaded, loaded.fasi.all(), Policy.from_peg(peg))

    # The prefetched Annualita 2021 (31/01/2022) bounds the late credit: phase 3 is within it.
    assert score.score == Decimal("100.00")
    assert "entro la scadenza dell'annualità 2021 del 31/01/2022" in score.rows[2].reason


# The monitoring date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2021, 6, 30), date(2021, 6, 30)),
        (date(2023, 3, 1), date(2021, 12, 31)),  # a past PEG: its year's end
        (date(2020, 11, 25), date(2021, 1, 1)),  # a PEG prepared ahead: its year's start
    ],
)
def test_the_default_monitoring_date_is_today_within_the_pegs_year(monkeypatch, today, expected):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: today)
    assert default_monitoring_date(Peg(year=2021)) == expected


def test_the_default_monitoring_date_lies_within_the_span_the_pages_accept():
    peg = PegFactory(year=2021)
    first, last = monitoring_span(peg)
    assert first <= default_monitoring_date(peg) <= last
    assert (first, last) == (date(2021, 1, 1), date(2022, 12, 31))
