# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's evaluation acts (policy change, year-end review) and the completion dates every door checks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.forms import ItalianDecimalField, PartialForm, ValidateForm
from objectives.models import Fase, FaseState, LatePolicy, Peg, PegNota, PegNotaKind, PegStatus

D = dt.date
TODAY = D(2022, 3, 10)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(workflow.timezone, "localdate", lambda: TODAY)


@pytest.fixture
def approved(world):
    """The year-end review opens on an approved PEG (cycle): approved here without its note."""
    Peg.objects.filter(pk=world.peg.pk).update(status=PegStatus.APPROVATO)
    world.peg.refresh_from_db()
    return world


def record(world, day, fase=None):
    fase = fase or world.fase1
    fase.refresh_from_db()
    return workflow.update_phase(
        fase=fase,
        user=world.alice,
        version=fase.version,
        state=FaseState.COMPLETATA,
        completed_on=day,
        evidence="Delibera",
    )


# Completion dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2099, 1, 1), "La data di completamento non può essere futura (oggi è il 10/03/2022)."),
        (D(1990, 1, 1), "La data di completamento non può precedere il 01/01/2021: il PEG è dell'anno 2021."),
        (D(2020, 12, 31), "La data di completamento non può precedere il 01/01/2021: il PEG è dell'anno 2021."),
    ],
)
def test_a_completion_date_in_the_future_or_before_the_peg_year_is_refused_and_nothing_changes(world, day, message):
    with pytest.raises(workflow.InvalidValue, match="^" + message.replace("(", r"\(").replace(")", r"\)")) as refusal:
        record(world, day)

    assert refusal.value.field == "completed_on"
    world.fase1.refresh_from_db()
    assert (world.fase1.state, world.fase1.completed_on, world.fase1.version) == (FaseState.DA_AVVIARE, None, 1)


def test_a_phase_printed_conclusa_may_be_dated_in_the_year_before_the_peg(world):
    """The 0% phases 'Conclusa' of LLPP A and SISTEMI INFORMATIVI were finished in 2020."""
    Fase.objects.filter(pk=world.fase1.pk).update(deadline_text="Conclusa", deadline_kind="conclusa")

    record(world, D(2020, 11, 30))

    assert Fase.objects.get(pk=world.fase1.pk).completed_on == D(2020, 11, 30)
    with pytest.raises(workflow.InvalidValue, match="non può precedere il 01/01/2020"):
        record(world, D(2019, 12, 31))


def test_a_completion_date_after_the_evaluation_closing_date_is_refused(world, approved):
    workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=D(2022, 2, 28))

    with pytest.raises(workflow.InvalidValue, match="La valutazione di fine anno è chiusa al 28/02/2022"):
        record(world, D(2022, 3, 1))
    record(world, D(2022, 2, 28))


def test_an_unchanged_completion_date_is_not_checked_again(world, approved):
    record(world, D(2022, 3, 1))
    workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=D(2022, 2, 28))

    fase = record(world, D(2022, 3, 1))  # evidence edited, the date as stored

    assert fase.completed_on == D(2022, 3, 1)


def test_the_phase_form_shows_a_refused_date_under_the_date_field(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])

    response = client.post(url, {"state": FaseState.COMPLETATA, "completed_on": "01/01/2099", "version": 1})

    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == [
        "La data di completamento non può essere futura (oggi è il 10/03/2022)."
    ]


# The year-end review ---------------------------------------------------------------------------


def test_the_nucleo_opens_the_year_end_review_with_a_closing_date_and_a_note(world, approved):
    peg = workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=D(2022, 2, 28))

    assert Peg.objects.get(pk=peg.pk).evaluation_closing_date == D(2022, 2, 28)
    nota = PegNota.objects.get(peg=peg)
    assert nota.kind == PegNotaKind.VERIFICA_FINE_ANNO and nota.author == world.nina
    assert "entro il 28/02/2022" in nota.text
    assert peg.history.first().history_change_reason == "Verifica di fine anno: chiusura al 28/02/2022"


def test_only_the_nucleo_or_an_administrator_opens_the_year_end_review(world):
    for user in (world.alice, world.sara):
        with pytest.raises(workflow.NotAllowed):
            workflow.open_year_end_review(peg=world.peg, user=user, closing_date=D(2022, 2, 28))
    assert not PegNota.objects.exists()


def test_a_closing_date_before_the_end_of_the_peg_year_is_refused(world, approved):
    with pytest.raises(workflow.InvalidValue, match="non può precedere il 31/12/2021"):
        workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=D(2021, 12, 30))


def test_the_nucleo_opens_the_review_from_the_dashboard(client, world, approved):
    client.force_login(world.nina)
    assert reverse("objectives:year_end_review", args=[2021]) in client.get("/").content.decode()

    response = client.post(reverse("objectives:year_end_review", args=[2021]), {"closing_date": "28/02/2022"})

    assert response.status_code == 302
    page = client.get("/?anno=2021").content.decode()
    assert "contano i completamenti registrati entro il 28/02/2022" in page


@pytest.mark.parametrize("persona", ["alice", "sara"])
def test_the_review_page_refuses_whoever_is_not_the_nucleo(client, world, persona):
    client.force_login(getattr(world, persona))

    response = client.post(reverse("objectives:year_end_review", args=[2021]), {"closing_date": "28/02/2022"})

    assert response.status_code in (403, 404)
    assert Peg.objects.get(pk=world.peg.pk).evaluation_closing_date is None


# The evaluation policy -------------------------------------------------------------------------


def test_a_policy_change_before_monitoring_needs_no_reason_and_is_in_the_history(world):
    workflow.change_policy(peg=world.peg, user=world.root, values={"late_policy": LatePolicy.GRADED})

    peg = Peg.objects.get(pk=world.peg.pk)
    assert peg.late_policy == LatePolicy.GRADED
    assert peg.history.first().history_user == world.root
    assert not PegNota.objects.exists()


def test_a_policy_change_after_monitoring_began_needs_a_reason_and_writes_a_note(world):
    record(world, D(2021, 6, 1))

    with pytest.raises(workflow.InvalidValue, match="richiede la motivazione"):
        workflow.change_policy(peg=world.peg, user=world.root, values={"late_policy": LatePolicy.GRADED})
    assert Peg.objects.get(pk=world.peg.pk).late_policy == world.peg.late_policy

    workflow.change_policy(
        peg=world.peg,
        user=world.root,
        values={"late_policy": LatePolicy.GRADED, "late_step_fraction": Decimal("25")},
        reason="SMVP 2021, art. 5",
    )

    nota = PegNota.objects.get(peg=world.peg)
    assert nota.kind == PegNotaKind.POLITICA
    assert nota.text.startswith("SMVP 2021, art. 5 (fasi completate in ritardo: Nessun punteggio → Una quota")
    assert "peso perso per scaglione (%): 10 → 25" in nota.text
    assert Peg.objects.get(pk=world.peg.pk).history.first().history_change_reason.startswith("Politica di valutazione")


def test_the_policy_of_a_peg_with_a_reported_objective_does_not_change(world):
    record(world, D(2021, 6, 1))
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")

    with pytest.raises(workflow.NotAllowed):
        workflow.change_policy(peg=world.peg, user=world.root, values={"late_policy": "graded"}, reason="x")


def test_the_admin_asks_the_reason_of_a_policy_change_once_monitoring_began(client, world):
    record(world, D(2021, 6, 1))
    client.force_login(world.root)
    url = reverse("admin:objectives_peg_change", args=[world.peg.pk])
    page = client.get(url)
    assert 'type="text" name="late_fraction" value="50,00" inputmode="decimal"' in page.content.decode()
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if key in page.context["adminform"].form.fields and value is not None
    }
    data.update({"late_policy": "graded", "bands-TOTAL_FORMS": 0, "bands-INITIAL_FORMS": 0})
    data.update({"note-TOTAL_FORMS": 0, "note-INITIAL_FORMS": 0})

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "richiede la motivazione" in refused.content.decode()

    accepted = client.post(url, {**data, "policy_reason": "Nuovo SMVP"})
    assert accepted.status_code == 302
    assert Peg.objects.get(pk=world.peg.pk).late_policy == "graded"
    assert PegNota.objects.get(peg=world.peg).text.startswith("Nuovo SMVP")


# Decimals the Italian way -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["85,5", "85.5", " 85,50 "])
def test_the_nucleo_types_a_partial_achievement_with_a_comma_or_a_point(typed):
    form = PartialForm({"percent": typed, "reason": "Parere tardivo", "version": 1})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["percent"] == Decimal("85.5")


def test_decimal_fields_are_text_boxes_with_the_decimal_keypad_showing_the_comma():
    html = str(PartialForm(initial={"percent": Decimal("85.5")})["percent"])

    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="85,50"' in html
    assert 'value="85,1234"' in str(ValidateForm(initial={"score": Decimal("85.1234")})["score"])


@pytest.mark.parametrize("typed", ["1.234,5", "85,5,1", "1e2", "abc", "٣"])
def test_an_ambiguous_or_foreign_number_is_refused_in_italian(typed):
    form = PartialForm({"percent": typed, "reason": "x", "version": 1})

    assert form.errors["percent"] == ["Inserire un numero, ad esempio 85,5."]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(st.text(max_size=20))
def test_any_typed_text_is_a_number_or_an_italian_message_never_an_exception(typed):
    field = ItalianDecimalField(required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2)
    form_class = type("F", (PartialForm,), {"percent": field})
    form = form_class({"percent": typed, "reason": "x", "version": 1})

    if form.is_valid():
        value = form.cleaned_data["percent"]
        assert value is None or Decimal(0) <= value <= Decimal(100)
    else:
        assert all(message and message[0].isupper() for message in form.errors["percent"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=60)
@given(day=st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)))
def test_any_completion_date_is_recorded_or_refused_in_italian_with_nothing_changed(world, day):
    before = Fase.objects.filter(pk=world.fase1.pk).values("state", "completed_on", "version").get()
    try:
        record(world, day)
    except workflow.InvalidValue as refusal:
        assert str(refusal).startswith("La ") and refusal.field == "completed_on"
        assert Fase.objects.filter(pk=world.fase1.pk).values("state", "completed_on", "version").get() == before
    else:
        assert D(2021, 1, 1) <= day <= TODAY


def test_the_nucleo_validates_typing_85_comma_5_and_the_page_prints_85_50(client, world):
    record(world, D(2021, 6, 1))
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione")
    client.force_login(world.nina)
    url = reverse("objectives:validate", args=[world.obiettivo.pk])

    response = client.post(url, {"on": "15/03/2022", "score": "85,5", "reason": "Fase 2 quasi conclusa"})

    assert response.status_code == 302
    world.obiettivo.refresh_from_db()
    assert world.obiettivo.validated_score == Decimal("85.5")
    assert "85,50%" in client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
