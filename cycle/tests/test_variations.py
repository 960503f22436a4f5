# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Variations: the Giunta's resolution changes an approved objective, whole or not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cycle import services
from cycle.models import ModificaKind, ModificaVariazione, Variazione
from objectives import access, workflow
from objectives.append_only import AppendOnlyError
from objectives.calculator import WITHDRAWN_ERROR, Policy, score_objective
from objectives.models import Fase, FaseState, Obiettivo, PegNota, PegNotaKind

pytestmark = pytest.mark.django_db

RESOLUTION = {"number": "120", "date": dt.date(2021, 7, 10), "reason": "Ritardo del finanziamento regionale"}


def vary(world, changes: services.Changes, user=None, **resolution):
    return services.apply_variazione(
        obiettivo=world.obiettivo, user=user or world.sara, changes=changes, **{**RESOLUTION, **resolution}
    )


def plan(world) -> tuple:
    """Everything a variation may write, as stored."""
    obiettivo = Obiettivo.objects.get(pk=world.obiettivo.pk)
    phases = list(
        Fase.objects.filter(obiettivo=obiettivo).order_by("pk").values_list("label", "weight", "deadline_text")
    )
    return (
        obiettivo.final_deadline_text,
        obiettivo.final_deadline,
        obiettivo.withdrawn,
        phases,
        Variazione.objects.count(),
        ModificaVariazione.objects.count(),
        PegNota.objects.count(),
    )


def score(world):
    obiettivo = Obiettivo.objects.select_related("peg").get(pk=world.obiettivo.pk)
    return score_objective(obiettivo, list(obiettivo.fasi.all()), Policy.from_peg(obiettivo.peg))


def test_a_variation_moves_deadlines_and_weights_and_adds_a_phase_in_one_act(approved):
    world = approved
    variazione = vary(
        world,
        services.Changes(
            final_deadline_text="31/03/2022",
            phase_deadlines={world.fase1.pk: "30/09/2021"},
            phase_weights={world.fase1.pk: Decimal("50"), world.fase2.pk: Decimal("30")},
            new_phase=services.NewPhase("3", "Collaudo del sistema", Decimal("20"), "31/12/2021"),
        ),
    )

    obiettivo = Obiettivo.objects.get(pk=world.obiettivo.pk)
    assert (obiettivo.final_deadline_text, obiettivo.final_deadline) == ("31/03/2022", dt.date(2022, 3, 31))
    fase1, fase2, fase3 = Fase.objects.filter(obiettivo=obiettivo).order_by("sort_order")
    assert (fase1.weight, fase1.deadline_text, fase1.deadline_date) == (
        Decimal("50"),
        "30/09/2021",
        dt.date(2021, 9, 30),
    )
    assert (fase2.weight, fase3.label, fase3.weight, fase3.year) == (Decimal("30"), "3", Decimal("20"), 2021)
    assert [(m.kind, m.fase_label, m.old_value, m.new_value) for m in variazione.modifiche.all()] == [
        (ModificaKind.FINAL_DEADLINE, "", "31/12/2021", "31/03/2022"),
        (ModificaKind.PHASE_DEADLINE, "1", "30/06/2021", "30/09/2021"),
        (ModificaKind.PHASE_WEIGHT, "1", "60", "50"),
        (ModificaKind.PHASE_WEIGHT, "2", "40", "30"),
        (ModificaKind.NEW_PHASE, "3", "", "fase 3: Collaudo del sistema – incidenza 20% – scadenza 31/12/2021"),
    ]
    nota = PegNota.objects.filter(kind=PegNotaKind.VARIAZIONE).get()
    assert nota.text.startswith(
        "SETTORE DI ALICE, obiettivo A: variato con deliberazione della Giunta Comunale n. 120 del 10/07/2021."
    )
    assert "Incidenza della fase 1: 60% → 50%" in nota.text and nota.text.endswith(RESOLUTION["reason"])
    assert fase1.history.first().history_user == world.sara
    assert fase1.history.first().history_change_reason == "Variazione: deliberazione n. 120 del 10/07/2021"


def test_the_calculator_uses_the_plan_in_force(approved):
    world = approved
    Fase.objects.filter(pk=world.fase1.pk).update(state=FaseState.COMPLETATA, completed_on=dt.date(2021, 6, 1))
    assert score(world).score == Decimal("60")
    vary(world, services.Changes(phase_weights={world.fase1.pk: Decimal("80"), world.fase2.pk: Decimal("20")}))
    assert score(world).score == Decimal("80")


def test_a_withdrawn_objective_is_not_scored_and_not_varied_again(approved):
    world = approved
    vary(world, services.Changes(withdraw=True))
    assert Obiettivo.objects.get(pk=world.obiettivo.pk).withdrawn
    assert score(world).score is None and score(world).error == WITHDRAWN_ERROR
    with pytest.raises(services.CycleError, match="già ritirato"):
        vary(world, services.Changes(final_deadline_text="31/01/2022"))
    # Nobody records progress on it any more.
    obiettivo = Obiettivo.objects.select_related("peg", "settore__head").get(pk=world.obiettivo.pk)
    assert not access.can_edit_report(world.alice, obiettivo)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (lambda w: services.Changes(phase_weights={w.fase1.pk: Decimal("70")}), "devono sommare a 100%"),
        (lambda w: services.Changes(new_phase=services.NewPhase("3", "Nuova", Decimal("10"), "")), "sommare a 100%"),
        (lambda w: services.Changes(new_phase=services.NewPhase("2", "Doppia", Decimal("0"), "")), "esiste già"),
        (lambda w: services.Changes(phase_deadlines={w.fase1.pk: "30/06/2021"}), "non cambia nulla"),
        (lambda w: services.Changes(), "non cambia nulla"),
        (lambda w: services.Changes(phase_weights={w.other_fase.pk: Decimal("0")}), "non appartiene"),
        (lambda w: services.Changes(phase_deadlines={w.fase1.pk: "99999 giorni dalla fase 1"}), "massimo"),
        (lambda w: services.Changes(withdraw=True, final_deadline_text="31/01/2022"), "variazione a sé"),
    ],
)
def test_a_variation_that_cannot_apply_is_refused_in_italian_and_changes_nothing(approved, changes, message):
    before = plan(approved)
    with pytest.raises(services.CycleError, match=message):
        vary(approved, changes(approved))
    assert plan(approved) == before


@pytest.mark.parametrize(
    ("resolution", "message"),
    [
        ({"number": " "}, "Indicare il numero"),
        ({"date": None}, "Indicare la data"),
        ({"date": dt.date(2021, 3, 1)}, "non può precedere la deliberazione di approvazione"),
        ({"reason": "  "}, "Indicare la motivazione"),
    ],
)
def test_a_variation_needs_its_resolution_and_reason(approved, resolution, message):
    before = plan(approved)
    with pytest.raises(services.CycleError, match=message):
        vary(approved, services.Changes(final_deadline_text="31/01/2022"), **resolution)
    assert plan(approved) == before


def test_a_reported_or_validated_objective_is_not_varied(approved):
    world = approved
    Fase.objects.filter(pk=world.fase1.pk).update(state=FaseState.COMPLETATA, completed_on=dt.date(2021, 6, 1))
    workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Fatto")
    before = plan(world)
    with pytest.raises(services.CycleError, match="è rendicontato"):
        vary(world, services.Changes(final_deadline_text="31/01/2022"))
    assert plan(world) == before


def test_no_variation_on_a_provisional_peg_and_only_staff_record_one(world):
    with pytest.raises(services.CycleError, match="è provvisorio"):
        vary(world, services.Changes(final_deadline_text="31/01/2022"))


@pytest.mark.parametrize("who", ["nina", "alice"])
def test_only_staff_record_a_variation(approved, who):
    with pytest.raises(services.NotAllowed):
        vary(approved, services.Changes(final_deadline_text="31/01/2022"), user=getattr(approved, who))


def test_a_variation_on_a_plan_changed_since_the_form_was_opened_is_refused(approved):
    seen = services.plan_fingerprint(approved.obiettivo)
    vary(approved, services.Changes(final_deadline_text="31/01/2022"))
    with pytest.raises(services.CycleError, match="variato dopo che hai aperto il modulo"):
        services.apply_variazione(
            obiettivo=approved.obiettivo,
            user=approved.sara,
            changes=services.Changes(final_deadline_text="28/02/2022"),
            seen=seen,
            **RESOLUTION,
        )


def test_variations_are_append_only(approved):
    variazione = vary(approved, services.Changes(final_deadline_text="31/01/2022"))
    with pytest.raises(AppendOnlyError):
        variazione.save()
    with pytest.raises(AppendOnlyError):
        Variazione.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ModificaVariazione.objects.update(new_value="x")


def test_the_objective_as_approved_undoes_every_variation(approved):
    world = approved
    vary(world, services.Changes(phase_weights={world.fase1.pk: Decimal("50"), world.fase2.pk: Decimal("50")}))
    vary(
        world,
        services.Changes(
            phase_weights={world.fase1.pk: Decimal("40"), world.fase2.pk: Decimal("40")},
            phase_deadlines={world.fase2.pk: "31/10/2021"},
            new_phase=services.NewPhase("3", "Collaudo", Decimal("20"), "in corso d'anno"),
        ),
        number="150",
        date=dt.date(2021, 9, 1),
    )
    from reports.documents import objectives_for

    loaded = objectives_for(year=2021, obiettivo_ids=[world.obiettivo.pk]).get()
    approved_copy = services.objective_as_approved(loaded)
    assert [(f.label, f.weight, f.deadline_text) for f in approved_copy.fasi.all()] == [
        ("1", Decimal("60"), "30/06/2021"),
        ("2", Decimal("40"), "31/12/2021"),
    ]
    # Nothing stored changed, and the stored objective keeps the plan in force.
    assert list(
        Fase.objects.filter(obiettivo=world.obiettivo).order_by("sort_order").values_list("weight", flat=True)
    ) == [
        Decimal("40"),
        Decimal("40"),
        Decimal("20"),
    ]
