# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The indicators' acts, through the workflow and through the pages, tried by each persona:
the head records the actual value, the Nucleo confirms or corrects it; every act writes a note."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.indicators import parse_value
from objectives.models import (
    AllegatoIndicatore,
    Indicatore,
    IndicatoreDirection,
    IndicatoreKind,
    IndicatoreReview,
    Nota,
    NotaKind,
    ObiettivoStatus,
    ScoreMode,
)
from objectives.selectors import scores_for_peg

PDF = b"%PDF-1.4\n%fake\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users_indicator(world):
    return Indicatore.objects.create(
        obiettivo=world.obiettivo,
        name="Incremento degli utenti",
        kind=IndicatoreKind.PERCENT,
        unit="%",
        target_value=Decimal("10"),
        direction=IndicatoreDirection.HIGHER,
        baseline_period="II semestre 2019",
        card_text="espletamento di tutte le fasi previste con incremento del 10% degli utenti",
    )


def _reload(indicatore) -> Indicatore:
    return Indicatore.objects.get(pk=indicatore.pk)


# The acts -----------------------------------------------------------------------------------


def test_the_head_records_the_actual_value_with_evidence_and_a_note(world, users_indicator):
    workflow.record_indicator_actual(
        indicatore=users_indicator, user=world.alice, value=Decimal("12.5"), evidence="Registro prestiti"
    )
    stored = _reload(users_indicator)
    assert (stored.actual_value, stored.actual_evidence, stored.review) == (Decimal("12.5"), "Registro prestiti", "")
    nota = Nota.objects.get(kind=NotaKind.INDICATORE_RILEVATO)
    assert nota.text == "Indicatore «Incremento degli utenti»: valore rilevato 12,5%. Evidenze: Registro prestiti"
    assert nota.author == world.alice
    assert stored.history.first().history_user == world.alice


@pytest.mark.parametrize("persona", ["bob", "carla", "nina", "sara"])
def test_no_one_but_the_head_records_the_actual_value(world, users_indicator, persona):
    with pytest.raises(workflow.NotAllowed):
        workflow.record_indicator_actual(indicatore=users_indicator, user=getattr(world, persona), value=Decimal(1))
    assert _reload(users_indicator).actual_value is None
    assert not Nota.objects.exists()


def test_the_head_cannot_record_once_the_objective_is_reported(world, users_indicator):
    world.obiettivo.status = ObiettivoStatus.RENDICONTATO
    world.obiettivo.save()
    with pytest.raises(workflow.NotAllowed):
        workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal(1))


def test_a_value_of_the_wrong_kind_is_refused_and_nothing_is_written(world, users_indicator):
    with pytest.raises(workflow.WorkflowError, match="non è del tipo dell'indicatore"):
        workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=True)
    assert not Nota.objects.exists()


def test_the_nucleo_confirms_the_heads_value(world, users_indicator):
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    workflow.confirm_indicator(indicatore=users_indicator, user=world.nina, seen="12%")
    stored = _reload(users_indicator)
    assert (stored.review, stored.reviewed_value) == (IndicatoreReview.CONFIRMED, Decimal("12"))
    assert Nota.objects.get(kind=NotaKind.INDICATORE_CONFERMATO).text == (
        "Indicatore «Incremento degli utenti»: valore 12% confermato."
    )


def test_a_confirmation_of_a_value_that_changed_meanwhile_is_refused(world, users_indicator):
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    with pytest.raises(workflow.WorkflowError, match=r"è cambiato dopo che hai aperto la pagina \(ora: 12%\)"):
        workflow.confirm_indicator(indicatore=users_indicator, user=world.nina, seen="8%")
    assert _reload(users_indicator).review == IndicatoreReview.PENDING


def test_nothing_to_confirm_before_the_head_records_a_value(world, users_indicator):
    with pytest.raises(workflow.WorkflowError, match="non ha ancora rilevato un valore"):
        workflow.confirm_indicator(indicatore=users_indicator, user=world.nina)


def test_the_nucleo_corrects_with_a_reason_and_the_correction_counts(world, users_indicator):
    world.obiettivo.score_mode = ScoreMode.CONDITION
    world.obiettivo.indicator_cap = Decimal("60")
    world.obiettivo.save()
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    workflow.correct_indicator(indicatore=users_indicator, user=world.nina, value=Decimal("8"), reason="Doppi conteggi")
    stored = _reload(users_indicator)
    assert (stored.review, stored.reviewed_value, stored.review_reason) == ("corrected", Decimal("8"), "Doppi conteggi")
    assert Nota.objects.get(kind=NotaKind.INDICATORE_RETTIFICATO).text == (
        "Indicatore «Incremento degli utenti»: valore rettificato da 12% a 8%. Doppi conteggi"
    )
    score = scores_for_peg(world.peg)[world.obiettivo.pk]
    assert score.indicator_rows[0].reason == "8% (rettificato dal Nucleo: Doppi conteggi): target 10% non raggiunto"


def test_a_correction_without_a_reason_is_refused(world, users_indicator):
    with pytest.raises(workflow.WorkflowError, match="la motivazione è obbligatoria"):
        workflow.correct_indicator(indicatore=users_indicator, user=world.nina, value=Decimal("8"), reason="  ")
    assert not Nota.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "sara"])
def test_only_the_nucleo_confirms_or_corrects(world, users_indicator, persona):
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    with pytest.raises(workflow.NotAllowed):
        workflow.confirm_indicator(indicatore=users_indicator, user=getattr(world, persona))
    with pytest.raises(workflow.NotAllowed):
        workflow.correct_indicator(indicatore=users_indicator, user=getattr(world, persona), value=1, reason="x")


def test_a_new_value_from_the_head_needs_a_new_confirmation(world, users_indicator):
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    workflow.confirm_indicator(indicatore=users_indicator, user=world.nina)
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("14"))
    stored = _reload(users_indicator)
    assert (stored.review, stored.reviewed_value) == (IndicatoreReview.PENDING, None)


def test_the_scores_of_a_peg_take_one_more_query_only_when_an_objective_scores_on_indicators(
    world, users_indicator, django_assert_num_queries
):
    with django_assert_num_queries(3):
        scores_for_peg(world.peg)
    world.obiettivo.score_mode = ScoreMode.WEIGHTED
    world.obiettivo.save()
    with django_assert_num_queries(4):
        scores_for_peg(world.peg)


# The pages, persona by persona -------------------------------------------------------------


def _pages(indicatore):
    return {
        "actual": reverse("objectives:indicator_actual", args=[indicatore.pk]),
        "confirm": reverse("objectives:indicator_confirm", args=[indicatore.pk]),
        "correct": reverse("objectives:indicator_correct", args=[indicatore.pk]),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"actual": 200, "confirm": 403, "correct": 403}),
        ("bob", {"actual": 404, "confirm": 404, "correct": 404}),
        ("carla", {"actual": 403, "confirm": 403, "correct": 403}),
        ("nina", {"actual": 403, "confirm": 200, "correct": 200}),
        ("sara", {"actual": 403, "confirm": 403, "correct": 403}),
    ],
)
def test_each_persona_gets_the_indicator_pages_the_rules_give(client, world, users_indicator, persona, expected):
    client.force_login(getattr(world, persona))
    got = {name: client.get(url).status_code for name, url in _pages(users_indicator).items()}
    assert got == expected


def test_a_stranger_is_sent_to_the_login(client, users_indicator):
    response = client.get(_pages(users_indicator)["actual"])
    assert response.status_code == 302 and "/accesso/" in response["Location"]


def test_the_head_types_85_comma_5_with_an_attachment_and_the_page_shows_it(client, world, users_indicator):
    client.force_login(world.alice)
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _pages(users_indicator)["actual"],
        {"value": "85,5", "evidence": "Report del II semestre", "attachments": upload},
    )
    assert response.status_code == 302
    assert _reload(users_indicator).actual_value == Decimal("85.5")
    allegato = AllegatoIndicatore.objects.get()
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "85,5%" in page and "Report del II semestre" in page and "report.pdf" in page
    assert client.get(reverse("objectives:indicator_attachment", args=[allegato.pk])).status_code == 200


def test_a_value_that_is_not_a_number_is_refused_on_the_page_in_italian(client, world, users_indicator):
    client.force_login(world.alice)
    response = client.post(_pages(users_indicator)["actual"], {"value": "molti"})
    assert response.status_code == 200
    assert "Inserire un numero, ad esempio 85,5." in response.content.decode()
    assert _reload(users_indicator).actual_value is None


def test_bob_cannot_download_an_indicators_attachment(client, world, users_indicator):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    upload.peg_content_type = "application/pdf"
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=1, new_files=[upload])
    client.force_login(world.bob)
    url = reverse("objectives:indicator_attachment", args=[AllegatoIndicatore.objects.get().pk])
    assert client.get(url).status_code == 404


def test_the_nucleo_corrects_on_the_page_and_the_objective_page_says_why(client, world, users_indicator):
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    client.force_login(world.nina)
    response = client.post(
        _pages(users_indicator)["correct"], {"value": "8", "reason": "Doppi conteggi", "seen": "12%"}
    )
    assert response.status_code == 302
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "Rettificato dal Nucleo: 8%" in page
    assert "Valore di un indicatore rettificato dal Nucleo" in page


def test_the_objective_page_shows_the_indicators_table_and_the_forms_the_user_may_use(client, world, users_indicator):
    detail = reverse("objectives:detail", args=[world.obiettivo.pk])
    client.force_login(world.alice)
    page = client.get(detail).content.decode()
    assert 'id="indicatori"' in page and "Incremento degli utenti" in page and "almeno 10%" in page
    assert _pages(users_indicator)["actual"] in page and _pages(users_indicator)["correct"] not in page
    client.force_login(world.nina)
    page = client.get(detail).content.decode()
    assert _pages(users_indicator)["actual"] not in page and _pages(users_indicator)["correct"] in page


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=20))
def test_any_value_typed_by_the_head_is_saved_or_refused_in_italian_and_a_refusal_changes_nothing(
    client, world, users_indicator, text
):
    client.force_login(world.alice)
    before = _reload(users_indicator).actual_value
    notes = Nota.objects.count()
    response = client.post(_pages(users_indicator)["actual"], {"value": text})
    if response.status_code == 302:
        assert _reload(users_indicator).actual_value == parse_value(IndicatoreKind.PERCENT, text)
        assert Nota.objects.count() == notes + 1
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert any(
            message in page
            for message in (
                "Indicare il valore.",
                "Questo campo è obbligatorio.",
                "Inserire un numero, ad esempio 85,5.",
                "Il valore può avere al massimo",
                "Assicurati che questo valore",
                "I caratteri null non sono ammessi.",
            )
        ), page[:2000]
        assert _reload(users_indicator).actual_value == before
        assert Nota.objects.count() == notes


def test_the_heads_form_shows_the_recorded_value_as_it_is_typed_without_the_unit(client, world):
    services = Indicatore.objects.create(
        obiettivo=world.obiettivo, name="Servizi monitorati", unit="servizi", target_value=Decimal("2")
    )
    workflow.record_indicator_actual(indicatore=services, user=world.alice, value=Decimal("2.5"))
    client.force_login(world.alice)
    page = client.get(_pages(services)["actual"]).content.decode()
    assert 'name="value" value="2,5"' in page and "2,5 servizi" in page
    assert client.post(_pages(services)["actual"], {"value": "2,5"}).status_code == 302


def test_the_objective_page_shows_a_score_capped_by_a_missed_condition_and_says_why(client, world, users_indicator):
    world.obiettivo.score_mode, world.obiettivo.indicator_cap = ScoreMode.CONDITION, Decimal("60")
    world.obiettivo.save()
    world.obiettivo.fasi.update(state="completata", completed_on="2021-06-01")
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("6"))
    client.force_login(world.nina)
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert '<p class="h2 mb-1" id="grado-calcolato">60,00%</p>' in page
    assert "Grado delle fasi 100,00%; un target non è raggiunto: grado limitato al 60%" in page
    assert "6% (rilevato dal responsabile, da confermare): target 10% non raggiunto" in page


def test_the_nucleo_validates_on_its_own_values_of_the_indicators_that_count(world, users_indicator):
    world.obiettivo.score_mode, world.obiettivo.indicator_cap = ScoreMode.CONDITION, Decimal("60")
    world.obiettivo.save()
    world.obiettivo.fasi.update(state="completata", completed_on="2021-06-01")
    workflow.record_indicator_actual(indicatore=users_indicator, user=world.alice, value=Decimal("12"))
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    with pytest.raises(workflow.WorkflowError, match="conferma o rettifica il valore .*«Incremento degli utenti»"):
        workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 3, 1))
    workflow.correct_indicator(indicatore=users_indicator, user=world.nina, value=Decimal("8"), reason="Doppi")
    validated = workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 3, 1))
    assert validated.validated_score == Decimal("60.00")
    assert Nota.objects.get(kind=NotaKind.VALIDAZIONE).computed_score == Decimal("60")


def test_an_objective_scored_on_phases_only_is_validated_without_reviewing_its_indicators(world, users_indicator):
    world.obiettivo.fasi.update(state="completata", completed_on="2021-06-01")
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    validated = workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=dt.date(2022, 3, 1))
    assert validated.validated_score == Decimal("100.00")


def test_the_nucleo_sees_on_the_objective_page_which_indicators_to_review_before_validating(
    client, world, users_indicator
):
    world.obiettivo.score_mode = ScoreMode.WEIGHTED
    world.obiettivo.status = ObiettivoStatus.RENDICONTATO
    world.obiettivo.save()
    client.force_login(world.nina)
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "Prima della validazione confermare o rettificare: «Incremento degli utenti»" in page
