# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""send_reminders: the right e-mails to the right people, once, and nothing when told not to."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.management.commands.send_reminders import today_from
from activities.models import NotificationPreference, ReminderKind, ReminderSettings, SentReminder
from objectives import workflow
from objectives.models import FaseState

SITE = "https://peg.comune.example"


@pytest.fixture
def people(world, settings):
    settings.PEG_SITE_URL = SITE
    for user in (world.alice, world.bob, world.nina, world.sara):
        user.email = f"{user.username}@comune.example"
        user.save(update_fields=["email"])
    return world


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_head_is_reminded_of_a_phase_due_within_the_pegs_days(people):
    run("--today", "25/06/2021")  # fase 1 of Alice's objective is due 30/06/2021
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@comune.example"], "PEG 2021: la fase 1 dell'obiettivo A scade il 30/06/2021")
    ]
    body = mail.outbox[0].body
    assert "scade il 30/06/2021, tra 5 giorni" in body
    assert f"{SITE}{reverse('objectives:phase_update', args=[people.fase1.pk])}" in body
    assert f"{SITE}{reverse('activities:preferences')}" in body


def test_a_second_run_sends_nothing(people):
    run("--today", "25/06/2021")
    out = run("--today", "26/06/2021")
    assert len(mail.outbox) == 1
    assert "0 inviati, 1 già inviati in precedenza" in out
    assert SentReminder.objects.count() == 1


def test_the_days_before_a_due_date_are_set_per_peg(people):
    run("--today", "22/06/2021")  # 8 days before: outside the default 7
    assert mail.outbox == []
    ReminderSettings.objects.create(peg=people.peg, days_before=10)
    run("--today", "22/06/2021")
    assert [m.to for m in mail.outbox] == [["alice@comune.example"]]


def test_a_phase_becoming_late_is_told_once_within_a_week(people):
    run("--today", "03/07/2021")
    assert [m.subject for m in mail.outbox] == [
        "PEG 2021: la fase 1 dell'obiettivo A è in ritardo (scadenza 30/06/2021)"
    ]
    assert "in ritardo di 3 giorni" in mail.outbox[0].body
    run("--today", "05/07/2021")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    SentReminder.objects.all().delete()
    run("--today", "15/07/2021")  # 15 days late: on "Le mie attività", no new e-mail
    assert mail.outbox == []


def test_completed_phases_and_closed_objectives_get_no_reminder(people):
    people.fase1.state, people.fase1.completed_on = FaseState.COMPLETATA, dt.date(2021, 6, 20)
    people.fase1.save()
    run("--today", "25/06/2021")
    assert mail.outbox == []
    people.fase1.state, people.fase1.completed_on = FaseState.IN_CORSO, None
    people.fase1.save()
    workflow.submit_report(obiettivo=people.obiettivo, user=people.alice, comment="Fatto")
    mail.outbox.clear()
    run("--today", "25/06/2021")
    assert mail.outbox == []


def test_the_nucleo_hears_of_a_report_and_the_head_of_a_return_and_a_validation(people):
    today = workflow.today().strftime("%d/%m/%Y")
    workflow.submit_report(obiettivo=people.obiettivo, user=people.alice, comment="Tutte le fasi svolte")
    run("--today", today)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["nina@comune.example"], "PEG 2021: l'obiettivo A di SETTORE DI ALICE è stato rendicontato")
    ]
    assert f"{SITE}{reverse('objectives:detail', args=[people.obiettivo.pk])}" in mail.outbox[0].body
    assert "Tutte le fasi svolte" in mail.outbox[0].body
    mail.outbox.clear()

    workflow.return_to_head(obiettivo=people.obiettivo, user=people.nina, notes="Manca l'evidenza")
    run("--today", today)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@comune.example"], "PEG 2021: l'obiettivo A ti è stato rinviato dal Nucleo")
    ]
    assert "Motivazione: Manca l'evidenza" in mail.outbox[0].body
    mail.outbox.clear()

    workflow.submit_report(obiettivo=people.obiettivo, user=people.alice, comment="Evidenza aggiunta")
    workflow.validate(obiettivo=people.obiettivo, user=people.nina, on=dt.date(2022, 1, 31))
    run("--today", today)  # reported again and validated between two runs: only the validation is told
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@comune.example"], "PEG 2021: l'obiettivo A è stato validato dal Nucleo")
    ]
    mail.outbox.clear()
    run("--today", today)
    assert mail.outbox == []


def test_an_act_undone_before_the_run_is_not_told(people):
    workflow.submit_report(obiettivo=people.obiettivo, user=people.alice, comment="Fatto")
    workflow.return_to_head(obiettivo=people.obiettivo, user=people.nina, notes="Manca l'evidenza")
    workflow.submit_report(obiettivo=people.obiettivo, user=people.alice, comment="Evidenza aggiunta")
    run("--today", workflow.today().strftime("%d/%m/%Y"))
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["nina@comune.example"], "PEG 2021: l'obiettivo A di SETTORE DI ALICE è stato rendicontato")
    ]
    assert "Evidenza aggiunta" in mail.outbox[0].body


def test_the_command_runs_the_same_queries_whatever_the_number_of_objectives(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import FaseFactory, ObiettivoFactory

    def queries():
        with CaptureQueriesContext(connection) as captured:
            run("--today", "25/06/2021", "--dry-run")
        return len(captured)

    before = queries()
    for n in range(8):
        obiettivo = ObiettivoFactory(peg=people.peg, settore=people.other_unit, code=f"N{n}")
        FaseFactory(obiettivo=obiettivo, label="1", deadline="28/06/2021")
    assert "9 da inviare" in run("--today", "25/06/2021", "--dry-run")  # Alice's phase and Bob's eight
    assert queries() == before <= 12


def test_a_user_who_turned_a_reminder_off_does_not_get_it(people):
    NotificationPreference.objects.create(user=people.alice, due_soon=False)
    out = run("--today", "25/06/2021")
    assert mail.outbox == []
    assert "alice ha disattivato questo promemoria" in out
    run("--today", "03/07/2021")  # late reminders are still on
    assert [m.to for m in mail.outbox] == [["alice@comune.example"]]


def test_users_without_an_e_mail_address_are_skipped_and_named(people):
    people.alice.email = ""
    people.alice.save(update_fields=["email"])
    out = run("--today", "25/06/2021")
    assert mail.outbox == [] and SentReminder.objects.count() == 0
    assert "l'utente alice non ha un indirizzo e-mail, nessun invio" in out


def test_a_dry_run_sends_and_records_nothing(people):
    out = run("--today", "25/06/2021", "--dry-run")
    assert mail.outbox == [] and SentReminder.objects.count() == 0
    assert "da inviare: Fase in scadenza → alice <alice@comune.example>" in out
    run("--today", "25/06/2021")
    assert len(mail.outbox) == 1


def test_a_failed_send_is_not_recorded_and_is_tried_again(people, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("SMTP non raggiungibile")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(CommandError, match="saranno ritentati"):
        run("--today", "25/06/2021")
    assert SentReminder.objects.count() == 0
    monkeypatch.undo()
    run("--today", "25/06/2021")
    assert len(mail.outbox) == 1 and SentReminder.objects.get().kind == ReminderKind.DUE_SOON


def test_a_bad_today_is_refused_in_italian(people):
    with pytest.raises(CommandError, match="gg/mm/aaaa"):
        run("--today", "31/02/2021")
    assert mail.outbox == []


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=30), st.dates().map(lambda d: d.strftime("%d/%m/%Y"))))
def test_any_today_argument_is_a_date_or_an_italian_refusal(text):
    try:
        day = today_from(text)
    except CommandError as exc:
        assert "gg/mm/aaaa" in str(exc)
    else:
        assert isinstance(day, dt.date)
