# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Nuovo PEG da anno precedente (cycle.rollover) on the 2021 PEG of Alessandria: the 2022 PEG it makes,
what it carries (multi-year phases of 2022, recurring objectives, policy and bands), what it never
carries (monitoring, evaluation), the 2021 PEG left as it was, the refusals and the command."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models

from activities.models import ReminderSettings
from cycle import rollover
from evaluation.models import Comportamento, EvaluationSettings
from objectives import facts
from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF
from objectives.models import (
    Allegato,
    Andamento,
    Annualita,
    Fase,
    FaseState,
    Indicatore,
    Nota,
    NotaKind,
    Obiettivo,
    ObiettivoStatus,
    Peg,
    PegNota,
    PegNotaKind,
    PegStatus,
    ScoreBand,
)
from objectives.tests.conftest import user_in
from reports.documents import phase_rows
from sectors.models import Dirigente, Responsabile, Settore

pytestmark = pytest.mark.django_db

SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
LLPP = "SETTORE LLPP, INFRASTRUTTURE E SMART CITY"
SVILUPPO = (
    "SETTORE SVILUPPO ECONOMICO, MARKETING TERRITORIALE, SANITA', AMBIENTE, MOBILITA', PROTEZIONE CIVILE, "
    "COMMERCIO E TURISMO"
)
MULTI_YEAR = {(SISTEMI, "A"), (SISTEMI, "B"), (LLPP, "A"), (SVILUPPO, "C")}


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def approved(peg_2021):
    """The 2021 PEG approved by the Giunta (status set directly: the acts are cycle/services.py's)."""
    Peg.objects.filter(pk=peg_2021.pk).update(
        status=PegStatus.APPROVATO, approval_number="45", approval_date=dt.date(2021, 4, 28)
    )
    peg_2021.refresh_from_db()
    return peg_2021


@pytest.fixture
def sara(db):
    return user_in("sara", GROUP_STAFF, is_staff=True)


def objective(year: int, unit: str, code: str) -> Obiettivo:
    return Obiettivo.objects.get(peg__year=year, settore__name=unit, code=code)


def phases_of(obiettivo: Obiettivo, year: int | None = None) -> list[tuple]:
    qs = obiettivo.fasi.order_by("sort_order")
    if year is not None:
        qs = qs.filter(year=year)
    return [(f.label, f.weight, f.deadline_text, f.year) for f in qs]


# --- The hash of a year's rows: what "2021 stays as it was" means --------------------------------


def _rows(queryset) -> list:
    return [
        {k: str(v) for k, v in row.items()}
        for row in queryset.order_by("pk").values(*[f.attname for f in queryset.model._meta.concrete_fields])
    ]


def year_hash(year: int) -> str:
    peg = Peg.objects.get(year=year)
    data = {
        "peg": _rows(Peg.objects.filter(pk=peg.pk)),
        "bands": _rows(ScoreBand.objects.filter(peg=peg)),
        "objectives": _rows(Obiettivo.objects.filter(peg=peg)),
        "phases": _rows(Fase.objects.filter(obiettivo__peg=peg)),
        "codes": sorted(
            Fase.responsabili.through.objects.filter(fase__obiettivo__peg=peg).values_list("pk", flat=True)
        ),
        "tranches": _rows(Annualita.objects.filter(obiettivo__peg=peg)),
        "indicators": _rows(Indicatore.objects.filter(obiettivo__peg=peg)),
        "notes": _rows(Nota.objects.filter(obiettivo__peg=peg)),
        "attachments": _rows(Allegato.objects.filter(fase__obiettivo__peg=peg)),
        "andamento": _rows(Andamento.objects.filter(obiettivo__peg=peg)),
        "peg_notes": _rows(PegNota.objects.filter(peg=peg).exclude(kind=PegNotaKind.NUOVO_ANNO)),
        "settings": _rows(EvaluationSettings.objects.filter(peg=peg)),
        "behaviours": _rows(Comportamento.objects.filter(peg=peg)),
        "units": _rows(Settore.objects.all()),
        "heads": _rows(Dirigente.objects.all()),
        "catalogue": _rows(Responsabile.objects.all()),
        "history": [
            Obiettivo.history.filter(peg_id=peg.pk).count(),
            Fase.history.filter(obiettivo__peg_id=peg.pk).count(),
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@pytest.fixture
def monitored(approved, settings, tmp_path):
    """2021 with a year of monitoring and evaluation on the multi-year objectives, bands and SMVP settings."""
    settings.MEDIA_ROOT = tmp_path
    ScoreBand.objects.create(peg=approved, min_score=Decimal("95"), pay_share=Decimal("100"), label="piena")
    ScoreBand.objects.create(peg=approved, min_score=Decimal("60"), pay_share=Decimal("50"), label="parziale")
    EvaluationSettings.objects.create(peg=approved, objectives_share=Decimal("60"), behaviours_share=Decimal("40"))
    Comportamento.objects.create(peg=approved, name="Leadership", weight=Decimal("100"), print_order=1)
    ReminderSettings.objects.create(peg=approved, days_before=12)
    llpp = objective(2021, LLPP, "A")
    done = llpp.fasi.get(label="1")
    Fase.objects.filter(obiettivo__peg=approved, year=2021).update(
        state=FaseState.COMPLETATA,
        completed_on=dt.date(2021, 7, 20),
        evidence="Delibera G.C. n. 200 del 20/07/2021",
        progress_percent=100,
        progress_note="fatto",
    )
    Fase.objects.filter(obiettivo__peg=approved, year=2022).update(
        state=FaseState.IN_CORSO, progress_percent=30, progress_note="avviata in anticipo"
    )
    Fase.objects.filter(pk=llpp.fasi.get(label="2").pk).update(neutralised=True, neutralisation_reason="Causa esterna")
    Allegato.objects.create(
        fase=done,
        file=ContentFile(b"%PDF-1.4", name="delibera.pdf"),
        original_name="delibera.pdf",
        content_type="application/pdf",
        size=8,
    )
    Nota.objects.create(obiettivo=llpp, fase=done, kind=NotaKind.RENDICONTAZIONE, text="Rendicontato")
    Obiettivo.objects.filter(peg=approved, settore__name__in=[LLPP, SISTEMI]).update(
        status=ObiettivoStatus.VALIDATO, validated_on=dt.date(2022, 3, 15), validated_score=Decimal("100")
    )
    Indicatore.objects.filter(obiettivo__peg=approved).update(actual_value=Decimal("1"), actual_evidence="rilevato")
    facts.refresh_peg(approved)
    return approved


# --- What 2022 holds -------------------------------------------------------------------------------


def test_the_preview_lists_the_multi_year_objectives_with_their_2022_phases(approved):
    plan = rollover.preview(2021)

    assert plan.year == 2022 and plan.refusals == []
    assert {(p.settore.name, p.code) for p in plan.multi_year} == MULTI_YEAR
    assert plan.recurring == []
    assert len(plan.units) == 14 and len(plan.responsabili) == 19
    by_key = {(p.settore.name, p.code): p for p in plan.objectives}
    counted = {key: [(ph.label, ph.weight) for ph in p.phases if ph.counts_in_new_year] for key, p in by_key.items()}
    assert counted[(LLPP, "A")] == [("4", Decimal("85")), ("5", Decimal("15"))]
    assert counted[(SVILUPPO, "C")] == [("5", Decimal("20")), ("6", Decimal("30"))]
    # SISTEMI INFORMATIVI A and B print their phase 3 of 2022 at 0%: nothing evaluable, and the preview says so.
    assert counted[(SISTEMI, "A")] == [] and counted[(SISTEMI, "B")] == []
    assert "(3) hanno incidenza 0%" in " ".join(by_key[(SISTEMI, "A")].warnings)
    assert "riproporziona" in " ".join(by_key[(SVILUPPO, "C")].notes)
    assert by_key[(LLPP, "A")].warnings == []
    # The preview wrote nothing.
    assert not Peg.objects.filter(year=2022).exists()


def test_2022_carries_the_multi_year_objectives_linked_to_2021(monitored, sara):
    new = rollover.create(year=2021, user=sara)

    assert new.year == 2022 and new.status == PegStatus.PROVVISORIO
    assert new.approval_number == "" and new.approval_date is None and new.evaluation_closing_date is None
    assert {(o.settore.name, o.code) for o in new.obiettivi.select_related("settore")} == MULTI_YEAR

    llpp = objective(2022, LLPP, "A")
    assert llpp.previous == objective(2021, LLPP, "A")
    assert list(objective(2021, LLPP, "A").following.all()) == [llpp]
    assert phases_of(llpp, 2022) == [
        ("4", Decimal("85.00"), "30/04/2022", 2022),
        ("5", Decimal("15.00"), "31/12/2022", 2022),
    ]
    assert [f.label for f in llpp.fasi.filter(calc_counted=True).order_by("sort_order")] == ["4", "5"]
    assert llpp.fasi.get(label="4").calc_due == dt.date(2022, 4, 30)
    assert llpp.calc_evaluable_weight == Decimal("100") and llpp.calc_score == Decimal("0")

    sviluppo = objective(2022, SVILUPPO, "C")
    assert phases_of(sviluppo, 2022) == [
        ("5", Decimal("20.00"), "30/06/2022", 2022),
        ("6", Decimal("30.00"), "31/08/2022", 2022),
    ]
    assert sviluppo.calc_evaluable_weight == Decimal("50") and sviluppo.calc_error == ""
    assert sviluppo.final_deadline == dt.date(2022, 8, 31)

    assert phases_of(objective(2022, SISTEMI, "A"), 2022) == [("3", Decimal("0.00"), "30/06/2022", 2022)]
    assert phases_of(objective(2022, SISTEMI, "B"), 2022) == [("3", Decimal("0.00"), "31/12/2022", 2022)]
    assert objective(2022, SISTEMI, "A").calc_error == "Nessuna fase valutabile per l'annualità 2022."


def test_the_2022_card_prints_the_phase_table_of_2021(monitored, sara):
    """The earlier phases stay on the card as printed (as 2021's card kept 2020's and 2022's), with the
    2021 tranche's subtotal: the printed table and the weight rule read as they did in 2021."""
    rollover.create(year=2021, user=sara)
    for unit, code in MULTI_YEAR:
        old, new = objective(2021, unit, code), objective(2022, unit, code)
        printed = [
            [(r.kind, r.label, r.weight, r.deadline) for r in phase_rows(o)[0]] + [phase_rows(o)[1]] for o in (old, new)
        ]
        assert printed[0] == printed[1]
        assert [sorted(r.code for r in f.responsabili.all()) for f in old.fasi.order_by("sort_order")] == [
            sorted(r.code for r in f.responsabili.all()) for f in new.fasi.order_by("sort_order")
        ]
    llpp_rows, final_weight = phase_rows(objective(2022, LLPP, "A"))
    assert ("subtotal", "Scadenza raggiungimento obiettivo annualità 2021:") in [(r.kind, r.label) for r in llpp_rows]
    assert final_weight == "100%"


def test_nothing_of_2021_monitoring_or_evaluation_is_copied(monitored, sara):
    new = rollover.create(year=2021, user=sara)

    obiettivi = Obiettivo.objects.filter(peg=new)
    assert set(obiettivi.values_list("status", flat=True)) == {ObiettivoStatus.IN_CORSO}
    assert not obiettivi.filter(validated_score__isnull=False).exists()
    assert not obiettivi.filter(validated_on__isnull=False).exists()
    phases = Fase.objects.filter(obiettivo__peg=new)
    assert set(phases.values_list("state", flat=True)) == {FaseState.DA_AVVIARE}
    assert not phases.with_recorded_progress().exists()
    assert not phases.carrying_evaluation().exists()
    assert not Nota.objects.filter(obiettivo__peg=new).exists()
    assert not Allegato.objects.filter(fase__obiettivo__peg=new).exists()
    assert not obiettivi.carrying_evaluation().exists()
    indicators = Indicatore.objects.filter(obiettivo__peg=new)
    assert indicators.count() == Indicatore.objects.filter(obiettivo__in=[o.previous_id for o in obiettivi]).count()
    assert not indicators.carrying_evaluation().exists()
    assert not PegNota.objects.filter(peg=new).exists()


def test_2022_takes_the_policy_bands_and_smvp_settings_of_2021(monitored, sara):
    Peg.objects.filter(pk=monitored.pk).update(late_policy="graded", late_step_days=15, score_decimals=1)
    new = rollover.create(year=2021, user=sara)

    assert (new.late_policy, new.late_step_days, new.score_decimals) == ("graded", 15, 1)
    assert (new.ente, new.card_header, new.responsabili_title) == (
        monitored.ente,
        monitored.card_header,
        monitored.responsabili_title,
    )
    assert list(new.bands.values_list("min_score", "pay_share", "label")) == [
        (Decimal("95.00"), Decimal("100.00"), "piena"),
        (Decimal("60.00"), Decimal("50.00"), "parziale"),
    ]
    settings = EvaluationSettings.objects.get(peg=new)
    assert (settings.objectives_share, settings.behaviours_share) == (Decimal("60.00"), Decimal("40.00"))
    assert list(Comportamento.objects.filter(peg=new).values_list("name", flat=True)) == ["Leadership"]
    assert ReminderSettings.objects.get(peg=new).days_before == 12


def test_2021_stays_as_it_was_and_records_the_act(monitored, sara):
    before = year_hash(2021)
    rollover.create(year=2021, user=sara)
    assert year_hash(2021) == before

    note = PegNota.objects.get(peg=monitored, kind=PegNotaKind.NUOVO_ANNO)
    assert note.author == sara
    assert note.text.startswith("Creato il PEG 2022 (provvisorio) da questo PEG: 4 obiettivi")
    assert f"{LLPP} A" in note.text


def test_units_heads_and_codes_are_linked_not_copied(monitored, sara):
    counts = (Settore.objects.count(), Dirigente.objects.count(), Responsabile.objects.count())
    rollover.create(year=2021, user=sara)
    assert (Settore.objects.count(), Dirigente.objects.count(), Responsabile.objects.count()) == counts
    old, new = objective(2021, LLPP, "A"), objective(2022, LLPP, "A")
    assert (new.settore_id, new.dirigente_id) == (old.settore_id, old.dirigente_id)
    assert new.head_line == old.head_line


def test_a_recurring_objective_starts_its_year_again(approved, sara):
    recurring = Obiettivo.objects.filter(peg=approved).exclude(fasi__year__gt=2021).order_by("pk").first()
    Obiettivo.objects.filter(pk=recurring.pk).update(recurring=True)
    old_phases = list(recurring.fasi.filter(year=2021).order_by("sort_order"))

    plan = rollover.preview(2021)
    assert [(p.settore.name, p.code) for p in plan.recurring] == [(recurring.settore.name, recurring.code)]
    rollover.create(year=2021, user=sara, fingerprint=plan.fingerprint)

    copy = Obiettivo.objects.get(peg__year=2022, previous=recurring)
    assert copy.recurring
    assert [(f.label, f.weight, f.year) for f in copy.fasi.order_by("sort_order")] == [
        (f.label, f.weight, 2022) for f in old_phases
    ]
    for old, new in zip(old_phases, copy.fasi.order_by("sort_order"), strict=True):
        assert new.deadline_text == rollover.next_year_text(old.deadline_text)
        if old.deadline_date:
            assert new.deadline_date == old.deadline_date.replace(year=old.deadline_date.year + 1)
    assert set(copy.fasi.values_list("state", flat=True)) == {FaseState.DA_AVVIARE}


def test_an_objective_that_looks_ahead_without_phases_of_2022_is_named_not_carried(approved):
    """ASM Costruire Insieme's objective 1 is "per il biennio 2021-2022" but has no phase of 2022."""
    plan = rollover.preview(2021)
    assert [(s.obiettivo.settore.name, s.obiettivo.code) for s in plan.skipped] == [
        ("Azienda Speciale Multiservizi Costruire Insieme", "1")
    ]
    assert plan.skipped[0].reason.startswith("la scheda guarda al 2022 ma non ha fasi del 2022 e non è ricorrente")
    Obiettivo.objects.filter(pk=plan.skipped[0].obiettivo.pk).update(recurring=True)
    plan = rollover.preview(2021)
    assert plan.skipped == [] and [p.code for p in plan.recurring] == ["1"]


def test_dates_move_one_year_in_a_recurring_objective_text():
    assert rollover.next_year_text("30/06/2021") == "30/06/2022"
    assert rollover.next_year_text("90 giorni dalla prima riunione del 22/01/2021") == (
        "90 giorni dalla prima riunione del 22/01/2022"
    )
    assert rollover.next_year_text("29/02/2024") == "28/02/2025"
    assert rollover.next_year_text("in corso d'anno") == "in corso d'anno"


def test_a_withdrawn_objective_is_not_carried(approved, sara):
    Obiettivo.objects.filter(pk=objective(2021, LLPP, "A").pk).update(withdrawn=True)
    plan = rollover.preview(2021)
    assert (LLPP, "A") not in {(p.settore.name, p.code) for p in plan.objectives}
    assert [
        (s.obiettivo.settore.name, s.obiettivo.code, s.reason) for s in plan.skipped if s.obiettivo.code == "A"
    ] == [(LLPP, "A", "ritirato con variazione del PEG: non si riporta")]
    rollover.create(year=2021, user=sara)
    assert not Obiettivo.objects.filter(peg__year=2022, settore__name=LLPP).exists()


# --- Refusals --------------------------------------------------------------------------------------


def _refused(message: str, **kwargs) -> None:
    before = (Peg.objects.count(), Obiettivo.objects.count(), Fase.objects.count(), PegNota.objects.count())
    with pytest.raises(rollover.RolloverError) as refusal:
        rollover.create(**kwargs)
    assert str(refusal.value) == message
    assert (Peg.objects.count(), Obiettivo.objects.count(), Fase.objects.count(), PegNota.objects.count()) == before


def test_a_provisional_peg_is_refused(peg_2021, sara):
    _refused(
        "Il PEG 2021 è ancora provvisorio: il PEG dell'anno successivo si crea da un PEG approvato dalla Giunta "
        "(deliberazione di approvazione).",
        year=2021,
        user=sara,
    )


def test_an_existing_next_year_is_refused(approved, sara):
    rollover.create(year=2021, user=sara)
    _refused("Il PEG 2022 esiste già: non si crea una seconda volta.", year=2021, user=sara)
    assert rollover.preview(2021).refusals == ["Il PEG 2022 esiste già: non si crea una seconda volta."]


def test_a_past_year_is_refused_when_a_later_peg_exists(approved, sara):
    Peg.objects.create(year=2020, status=PegStatus.CHIUSO)
    _refused("Il PEG 2021 esiste già: non si crea una seconda volta.", year=2020, user=sara)
    Peg.objects.filter(year=2021).update(year=2023)
    _refused(
        "Esiste già il PEG 2023: il nuovo PEG si crea dall'ultimo anno, non da un anno passato.", year=2020, user=sara
    )


def test_a_missing_year_is_refused(db, sara):
    _refused("Il PEG 2019 non esiste.", year=2019, user=sara)


def test_a_plan_changed_after_the_preview_is_refused(approved, sara):
    plan = rollover.preview(2021)
    fase = objective(2021, LLPP, "A").fasi.get(label="4")
    fase.deadline_text = "31/05/2022"
    fase.save()
    _refused(
        "Il PEG 2021 è cambiato dopo l'anteprima: controllare di nuovo cosa verrà creato prima di confermare.",
        year=2021,
        user=sara,
        fingerprint=plan.fingerprint,
    )
    new_plan = rollover.preview(2021)
    rollover.create(year=2021, user=sara, fingerprint=new_plan.fingerprint)
    assert objective(2022, LLPP, "A").fasi.get(label="4").deadline_date == dt.date(2022, 5, 31)


def test_only_staff_creates_the_new_peg(approved):
    for username, group in [("nina", GROUP_NUCLEO), ("alice", GROUP_DIRIGENTE), ("ugo", None)]:
        with pytest.raises(rollover.NotAllowed, match="Solo Programmazione e Controllo"):
            rollover.create(year=2021, user=user_in(username, group))
    assert not Peg.objects.filter(year=2022).exists()


def test_a_failure_half_way_leaves_nothing(approved, sara, monkeypatch):
    """The objectives, phases and history are written, then the act fails: nothing of 2022 remains."""
    real = rollover._create_objectives

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        assert Obiettivo.objects.filter(peg__year=2022).count() == 4
        raise RuntimeError("guasto simulato")

    monkeypatch.setattr(rollover, "_create_objectives", failing)
    before = year_hash(2021)
    with pytest.raises(RuntimeError):
        rollover.create(year=2021, user=sara)
    assert not Peg.objects.filter(year=2022).exists()
    assert Obiettivo.objects.filter(peg__year=2021).count() == Obiettivo.objects.count()
    assert not Obiettivo.history.filter(peg_id__in=Peg.history.filter(year=2022).values("id")).exists()
    assert not PegNota.objects.filter(kind=PegNotaKind.NUOVO_ANNO).exists()
    assert year_hash(2021) == before


def test_the_new_rows_have_their_history_with_the_author(approved, sara):
    new = rollover.create(year=2021, user=sara)
    llpp = objective(2022, LLPP, "A")
    record = llpp.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        sara,
        "Nuovo PEG 2022 da 2021",
    )
    assert Fase.history.filter(obiettivo_id=llpp.pk).count() == llpp.fasi.count() == 5
    assert new.history.get().history_user == sara


# --- Every field chooses: copied or not --------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "copied", "not_copied"),
    [
        (Peg, rollover.PEG_COPIED, rollover.PEG_NOT_COPIED),
        (Obiettivo, rollover.OBIETTIVO_COPIED, rollover.OBIETTIVO_NOT_COPIED),
        (Fase, rollover.FASE_COPIED + rollover.FASE_DERIVED, rollover.FASE_NOT_COPIED),
        (Annualita, rollover.ANNUALITA_COPIED, rollover.ANNUALITA_NOT_COPIED),
        (Indicatore, rollover.INDICATORE_COPIED, rollover.INDICATORE_NOT_COPIED),
    ],
)
def test_every_field_is_either_copied_or_left_behind(model, copied, not_copied):
    """A field added later must be placed in one list or the other (a monitoring field must never be copied)."""
    fields = {f.name for f in model._meta.concrete_fields if not isinstance(f, models.ManyToManyField)}
    assert set(copied) | set(not_copied) == fields
    assert not set(copied) & set(not_copied)


# --- The command -------------------------------------------------------------------------------------


def test_the_command_previews_with_dry_run_and_then_creates(approved, sara):
    out = StringIO()
    call_command("new_peg_from_previous", "2021", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "PEG 2022 dal PEG 2021 (approvato)" in text
    assert f"- {LLPP}, obiettivo A [pluriennale]" in text
    assert "   * fase 4 (2022) 85%, scadenza: 30/04/2022" in text
    assert "   * fase 6 (2022) 30%, scadenza: 31/08/2022" in text
    assert "Anteprima (--dry-run): nulla è stato creato." in text
    assert not Peg.objects.filter(year=2022).exists()

    out = StringIO()
    call_command("new_peg_from_previous", "2021", "--utente", "sara", stdout=out)
    assert "Creato il PEG 2022 (provvisorio): 4 obiettivi." in out.getvalue()
    assert PegNota.objects.get(kind=PegNotaKind.NUOVO_ANNO).author == sara

    with pytest.raises(CommandError, match="Il PEG 2022 esiste già: non si crea una seconda volta."):
        call_command("new_peg_from_previous", "2021", stdout=StringIO())


def test_the_command_refuses_in_italian(peg_2021):
    with pytest.raises(CommandError, match="Il PEG 2021 è ancora provvisorio"):
        call_command("new_peg_from_previous", "2021", stdout=StringIO())
    out = StringIO()
    call_command("new_peg_from_previous", "2021", "--dry-run", stdout=out)
    assert "Non creabile: Il PEG 2021 è ancora provvisorio" in out.getvalue()
    with pytest.raises(CommandError, match="Il PEG 2030 non esiste."):
        call_command("new_peg_from_previous", "2030", stdout=StringIO())
    with pytest.raises(CommandError, match="Utente «nessuno» non trovato o non attivo."):
        call_command("new_peg_from_previous", "2021", "--utente", "nessuno", stdout=StringIO())
    nina = user_in("nina", GROUP_NUCLEO)
    Peg.objects.filter(pk=peg_2021.pk).update(status=PegStatus.APPROVATO)
    with pytest.raises(CommandError, match="Solo Programmazione e Controllo"):
        call_command("new_peg_from_previous", "2021", "--utente", nina.username, stdout=StringIO())


def test_from_the_command_line_the_act_says_so(approved):
    call_command("new_peg_from_previous", "2021", stdout=StringIO())
    note = PegNota.objects.get(kind=PegNotaKind.NUOVO_ANNO)
    assert note.author is None and "(da riga di comando)" in note.text
