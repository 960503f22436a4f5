# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""objectives.workflow: the procedure from the head's report to the Nucleo's validation."""

import datetime as dt
from decimal import Decimal

import pytest

from objectives import workflow
from objectives.models import Fase, FaseState, Nota, NotaKind, Obiettivo, ObiettivoStatus

D = dt.date


JUNE_1 = D(2021, 6, 1)


def complete(world, fase, on=JUNE_1, user=None):
    fase.refresh_from_db()
    return workflow.update_phase(
        fase=fase,
        user=user or world.alice,
        version=fase.version,
        state=FaseState.COMPLETATA,
        completed_on=on,
        evidence="Delibera G.C. n. 104 del 26/04/2021",
    )


def report(world):
    return workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="Relazione finale")


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- Phase update -----------------------------------------------------------------------------


def test_the_head_records_a_completed_phase(world):
    complete(world, world.fase1)
    fase = reload(world.fase1)
    assert fase.state == FaseState.COMPLETATA
    assert fase.completed_on == D(2021, 6, 1)
    assert fase.evidence == "Delibera G.C. n. 104 del 26/04/2021"
    assert fase.version == 2


def test_a_completed_phase_needs_its_date(world):
    with pytest.raises(workflow.WorkflowError, match="data di completamento"):
        workflow.update_phase(
            fase=world.fase1, user=world.alice, version=1, state=FaseState.COMPLETATA, completed_on=None, evidence=""
        )
    assert reload(world.fase1).state == FaseState.DA_AVVIARE


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_overwritten(world):
    first = Fase.objects.get(pk=world.fase1.pk)
    second = Fase.objects.get(pk=world.fase1.pk)
    workflow.update_phase(
        fase=first, user=world.alice, version=1, state=FaseState.IN_CORSO, completed_on=None, evidence="prima"
    )
    with pytest.raises(workflow.StalePhase, match="modificata da Alice Bianchi alle"):
        workflow.update_phase(
            fase=second,
            user=world.root,
            version=1,
            state=FaseState.NON_REALIZZATA,
            completed_on=None,
            evidence="seconda",
        )
    fase = reload(world.fase1)
    assert (fase.state, fase.evidence, fase.version) == (FaseState.IN_CORSO, "prima", 2)


def test_nobody_but_the_head_or_the_admin_updates_a_phase(world):
    for user in (world.bob, world.carla, world.nina, world.sara):
        with pytest.raises(workflow.NotAllowed):
            complete(world, world.fase1, user=user)
    assert reload(world.fase1).state == FaseState.DA_AVVIARE


def test_a_phase_update_is_kept_in_the_history_with_its_author(world):
    complete(world, world.fase1)
    record = world.fase1.history.latest()
    assert record.history_user == world.alice
    assert record.state == FaseState.COMPLETATA


# --- Report, return, validation -----------------------------------------------------------------


def test_the_head_reports_with_a_comment(world):
    report(world)
    assert reload(world.obiettivo).status == ObiettivoStatus.RENDICONTATO
    nota = Nota.objects.get(obiettivo=world.obiettivo)
    assert (nota.kind, nota.text, nota.author) == (NotaKind.RENDICONTAZIONE, "Relazione finale", world.alice)


def test_a_report_without_a_comment_is_refused(world):
    with pytest.raises(workflow.WorkflowError):
        workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="  ")
    assert reload(world.obiettivo).status == ObiettivoStatus.IN_CORSO


def test_a_reported_objective_is_no_longer_editable_by_the_head(world):
    report(world)
    with pytest.raises(workflow.NotAllowed):
        complete(world, world.fase1)


def test_the_nucleo_returns_a_report_with_notes_and_the_head_can_edit_again(world):
    report(world)
    workflow.return_to_head(obiettivo=world.obiettivo, user=world.nina, notes="Manca la delibera della fase 2")
    assert reload(world.obiettivo).status == ObiettivoStatus.RINVIATO
    assert Nota.objects.filter(kind=NotaKind.RINVIO, author=world.nina).exists()
    complete(world, world.fase2, on=D(2021, 12, 1))
    report(world)
    assert reload(world.obiettivo).status == ObiettivoStatus.RENDICONTATO


def test_a_return_without_notes_is_refused(world):
    report(world)
    with pytest.raises(workflow.WorkflowError):
        workflow.return_to_head(obiettivo=world.obiettivo, user=world.nina, notes="")
    assert reload(world.obiettivo).status == ObiettivoStatus.RENDICONTATO


def test_the_head_cannot_validate_nor_return_their_own_objective(world):
    report(world)
    with pytest.raises(workflow.NotAllowed):
        workflow.validate(obiettivo=world.obiettivo, user=world.alice, on=D(2022, 3, 1))
    with pytest.raises(workflow.NotAllowed):
        workflow.return_to_head(obiettivo=world.obiettivo, user=world.alice, notes="x")


def test_an_objective_in_progress_cannot_be_validated(world):
    with pytest.raises(workflow.NotAllowed):
        workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 1))


def test_the_nucleo_validates_with_the_computed_score(world):
    complete(world, world.fase1)
    report(world)
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 15))
    obiettivo = reload(world.obiettivo)
    assert obiettivo.status == ObiettivoStatus.VALIDATO
    assert obiettivo.validated_score == Decimal("60")
    assert obiettivo.validated_on == D(2022, 3, 15)
    nota = Nota.objects.get(kind=NotaKind.VALIDAZIONE)
    assert (nota.score, nota.computed_score, nota.author) == (Decimal("60"), Decimal("60"), world.nina)


def test_a_score_other_than_the_computed_one_needs_a_reason(world):
    complete(world, world.fase1)
    report(world)
    with pytest.raises(workflow.WorkflowError, match="motivazione"):
        workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 15), score=Decimal("80"))
    assert reload(world.obiettivo).status == ObiettivoStatus.RENDICONTATO
    workflow.validate(
        obiettivo=world.obiettivo,
        user=world.nina,
        on=D(2022, 3, 15),
        score=Decimal("80"),
        reason="Fase 2 realizzata per 1/2 per cause esterne documentate",
    )
    assert reload(world.obiettivo).validated_score == Decimal("80")


def test_a_validated_objective_is_locked_for_everyone(world):
    complete(world, world.fase1)
    report(world)
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 15))
    for user in (world.alice, world.root):
        with pytest.raises(workflow.NotAllowed):
            complete(world, world.fase2, user=user)
    with pytest.raises(workflow.NotAllowed):
        workflow.neutralise_phase(fase=world.fase2, user=world.nina, version=1, neutralised=True, reason="x")
    with pytest.raises(workflow.NotAllowed):
        workflow.submit_report(obiettivo=world.obiettivo, user=world.alice, comment="ancora")
    assert reload(world.fase2).state == FaseState.DA_AVVIARE


def test_only_the_admin_reopens_with_a_reason_and_the_validation_stays_in_the_history(world):
    complete(world, world.fase1)
    report(world)
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 15))
    with pytest.raises(workflow.NotAllowed):
        workflow.reopen(obiettivo=world.obiettivo, user=world.nina, reason="errore")
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen(obiettivo=world.obiettivo, user=world.root, reason="")
    workflow.reopen(obiettivo=world.obiettivo, user=world.root, reason="Errore materiale nella data di validazione")
    obiettivo = reload(world.obiettivo)
    assert (obiettivo.status, obiettivo.validated_score, obiettivo.validated_on) == (
        ObiettivoStatus.RENDICONTATO,
        None,
        None,
    )
    validated_rows = obiettivo.history.filter(status=ObiettivoStatus.VALIDATO)
    assert validated_rows.get().validated_score == Decimal("60")
    assert Nota.objects.filter(kind=NotaKind.RIAPERTURA, author=world.root).exists()


# --- Neutralisation and partial achievement --------------------------------------------------------


def test_the_nucleo_neutralises_a_phase_with_a_reason_and_the_weights_are_re_proportioned(world):
    complete(world, world.fase1)
    assert workflow.computed_score(reload(world.obiettivo)) == Decimal("60")
    world.fase2.refresh_from_db()
    workflow.neutralise_phase(
        fase=world.fase2, user=world.nina, version=world.fase2.version, neutralised=True, reason="Parere Soprintendenza"
    )
    fase = reload(world.fase2)
    assert fase.neutralised and fase.neutralisation_reason == "Parere Soprintendenza"
    assert workflow.computed_score(reload(world.obiettivo)) == Decimal("100")
    nota = Nota.objects.get(kind=NotaKind.STERILIZZAZIONE)
    assert (nota.fase, nota.author) == (fase, world.nina)


def test_neutralising_without_a_reason_is_refused(world):
    with pytest.raises(workflow.WorkflowError):
        workflow.neutralise_phase(fase=world.fase2, user=world.nina, version=1, neutralised=True, reason=" ")
    assert not reload(world.fase2).neutralised


def test_the_head_cannot_neutralise_their_own_phase(world):
    with pytest.raises(workflow.NotAllowed):
        workflow.neutralise_phase(fase=world.fase2, user=world.alice, version=1, neutralised=True, reason="comodo")
    assert not reload(world.fase2).neutralised


def test_the_nucleo_records_a_partial_achievement(world):
    workflow.record_partial(
        fase=world.fase2, user=world.nina, version=1, percent=Decimal("50"), reason="Realizzata a metà"
    )
    assert workflow.computed_score(reload(world.obiettivo)) == Decimal("20")
    workflow.record_partial(fase=world.fase2, user=world.nina, version=2, percent=None, reason="Annullato")
    fase = reload(world.fase2)
    assert fase.partial_achievement is None and fase.partial_reason == ""


def test_a_stale_neutralisation_is_refused(world):
    complete(world, world.fase2, on=D(2021, 12, 1))
    with pytest.raises(workflow.StalePhase):
        workflow.neutralise_phase(fase=world.fase2, user=world.nina, version=1, neutralised=True, reason="x")
    assert not reload(world.fase2).neutralised


def test_validation_is_recorded_in_the_objective_history_with_the_nucleo_as_author(world):
    complete(world, world.fase1)
    report(world)
    workflow.validate(obiettivo=world.obiettivo, user=world.nina, on=D(2022, 3, 15))
    latest = Obiettivo.history.filter(id=world.obiettivo.pk).latest()
    assert latest.history_user == world.nina
    assert latest.status == ObiettivoStatus.VALIDATO
