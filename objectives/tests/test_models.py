# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The plan's rules: constraints the database enforces, the rule across rows, derived values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from objectives.models import Fase, Obiettivo, Peg, weight_errors
from tests.factories import FaseFactory, ObiettivoFactory


def unsaved(label="1", weight="50", year=2021, deadline="30/06/2021", **extra):
    fase = Fase(label=label, weight=None if weight is None else Decimal(weight), year=year, **extra)
    fase.set_deadline(deadline)
    return fase


def test_weights_of_one_annualita_summing_to_100_are_valid():
    assert weight_errors([unsaved("1", "40"), unsaved("2", "60")]) == []


def test_weights_that_do_not_sum_to_100_are_reported_in_italian():
    assert weight_errors([unsaved("1", "40"), unsaved("2", "50")]) == [
        "Le incidenze delle fasi devono sommare a 100% per ogni annualità (somme attuali: 2021: 90%)."
    ]


def test_empty_weights_are_ignored_in_the_sum():
    assert weight_errors([unsaved("1", "40"), unsaved("2", None), unsaved("3", "60")]) == []


def test_each_annualita_of_a_multi_year_objective_sums_to_100():
    llpp_a = [
        unsaved("1", "40"),
        unsaved("2", "30"),
        unsaved("3", "30"),
        unsaved("4", "85", 2022),
        unsaved("5", "15", 2022),
    ]
    assert weight_errors(llpp_a) == []
    llpp_a[3].weight = Decimal("80")
    assert "2022: 95%" in weight_errors(llpp_a)[0]


def test_a_tranche_of_a_table_summing_to_100_is_valid():
    # SVILUPPO ECONOMICO C: one table of six phases summing to 100, the 2021 tranche is phases 1-4.
    phases = [
        unsaved(str(n), w, 2021 if n <= 4 else 2022) for n, w in enumerate(["10", "10", "20", "10", "20", "30"], 1)
    ]
    assert weight_errors(phases) == []


def test_zero_weight_phases_of_other_years_do_not_break_the_sum():
    # SISTEMI INFORMATIVI A: 0% in 2020 (Conclusa), 100% in 2021, 0% in 2022.
    assert weight_errors([unsaved("1", "0", 2020), unsaved("2", "100"), unsaved("3", "0", 2022)]) == []


def test_decimal_weights_are_summed_exactly():
    assert weight_errors([unsaved("1", "33.33"), unsaved("2", "33.33"), unsaved("3", "33.34")]) == []


def test_a_neutralised_phase_needs_a_reason():
    fase = unsaved(neutralised=True)
    with pytest.raises(ValidationError) as caught:
        fase.clean()
    assert caught.value.message_dict["neutralisation_reason"] == [
        "La sterilizzazione di una fase richiede la motivazione."
    ]


def test_a_partial_achievement_needs_a_reason_and_a_completed_phase_a_date():
    fase = unsaved(partial_achievement=Decimal("50"), state="completata")
    with pytest.raises(ValidationError) as caught:
        fase.clean()
    assert set(caught.value.message_dict) == {"partial_reason", "completed_on"}


def test_clean_derives_the_deadline_structure_from_the_printed_text():
    fase = unsaved(label="3")
    fase.deadline_text = "2 mesi da fase 2)"
    fase.clean()
    assert (fase.deadline_kind, fase.deadline_offset_months, fase.deadline_anchor_label) == ("after_phase", 2, "2")


def test_a_recorded_event_date_survives_a_new_reading_of_the_text():
    fase = unsaved(deadline="Entro 30 giorni dalla presentazione dell'istanza")
    fase.deadline_anchor_date = dt.date(2021, 5, 10)
    fase.clean()
    assert fase.due_date() == dt.date(2021, 6, 9)


def test_a_split_phase_leaves_the_label_cell_of_its_b_row_empty():
    assert [unsaved(label).is_subphase_continuation for label in ["1", "2a", "2b", "1-A", "10"]] == [
        False,
        False,
        True,
        False,
        False,
    ]


@pytest.mark.django_db
def test_the_database_refuses_a_weight_above_100():
    fase = FaseFactory()
    fase.weight = Decimal("150")
    with pytest.raises(IntegrityError), transaction.atomic():
        fase.save(update_fields=["weight"])


@pytest.mark.django_db
def test_the_database_refuses_two_phases_with_one_label_in_one_objective():
    fase = FaseFactory(label="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        FaseFactory(obiettivo=fase.obiettivo, label="1")


@pytest.mark.django_db
def test_the_database_refuses_a_neutralisation_without_reason():
    fase = FaseFactory()
    fase.neutralised = True
    with pytest.raises(IntegrityError), transaction.atomic():
        fase.save(update_fields=["neutralised"])


@pytest.mark.django_db
def test_the_database_refuses_two_objectives_with_one_code_in_one_unit():
    obiettivo = ObiettivoFactory(code="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObiettivoFactory(peg=obiettivo.peg, settore=obiettivo.settore, code="A")


@pytest.mark.django_db
def test_model_validation_reports_a_bad_weight_in_italian():
    fase = FaseFactory()
    fase.weight = Decimal("101")
    with pytest.raises(ValidationError) as caught:
        fase.full_clean()
    assert "weight" in caught.value.message_dict
    assert "100" in caught.value.message_dict["weight"][0]


@pytest.mark.django_db
def test_the_card_shows_the_printed_heading_or_the_usual_one():
    obiettivo = ObiettivoFactory(headings={"directives": "Direttive specifiche -"}, directives="A supporto…")
    sections = dict(obiettivo.card_sections())
    assert sections["Direttive specifiche -"] == "A supporto…"
    assert sections["Finalità Strategiche:"] == ""
    assert list(dict(obiettivo.card_sections()))[-1] == "Risorse Finanziarie:"


def test_the_cover_title_is_made_of_the_peg_fields():
    assert Peg(year=2021).cover_title == "PIANO ESECUTIVO DI GESTIONE (P.E.G.) PROVVISORIO (Obiettivi 2021)"
    assert Peg(year=2022, status="approvato").cover_title.endswith("APPROVATO (Obiettivi 2022)")


@pytest.mark.django_db
def test_objectives_for_a_year_come_in_print_order():
    late = ObiettivoFactory(print_order=2)
    early = ObiettivoFactory(peg=late.peg, settore=late.settore, print_order=1)
    assert list(Obiettivo.objects.for_year(2021).in_print_order()) == [early, late]
    assert not Obiettivo.objects.for_year(2020).exists()
