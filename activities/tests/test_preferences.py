# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Preferenze di notifica: each user turns their own reminders off and on."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from activities.models import NotificationPreference
from objectives.accounts import DEMO_USERS

URL = reverse("activities:preferences")


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_reminder_is_on_until_the_user_turns_it_off(client, world):
    client.force_login(world.alice)
    html = client.get(URL).content.decode()
    assert html.count("checked") == 4
    assert "non ha un indirizzo e-mail" in html  # Alice has none in this world
    response = client.post(URL, {"late": "on", "reported": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.alice)
    assert (preference.due_soon, preference.late, preference.reported, preference.outcome) == (False, True, True, False)
    assert "Preferenze di notifica salvate." in client.get(URL).content.decode()


def test_a_user_changes_only_their_own_preferences(client, world):
    client.force_login(world.bob)
    client.post(URL, {})  # every box unticked
    preference = NotificationPreference.objects.get()
    assert preference.user == world.bob and not (preference.due_soon or preference.late or preference.outcome)
    assert not NotificationPreference.objects.filter(user=world.alice).exists()


def test_my_tasks_links_to_the_preferences(client, world):
    client.force_login(world.alice)
    assert f'href="{URL}"' in client.get(reverse("activities:my_tasks")).content.decode()


def test_the_demo_users_get_e_mail_addresses_that_never_deliver(peg_2021):
    call_command("create_demo_users", verbosity=0)
    emails = dict(get_user_model().objects.values_list("username", "email"))
    for demo in DEMO_USERS:
        assert emails[demo.username] == f"{demo.username}@peg.example"


def test_the_demo_settings_fill_what_is_missing_and_change_nothing_else(peg_2021):
    from activities.models import ReminderSettings

    call_command("create_demo_users", verbosity=0)
    ReminderSettings.objects.create(peg=peg_2021, days_before=3)
    call_command("load_demo_activities", stdout=io.StringIO())
    call_command("load_demo_activities", stdout=io.StringIO())
    assert ReminderSettings.objects.get().days_before == 3
    assert NotificationPreference.objects.count() == len(DEMO_USERS)
