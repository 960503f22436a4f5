# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The admin used by Programmazione e Controllo to enter and correct the plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.models import Fase, Obiettivo
from tests.factories import ObiettivoFactory


@pytest.fixture
def admin_client_2021(peg_2021, admin_client):
    return admin_client


def phase_formset_data(obiettivo, weights):
    """The change form as the browser posts it, with the given weights for the phases."""
    fasi = list(obiettivo.fasi.order_by("sort_order"))
    data = {
        "peg": obiettivo.peg_id,
        "settore": obiettivo.settore_id,
        "dirigente": obiettivo.dirigente_id,
        "code": obiettivo.code,
        "print_order": obiettivo.print_order,
        "title": obiettivo.title,
        "headings": "{}",
        "final_deadline_text": obiettivo.final_deadline_text,
        "fasi-TOTAL_FORMS": len(fasi),
        "fasi-INITIAL_FORMS": len(fasi),
        "fasi-MIN_NUM_FORMS": 0,
        "fasi-MAX_NUM_FORMS": 1000,
        "tranches-TOTAL_FORMS": 0,
        "tranches-INITIAL_FORMS": 0,
        "tranches-MIN_NUM_FORMS": 0,
        "tranches-MAX_NUM_FORMS": 1000,
        "score_mode": obiettivo.score_mode,
        "indicator_cap": obiettivo.indicator_cap,
        "phase_share": obiettivo.phase_share,
        "indicatori-TOTAL_FORMS": 0,
        "indicatori-INITIAL_FORMS": 0,
        "indicatori-MIN_NUM_FORMS": 0,
        "indicatori-MAX_NUM_FORMS": 1000,
    }
    for index, (fase, weight) in enumerate(zip(fasi, weights, strict=True)):
        prefix = f"fasi-{index}-"
        data.update(
            {
                prefix + "id": fase.pk,
                prefix + "obiettivo": obiettivo.pk,
                prefix + "label": fase.label,
                prefix + "sort_order": fase.sort_order,
                prefix + "weight": weight,
                prefix + "year": fase.year,
                prefix + "description": fase.description,
                prefix + "responsabili_text": fase.responsabili_text,
                prefix + "deadline_text": fase.deadline_text,
            }
        )
    return data


def gabinetto_a():
    return Obiettivo.objects.get(settore__name__startswith="SETTORE GABINETTO", code="A")


@pytest.mark.django_db
def test_weights_not_summing_to_100_are_a_form_error_in_italian(admin_client_2021):
    obiettivo = gabinetto_a()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    response = admin_client_2021.post(url, phase_formset_data(obiettivo, ["50", "40"]))
    assert response.status_code == 200
    assert "Le incidenze delle fasi devono sommare a 100% per ogni annualità" in response.content.decode()
    assert list(obiettivo.fasi.values_list("weight", flat=True)) == [50, 50]


@pytest.mark.django_db
def test_a_weight_above_100_is_a_field_error_not_a_crash(admin_client_2021):
    obiettivo = gabinetto_a()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    response = admin_client_2021.post(url, phase_formset_data(obiettivo, ["150", "-50"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Assicurati che questo valore sia minore o uguale a 100" in content
    assert "Assicurati che questo valore sia maggiore o uguale a 0" in content


@pytest.mark.django_db
def test_valid_weights_are_saved_and_the_deadline_structure_is_derived(admin_client_2021):
    obiettivo = gabinetto_a()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    data = phase_formset_data(obiettivo, ["30", "70"])
    data["fasi-1-deadline_text"] = "2 mesi da fase 1)"
    response = admin_client_2021.post(url, data)
    assert response.status_code == 302
    fase_2 = obiettivo.fasi.get(label="2")
    assert (fase_2.weight, fase_2.deadline_kind, fase_2.deadline_anchor_label) == (70, "after_phase", "1")


@pytest.mark.django_db
def test_the_objective_list_filters_by_year_unit_and_kind_and_searches_the_text(
    admin_client_2021, django_assert_max_num_queries
):
    url = reverse("admin:objectives_obiettivo_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client_2021.get(url, {"peg__year": 2021, "settore__kind": "servizio_autonomo"})
    assert response.status_code == 200
    assert "15 obiettivi" in response.content.decode()
    response = admin_client_2021.get(url, {"q": "Carta dei Servizi"})
    assert "Redazione della" in response.content.decode()


@pytest.mark.django_db
def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_objectives(admin_client):

    url = reverse("admin:objectives_obiettivo_changelist")
    ObiettivoFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    ObiettivoFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "objectives_obiettivo_changelist",
        "objectives_fase_changelist",
        "objectives_peg_changelist",
        "sectors_settore_changelist",
        "sectors_dirigente_changelist",
        "sectors_responsabile_changelist",
    ],
)
def test_every_admin_list_opens(admin_client_2021, name):
    assert admin_client_2021.get(reverse(f"admin:{name}")).status_code == 200


@pytest.mark.django_db
def test_the_objective_change_page_shows_its_phases_inline(admin_client_2021):
    obiettivo = Obiettivo.objects.get(settore__name="AREA TECNICA", code="1")
    response = admin_client_2021.get(reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('name="fasi-') > 3
    assert Fase.objects.filter(obiettivo=obiettivo).count() == 3


@pytest.mark.django_db
def test_a_validated_objective_is_read_only_in_the_admin(admin_client_2021):
    obiettivo = gabinetto_a()
    obiettivo.status = "validato"
    obiettivo.save(update_fields=["status"])
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    response = admin_client_2021.post(url, phase_formset_data(obiettivo, ["30", "70"]))
    assert response.status_code == 403
    assert list(obiettivo.fasi.values_list("weight", flat=True)) == [50, 50]
    fase_url = reverse("admin:objectives_fase_change", args=[obiettivo.fasi.first().pk])
    assert admin_client_2021.post(fase_url, {"weight": "10"}).status_code == 403


@pytest.mark.django_db
def test_progress_is_not_editable_in_the_phase_admin(admin_client_2021):
    fase = gabinetto_a().fasi.first()
    response = admin_client_2021.get(reverse("admin:objectives_fase_change", args=[fase.pk]))
    content = response.content.decode()
    assert 'name="weight"' in content
    assert 'name="state"' not in content and 'name="neutralised"' not in content
