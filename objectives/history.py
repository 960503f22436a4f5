# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The change history of an objective, its phases and their attachments, as the objective page shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from objectives.models import FASE_PROGRESS_FIELDS, Allegato, Fase, Obiettivo


@dataclass
class HistoryRow:
    when: dt.datetime
    who: object
    what: str
    changes: list[tuple[str, str, str]]
    reason: str = ""


HISTORY_TYPES = {"+": "Creazione", "~": "Modifica", "-": "Eliminazione"}
OBJECTIVE_WORKFLOW_FIELDS = ["status", "validated_score", "validated_on"]


FIRST_CHANGE_FIELDS = {Obiettivo: OBJECTIVE_WORKFLOW_FIELDS, Fase: FASE_PROGRESS_FIELDS}


def _display(record, model_field) -> str:
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def _diff(model, previous, record, first_fields: list[str] | None) -> list[tuple[str, str, str]]:
    changes = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.name not in {f.name for f in record._meta.fields}:
            continue
        label = str(model_field.verbose_name)
        if previous is None:
            shown = _display(record, model_field)
            if first_fields is not None and model_field.name in first_fields and shown != "—":
                changes.append((label, "", shown))
            continue
        if getattr(previous, model_field.attname) != getattr(record, model_field.attname):
            changes.append((label, _display(previous, model_field), _display(record, model_field)))
    return changes


def _rows_for(model, records, describe) -> list[HistoryRow]:
    rows = []
    previous_by_object: dict[int, object] = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        # Loaded plan data has no creation row: its first change shows the workflow fields' values.
        first_fields = FIRST_CHANGE_FIELDS.get(model) if record.history_type == "~" else None
        changes = [] if record.history_type == "+" else _diff(model, previous, record, first_fields)
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=record.history_user,
                what=f"{HISTORY_TYPES.get(record.history_type, 'Modifica')} {describe(record)}",
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
        previous_by_object[record.id] = record
    return rows


def history_rows(obiettivo: Obiettivo, phases: list[Fase]) -> list[HistoryRow]:
    """Every recorded change to the objective, its phases and their attachments, newest first.

    Three queries whatever the number of changes: consecutive versions are compared in memory.
    """
    order = ("history_date", "history_id")
    objective_records = Obiettivo.history.filter(id=obiettivo.pk).select_related("history_user").order_by(*order)
    phase_records = Fase.history.filter(obiettivo_id=obiettivo.pk).select_related("history_user").order_by(*order)
    attachment_records = (
        Allegato.history.filter(fase_id__in=[fase.pk for fase in phases])
        .select_related("history_user")
        .order_by(*order)
    )
    labels = {fase.pk: fase.label for fase in phases}
    rows = (
        _rows_for(Obiettivo, objective_records, lambda record: "dell'obiettivo")
        + _rows_for(Fase, phase_records, lambda record: f"della fase {record.label}")
        + _rows_for(
            Allegato,
            attachment_records,
            lambda record: f"dell'allegato «{record.original_name}» (fase {labels.get(record.fase_id, '?')})",
        )
    )
    return sorted(rows, key=lambda row: row.when, reverse=True)


@dataclass
class PhaseConflict:
    """What another save changed on a phase since a form was opened on `version`."""

    who: object
    when: dt.datetime | None
    changes: list[tuple[str, str, str]]


def changes_since(fase: Fase, version: int) -> PhaseConflict:
    """The saves that moved the phase from `version` to its current one, as one change.

    Every act on the phase's progress bumps `version` and writes one history record, so the last
    (current version - `version`) records are the other saves; they are compared with the record before.
    """
    current = Fase.objects.only("version").get(pk=fase.pk).version
    steps = max(current - version, 1)
    records = list(
        Fase.history.filter(id=fase.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: steps + 1]
    )
    if not records:
        return PhaseConflict(who=None, when=None, changes=[])
    newest = records[0]
    base = records[steps] if len(records) > steps else None
    changes = _diff(Fase, base, newest, FASE_PROGRESS_FIELDS) if base is not None else []
    return PhaseConflict(who=newest.history_user, when=newest.history_date, changes=changes)
