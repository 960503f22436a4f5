# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages: each persona on each page (anonymous → login, outsiders 404, no right to act 403),
the acts through the browser, and the queries of the results list pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import NotaKind, NotaScheda, Scheda, SchedaStatus
from evaluation.tests.conftest import demo_scores
from objectives.models import Obiettivo

# Measured: the session and the user, the form, its settings, catalogue, scores and notes, the head result (5)…
# and the ente the header shows (1).
PINNED_FORM_QUERIES = 15
PERSONAS = ["anonymous", "robotti_user", "furia_user", "nina", "sara", "ugo", "root"]


def client_for(client, scenario, persona):
    if persona != "anonymous":
        client.force_login(getattr(scenario, persona))
    return client


@pytest.fixture
def scheda(scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    return services.score_behaviours(scheda=scheda, user=scenario.nina, scores=demo_scores(scenario.peg))


def expect(response, status):
    if status == "login":
        assert response.status_code == 302 and reverse("login") in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", "login"),
        ("robotti_user", 200),
        ("furia_user", 200),
        ("nina", 200),
        ("sara", 200),
        ("ugo", 404),
        ("root", 200),
    ],
)
def test_the_results_list_opens_for_nucleo_staff_admin_and_heads(client, scenario, persona, status):
    expect(client_for(client, scenario, persona).get(reverse("evaluation:results")), status)


def test_the_nucleo_sees_every_heads_result_and_a_head_only_their_own(client, scenario):
    page = client_for(client, scenario, "nina").get(reverse("evaluation:results")).content.decode()
    assert page.count('data-head="') == 12
    assert "Arch. Pierfranco Robotti" in page and "85,00%" in page and "Fascia 2 (≥ 80%)" in page

    client.logout()
    page = client_for(client, scenario, "robotti_user").get(reverse("evaluation:results")).content.decode()
    assert page.count('data-head="') == 1
    assert 'data-head="Pierfranco Robotti"' in page


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", "login"),
        ("robotti_user", 200),
        ("furia_user", 404),
        ("nina", 200),
        ("sara", 200),
        ("ugo", 404),
        ("root", 200),
    ],
)
def test_a_heads_result_page_opens_for_that_head_the_nucleo_staff_and_admin(client, scenario, persona, status):
    url = reverse("evaluation:head", args=[2021, scenario.robotti.pk])
    expect(client_for(client, scenario, persona).get(url), status)


def test_the_result_page_lists_what_counts_and_what_is_not_scored_with_why(client, scenario):
    url = reverse("evaluation:head", args=[2021, scenario.robotti.pk])
    page = client_for(client, scenario, "robotti_user").get(url).content.decode()

    assert '<p class="h2 mb-1" id="risultato">85,00%</p>' in page
    assert 'id="quota">80%' in page
    assert "validato dal Nucleo il 15/03/2022" in page
    assert "tutte le fasi dell&#x27;annualità 2021 sono sterilizzate dal Nucleo" in page
    assert "Apri la scheda di valutazione" not in page  # only the Nucleo opens it


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", "login"),
        ("robotti_user", 200),
        ("furia_user", 404),
        ("nina", 200),
        ("sara", 404),
        ("ugo", 404),
        ("root", 200),
    ],
)
@pytest.mark.parametrize("name", ["evaluation:scheda", "evaluation:scheda_pdf"])
def test_a_form_is_seen_only_by_its_head_the_nucleo_and_administrators(client, scenario, scheda, name, persona, status):
    response = client_for(client, scenario, persona).get(reverse(name, args=[scheda.pk]))
    expect(response, status)
    if status == 200 and name == "evaluation:scheda_pdf":
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "persona, status",
    [("robotti_user", 403), ("furia_user", 404), ("nina", 200), ("sara", 404), ("ugo", 404), ("root", 200)],
)
@pytest.mark.parametrize("name", ["evaluation:score", "evaluation:notify"])
def test_the_nucleos_acts_answer_403_to_the_head_and_404_to_outsiders(client, scenario, scheda, name, persona, status):
    expect(client_for(client, scenario, persona).get(reverse(name, args=[scheda.pk])), status)


@pytest.mark.parametrize(
    "persona, status",
    [("robotti_user", 200), ("furia_user", 404), ("nina", 403), ("sara", 404), ("ugo", 404), ("root", 403)],
)
def test_the_acknowledgement_is_the_heads_alone(client, scenario, scheda, persona, status):
    services.notify(scheda=scheda, user=scenario.nina)
    expect(client_for(client, scenario, persona).get(reverse("evaluation:acknowledge", args=[scheda.pk])), status)


@pytest.mark.parametrize("persona, status", [("robotti_user", 403), ("furia_user", 404), ("sara", 403), ("ugo", 404)])
def test_only_the_nucleo_opens_a_form(client, scenario, persona, status):
    url = reverse("evaluation:open_scheda", args=[2021, scenario.robotti.pk])
    expect(client_for(client, scenario, persona).post(url), status)
    assert not Scheda.objects.exists()


def test_the_procedure_through_the_pages(client, scenario):
    nucleo = client_for(client, scenario, "nina")
    response = nucleo.post(reverse("evaluation:open_scheda", args=[2021, scenario.robotti.pk]))
    scheda = Scheda.objects.get()
    assert response["Location"] == reverse("evaluation:scheda", args=[scheda.pk])

    data = {f"score_{pk}": str(score) for pk, (score, _) in demo_scores(scenario.peg).items()}
    data |= {f"comment_{pk}": text for pk, (_, text) in demo_scores(scenario.peg).items()}
    data["comment"] = "Anno positivo."
    assert nucleo.post(reverse("evaluation:score", args=[scheda.pk]), data).status_code == 302
    page = nucleo.get(reverse("evaluation:scheda", args=[scheda.pk])).content.decode()
    assert 'id="totale">84,70%' in page and "(bozza, calcolato ora)" in page
    assert nucleo.post(reverse("evaluation:notify", args=[scheda.pk])).status_code == 302

    client.logout()
    head = client_for(client, scenario, "robotti_user")
    page = head.get(reverse("evaluation:scheda", args=[scheda.pk])).content.decode()
    assert 'id="stato-scheda">Notificata al responsabile' in page and "Prendo visione" in page
    assert head.post(reverse("evaluation:acknowledge", args=[scheda.pk])).status_code == 302
    response = head.post(reverse("evaluation:request_review", args=[scheda.pk]), {"text": "  "})
    assert response.status_code == 200 and "obbligatorio" in response.content.decode()
    response = head.post(reverse("evaluation:request_review", args=[scheda.pk]), {"text": "Chiedo il riesame."})
    assert response.status_code == 302

    scheda.refresh_from_db()
    assert scheda.status == SchedaStatus.RIESAME_RICHIESTO
    assert list(NotaScheda.objects.filter(scheda=scheda).values_list("kind", "author__username")) == [
        (NotaKind.APERTURA, "nina"),
        (NotaKind.PUNTEGGI, "nina"),
        (NotaKind.NOTIFICA, "nina"),
        (NotaKind.PRESA_VISIONE, "robotti"),
        (NotaKind.RICHIESTA_RIESAME, "robotti"),
    ]


def test_a_score_typed_outside_the_scale_is_refused_in_italian(client, scenario, scheda):
    data = {f"score_{pk}": "7" for pk in demo_scores(scenario.peg)}
    response = client_for(client, scenario, "nina").post(reverse("evaluation:score", args=[scheda.pk]), data)
    assert response.status_code == 200
    assert "Il punteggio va da 1 a 5." in response.content.decode()


def test_the_navbar_offers_the_results_to_those_who_may_see_them(client, scenario):
    assert (
        "<span>Valutazione</span>"
        in client_for(client, scenario, "sara").get(reverse("objectives:dashboard")).content.decode()
    )
    client.logout()
    assert (
        "<span>Valutazione</span>"
        not in client_for(client, scenario, "ugo").get(reverse("objectives:dashboard")).content.decode()
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_results_list_runs_a_fixed_number_of_queries_whatever_the_number_of_forms_and_objectives(client, scenario):
    nucleo = client_for(client, scenario, "nina")
    url = reverse("evaluation:results")
    before = count_queries(nucleo, url)

    services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    services.open_scheda(peg=scenario.peg, dirigente=scenario.furia, user=scenario.nina)
    Obiettivo.objects.filter(pk=scenario.objectives["urb_d"].pk).update(dirigente=scenario.furia, weight=5)

    after = count_queries(nucleo, url)
    assert (before, after) == (14, 14)  # 13, and the ente the header shows


def test_the_form_page_runs_a_fixed_number_of_queries_whatever_the_number_of_notes(client, scenario, scheda):
    head = client_for(client, scenario, "robotti_user")
    url = reverse("evaluation:scheda", args=[scheda.pk])
    services.notify(scheda=scheda, user=scenario.nina)
    before = count_queries(head, url)

    services.acknowledge(scheda=scheda, user=scenario.robotti_user)
    services.request_review(scheda=scheda, user=scenario.robotti_user, reason="Chiedo il riesame.")
    after = count_queries(head, url)

    assert (before, after) == (PINNED_FORM_QUERIES, PINNED_FORM_QUERIES)


@pytest.mark.parametrize("anno", ["²", "abc", "99999999999999999999", "1900"])
def test_an_unusable_year_shows_the_latest_peg_with_a_message(client, scenario, anno):
    client.force_login(scenario.nina)
    response = client.get(reverse("evaluation:results"), {"anno": anno})
    assert response.status_code == 200
    assert any("anno" in str(message).lower() or "PEG" in str(message) for message in response.context["messages"])
