# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's states and the acts that move it: who does each act, with its reference, as a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cycle import services
from cycle.tests.conftest import APPROVAL
from objectives import access, workflow
from objectives.models import FaseState, Obiettivo, Peg, PegNota, PegNotaKind, PegStatus
from relazione import services as relazione_services
from relazione.models import Esito

pytestmark = pytest.mark.django_db

TEXTS = {"introduction": "Introduzione.", "context": "Contesto.", "critical_issues": "Criticità."}


def stored(peg) -> Peg:
    return Peg.objects.get(pk=peg.pk)


def close_by_relazione(world, on=dt.date(2022, 4, 15), outcome=Esito.VALIDATA):
    relazione_services.save_narrative(peg=world.peg, user=world.sara, **TEXTS)
    return relazione_services.validate(peg=world.peg, user=world.nina, date=on, outcome=outcome)


def test_staff_approve_a_provisional_peg_with_the_giunta_resolution_and_a_note(world):
    services.approve_peg(peg=world.peg, user=world.sara, note="Con il bilancio 2021-2023", **APPROVAL)

    peg = stored(world.peg)
    assert (peg.status, peg.approval_number, peg.approval_date) == (PegStatus.APPROVATO, "45", dt.date(2021, 3, 15))
    nota = PegNota.objects.get(peg=peg)
    assert nota.kind == PegNotaKind.APPROVAZIONE and nota.author == world.sara
    assert nota.text == (
        "PEG 2021 approvato con deliberazione della Giunta Comunale n. 45 del 15/03/2021. Con il bilancio 2021-2023"
    )
    assert peg.history.first().history_user == world.sara


@pytest.mark.parametrize("who", ["nina", "alice", "carla"])
def test_only_staff_or_an_administrator_record_the_approval(world, who):
    with pytest.raises(services.NotAllowed, match="Solo Programmazione e Controllo"):
        services.approve_peg(peg=world.peg, user=getattr(world, who), **APPROVAL)
    assert stored(world.peg).status == PegStatus.PROVVISORIO
    services.approve_peg(peg=world.peg, user=world.root, **APPROVAL)
    assert stored(world.peg).status == PegStatus.APPROVATO


@pytest.mark.parametrize(
    ("number", "date", "message"),
    [
        ("", dt.date(2021, 3, 15), "Indicare il numero della deliberazione"),
        ("45", None, "Indicare la data della deliberazione"),
        ("45", dt.date(2999, 1, 1), "non può essere futura"),
        ("45", dt.date(2019, 12, 31), "non può precedere il 01/01/2020"),
    ],
)
def test_an_approval_without_a_sensible_resolution_is_refused_and_changes_nothing(world, number, date, message):
    with pytest.raises(services.CycleError, match=message):
        services.approve_peg(peg=world.peg, user=world.sara, number=number, date=date)
    assert stored(world.peg).status == PegStatus.PROVVISORIO and not PegNota.objects.exists()


def test_a_peg_is_approved_once(approved):
    with pytest.raises(services.CycleError, match="non è provvisorio: è già approvato"):
        services.approve_peg(peg=approved.peg, user=approved.sara, **APPROVAL)


def test_the_year_end_review_opens_only_on_an_approved_peg_and_moves_it_to_in_verifica(world):
    with pytest.raises(workflow.WorkflowError, match="è provvisorio"):
        workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=dt.date(2022, 2, 28))
    assert stored(world.peg).evaluation_closing_date is None

    services.approve_peg(peg=world.peg, user=world.sara, **APPROVAL)
    with pytest.raises(workflow.NotAllowed):
        workflow.open_year_end_review(peg=world.peg, user=world.sara, closing_date=dt.date(2022, 2, 28))
    workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=dt.date(2022, 2, 28))

    peg = stored(world.peg)
    assert (peg.status, peg.evaluation_closing_date) == (PegStatus.IN_VERIFICA, dt.date(2022, 2, 28))
    # While in verifica the Nucleo may move the date.
    workflow.open_year_end_review(peg=world.peg, user=world.nina, closing_date=dt.date(2022, 3, 31))
    assert stored(world.peg).evaluation_closing_date == dt.date(2022, 3, 31)
    kinds = list(PegNota.objects.filter(peg=peg).values_list("kind", flat=True))
    assert kinds == [PegNotaKind.APPROVAZIONE, PegNotaKind.VERIFICA_FINE_ANNO, PegNotaKind.VERIFICA_FINE_ANNO]


def test_the_nucleo_validating_the_relazione_closes_the_peg(in_review):
    close_by_relazione(in_review)

    peg = stored(in_review.peg)
    assert (peg.status, peg.closed_on) == (PegStatus.CHIUSO, dt.date(2022, 4, 15))
    nota = PegNota.objects.filter(peg=peg).last()
    assert nota.kind == PegNotaKind.CHIUSURA and nota.author == in_review.nina
    assert nota.text.startswith("PEG 2021 chiuso il 15/04/2022: Relazione sulla performance validata")


def test_a_relazione_not_validated_leaves_the_peg_in_verifica(in_review):
    relazione_services.save_narrative(peg=in_review.peg, user=in_review.sara, **TEXTS)
    relazione_services.validate(
        peg=in_review.peg, user=in_review.nina, date=dt.date(2022, 4, 1), outcome=Esito.NON_VALIDATA, notes="Rivedere"
    )
    assert stored(in_review.peg).status == PegStatus.IN_VERIFICA


def test_the_relazione_is_not_validated_before_the_review_is_open(approved):
    relazione_services.save_narrative(peg=approved.peg, user=approved.sara, **TEXTS)
    with pytest.raises(relazione_services.RelazioneError, match="La verifica di fine anno del PEG 2021 non è aperta"):
        relazione_services.validate(
            peg=approved.peg, user=approved.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA
        )
    assert stored(approved.peg).status == PegStatus.APPROVATO


def test_close_peg_is_the_nucleos_and_only_from_in_verifica(approved):
    with pytest.raises(services.CycleError, match="non è aperta"):
        services.close_peg(peg=approved.peg, user=approved.nina, on=dt.date(2022, 4, 15))
    with pytest.raises(services.NotAllowed):
        services.close_peg(peg=approved.peg, user=approved.sara, on=dt.date(2022, 4, 15))


def test_a_closed_peg_is_read_only_for_every_act(in_review):
    world = in_review
    fase = world.fase1
    close_by_relazione(world)
    obiettivo = Obiettivo.objects.select_related("peg", "settore__head").get(pk=world.obiettivo.pk)

    for user in (world.alice, world.nina, world.sara, world.root):
        assert not any(access.permissions_for(user, obiettivo)[name] for name in ("edit_report", "review", "validate"))
    assert not access.plan_is_editable(obiettivo) and not access.may_vary(obiettivo)
    assert not access.peg_policy_is_editable(obiettivo.peg)
    fase.refresh_from_db()
    with pytest.raises(workflow.NotAllowed):
        workflow.update_phase(
            fase=fase,
            user=world.alice,
            version=fase.version,
            state=FaseState.COMPLETATA,
            completed_on=dt.date(2021, 6, 1),
            evidence="x",
        )
    with pytest.raises(workflow.NotAllowed):
        workflow.neutralise_phase(fase=fase, user=world.nina, version=fase.version, neutralised=True, reason="x")
    with pytest.raises(workflow.NotAllowed):
        workflow.change_policy(peg=obiettivo.peg, user=world.root, values={"late_fraction": Decimal("10")})
    with pytest.raises(workflow.WorkflowError, match="è chiuso"):
        workflow.open_year_end_review(peg=obiettivo.peg, user=world.nina, closing_date=dt.date(2022, 5, 31))
    with pytest.raises(workflow.NotAllowed, match="è chiuso"):
        workflow.save_plan(instance=fase, user=world.root)
    with pytest.raises(services.CycleError, match="è chiuso"):
        services.apply_variazione(
            obiettivo=obiettivo,
            user=world.sara,
            number="1",
            date=dt.date(2022, 5, 1),
            reason="x",
            changes=services.Changes(final_deadline_text="31/01/2022"),
        )


def test_an_approved_plan_changes_by_no_other_door_than_a_variation(approved):
    obiettivo = Obiettivo.objects.select_related("peg").get(pk=approved.obiettivo.pk)
    assert not access.plan_is_editable(obiettivo) and access.may_vary(obiettivo)
    assert not access.plan_is_editable_now(obiettivo.pk)
    approved.fase1.weight = Decimal("50")
    with pytest.raises(workflow.NotAllowed, match="cambia solo con una variazione"):
        workflow.save_plan(instance=approved.fase1, user=approved.root)
    with pytest.raises(workflow.NotAllowed):
        workflow.delete_plan(instance=approved.fase2, user=approved.root)
    # The heads still record progress on an approved PEG.
    assert access.can_edit_report(approved.alice, obiettivo)


def test_importing_the_plan_again_does_not_change_the_state_of_an_approved_peg(approved):
    import json

    from objectives.services import export_plan, import_plan_text

    exported = export_plan(2021)
    exported["status"] = PegStatus.PROVVISORIO
    import_plan_text(json.dumps(exported))

    peg = stored(approved.peg)
    assert (peg.status, peg.approval_number) == (PegStatus.APPROVATO, "45")


def test_publication_waits_for_the_approval(world):
    from transparency import services as transparency

    with pytest.raises(transparency.PublicationError, match="è provvisorio: si pubblica .* dopo l'approvazione"):
        transparency.publish(peg=world.peg, user=world.sara)
    services.approve_peg(peg=world.peg, user=world.sara, **APPROVAL)
    assert transparency.publish(peg=world.peg, user=world.sara).peg_status == "Approvato"
