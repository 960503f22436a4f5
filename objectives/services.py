# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Writes and whole-plan reads of the PEG: import (document or open-data JSON) and export.

Import is one transaction and all or nothing: a malformed plan raises PegDocumentError, whose
Italian message names the line, and stores nothing. Every value is checked against its column
(length, range, decimal places) before the database sees it, and whatever the database still
refuses becomes a PegDocumentError too. Importing the same plan again changes nothing.

Import never destroys evaluation. A plan that would remove or change an objective or phase that
carries evaluation (Obiettivo.objects.carrying_evaluation, Fase.objects.carrying_evaluation) is
refused with the list of what would be lost (EvaluationAtRisk), unless allow_removal=True; even
then a reported or validated objective changes only through objectives.workflow, and notes and
attachments are never deleted. The monitoring of phases that stay is always kept: it is not
part of the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from objectives import access, facts, indicators
from objectives.deadlines import MAX_YEAR, MIN_YEAR, deadline_error, parse_date
from objectives.models import (
    CARD_TEXT_FIELDS,
    INDICATORE_PLAN_FIELDS,
    Allegato,
    Annualita,
    Fase,
    Indicatore,
    LatePolicy,
    Nota,
    Obiettivo,
    Peg,
    weight_errors,
)
from objectives.parsing import (
    BOM,
    ParsedIndicator,
    ParsedObjective,
    ParsedPhase,
    ParsedPlan,
    ParsedTranche,
    PegDocumentError,
    parse_document,
    parse_export,
)
from sectors.models import Dirigente, Responsabile, Settore

TEXT_FIELDS = [name for name, _ in CARD_TEXT_FIELDS]
# Abbreviations the document uses in unit names but not in the Elenco Responsabili.
_UNIT_NAME_SYNONYMS = {"LLPP": "LAVORI PUBBLICI"}
# No database stores these in a text: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates.
_FORBIDDEN_CHARACTER = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class ImportResult:
    peg: Peg
    units: int
    objectives: int
    phases: int
    responsabili: int
    removed: tuple[str, ...] = ()
    # Whether any objective's plan was written (an unchanged plan writes nothing, figures included).
    written: bool = True

    def summary(self) -> str:
        summary = (
            f"PEG {self.peg.year} importato: {self.units} strutture, {self.objectives} obiettivi, "
            f"{self.phases} fasi, {self.responsabili} codici responsabili."
        )
        if self.removed:
            summary += f" Obiettivi rimossi ({len(self.removed)}): {'; '.join(self.removed)}."
        return summary


class EvaluationAtRisk(PegDocumentError):
    """The plan would remove or change objectives or phases that carry evaluation; nothing was imported.

    `blocked` holds one Italian line per objective concerned (unit, code, what would change,
    what it carries); `needs_option` tells whether allow_removal would let the import through.
    """

    def __init__(self, blocked: list[str], *, needs_option: bool, never: bool):
        self.blocked = blocked
        self.needs_option = needs_option
        lines = [
            "il piano rimuoverebbe o modificherebbe obiettivi che hanno già monitoraggio, note o allegati, "
            "o sono rendicontati o validati:",
            *(f"- {line}." for line in blocked),
        ]
        if needs_option:
            lines.append(
                "Per applicare comunque le modifiche agli obiettivi in corso usare --allow-removal: il monitoraggio "
                "delle fasi rimosse va perso, le fasi che restano lo conservano."
            )
        if never:
            lines.append(
                "Le note del procedimento e gli allegati non si cancellano mai, neppure con --allow-removal; un "
                "obiettivo rendicontato o validato cambia solo attraverso il procedimento."
            )
        super().__init__(None, "\n".join(lines))


# --- reading: bytes → text → plan -------------------------------------------------------------


def decode_plan(data: bytes) -> str:
    """The file's text: UTF-8, with or without a BOM; a bad byte is named with its line and offset."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PegDocumentError(1, "il file è codificato in UTF-16: salvarlo come testo UTF-8.", byte_offset=0)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PegDocumentError(
            line,
            f"il file non è un testo UTF-8 valido (byte 0x{data[exc.start]:02X} non ammesso).",
            byte_offset=exc.start,
        ) from None


def read_plan(text: str) -> ParsedPlan:
    """A PEG document in the printed format, or the JSON of export_plan()."""
    text = text.removeprefix(BOM)
    forbidden = _FORBIDDEN_CHARACTER.search(text)
    if forbidden:
        at = forbidden.start()
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        raise PegDocumentError(line, f"carattere non ammesso ({_character_name(forbidden.group())}).", column=column)
    if text.lstrip()[:1] in ("{", "["):
        return parse_export(text)
    return parse_document(text)


def import_plan_text(text: str, *, allow_removal: bool = False) -> ImportResult:
    return import_plan(read_plan(text), allow_removal=allow_removal)


def import_plan_file(data: bytes, *, allow_removal: bool = False) -> ImportResult:
    """What import_peg does with a file's bytes."""
    return import_plan_text(decode_plan(data), allow_removal=allow_removal)


def import_plan(plan: ParsedPlan, *, allow_removal: bool = False) -> ImportResult:
    _check_plan(plan)
    try:
        with transaction.atomic():
            # Bulk writes send no signals: the stored figures of the whole PEG are refreshed once.
            with facts.deferred():
                result, computed = _store_plan(plan, allow_removal=allow_removal)
            if result.written:
                facts.refresh_peg(result.peg, computed=computed)
            return result
    except (DataError, IntegrityError) as exc:
        # The checks above should leave nothing for the database to refuse; if it does, the
        # transaction is gone and so is every write: say so instead of a traceback.
        raise PegDocumentError(None, f"il database ha rifiutato il piano, che non è stato importato ({exc}).") from None
    except ValidationError as exc:
        raise PegDocumentError(None, f"il piano non è stato importato: {' '.join(exc.messages)}") from None


# --- checks before the database ---------------------------------------------------------------


def _check_plan(plan: ParsedPlan) -> None:
    _check_values(plan)
    _check_unique(plan)
    catalogue = {code for code, _ in plan.responsabili} | set(Responsabile.objects.values_list("code", flat=True))
    for objective in plan.objectives:
        for phase in objective.phases:
            unknown = [code for code in phase.codes if code not in catalogue]
            if unknown:
                raise PegDocumentError(
                    phase.line,
                    f"codice responsabile {', '.join(_excerpt(code) for code in unknown)} della fase {phase.label} "
                    "non presente nell'Elenco Responsabili.",
                )
        errors = weight_errors(objective.phases)
        if errors:
            raise PegDocumentError(objective.line, f"obiettivo {objective.code} di «{objective.unit}»: {errors[0]}")


def _check_values(plan: ParsedPlan) -> None:
    """Every value against the column that will hold it, so the database never refuses one."""
    line = plan.line
    _check_year(plan.year, plan.year_line or line, "l'anno del PEG")
    _check_text(plan.ente, Peg, "ente", line)
    _check_text(plan.title, Peg, "title", line)
    _check_text(plan.publisher, Peg, "publisher", line)
    _check_text(plan.card_header, Peg, "card_header", line)
    _check_text(plan.responsabili_title, Peg, "responsabili_title", line)
    for (code, description), row_line in zip(plan.responsabili, _lines_of(plan), strict=True):
        _check_text(code, Responsabile, "code", row_line)
        _check_text(description, Responsabile, "description", row_line)
    for objective in plan.objectives:
        _check_objective(objective)


def _lines_of(plan: ParsedPlan) -> list[int]:
    lines = plan.responsabili_lines
    return lines if len(lines) == len(plan.responsabili) else [plan.line] * len(plan.responsabili)


def _check_objective(objective: ParsedObjective) -> None:
    line = objective.line
    _check_text(objective.unit, Settore, "name", objective.unit_line or line)
    _check_text(objective.head_honorific, Dirigente, "honorific", objective.head_line or line)
    _check_text(objective.head_name, Dirigente, "name", objective.head_line or line)
    _check_text(objective.code, Obiettivo, "code", line)
    _check_text(objective.title, Obiettivo, "title", line)
    _check_text(objective.title_detail, Obiettivo, "title_detail", line)
    for name, text in objective.texts.items():
        _check_text(text, Obiettivo, name, line)
    for name, heading in objective.headings.items():
        _check_text(name, Obiettivo, "headings", line)
        _check_text(heading, Obiettivo, "headings", line)
    _check_text(objective.final_deadline_text, Obiettivo, "final_deadline_text", line)
    _check_deadline(objective.final_deadline_text, line, f"obiettivo {objective.code}, scadenza finale")
    for tranche in objective.tranches:
        tranche_line = tranche.line or line
        _check_year(tranche.year, tranche_line, "l'annualità")
        _check_text(tranche.label, Annualita, "label", tranche_line)
        _check_text(tranche.deadline_text, Annualita, "deadline_text", tranche_line)
        _check_deadline(tranche.deadline_text, tranche_line, f"annualità {tranche.year}")
    for phase in objective.phases:
        _check_phase(phase, line)
    _check_scoring(objective.scoring, line)
    names: set[str] = set()
    for indicator in objective.indicators or []:
        _check_indicator(indicator, line)
        if indicator.name in names:
            raise PegDocumentError(
                indicator.line or line,
                f"l'indicatore «{_excerpt(indicator.name)}» compare due volte nell'obiettivo {objective.code}.",
            )
        names.add(indicator.name)


def _check_scoring(scoring: dict | None, line: int) -> None:
    for name, value in (scoring or {}).items():
        if name != "score_mode":
            column = Obiettivo._meta.get_field(name)
            _check_percent(value, line, f"{column.verbose_name}", column.decimal_places)


def _check_percent(value: Decimal, line: int, what: str, places: int) -> None:
    shown = _excerpt(f"{value:f}".replace(".", ","), 20)
    if not value.is_finite() or not 0 <= value <= 100:
        raise PegDocumentError(line, f"{what}: {shown}% deve essere compreso tra 0 e 100%.")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise PegDocumentError(line, f"{what}: {shown}% ha più di {places} decimali.")


def _check_indicator(indicator: ParsedIndicator, objective_line: int) -> None:
    """An indicator's texts against their columns, its values against the kind and the columns."""
    line = indicator.line or objective_line
    for name in ("name", "unit", "baseline_period", "data_source", "card_text"):
        _check_text(getattr(indicator, name), Indicatore, name, line)
    what = f"indicatore «{_excerpt(indicator.name)}»"
    for key in ("baseline", "target"):
        value = getattr(indicator, key)
        try:
            if isinstance(value, Decimal):
                indicators.check_number(value)
            elif isinstance(value, dt.date):
                indicators.check_date(value)
        except indicators.IndicatorValueError as exc:
            raise PegDocumentError(line, f"{what}, {key}: {exc}") from None
    errors = indicators.plan_errors(_indicator_instance(indicator))
    if errors:
        raise PegDocumentError(line, f"{what}: {' '.join(errors.values())}")


def _indicator_plan_values(indicator: ParsedIndicator) -> dict:
    """The Indicatore columns a parsed indicator sets (the plan side, never the values recorded)."""
    baseline_value, _ = indicators.stored_fields(indicator.kind, indicator.baseline)
    target_value, target_date = indicators.stored_fields(indicator.kind, indicator.target)
    return {
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "baseline_value": baseline_value,
        "baseline_period": indicator.baseline_period,
        "target_value": target_value,
        "target_date": target_date,
        "direction": indicator.direction,
        "data_source": indicator.data_source,
        "card_text": indicator.card_text,
        "counts": indicator.counts,
    }


def _indicator_instance(indicator: ParsedIndicator) -> Indicatore:
    return Indicatore(**_indicator_plan_values(indicator))


def _check_phase(phase: ParsedPhase, objective_line: int) -> None:
    line = phase.line or objective_line
    _check_text(phase.label, Fase, "label", line)
    what = f"fase {_excerpt(phase.label, 20)}"
    _check_text(phase.description, Fase, "description", line)
    _check_text(phase.responsabili_text, Fase, "responsabili_text", line)
    _check_text(phase.deadline_text, Fase, "deadline_text", line)
    for code in phase.codes:
        _check_text(code, Responsabile, "code", line)
    _check_year(phase.year, line, f"l'annualità della {what}")
    _check_weight(phase.weight, line, what)
    _check_deadline(phase.deadline_text, line, what)


def _check_text(value: str, model: type[models.Model], name: str, line: int) -> None:
    column = model._meta.get_field(name)
    forbidden = _FORBIDDEN_CHARACTER.search(value)
    if forbidden:
        what = f"{column.verbose_name} ({model._meta.verbose_name})"
        raise PegDocumentError(line, f"{what}: carattere non ammesso ({_character_name(forbidden.group())}).")
    if column.max_length is not None and len(value) > column.max_length:
        what = f"{column.verbose_name} ({model._meta.verbose_name})"
        raise PegDocumentError(
            line,
            f"{what}: «{_excerpt(value)}» ha {len(value)} caratteri, al massimo {column.max_length}.",
        )


def _check_year(value: int, line: int, what: str) -> None:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise PegDocumentError(
            line, f"{what} {_excerpt(str(value), 20)} è fuori dall'intervallo ammesso (dal {MIN_YEAR} al {MAX_YEAR})."
        )


def _check_weight(weight: Decimal | None, line: int, what: str) -> None:
    if weight is None:
        return
    column = Fase._meta.get_field("weight")
    shown = _excerpt(f"{weight:f}".replace(".", ","), 20)
    if not weight.is_finite() or not 0 <= weight <= 100:
        raise PegDocumentError(line, f"l'incidenza {shown}% della {what} deve essere compresa tra 0 e 100%.")
    if weight != weight.quantize(Decimal(1).scaleb(-column.decimal_places)):
        raise PegDocumentError(
            line,
            f"l'incidenza {shown}% della {what} ha più di {column.decimal_places} decimali: "
            "il database non può conservarla esattamente.",
        )


def _check_deadline(text: str, line: int, what: str) -> None:
    problem = deadline_error(text)
    if problem:
        raise PegDocumentError(line, f"{what}: {problem}")


def _check_unique(plan: ParsedPlan) -> None:
    codes: set[str] = set()
    for (code, _), line in zip(plan.responsabili, _lines_of(plan), strict=True):
        if code in codes:
            raise PegDocumentError(line, f"il codice {_excerpt(code)} compare due volte nell'Elenco Responsabili.")
        codes.add(code)
    objectives: set[tuple[str, str]] = set()
    for objective in plan.objectives:
        key = (objective.unit, objective.code)
        if key in objectives:
            raise PegDocumentError(
                objective.line, f"l'obiettivo {objective.code} di «{_excerpt(objective.unit)}» compare due volte."
            )
        objectives.add(key)
        labels: set[str] = set()
        for phase in objective.phases:
            if phase.label in labels:
                raise PegDocumentError(
                    phase.line or objective.line,
                    f"la fase {phase.label} compare due volte nell'obiettivo {objective.code}.",
                )
            labels.add(phase.label)
        years: set[int] = set()
        for tranche in objective.tranches:
            if tranche.year in years:
                raise PegDocumentError(
                    tranche.line or objective.line,
                    f"l'annualità {tranche.year} compare due volte nell'obiettivo {objective.code}.",
                )
            years.add(tranche.year)


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _character_name(character: str) -> str:
    return "NUL, codice 0" if character == "\x00" else f"U+{ord(character):04X}"


# --- what the plan would change, and whether evaluation would be lost ------------------------


@dataclass
class _Change:
    """How the plan changes one stored objective (parsed None: the plan no longer lists it)."""

    obiettivo: Obiettivo
    parsed: ParsedObjective | None
    fields: list[str] = field(default_factory=list)
    removed_phases: list[Fase] = field(default_factory=list)
    changed_phases: list[Fase] = field(default_factory=list)
    added_phases: list[str] = field(default_factory=list)
    reordered: bool = False

    @property
    def removed(self) -> bool:
        return self.parsed is None

    @property
    def changes_plan(self) -> bool:
        return self.removed or bool(
            self.fields or self.removed_phases or self.changed_phases or self.added_phases or self.reordered
        )


def _objective_plan(parsed: ParsedObjective) -> dict:
    values = {
        "title": parsed.title,
        "title_detail": parsed.title_detail,
        "final_deadline_text": parsed.final_deadline_text,
        "headings": parsed.headings,
        "dirigente": parsed.head_name or None,
        "tranches": sorted((t.year, t.label, t.deadline_text) for t in parsed.tranches),
    }
    values.update({name: parsed.texts.get(name, "") for name in TEXT_FIELDS})
    if parsed.scoring is not None:
        values["scoring"] = parsed.scoring
    if parsed.indicators is not None:
        values["indicatori"] = [_indicator_plan_values(indicator) for indicator in parsed.indicators]
    return values


def _stored_objective_plan(obiettivo: Obiettivo) -> dict:
    values = {
        "title": obiettivo.title,
        "title_detail": obiettivo.title_detail,
        "final_deadline_text": obiettivo.final_deadline_text,
        "headings": obiettivo.headings,
        "dirigente": obiettivo.dirigente.name if obiettivo.dirigente else None,
        "tranches": sorted((t.year, t.label, t.deadline_text) for t in obiettivo.tranches.all()),
    }
    values.update({name: getattr(obiettivo, name) for name in TEXT_FIELDS})
    values["scoring"] = {name: getattr(obiettivo, name) for name in _SCORING_FIELDS}
    values["indicatori"] = [
        {name: getattr(indicatore, name) for name in INDICATORE_PLAN_FIELDS}
        for indicatore in obiettivo.indicatori.all()
    ]
    return values


_SCORING_FIELDS = ["score_mode", "indicator_cap", "phase_share"]


def _phase_plan(phase: ParsedPhase) -> tuple:
    return (
        phase.description,
        phase.weight,
        phase.year,
        phase.responsabili_text,
        sorted(phase.codes),
        phase.deadline_text,
    )


def _stored_phase_plan(fase: Fase) -> tuple:
    codes = sorted(r.code for r in fase.responsabili.all())
    return (fase.description, fase.weight, fase.year, fase.responsabili_text, codes, fase.deadline_text)


def _compare(obiettivo: Obiettivo, parsed: ParsedObjective | None) -> _Change:
    change = _Change(obiettivo, parsed)
    if parsed is None:
        return change
    wanted, stored = _objective_plan(parsed), _stored_objective_plan(obiettivo)
    change.fields = [name for name in wanted if wanted[name] != stored[name]]
    phases = {fase.label: fase for fase in obiettivo.fasi.all()}
    labels = [phase.label for phase in parsed.phases]
    change.removed_phases = [fase for label, fase in phases.items() if label not in labels]
    change.added_phases = [label for label in labels if label not in phases]
    change.changed_phases = [
        phases[phase.label]
        for phase in parsed.phases
        if phase.label in phases and _phase_plan(phase) != _stored_phase_plan(phases[phase.label])
    ]
    kept = [label for label in labels if label in phases]
    change.reordered = kept != [fase.label for fase in obiettivo.fasi.all() if fase.label in kept]
    return change


@dataclass
class _Evaluation:
    """What evaluation the objectives of a PEG carry, read in a fixed number of queries."""

    objectives: set[int]
    phases_with_progress: set[int]
    notes_by_objective: Counter
    notes_by_phase: Counter
    attachments_by_phase: Counter
    indicators_with_values: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, peg: Peg) -> _Evaluation:
        notes = Nota.objects.filter(obiettivo__peg=peg)
        return cls(
            indicators_with_values=set(
                Indicatore.objects.filter(obiettivo__peg=peg).carrying_evaluation().values_list("pk", flat=True)
            ),
            objectives=set(Obiettivo.objects.filter(peg=peg).carrying_evaluation().values_list("pk", flat=True)),
            phases_with_progress=set(
                Fase.objects.filter(obiettivo__peg=peg).with_recorded_progress().values_list("pk", flat=True)
            ),
            notes_by_objective=Counter(notes.values_list("obiettivo_id", flat=True)),
            notes_by_phase=Counter(notes.filter(fase__isnull=False).values_list("fase_id", flat=True)),
            attachments_by_phase=Counter(
                Allegato.objects.filter(fase__obiettivo__peg=peg).values_list("fase_id", flat=True)
            ),
        )

    def kept_records(self, phases) -> int:
        """Notes and attachments of these phases: never deleted."""
        return sum(self.notes_by_phase[fase.pk] + self.attachments_by_phase[fase.pk] for fase in phases)


def _guard_evaluation(changes: list[_Change], peg: Peg, *, allow_removal: bool) -> None:
    """Refuse, naming each objective, a plan that would lose evaluation (see the module's docstring)."""
    changes = [change for change in changes if change.changes_plan]
    if not changes:
        return
    evaluation = _Evaluation.of(peg)
    blocked: list[str] = []
    needs_option = any_never = False
    for change in changes:
        obiettivo = change.obiettivo
        if obiettivo.pk not in evaluation.objectives:
            continue
        phases = list(obiettivo.fasi.all())
        doomed = phases if change.removed else change.removed_phases
        never = not access.plan_is_editable(obiettivo) or evaluation.kept_records(doomed) > 0
        # An indicator with a recorded value, a review or an attachment is never removed.
        never = never or any(i.pk in evaluation.indicators_with_values for i in _removed_indicators(change))
        if change.removed:
            never = never or evaluation.notes_by_objective[obiettivo.pk] > 0
        if never or not allow_removal:
            blocked.append(f"{_describe_change(change)}; {_describe_evaluation(obiettivo, phases, evaluation)}")
            needs_option = needs_option or not never
            any_never = any_never or never
    if blocked:
        raise EvaluationAtRisk(blocked, needs_option=needs_option, never=any_never)


def _removed_indicators(change: _Change) -> list[Indicatore]:
    """The stored indicators the plan no longer lists (none when the plan says nothing of indicators)."""
    if change.removed:
        return list(change.obiettivo.indicatori.all())
    if change.parsed.indicators is None:
        return []
    names = {indicator.name for indicator in change.parsed.indicators}
    return [indicatore for indicatore in change.obiettivo.indicatori.all() if indicatore.name not in names]


def _describe_change(change: _Change) -> str:
    obiettivo = change.obiettivo
    name = f"{obiettivo.settore.name}, obiettivo {obiettivo.code}"
    if change.removed:
        return f"{name}: verrebbe rimosso"
    parts = []
    if change.fields:
        labels = [f"«{_field_label(name)}»" for name in change.fields]
        parts.append(f"{'cambierebbe' if len(labels) == 1 else 'cambierebbero'} {', '.join(labels)}")
    if change.removed_phases:
        parts.append(_phases("verrebbe rimossa", "verrebbero rimosse", [fase.label for fase in change.removed_phases]))
    if change.changed_phases:
        parts.append(
            _phases("verrebbe modificata", "verrebbero modificate", [fase.label for fase in change.changed_phases])
        )
    if change.added_phases:
        parts.append(_phases("verrebbe aggiunta", "verrebbero aggiunte", change.added_phases))
    if change.reordered:
        parts.append("cambierebbe l'ordine delle fasi")
    return f"{name}: {', '.join(parts)}"


def _field_label(name: str) -> str:
    if name == "tranches":
        return "annualità"
    if name == "indicatori":
        return "indicatori (valori di partenza e target)"
    if name == "scoring":
        return "calcolo del grado"
    return str(Obiettivo._meta.get_field(name).verbose_name)


def _describe_evaluation(obiettivo: Obiettivo, phases: list[Fase], evaluation: _Evaluation) -> str:
    carried = []
    if not access.plan_is_editable(obiettivo):
        carried.append(f"è {obiettivo.get_status_display().lower()}")
    if obiettivo.validated_score is not None:
        carried.append("ha un grado di raggiungimento validato")
    monitored = [fase.label for fase in phases if fase.pk in evaluation.phases_with_progress]
    if monitored:
        carried.append(_phases("ha il monitoraggio", "ha il monitoraggio", monitored, article=("della", "delle")))
    notes = evaluation.notes_by_objective[obiettivo.pk]
    if notes:
        carried.append(f"ha {notes} {'nota' if notes == 1 else 'note'} del procedimento")
    attachments = sum(evaluation.attachments_by_phase[fase.pk] for fase in phases)
    if attachments:
        carried.append(f"ha {attachments} {'allegato' if attachments == 1 else 'allegati'}")
    measured = [i.name for i in obiettivo.indicatori.all() if i.pk in evaluation.indicators_with_values]
    if measured:
        carried.append(f"ha il valore rilevato degli indicatori {', '.join(f'«{name}»' for name in measured)}")
    return ", ".join(carried)


def _phases(singular: str, plural: str, labels: list[str], article: tuple[str, str] = ("la", "le")) -> str:
    """'verrebbe rimossa la fase 1', 'verrebbero rimosse le fasi 1, 3'."""
    if len(labels) == 1:
        return f"{singular} {article[0]} fase {labels[0]}"
    return f"{plural} {article[1]} fasi {', '.join(labels)}"


# --- storing ------------------------------------------------------------------------------------


# The evaluation policy of a PEG created by the import: what the 2021 cards say ("Obiettivo
# raggiunto al 100%: espletamento delle fasi previste entro la scadenza finale"), see docs/calculator.md.
NEW_PEG_POLICY = {"late_policy": LatePolicy.FULL_WITHIN_FINAL}


def _store_plan(plan: ParsedPlan, *, allow_removal: bool) -> tuple[ImportResult, set[int]]:
    """Write the plan in bulk: a fixed number of queries per table, whatever the number of objectives.
    Also the ids of the new objectives inserted with their stored figures (facts.Unsaved).

    New and changed rows of the tables with history (Obiettivo, Fase, Indicatore) are written with
    simple_history's bulk_create_with_history / bulk_update_with_history, so each gets the
    historical row a save() would give it; an unchanged row gets no write and no history. Rows
    removed by the plan are deleted one by one (their deletion is recorded in their history).
    """
    peg = Peg.objects.filter(year=plan.year).first()
    stored: dict[tuple[str, str], Obiettivo] = {}
    if peg is not None:
        # Locked until the end of the import, so no act of the workflow slips in between check and write.
        list(Obiettivo.objects.select_for_update().filter(peg=peg).values_list("pk", flat=True))
        for obiettivo in (
            Obiettivo.objects.filter(peg=peg)
            .select_related("settore", "dirigente")
            .prefetch_related(
                "tranches",
                models.Prefetch("fasi", queryset=Fase.objects.prefetch_related("responsabili")),
                "indicatori",
            )
        ):
            stored[(obiettivo.settore.name, obiettivo.code)] = obiettivo
    wanted = {(parsed.unit, parsed.code): parsed for parsed in plan.objectives}
    changes = {key: _compare(obiettivo, wanted.get(key)) for key, obiettivo in stored.items()}
    if peg is not None:
        _guard_evaluation(list(changes.values()), peg, allow_removal=allow_removal)

    peg = _upsert(
        Peg,
        peg,
        # A new PEG takes the import's evaluation policy and state; an existing one keeps its own
        # (PegAdmin, workflow.change_policy; its state changes only by the cycle's acts).
        {"year": plan.year} if peg is not None else {"year": plan.year, "status": plan.status, **NEW_PEG_POLICY},
        {
            "ente": plan.ente,
            "title": plan.title,
            "publisher": plan.publisher,
            "card_header": plan.card_header,
            "responsabili_title": plan.responsabili_title,
        },
    )
    _store_responsabili(plan.responsabili)
    known_codes = {r.code: r for r in Responsabile.objects.all()}
    heads = _store_heads(plan.objectives)
    units = _store_units(plan.objectives, heads, known_codes.values())

    writes = _Writes(known_codes)
    for order, parsed in enumerate(plan.objectives, start=1):
        key = (parsed.unit, parsed.code)
        writes.objective(
            peg, units[parsed.unit], heads.get(parsed.head_name), parsed, order, stored.get(key), changes.get(key)
        )
    writes.flush()

    removed = []
    for change in changes.values():
        if change.removed:
            removed.append(f"{change.obiettivo.settore.name}, obiettivo {change.obiettivo.code}")
            change.obiettivo.delete()
    phase_count = sum(len(parsed.phases) for parsed in plan.objectives)
    counts = (len(units), len(plan.objectives), phase_count, len(plan.responsabili))
    result = ImportResult(peg, *counts, tuple(removed), written=writes.written or bool(removed))
    return result, writes.computed


# Rows per INSERT/UPDATE statement (the database's own limit on parameters may make it fewer).
BULK_BATCH = 2000


def _upsert(model: type[models.Model], found, lookup: dict, values: dict):
    """Create, or save only the fields that differ (an unchanged row gets no write and no history)."""
    if found is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(found, name) != value]
    if changed:
        for name in changed:
            setattr(found, name, values[name])
        found.save(update_fields=changed)
    return found


def _bulk_create(model: type[models.Model], rows: list, *, history: bool = False) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql" and _plain_insert(model, history):
        _insert(model, rows)
        if history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _insert_history(model, rows)
    elif history:
        bulk_create_with_history(rows, model, batch_size=BULK_BATCH)
    else:
        model.objects.bulk_create(rows, batch_size=BULK_BATCH)


# The columns of a historical row that are not the tracked fields' copies.
_HISTORY_COLUMNS = {"history_date", "history_change_reason", "history_type", "history_user_id"}


def _written_fields(model: type[models.Model]) -> list:
    """The columns an INSERT gives: not the key, not a column the database generates."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    ]


def _plain_insert(model: type[models.Model], history: bool) -> bool:
    """Whether the rows' values may go to PostgreSQL as they are on the instances: no field computes
    its value when saved (auto_now), and a historical row holds only the copies and the usual four."""
    fields = _written_fields(model)
    if any(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) for field in fields):
        return False
    if history:
        historical = model.history.model
        tracked = {field.attname for field in historical.tracked_fields}
        columns = {field.attname for field in historical._meta.concrete_fields if not field.primary_key}
        return columns <= tracked | _HISTORY_COLUMNS
    return True


def _insert(model: type[models.Model], rows: list, constants: dict | None = None) -> list[int]:
    """INSERT the instances' values, the new keys set on the instances; with `constants` (column
    attname → one value for every row; historical rows), the rows get their keys from the table and
    the other values come from the instances: bulk_create without the ORM's per-value preparation,
    which on 10,000 objectives costs more than the database's work. PostgreSQL only. With COPY
    (_copy) when every value has a COPY text, else in pages of BULK_BATCH rows, RETURNING the keys."""
    from psycopg2.extras import Json

    keyed = constants is None
    constants = constants or {}
    fields = _written_fields(model)
    # The columns read on the instances, then those of one value for all.
    fields = [f for f in fields if f.attname not in constants] + [f for f in fields if f.attname in constants]
    read = [field.attname for field in fields if field.attname not in constants]
    fixed = [constants[field.attname] for field in fields if field.attname in constants]
    getter = operator.attrgetter(*read) if len(read) > 1 else (lambda obj: (getattr(obj, read[0]),))
    json_fields = [(index, field.encoder) for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    if any(index >= len(read) for index, _ in json_fields):  # never: a constant JSON column
        raise ValueError("constant JSON column")

    def values_of(obj, encode) -> list:
        values = [*getter(obj), *fixed]
        for index, encoder in json_fields:
            if values[index] is not None:
                values[index] = encode(values[index], encoder)
        return values

    keys = _copy(model, rows, fields, lambda obj: values_of(obj, _json_text), keyed)
    if keys is not None:
        return keys
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK_BATCH):
            page = rows[start : start + BULK_BATCH]
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row_marks] * len(page))}"
                f" RETURNING {quote(model._meta.pk.column)}"
            )
            wrap = lambda data, encoder: Json(data, dumps=lambda data: _json_text(data, encoder))  # noqa: E731
            cursor.execute(sql, [value for obj in page for value in values_of(obj, wrap)])
            keys += [row[0] for row in cursor.fetchall()]
    if keyed:
        _set_keys(rows, keys)
    return keys


def _json_text(data, encoder) -> str:
    return json.dumps(data, cls=encoder)


def _copy(model: type[models.Model], rows: list, fields: list, values_of, keyed: bool) -> list[int] | None:
    """_insert with COPY (facts.copy_in), cheaper than INSERT for this process and the server; the
    keys, when `keyed`, taken from the table's sequence beforehand. None, and nothing written, when
    a value has no COPY text."""
    lines = facts.copy_lines(values_of(obj) for obj in rows)
    if lines is None:
        return None
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [field.column for field in fields]
    keys: list[int] = []
    if keyed:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(rows)]
            )
            keys = sorted(row[0] for row in cursor.fetchall())
        lines = [f"{key}\t{line}" for key, line in zip(keys, lines, strict=True)]
        columns.insert(0, pk)
    facts.copy_in(connection, table, columns, lines)
    if keyed:
        _set_keys(rows, keys)
    return keys


def _set_keys(rows: list, keys: list[int]) -> None:
    for obj, key in zip(rows, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


def _insert_history(model: type[models.Model], rows: list) -> None:
    """The "+" historical row of each new instance, as simple_history's bulk_create_with_history writes it."""
    historical = model.history.model
    user = historical.get_default_history_user(rows[0])
    extra = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    _insert(historical, rows, constants=extra)


def _bulk_update(model: type[models.Model], rows: list, fields, *, history: bool = False) -> None:
    if not rows:
        return
    fields = sorted(fields)
    if history:
        bulk_update_with_history(rows, model, fields, batch_size=BULK_BATCH)
    else:
        model.objects.bulk_update(rows, fields, batch_size=BULK_BATCH)


def _set_changed(found, values: dict) -> list[str]:
    """Set on `found` the values that differ; the names of those fields."""
    changed = [name for name, value in values.items() if getattr(found, name) != value]
    for name in changed:
        setattr(found, name, values[name])
    return changed


def _bulk_upsert(model: type[models.Model], rows, *, history: bool = False) -> list:
    """_upsert for many rows, (found or None, lookup, values) each, in one INSERT and one UPDATE."""
    result, new, changed, fields = [], [], [], set()
    for found, lookup, values in rows:
        if found is None:
            found = model(**lookup, **values)
            new.append(found)
        else:
            names = _set_changed(found, values)
            if names:
                changed.append(found)
                fields.update(names)
        result.append(found)
    _bulk_create(model, new, history=history)
    _bulk_update(model, changed, fields, history=history)
    return result


def _store_responsabili(rows: list[tuple[str, str]]) -> list[Responsabile]:
    existing = {r.code: r for r in Responsabile.objects.filter(code__in=[code for code, _ in rows])}
    return _bulk_upsert(
        Responsabile,
        [
            (existing.get(code), {"code": code}, {"description": description, "print_order": order})
            for order, (code, description) in enumerate(rows, start=1)
        ],
    )


def _store_heads(objectives: list[ParsedObjective]) -> dict[str, Dirigente]:
    honorifics: dict[str, str] = {}
    for objective in objectives:  # a head's honorific as first printed
        if objective.head_name:
            honorifics.setdefault(objective.head_name, objective.head_honorific)
    existing = {d.name: d for d in Dirigente.objects.filter(name__in=honorifics)}
    heads = _bulk_upsert(
        Dirigente,
        [(existing.get(name), {"name": name}, {"honorific": honorific}) for name, honorific in honorifics.items()],
    )
    return {head.name: head for head in heads}


def _store_units(objectives: list[ParsedObjective], heads: dict[str, Dirigente], responsabili) -> dict[str, Settore]:
    """The plan's units in print order, each with its kind, head, role and own code."""
    by_name = {}
    for responsabile in responsabili:
        by_name.setdefault(_normalise_unit_name(responsabile.description), responsabile)
    first: dict[str, ParsedObjective] = {}
    for objective in objectives:
        first.setdefault(objective.unit, objective)
    existing = {s.name: s for s in Settore.objects.filter(name__in=first)}
    rows = []
    for print_order, (name, parsed) in enumerate(first.items(), start=1):
        head = heads.get(parsed.head_name)
        code = by_name.get(_normalise_unit_name(name))
        values = {
            "kind": parsed.unit_kind,
            "head_id": head.pk if head else None,
            "head_role": parsed.head_role,
            "responsabile_id": code.pk if code else None,
            "print_order": print_order,
        }
        rows.append((existing.get(name), {"name": name}, values))
    return {settore.name: settore for settore in _bulk_upsert(Settore, rows)}


def _normalise_unit_name(name: str) -> str:
    name = re.sub(r"^RESPONSABILE\s+", "", name.upper())
    words = re.sub(r"[^A-Z0-9À-Ý]+", " ", name).split()
    return " ".join(_UNIT_NAME_SYNONYMS.get(word, word) for word in words)


class _Writes:
    """What the plan writes, collected objective by objective and written table by table (flush)."""

    def __init__(self, known_codes: dict[str, Responsabile]):
        self.known_codes = known_codes
        self.new_objectives: list[tuple[Obiettivo, ParsedObjective]] = []
        self.changed_objectives: list[Obiettivo] = []
        self.objective_fields: set[str] = set()
        self.reordered: list[Obiettivo] = []
        # Children of objectives already stored whose plan changes.
        self.children: list[tuple[Obiettivo, ParsedObjective, _Change]] = []
        # The stored figures of the new objectives, computed before they are inserted; their ids.
        self.unsaved = facts.Unsaved()
        self.computed: set[int] = set()

    def objective(self, peg, settore, head, parsed: ParsedObjective, order: int, obiettivo, change) -> None:
        if obiettivo is not None and not change.changes_plan:
            if obiettivo.print_order != order:
                # Where the card sits in the printed plan is no change to it, even once validated.
                obiettivo.print_order = order
                self.reordered.append(obiettivo)
            return
        values = {
            "dirigente_id": head.pk if head else None,
            "title": parsed.title,
            "title_detail": parsed.title_detail,
            "final_deadline_text": parsed.final_deadline_text,
            "final_deadline": parse_date(parsed.final_deadline_text),
            "headings": parsed.headings,
            "print_order": order,
        }
        values.update({name: parsed.texts.get(name, "") for name in TEXT_FIELDS})
        values.update(parsed.scoring or {})
        if obiettivo is None:
            self.new_objectives.append((Obiettivo(peg=peg, settore=settore, code=parsed.code, **values), parsed))
            return
        names = _set_changed(obiettivo, values)
        if names:
            self.changed_objectives.append(obiettivo)
            self.objective_fields.update(names)
        self.children.append((obiettivo, parsed, change))

    @property
    def written(self) -> bool:
        return bool(self.new_objectives or self.changed_objectives or self.children)

    def flush(self) -> None:
        # The new objectives' phases, and the stored figures of both, before the INSERT: the rows go
        # in with their figures, and the figures' refresh (facts.refresh_peg) skips them.
        new_phases: list[tuple[Fase, list[str]]] = []
        for obiettivo, parsed in self.new_objectives:
            phases = [(_new_phase(obiettivo, phase, order), phase.codes) for order, phase in _ordered(parsed)]
            tranches = [
                Annualita(year=tranche.year, deadline=parse_date(tranche.deadline_text)) for tranche in parsed.tranches
            ]
            self.unsaved.compute(obiettivo, [fase for fase, _ in phases], tranches)
            new_phases += phases
        _bulk_create(Obiettivo, [obiettivo for obiettivo, _ in self.new_objectives], history=True)
        _bulk_update(Obiettivo, self.changed_objectives, self.objective_fields, history=True)
        _bulk_update(Obiettivo, self.reordered, ["print_order"])
        for fase, _ in new_phases:
            fase.obiettivo = fase.obiettivo  # its key, now that the objective has one

        changed_phases: list[Fase] = []
        recited: list[tuple[Fase, list[str]]] = []
        removed_phases: list[Fase] = []
        tranches = _TrancheWrites()
        indicators = _IndicatorWrites()
        for obiettivo, parsed in self.new_objectives:
            tranches.plan(obiettivo, parsed.tranches, {})
            if parsed.indicators is not None:
                indicators.plan(obiettivo, parsed.indicators, {})
        for obiettivo, parsed, change in self.children:
            existing = {fase.label: fase for fase in obiettivo.fasi.all()}
            removed_phases += change.removed_phases
            for order, phase in _ordered(parsed):
                fase = existing.get(phase.label)
                if fase is None:
                    new_phases.append((_new_phase(obiettivo, phase, order), phase.codes))
                    continue
                if fase.sort_order == order and _phase_plan(phase) == _stored_phase_plan(fase):
                    continue
                stored_codes = sorted(r.code for r in fase.responsabili.all())
                _set_phase_plan(fase, phase, order)
                changed_phases.append(fase)
                if sorted(phase.codes) != stored_codes:
                    recited.append((fase, phase.codes))
            tranches.plan(obiettivo, parsed.tranches, {t.year: t for t in obiettivo.tranches.all()})
            if parsed.indicators is not None:
                indicators.plan(obiettivo, parsed.indicators, {i.name: i for i in obiettivo.indicatori.all()})

        for fase in removed_phases:
            fase.delete()  # one by one: the deletion is recorded in the phase's history
        _bulk_create(Fase, [fase for fase, _ in new_phases], history=True)
        # Only the plan's columns: the progress of the phase is the workflow's.
        _bulk_update(Fase, changed_phases, _FASE_PLAN_FIELDS, history=True)
        through = Fase.responsabili.through
        if recited:
            through.objects.filter(fase_id__in=[fase.pk for fase, _ in recited]).delete()
        cited = [(fase.pk, self.known_codes[code].pk) for fase, codes in [*new_phases, *recited] for code in codes]
        table = through._meta.db_table
        columns = [through._meta.get_field(name).column for name in ("fase", "responsabile")]
        copied = connection.vendor == "postgresql" and facts.copy_rows(connection, table, columns, cited)
        if not copied:
            through.objects.bulk_create(
                [through(fase_id=fase_id, responsabile_id=code_id) for fase_id, code_id in cited],
                batch_size=BULK_BATCH,
            )
        tranches.flush()
        indicators.flush()
        self.computed = self.unsaved.store()


def _ordered(parsed: ParsedObjective):
    return enumerate(parsed.phases, start=1)


def _new_phase(obiettivo: Obiettivo, phase: ParsedPhase, order: int) -> Fase:
    fase = Fase(obiettivo=obiettivo, label=phase.label)
    _set_phase_plan(fase, phase, order)
    return fase


def _set_phase_plan(fase: Fase, phase: ParsedPhase, order: int) -> None:
    fase.sort_order = order
    fase.description = phase.description
    fase.weight = phase.weight
    fase.year = phase.year
    fase.responsabili_text = phase.responsabili_text
    fase.set_deadline(phase.deadline_text)


_FASE_PLAN_FIELDS = [
    "sort_order",
    "description",
    "weight",
    "year",
    "responsabili_text",
    "deadline_text",
    "deadline_kind",
    "deadline_date",
    "deadline_offset_days",
    "deadline_offset_months",
    "deadline_anchor_label",
    "deadline_anchor_date",
]


class _TrancheWrites:
    """The annualità of the objectives written, by year: added, changed, and those no longer printed."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.stale: list[int] = []

    def plan(self, obiettivo: Obiettivo, tranches: list[ParsedTranche], existing: dict[int, Annualita]) -> None:
        years = {tranche.year for tranche in tranches}
        self.stale += [stale.pk for year, stale in existing.items() if year not in years]
        for tranche in tranches:
            values = {
                "label": tranche.label,
                "deadline_text": tranche.deadline_text,
                "deadline": parse_date(tranche.deadline_text),
            }
            self.rows.append((existing.get(tranche.year), {"obiettivo": obiettivo, "year": tranche.year}, values))

    def flush(self) -> None:
        if self.stale:
            Annualita.objects.filter(pk__in=self.stale).delete()
        _bulk_upsert(Annualita, self.rows)


class _IndicatorWrites:
    """The objectives' indicators as the plan lists them, matched by name: the plan side is written,
    the values recorded by the head and the Nucleo are kept; an indicator no longer listed goes."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.stale: list[Indicatore] = []

    def plan(self, obiettivo: Obiettivo, parsed: list[ParsedIndicator], existing: dict[str, Indicatore]) -> None:
        names = {indicator.name for indicator in parsed}
        self.stale += [stale for name, stale in existing.items() if name not in names]
        for order, indicator in enumerate(parsed, start=1):
            values = {**_indicator_plan_values(indicator), "sort_order": order}
            del values["name"]
            self.rows.append((existing.get(indicator.name), {"obiettivo": obiettivo, "name": indicator.name}, values))

    def flush(self) -> None:
        for stale in self.stale:
            stale.delete()  # one by one: the deletion is recorded in the indicator's history
        _bulk_upsert(Indicatore, self.rows, history=True)


def store_indicators(obiettivo: Obiettivo, parsed: list[ParsedIndicator]) -> None:
    """The objective's indicators as `parsed` lists them (see _IndicatorWrites)."""
    writes = _IndicatorWrites()
    writes.plan(obiettivo, parsed, {indicatore.name: indicatore for indicatore in obiettivo.indicatori.all()})
    writes.flush()


# --- export: the plan's open-data form ------------------------------------------------------------


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def export_plan(year: int) -> dict:
    """The plan as JSON-ready data; import_plan(plan_from_export(...)) gives the same plan back."""
    peg = Peg.objects.get(year=year)
    objectives = peg.obiettivi.with_card_data().in_print_order()
    catalogue = Responsabile.objects.order_by("print_order", "code")
    return {
        "year": peg.year,
        "title": peg.title,
        "status": peg.status,
        "ente": peg.ente,
        "card_header": peg.card_header,
        "publisher": peg.publisher,
        "responsabili_title": peg.responsabili_title,
        "responsabili": [{"code": r.code, "description": r.description} for r in catalogue],
        "objectives": [_export_objective(obiettivo) for obiettivo in objectives],
    }


def _export_objective(obiettivo: Obiettivo) -> dict:
    settore = obiettivo.settore
    head = obiettivo.head
    phases = list(obiettivo.fasi.all())
    by_label = {fase.label: fase for fase in phases}
    data = {
        "unit": settore.name,
        "unit_kind": settore.get_kind_display(),
        "unit_code": settore.responsabile.code if settore.responsabile else None,
        "manager": head.display_name if head else "",
        "manager_honorific": head.honorific if head else "",
        "manager_name": head.name if head else "",
        "manager_role": settore.get_head_role_display(),
        "code": obiettivo.code,
        "title": obiettivo.title,
        "title_detail": obiettivo.title_detail,
    }
    data.update({name: getattr(obiettivo, name) for name in TEXT_FIELDS})
    data.update(
        {
            "headings": dict(sorted(obiettivo.headings.items())),
            "final_deadline": obiettivo.final_deadline_text,
            "final_deadline_date": _iso(obiettivo.final_deadline),
            "tranches": [
                {"year": t.year, "label": t.label, "deadline": t.deadline_text, "deadline_date": _iso(t.deadline)}
                for t in obiettivo.tranches.all()
            ],
            "phases": [
                {
                    "label": fase.label,
                    "description": fase.description,
                    "weight": _number(fase.weight),
                    "year": fase.year,
                    "responsabili": [r.code for r in sorted(fase.responsabili.all(), key=_code_order)],
                    "responsabili_text": fase.responsabili_text,
                    "deadline": fase.deadline_text,
                    "deadline_kind": fase.deadline_kind,
                    "due_date": _iso(fase.due_date(by_label)),
                }
                for fase in phases
            ],
            "score_mode": obiettivo.score_mode,
            "indicator_cap": _number(obiettivo.indicator_cap),
            "phase_share": _number(obiettivo.phase_share),
            "result_indicators": [_export_indicator(indicatore) for indicatore in obiettivo.indicatori.all()],
        }
    )
    return data


def _export_indicator(indicatore: Indicatore) -> dict:
    def value(which: str):
        typed = indicatore.value(which)
        if isinstance(typed, dt.date):
            return typed.isoformat()
        return typed if isinstance(typed, bool) or typed is None else _number(typed)

    return {
        "name": indicatore.name,
        "kind": indicatore.kind,
        "unit": indicatore.unit,
        "baseline": value("baseline"),
        "baseline_period": indicatore.baseline_period,
        "target": value("target"),
        "direction": indicatore.direction,
        "data_source": indicatore.data_source,
        "card_text": indicatore.card_text,
        "counts": indicatore.counts,
    }


def _code_order(responsabile: Responsabile):
    return (responsabile.print_order, responsabile.code)


def export_plan_json(year: int) -> str:
    return json.dumps(export_plan(year), ensure_ascii=False, indent=2) + "\n"


# --- the structured indicators of a plan already imported (fixtures/peg_2021_indicators.json) -----


def load_indicators_file(path) -> int:
    """Add the indicators a file lists to the objectives of an imported plan; returns how many were added.

    The file: {"year": 2021, "objectives": [{"unit": "…", "code": "A", "result_indicators": [ …as in the
    export… ]}]}. An objective is found by the PEG's year, its unit's name and its code. Every
    value is checked as the import checks it; one bad value refuses the whole file (PegDocumentError).
    An indicator already present (by name) is left as it is, with its values: loading twice adds
    nothing, and what was edited since is kept. Objectives no longer open are not touched.
    """
    from pathlib import Path

    from objectives.parsing import _indicator_from_export, _integer, _objects, _text, load_json

    data = load_json(decode_plan(Path(path).read_bytes()).removeprefix(BOM))
    if not isinstance(data, dict):
        raise PegDocumentError(1, "il file degli indicatori deve essere un oggetto {…} con «year» e «objectives».")
    year = _integer(data, "year")
    wanted = []
    for item in _objects(data, "objectives"):
        unit, code = _text(item, "unit", required=True), _text(item, "code", required=True)
        parsed = [_indicator_from_export(indicator) for indicator in _objects(item, "result_indicators")]
        names: set[str] = set()
        for indicator in parsed:
            _check_indicator(indicator, item.line)
            if indicator.name in names:
                raise PegDocumentError(indicator.line, f"l'indicatore «{_excerpt(indicator.name)}» compare due volte.")
            names.add(indicator.name)
        obiettivo = Obiettivo.objects.filter(peg__year=year, settore__name=unit, code=code).first()
        if obiettivo is None:
            raise PegDocumentError(
                item.line, f"nel PEG {year} non c'è l'obiettivo {_excerpt(code)} di «{_excerpt(unit)}»."
            )
        wanted.append((obiettivo, parsed))
    added = 0
    with transaction.atomic():
        for obiettivo, parsed in wanted:
            if not access.plan_is_editable(obiettivo):
                continue
            present = set(obiettivo.indicatori.values_list("name", flat=True))
            for order, indicator in enumerate(parsed, start=1):
                if indicator.name not in present:
                    values = _indicator_plan_values(indicator)
                    Indicatore.objects.create(obiettivo=obiettivo, sort_order=order, **values)
                    added += 1
    return added
