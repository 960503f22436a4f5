"""Writes and whole-plan reads of the PEG: import (document or open-data JSON) and export.

Import is one transaction: a malformed document raises PegDocumentError and stores nothing.
Importing the same document again updates in place (no duplicates) and keeps every phase's
progress and the Nucleo's corrections, which are not part of the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from objectives.deadlines import parse_date
from objectives.models import CARD_TEXT_FIELDS, Annualita, Fase, Obiettivo, Peg, weight_errors
from objectives.parsing import (
    ParsedObjective,
    ParsedPhase,
    ParsedPlan,
    ParsedTranche,
    PegDocumentError,
    parse_document,
)
from sectors.models import Dirigente, HeadRole, Responsabile, Settore, SettoreKind

TEXT_FIELDS = [name for name, _ in CARD_TEXT_FIELDS]
# Abbreviations the document uses in unit names but not in the Elenco Responsabili.
_UNIT_NAME_SYNONYMS = {"LLPP": "LAVORI PUBBLICI"}


@dataclass(frozen=True)
class ImportResult:
    peg: Peg
    units: int
    objectives: int
    phases: int
    responsabili: int

    def summary(self) -> str:
        return (
            f"PEG {self.peg.year} importato: {self.units} strutture, {self.objectives} obiettivi, "
            f"{self.phases} fasi, {self.responsabili} codici responsabili."
        )


def read_plan(text: str) -> ParsedPlan:
    """A PEG document in the printed format, or the JSON of export_plan()."""
    if text.lstrip().startswith("{"):
        return plan_from_export(json.loads(text))
    return parse_document(text)


def import_plan_text(text: str) -> ImportResult:
    return import_plan(read_plan(text))


@transaction.atomic
def import_plan(plan: ParsedPlan) -> ImportResult:
    _check_plan(plan)
    peg, _ = Peg.objects.update_or_create(
        year=plan.year,
        defaults={
            "ente": plan.ente,
            "title": plan.title,
            "status": plan.status,
            "publisher": plan.publisher,
            "card_header": plan.card_header,
            "responsabili_title": plan.responsabili_title,
        },
    )
    codes = _store_responsabili(plan.responsabili)
    known_codes = {r.code: r for r in Responsabile.objects.exclude(code__in=codes)} | codes

    units: dict[str, Settore] = {}
    heads: dict[str, Dirigente] = {}
    kept_objectives: list[int] = []
    phase_count = 0
    for order, parsed in enumerate(plan.objectives, start=1):
        head = heads.get(parsed.head_name)
        if head is None:
            head, _ = Dirigente.objects.update_or_create(
                name=parsed.head_name, defaults={"honorific": parsed.head_honorific}
            )
            heads[parsed.head_name] = head
        settore = units.get(parsed.unit)
        if settore is None:
            settore, _ = Settore.objects.update_or_create(
                name=parsed.unit,
                defaults={
                    "kind": parsed.unit_kind,
                    "head": head,
                    "head_role": parsed.head_role,
                    "responsabile": _unit_code(parsed.unit, known_codes.values()),
                    "print_order": len(units) + 1,
                },
            )
            units[parsed.unit] = settore
        obiettivo = _store_objective(peg, settore, head, parsed, order)
        phase_count += _store_phases(obiettivo, parsed.phases, known_codes)
        _store_tranches(obiettivo, parsed.tranches)
        kept_objectives.append(obiettivo.pk)

    # The document is the plan of its year: objectives it no longer lists are removed (history keeps them).
    for stale in peg.obiettivi.exclude(pk__in=kept_objectives):
        stale.delete()
    return ImportResult(peg, len(units), len(plan.objectives), phase_count, len(codes))


def _check_plan(plan: ParsedPlan) -> None:
    catalogue = {code for code, _ in plan.responsabili} | set(Responsabile.objects.values_list("code", flat=True))
    for objective in plan.objectives:
        for phase in objective.phases:
            unknown = [code for code in phase.codes if code not in catalogue]
            if unknown:
                raise PegDocumentError(
                    phase.line,
                    f"codice responsabile {', '.join(unknown)} della fase {phase.label} non presente "
                    "nell'Elenco Responsabili.",
                )
        errors = weight_errors(objective.phases)
        if errors:
            raise PegDocumentError(objective.line, f"obiettivo {objective.code} di «{objective.unit}»: {errors[0]}")


def _store_responsabili(rows: list[tuple[str, str]]) -> dict[str, Responsabile]:
    stored = {}
    for order, (code, description) in enumerate(rows, start=1):
        stored[code], _ = Responsabile.objects.update_or_create(
            code=code, defaults={"description": description, "print_order": order}
        )
    return stored


def _normalise_unit_name(name: str) -> str:
    name = re.sub(r"^RESPONSABILE\s+", "", name.upper())
    words = re.sub(r"[^A-Z0-9À-Ý]+", " ", name).split()
    return " ".join(_UNIT_NAME_SYNONYMS.get(word, word) for word in words)


def _unit_code(unit_name: str, responsabili) -> Responsabile | None:
    """The unit's own code in the Elenco Responsabili, matched on the name (LLPP = LAVORI PUBBLICI)."""
    wanted = _normalise_unit_name(unit_name)
    for responsabile in responsabili:
        if _normalise_unit_name(responsabile.description) == wanted:
            return responsabile
    return None


def _store_objective(peg: Peg, settore: Settore, head: Dirigente, parsed: ParsedObjective, order: int) -> Obiettivo:
    values = {
        "dirigente": head,
        "title": parsed.title,
        "title_detail": parsed.title_detail,
        "final_deadline_text": parsed.final_deadline_text,
        "final_deadline": parse_date(parsed.final_deadline_text),
        "headings": parsed.headings,
        "print_order": order,
    }
    values.update({name: parsed.texts.get(name, "") for name in TEXT_FIELDS})
    obiettivo, _ = Obiettivo.objects.update_or_create(peg=peg, settore=settore, code=parsed.code, defaults=values)
    return obiettivo


def _store_phases(obiettivo: Obiettivo, phases: list[ParsedPhase], known_codes: dict[str, Responsabile]) -> int:
    existing = {fase.label: fase for fase in obiettivo.fasi.all()}
    # Phases the document no longer lists go first (the history keeps them).
    wanted = {phase.label for phase in phases}
    for label, fase in list(existing.items()):
        if label not in wanted:
            fase.delete()
            del existing[label]
    for order, phase in enumerate(phases, start=1):
        fase = existing.get(phase.label) or Fase(obiettivo=obiettivo, label=phase.label)
        fase.sort_order = order
        fase.description = phase.description
        fase.weight = phase.weight
        fase.year = phase.year
        fase.responsabili_text = phase.responsabili_text
        fase.set_deadline(phase.deadline_text)
        fase.save()
        fase.responsabili.set([known_codes[code] for code in phase.codes])
    return len(phases)


def _store_tranches(obiettivo: Obiettivo, tranches: list[ParsedTranche]) -> None:
    years = [tranche.year for tranche in tranches]
    obiettivo.tranches.exclude(year__in=years).delete()
    for tranche in tranches:
        Annualita.objects.update_or_create(
            obiettivo=obiettivo,
            year=tranche.year,
            defaults={
                "label": tranche.label,
                "deadline_text": tranche.deadline_text,
                "deadline": parse_date(tranche.deadline_text),
            },
        )


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
        }
    )
    return data


def _code_order(responsabile: Responsabile):
    return (responsabile.print_order, responsabile.code)


def export_plan_json(year: int) -> str:
    return json.dumps(export_plan(year), ensure_ascii=False, indent=2) + "\n"


_KIND_BY_LABEL = {label: value for value, label in SettoreKind.choices}
_ROLE_BY_LABEL = {label: value for value, label in HeadRole.choices}


def plan_from_export(data: dict) -> ParsedPlan:
    """Read back export_plan()'s JSON; a missing key is reported like a malformed document."""
    try:
        plan = ParsedPlan(
            year=int(data["year"]),
            ente=data.get("ente", ""),
            title=data["title"],
            status=data.get("status", "provvisorio"),
            publisher=data.get("publisher", ""),
            card_header=data.get("card_header", ""),
            responsabili_title=data.get("responsabili_title", ""),
            responsabili=[(r["code"], r["description"]) for r in data.get("responsabili", [])],
        )
        for number, item in enumerate(data["objectives"], start=1):
            plan.objectives.append(_objective_from_export(item, number))
    except (KeyError, TypeError, ValueError) as exc:
        raise PegDocumentError(0, f"JSON del PEG non valido: campo mancante o errato ({exc}).") from None
    return plan


def _objective_from_export(item: dict, number: int) -> ParsedObjective:
    if item["unit_kind"] not in _KIND_BY_LABEL or item["manager_role"] not in _ROLE_BY_LABEL:
        raise ValueError(f"obiettivo n. {number}: tipo di struttura o qualifica sconosciuti")
    return ParsedObjective(
        unit=item["unit"],
        unit_kind=_KIND_BY_LABEL[item["unit_kind"]],
        head_role=_ROLE_BY_LABEL[item["manager_role"]],
        head_honorific=item.get("manager_honorific", ""),
        head_name=item.get("manager_name") or item["manager"],
        code=item["code"],
        title=item["title"],
        title_detail=item.get("title_detail", ""),
        texts={name: item.get(name, "") for name in TEXT_FIELDS},
        headings=item.get("headings", {}),
        final_deadline_text=item.get("final_deadline", ""),
        tranches=[
            ParsedTranche(t["year"], t.get("label", ""), t.get("deadline", "")) for t in item.get("tranches", [])
        ],
        phases=[
            ParsedPhase(
                label=p["label"],
                description=p["description"],
                weight=None if p["weight"] is None else Decimal(str(p["weight"])),
                year=int(p["year"]),
                codes=list(p.get("responsabili", [])),
                responsabili_text=p.get("responsabili_text", ""),
                deadline_text=p.get("deadline", ""),
            )
            for p in item["phases"]
        ],
        line=number,
    )
