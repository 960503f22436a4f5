# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Every deadline form of the 2021 document, structured without a database."""

import datetime as dt

import pytest

from objectives.deadlines import (
    Deadline,
    DeadlineKind,
    add_months,
    deadline_error,
    parse_deadline,
    resolve_due_date,
)


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("30/06/2021", "1", Deadline(DeadlineKind.DATE, date=dt.date(2021, 6, 30))),
        ("inizio servizio 01/02/2021", "1", Deadline(DeadlineKind.DATE, date=dt.date(2021, 2, 1))),
        ("in corso d'anno", "1", Deadline(DeadlineKind.IN_CORSO_ANNO)),
        ("Conclusa", "1", Deadline(DeadlineKind.CONCLUSA)),
        ("", "2", Deadline(DeadlineKind.BLANK)),
        (
            "90 giorni dalla conclusione della fase 1",
            "2",
            Deadline(DeadlineKind.AFTER_PHASE, offset_days=90, anchor_label="1"),
        ),
        ("2 mesi da fase 2)", "3", Deadline(DeadlineKind.AFTER_PHASE, offset_months=2, anchor_label="2")),
        ("1 mese da fase 3)", "4", Deadline(DeadlineKind.AFTER_PHASE, offset_months=1, anchor_label="3")),
        (
            "Entro 60 giorni dalla conclusione del punto 03) della fase 1",
            "2",
            Deadline(DeadlineKind.AFTER_PHASE, offset_days=60, anchor_label="1"),
        ),
        (
            "90 giorni dalla prima riunione per la valutazione da parte del Collegio Esperti del 22/01/2021",
            "1",
            Deadline(DeadlineKind.AFTER_EVENT, offset_days=90, anchor_date=dt.date(2021, 1, 22)),
        ),
        (
            "Entro 30 giorni dalla presentazione dell'istanza",
            "1",
            Deadline(DeadlineKind.AFTER_EVENT, offset_days=30),
        ),
        (
            "Entro 30 giorni dall'inoltro di cui al punto 09) della fase 3",
            "3",
            Deadline(DeadlineKind.AFTER_EVENT, offset_days=30),
        ),
        ("quando possibile", "1", Deadline(DeadlineKind.TEXT)),
        ("31/02/2021", "1", Deadline(DeadlineKind.TEXT)),
    ],
)
def test_each_printed_deadline_gets_its_structure(text, label, expected):
    assert parse_deadline(text, own_label=label) == expected


def test_in_corso_d_anno_is_due_on_the_31st_of_december_of_the_phase_year():
    assert resolve_due_date(Deadline(DeadlineKind.IN_CORSO_ANNO), 2022) == dt.date(2022, 12, 31)


def test_a_relative_deadline_has_no_due_date_until_its_anchor_is_completed():
    deadline = Deadline(DeadlineKind.AFTER_PHASE, offset_days=90, anchor_label="1")
    assert resolve_due_date(deadline, 2021) is None
    assert resolve_due_date(deadline, 2021, dt.date(2021, 3, 1)) == dt.date(2021, 5, 30)


def test_months_are_calendar_months_clamped_to_the_month_length():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2021, 11, 30), 2) == dt.date(2022, 1, 30)
    deadline = Deadline(DeadlineKind.AFTER_PHASE, offset_months=2, anchor_label="2")
    assert resolve_due_date(deadline, 2021, dt.date(2021, 12, 31)) == dt.date(2022, 2, 28)


def test_conclusa_and_free_text_never_get_a_guessed_date():
    assert resolve_due_date(Deadline(DeadlineKind.CONCLUSA), 2021) is None
    assert resolve_due_date(Deadline(DeadlineKind.TEXT), 2021) is None
    assert resolve_due_date(Deadline(DeadlineKind.BLANK), 2021) is None


# --- Bounds: one rule for the admin and the import (deadline_error), and arithmetic that never raises.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90 giorni dalla conclusione della fase 1", None),
        ("3650 giorni dalla conclusione della fase 1", None),
        ("120 mesi da fase 2)", None),
        ("31/12/2200", None),
        ("01/01/1900", None),
        (
            "3651 giorni dalla conclusione della fase 1",
            "la scadenza «3651 giorni» supera il massimo ammesso di 3.650 giorni.",
        ),
        (
            "entro 9999999 giorni dalla conclusione della fase 1",
            "la scadenza «9999999 giorni» supera il massimo ammesso di 3.650 giorni.",
        ),
        ("121 mesi da fase 2)", "la scadenza «121 mesi» supera il massimo ammesso di 120 mesi."),
        ("31/12/9999", "la data 31/12/9999 è fuori dall'intervallo ammesso (anni dal 1900 al 2200)."),
        ("inizio servizio 31/12/1899", "la data 31/12/1899 è fuori dall'intervallo ammesso (anni dal 1900 al 2200)."),
    ],
)
def test_a_deadline_is_bounded_in_days_months_and_years(text, expected):
    assert deadline_error(text) == expected


def test_every_deadline_of_the_2021_document_is_within_the_bounds():
    from objectives.tests.test_import_refusals import TEXT

    cells = [line.split("\t")[-1] for line in TEXT.split("\n") if line.startswith("fase ")]
    assert len(cells) > 100
    assert [cell for cell in cells if deadline_error(cell)] == []


def test_an_amount_too_long_for_any_calendar_is_free_text_and_an_error():
    text = "9" * 5000 + " giorni dalla conclusione della fase 1"
    assert parse_deadline(text, own_label="2") == Deadline(DeadlineKind.TEXT)
    assert "supera il massimo ammesso di 3.650 giorni" in deadline_error(text)


def test_a_reference_to_a_phase_number_too_long_is_not_an_anchor():
    deadline = parse_deadline("30 giorni dalla fase " + "1" * 30, own_label="2")
    assert len(deadline.anchor_label) <= 20


@pytest.mark.parametrize(
    ("deadline", "year", "anchor_done"),
    [
        (Deadline(DeadlineKind.AFTER_PHASE, offset_days=9_999_999, anchor_label="1"), 2021, dt.date(2021, 5, 3)),
        (Deadline(DeadlineKind.AFTER_PHASE, offset_months=10**9, anchor_label="1"), 2021, dt.date(2021, 5, 3)),
        (Deadline(DeadlineKind.AFTER_EVENT, offset_days=3000, anchor_date=dt.date(9999, 1, 1)), 2021, None),
        (Deadline(DeadlineKind.IN_CORSO_ANNO), 10**6, None),
    ],
)
def test_a_due_date_beyond_the_calendar_is_undetermined_not_an_error(deadline, year, anchor_done):
    assert resolve_due_date(deadline, year, anchor_done) is None


@pytest.mark.django_db
def test_a_stored_9999999_day_deadline_no_longer_breaks_due_dates_or_the_export(capsys):
    """A phase written before the bounds existed: the pages and export_peg must still answer."""
    from django.core.management import call_command

    from objectives.models import FaseState
    from tests.factories import FaseFactory

    first = FaseFactory(label="1", weight=50, deadline="30/06/2021")
    second = FaseFactory(obiettivo=first.obiettivo, label="2", weight=50, deadline="30/06/2021")
    second.deadline_text = "entro 9999999 giorni dalla conclusione della fase 1"
    second.deadline_kind, second.deadline_offset_days, second.deadline_anchor_label = "after_phase", 9_999_999, "1"
    second.save()
    first.state, first.completed_on = FaseState.COMPLETATA, dt.date(2021, 5, 3)
    first.save()
    assert second.due_date({"1": first, "2": second}) is None
    call_command("export_peg", "--year", "2021")
    assert '"due_date": null' in capsys.readouterr().out


@pytest.mark.django_db
def test_the_admin_form_refuses_an_unbounded_deadline_through_the_model():
    from django.core.exceptions import ValidationError

    from tests.factories import FaseFactory

    fase = FaseFactory(label="2", weight=100)
    fase.deadline_text = "entro 9999999 giorni dalla conclusione della fase 1"
    with pytest.raises(ValidationError) as caught:
        fase.full_clean()
    assert caught.value.message_dict["deadline_text"] == [
        "La scadenza «9999999 giorni» supera il massimo ammesso di 3.650 giorni."
    ]


@pytest.mark.django_db
def test_the_admin_forms_refuse_unbounded_final_and_tranche_deadlines_through_the_models():
    from django.core.exceptions import ValidationError

    from objectives.models import Annualita
    from tests.factories import ObiettivoFactory

    obiettivo = ObiettivoFactory(final_deadline_text="entro 121 mesi dall'approvazione")
    with pytest.raises(ValidationError) as caught:
        obiettivo.full_clean()
    assert caught.value.message_dict["final_deadline_text"] == [
        "La scadenza «121 mesi» supera il massimo ammesso di 120 mesi."
    ]
    tranche = Annualita(obiettivo=obiettivo, year=2021, deadline_text="31/12/2999")
    with pytest.raises(ValidationError) as caught:
        tranche.full_clean()
    assert caught.value.message_dict["deadline_text"] == [
        "La data 31/12/2999 è fuori dall'intervallo ammesso (anni dal 1900 al 2200)."
    ]
    tranche.deadline_text = "31/12/2021"
    tranche.full_clean()
