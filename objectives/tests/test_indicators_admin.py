# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Indicators in the admin: staff edits the plan side of an open objective's indicators; the values
recorded by the head and the Nucleo are never written there, and an indicator carrying them stays."""

from decimal import Decimal

import pytest
from django.urls import reverse

from objectives import workflow
from objectives.accounts import create_demo_users
from objectives.models import Indicatore, Obiettivo

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_indicator(peg_2021):
    create_demo_users()
    indicatore = Indicatore.objects.get(name="Segnalazioni di disservizi")
    head = indicatore.obiettivo.settore.head
    from django.contrib.auth import get_user_model

    head.user = get_user_model().objects.create_user("comandante")
    head.save()
    workflow.record_indicator_actual(indicatore=indicatore, user=head.user, value=Decimal("2"), evidence="URP")
    return Indicatore.objects.get(pk=indicatore.pk)


def _form(indicatore, **changes):
    data = {
        "obiettivo": indicatore.obiettivo_id,
        "sort_order": indicatore.sort_order,
        "name": indicatore.name,
        "kind": indicatore.kind,
        "unit": indicatore.unit,
        "baseline_value": "",
        "baseline_period": indicatore.baseline_period,
        "target_value": "0",
        "target_date": "",
        "direction": indicatore.direction,
        "data_source": indicatore.data_source,
        "card_text": indicatore.card_text,
        "counts": "on",
    }
    data.update(changes)
    return data


def test_staff_changes_the_target_and_a_posted_actual_value_is_ignored(client, open_indicator):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="staff"))
    url = reverse("admin:objectives_indicatore_change", args=[open_indicator.pk])
    response = client.post(url, _form(open_indicator, target_value="1", actual_value="0", review="confirmed"))
    assert response.status_code == 302
    stored = Indicatore.objects.get(pk=open_indicator.pk)
    assert (stored.target_value, stored.actual_value, stored.review) == (Decimal("1"), Decimal("2"), "")


def test_a_yes_no_target_of_2_is_refused_in_italian(admin_client, open_indicator):
    url = reverse("admin:objectives_indicatore_change", args=[open_indicator.pk])
    response = admin_client.post(url, _form(open_indicator, kind="yes_no", target_value="2"))
    assert response.status_code == 200
    assert "Il target di un indicatore sì/no è 1 (sì) o 0 (no)." in response.content.decode()


def test_an_indicator_with_a_recorded_value_is_not_deleted(admin_client, open_indicator):
    response = admin_client.post(
        reverse("admin:objectives_indicatore_delete", args=[open_indicator.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Indicatore.objects.filter(pk=open_indicator.pk).exists()


def test_an_indicator_without_values_of_an_open_objective_may_be_deleted(admin_client, peg_2021):
    indicatore = Indicatore.objects.get(name="Servizi individuati per il monitoraggio")
    response = admin_client.post(reverse("admin:objectives_indicatore_delete", args=[indicatore.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Indicatore.objects.filter(pk=indicatore.pk).exists()


def test_the_objective_page_of_the_admin_lists_its_indicators_inline(admin_client, peg_2021):
    obiettivo = Obiettivo.objects.get(settore__name="SERVIZIO AUTONOMO AVVOCATURA", code="B")
    page = admin_client.get(reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])).content.decode()
    assert "Provvedimenti verificati sul totale adottati dai Servizi individuati" in page
    assert "Calcolo del grado (fasi e indicatori)" in page


def test_staff_types_a_target_with_the_decimal_comma(admin_client, open_indicator):
    url = reverse("admin:objectives_indicatore_change", args=[open_indicator.pk])
    assert admin_client.post(url, _form(open_indicator, target_value="0,5")).status_code == 302
    assert Indicatore.objects.get(pk=open_indicator.pk).target_value == Decimal("0.5")
    assert 'name="target_value" value="0,50"' in admin_client.get(url).content.decode()
