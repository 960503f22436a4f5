# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Import never destroys evaluation: monitoring, notes, attachments, reported and validated objectives."""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from objectives.append_only import AppendOnlyError
from objectives.models import (
    Allegato,
    Fase,
    FaseState,
    Nota,
    NotaKind,
    Obiettivo,
    ObiettivoStatus,
)
from objectives.services import EvaluationAtRisk, export_plan, export_plan_json, import_plan_text

DOCUMENT = Path(settings.BASE_DIR) / "fixtures" / "peg_2021_alessandria.txt"
TEXT = DOCUMENT.read_text(encoding="utf-8")

SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
AVVOCATURA = "SERVIZIO AUTONOMO AVVOCATURA"
POLIZIA = "SERVIZIO AUTONOMO POLIZIA LOCALE"
PHASE_1_OF_SISTEMI_C = "Raggiungimento del primo set di obiettivi legati alla partecipazione"


def objective(unit: str, code: str) -> Obiettivo:
    return Obiettivo.objects.get(peg__year=2021, settore__name=unit, code=code)


def validate(obiettivo: Obiettivo) -> Obiettivo:
    """The end of the procedure, written directly: the workflow's own tests cover the acts."""
    obiettivo.status = ObiettivoStatus.VALIDATO
    obiettivo.validated_score = Decimal("87.5")
    obiettivo.validated_on = dt.date(2022, 3, 31)
    obiettivo.save()
    Nota.objects.create(obiettivo=obiettivo, kind=NotaKind.VALIDAZIONE, score=Decimal("87.5"))
    return obiettivo


def complete(fase: Fase) -> Fase:
    fase.state, fase.completed_on, fase.evidence = FaseState.COMPLETATA, dt.date(2021, 3, 1), "Determina n. 12"
    fase.save()
    return fase


def attach(fase: Fase) -> Allegato:
    return Allegato.objects.create(
        fase=fase, file="allegati/2021/prova.pdf", original_name="prova.pdf", content_type="application/pdf", size=10
    )


def evaluated_plan():
    """The 2021 plan with some evaluation: Sistemi A validated, Sistemi C phase 1 completed,
    Avvocatura A phase 1 with an attachment, Polizia A with a note of the Nucleo on phase 1."""
    import_plan_text(TEXT)
    validate(objective(SISTEMI, "A"))
    complete(objective(SISTEMI, "C").fasi.get(label="1"))
    attach(objective(AVVOCATURA, "A").fasi.get(label="1"))
    polizia_a = objective(POLIZIA, "A")
    Nota.objects.create(
        obiettivo=polizia_a,
        fase=polizia_a.fasi.get(label="1"),
        kind=NotaKind.STERILIZZAZIONE,
        text="Evento non prevedibile",
    )


@pytest.fixture
def evaluated(db):
    evaluated_plan()


def card_lines(unit: str, code: str, text: str = TEXT) -> tuple[int, int]:
    """The [first, last) lines (0-based) of the card of an objective in the document."""
    lines = [line.strip() for line in text.split("\n")]
    for start, line in enumerate(lines):
        if start < 10 or line != "CITTA' DI ALESSANDRIA":
            continue
        card_unit = next(other for other in lines[start + 1 :] if other)
        title = next(i for i in range(start, len(lines)) if lines[i].startswith("Obiettivo "))
        if card_unit == unit and lines[title].startswith(f"Obiettivo {code}:"):
            end = next(i for i in range(title, len(lines)) if lines[i].startswith("Visto di validazione"))
            return start, end + 1
    raise LookupError((unit, code))


def without_card(text: str, unit: str, code: str) -> str:
    lines = text.split("\n")
    start, end = card_lines(unit, code, text)
    return "\n".join(lines[:start] + lines[end:])


def refusal(text: str, **options) -> EvaluationAtRisk:
    with pytest.raises(EvaluationAtRisk) as caught:
        import_plan_text(text, **options)
    return caught.value


def test_the_card_helper_cuts_exactly_one_card():
    shorter = without_card(TEXT, SISTEMI, "C")
    assert shorter.count("Visto di validazione") == TEXT.count("Visto di validazione") - 1
    assert "Diffusione dei servizi pubblici digitali per Cittadini e Imprese" not in shorter


# --- the predicate -------------------------------------------------------------------------------


def test_a_fresh_plan_carries_no_evaluation(db):
    import_plan_text(TEXT)
    assert not Obiettivo.objects.carrying_evaluation().exists()
    assert not Fase.objects.carrying_evaluation().exists()


def test_progress_notes_attachments_and_validation_carry_evaluation(evaluated):
    assert set(Obiettivo.objects.carrying_evaluation().values_list("settore__name", "code")) == {
        (SISTEMI, "A"),
        (SISTEMI, "C"),
        (AVVOCATURA, "A"),
        (POLIZIA, "A"),
    }
    assert set(
        Fase.objects.carrying_evaluation().values_list("obiettivo__settore__name", "obiettivo__code", "label")
    ) == {
        (SISTEMI, "C", "1"),
        (AVVOCATURA, "A", "1"),
        (POLIZIA, "A", "1"),
    }
    assert objective(SISTEMI, "A").carries_evaluation()
    assert not objective(SISTEMI, "B").carries_evaluation()
    assert objective(SISTEMI, "C").fasi.get(label="1").carries_evaluation()
    assert not objective(SISTEMI, "C").fasi.get(label="2").carries_evaluation()


def test_any_progress_field_off_its_default_is_monitoring(db):
    import_plan_text(TEXT)
    fase = objective(SISTEMI, "B").fasi.get(label="2a")
    Fase.objects.filter(pk=fase.pk).update(evidence="Verbale del 3/3")
    assert fase.carries_evaluation()
    Fase.objects.filter(pk=fase.pk).update(evidence="", neutralised=True, neutralisation_reason="Motivo")
    assert fase.carries_evaluation()
    Fase.objects.filter(pk=fase.pk).update(neutralised=False, neutralisation_reason="", state=FaseState.IN_CORSO)
    assert fase.carries_evaluation()
    Fase.objects.filter(pk=fase.pk).update(state=FaseState.DA_AVVIARE)
    assert not fase.carries_evaluation()


def test_a_reported_objective_carries_evaluation_even_without_anything_else(db):
    import_plan_text(TEXT)
    Obiettivo.objects.filter(settore__name=SISTEMI, code="B").update(status=ObiettivoStatus.RENDICONTATO)
    assert objective(SISTEMI, "B").carries_evaluation()
    Obiettivo.objects.filter(settore__name=SISTEMI, code="B").update(status=ObiettivoStatus.RINVIATO)
    assert not objective(SISTEMI, "B").carries_evaluation()


# --- removal -------------------------------------------------------------------------------------


def test_a_plain_objective_missing_from_the_document_is_removed(evaluated):
    result = import_plan_text(without_card(TEXT, SISTEMI, "B"))
    assert not Obiettivo.objects.filter(settore__name=SISTEMI, code="B").exists()
    assert result.removed == (f"{SISTEMI}, obiettivo B",)
    assert "Obiettivi rimossi (1)" in result.summary()


def test_removing_objectives_that_carry_evaluation_is_refused_naming_each(evaluated):
    shorter = TEXT
    for unit, code in [(SISTEMI, "A"), (SISTEMI, "C"), (AVVOCATURA, "A"), (POLIZIA, "A"), (SISTEMI, "B")]:
        shorter = without_card(shorter, unit, code)
    before = export_plan(2021)
    error = refusal(shorter)
    message = str(error)
    assert message.startswith("Il piano rimuoverebbe o modificherebbe obiettivi che hanno già monitoraggio")
    assert (
        f"- {SISTEMI}, obiettivo A: verrebbe rimosso; è validato, ha un grado di raggiungimento validato, " in message
    )
    assert f"- {SISTEMI}, obiettivo C: verrebbe rimosso; ha il monitoraggio della fase 1." in message
    assert f"- {AVVOCATURA}, obiettivo A: verrebbe rimosso; ha 1 allegato." in message
    assert f"- {POLIZIA}, obiettivo A: verrebbe rimosso; ha 1 nota del procedimento." in message
    assert f"{SISTEMI}, obiettivo B" not in message  # nothing to lose there
    assert len(error.blocked) == 4
    assert "--allow-removal" in message
    assert export_plan(2021) == before  # not even Sistemi B went


def test_removing_a_phase_with_monitoring_is_refused_naming_objective_and_phase(evaluated):
    data = export_plan(2021)
    sistemi_c = next(o for o in data["objectives"] if o["unit"] == SISTEMI and o["code"] == "C")
    first, second = sistemi_c["phases"][:2]
    second["weight"] += first["weight"]
    sistemi_c["phases"].remove(first)
    error = refusal(json.dumps(data))
    assert f"{SISTEMI}, obiettivo C: verrebbe rimossa la fase 1, verrebbe modificata la fase 2" in str(error)
    assert objective(SISTEMI, "C").fasi.filter(label="1").exists()


def test_changing_a_phase_of_an_objective_with_monitoring_is_refused(evaluated):
    error = refusal(TEXT.replace(PHASE_1_OF_SISTEMI_C, "Progettazione rivista"))
    assert f"{SISTEMI}, obiettivo C: verrebbe modificata la fase 1; ha il monitoraggio della fase 1." in str(error)


def test_the_option_lets_monitored_in_corso_objectives_go_and_keeps_the_rest(evaluated, capsys, tmp_path):
    shorter = TEXT
    for unit, code in [(SISTEMI, "A"), (SISTEMI, "C"), (AVVOCATURA, "A"), (POLIZIA, "A")]:
        shorter = without_card(shorter, unit, code)
    error = refusal(shorter, allow_removal=True)
    message = str(error)
    # Sistemi C only had monitoring: the option would let it go, so it is not listed.
    assert f"{SISTEMI}, obiettivo C" not in message
    assert f"{SISTEMI}, obiettivo A: verrebbe rimosso; è validato" in message
    assert f"{AVVOCATURA}, obiettivo A" in message and f"{POLIZIA}, obiettivo A" in message
    assert "non si cancellano mai, neppure con --allow-removal" in message
    assert "usare --allow-removal" not in message

    # Without the validated, noted and attached ones the option does what it says.
    only_monitored = without_card(TEXT, SISTEMI, "C")
    path = tmp_path / "peg.txt"
    path.write_text(only_monitored, encoding="utf-8")
    with pytest.raises(CommandError, match="usare --allow-removal"):
        call_command("import_peg", str(path))
    assert Obiettivo.objects.filter(settore__name=SISTEMI, code="C").exists()
    call_command("import_peg", str(path), "--allow-removal")
    assert not Obiettivo.objects.filter(settore__name=SISTEMI, code="C").exists()
    assert "Obiettivi rimossi (1)" in capsys.readouterr().out
    assert Nota.objects.count() == 2 and Allegato.objects.count() == 1
    assert objective(SISTEMI, "A").status == ObiettivoStatus.VALIDATO


def test_with_the_option_a_changed_phase_keeps_its_progress(evaluated):
    import_plan_text(TEXT.replace(PHASE_1_OF_SISTEMI_C, "Progettazione rivista"), allow_removal=True)
    fase = objective(SISTEMI, "C").fasi.get(label="1")
    assert fase.description.startswith("Progettazione rivista")
    assert (fase.state, fase.completed_on, fase.evidence) == (
        FaseState.COMPLETATA,
        dt.date(2021, 3, 1),
        "Determina n. 12",
    )


def test_a_validated_objective_is_never_rewritten_by_an_import(evaluated):
    title = objective(SISTEMI, "A").title
    changed = TEXT.replace(title, "Un altro titolo", 1)
    for allow_removal in (False, True):
        error = refusal(changed, allow_removal=allow_removal)
        assert f"{SISTEMI}, obiettivo A: cambierebbe «titolo»; è validato" in str(error)
    assert objective(SISTEMI, "A").title == title


def test_a_reported_objective_is_never_rewritten_by_an_import(db):
    import_plan_text(TEXT)
    Obiettivo.objects.filter(settore__name=SISTEMI, code="B").update(status=ObiettivoStatus.RENDICONTATO)
    lines = TEXT.split("\n")
    start, end = card_lines(SISTEMI, "B")
    row = next(i for i in range(start, end) if "realtà immersiva" in lines[i] and "60%" in lines[i])
    lines[row] = lines[row].replace("60%", "50%")
    lines[row - 1] = lines[row - 1].replace("40%", "50%")
    error = refusal("\n".join(lines), allow_removal=True)
    assert f"{SISTEMI}, obiettivo B: verrebbero modificate le fasi 2a, 2b; è rendicontato." in str(error)


def test_reimporting_the_same_plan_touches_no_evaluated_objective(evaluated):
    validated = objective(SISTEMI, "A")
    history = validated.history.count()
    import_plan_text(TEXT)
    assert validated.history.count() == history
    assert import_plan_text(export_plan_json(2021)).objectives == 41
    assert validated.history.count() == history


def test_the_cards_may_move_around_a_validated_objective(evaluated):
    """A new objective printed before a validated one shifts its print order, nothing else."""
    data = export_plan(2021)
    at = next(i for i, o in enumerate(data["objectives"]) if o["unit"] == SISTEMI and o["code"] == "A")
    new = json.loads(json.dumps(data["objectives"][at + 1]))  # Sistemi B
    new["code"] = "A0"
    data["objectives"].insert(at, new)
    import_plan_text(json.dumps(data))
    assert objective(SISTEMI, "A0").print_order == at + 1
    assert objective(SISTEMI, "A").print_order == at + 2
    assert objective(SISTEMI, "A").status == ObiettivoStatus.VALIDATO


def test_a_json_plan_lacking_objectives_is_refused_like_a_document(evaluated):
    data = export_plan(2021)
    data["objectives"] = [o for o in data["objectives"] if o["unit"] != POLIZIA]
    error = refusal(json.dumps(data, indent=2))
    assert re.search(rf"- {POLIZIA}, obiettivo A: verrebbe rimosso; ha 1 nota del procedimento\.", str(error))


# --- notes and attachments -----------------------------------------------------------------------


def test_notes_are_append_only(evaluated):
    nota = Nota.objects.get(kind=NotaKind.VALIDAZIONE)
    nota.text = "Riscritta"
    with pytest.raises(AppendOnlyError, match="non si modificano né si cancellano"):
        nota.save()
    with pytest.raises(AppendOnlyError):
        nota.delete()
    with pytest.raises(AppendOnlyError):
        Nota.objects.filter(pk=nota.pk).delete()
    with pytest.raises(AppendOnlyError):
        Nota.objects.filter(pk=nota.pk).update(text="Riscritta")
    assert Nota.objects.get(pk=nota.pk).text == ""
    Nota.objects.create(obiettivo=nota.obiettivo, kind=NotaKind.RIAPERTURA, text="Errore materiale")
    assert nota.obiettivo.note.count() == 2


def test_no_cascade_wipes_notes_or_attachments(evaluated):
    with pytest.raises(ProtectedError):
        objective(POLIZIA, "A").delete()
    with pytest.raises(ProtectedError):
        objective(POLIZIA, "A").fasi.get(label="1").delete()
    with pytest.raises(ProtectedError):
        objective(AVVOCATURA, "A").fasi.get(label="1").delete()
    assert Nota.objects.count() == 2 and Allegato.objects.count() == 1
