"""Every deadline form of the 2021 document, structured without a database."""

import datetime as dt

import pytest

from objectives.deadlines import Deadline, DeadlineKind, add_months, parse_deadline, resolve_due_date


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
