# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Stored figures: what objectives/calculator.py computes, kept on the rows in the same transaction
as every write, so that pages read figures with SQL instead of scoring a whole PEG per request.

    refresh_objectives(ids)  recompute those objectives, their phases and their Andamento rows
    refresh_peg(peg)         the same for every objective of a PEG, in chunks (bounded memory)
    with deferred():         saves inside only collect ids; one refresh at the end of the block
    Unsaved()                the same calculation on objectives about to be inserted (the import)

What is stored (objectives/models.py):
- on each Fase, the year-end row of the calculator: counted, effective due date, its limit, the
  date from which a relative due date is known, earned weight, late;
- on each Obiettivo, the year-end figures (score_objective with on=None: every completion recorded
  so far, up to the PEG's closing date) and the text the list's search reads;
- Andamento: the objective's figures as known at any date, as spans [valid_from, valid_to) over
  which calculator.progress_at gives the same figures. progress_at depends on the date only
  through "completed by the date" (changes on a completion date), "due by the date" (on a due
  date) and "late at the date" (the day after a due date): see _timeline.

The calculator stays the single definition of the rules: this module only evaluates it and stores
the result. Every door writes through a normal save() (workflow, admin, variations, rollover) and
the signals below refresh the objective it touches, in the same transaction; bulk writes (import)
compute the new objectives' figures before inserting them (Unsaved) and call refresh_* for the
rest. Fixtures loaded with loaddata (raw saves) need `manage.py refresh_figures`, which
load_demo_peg runs.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from objectives.calculator import Policy, progress_of, score_objective, tranche_deadline_for, year_limit
from objectives.deadlines import DeadlineKind
from objectives.models import (
    FASE_STORED_FIGURES,
    OBIETTIVO_STORED_FIGURES,
    Andamento,
    Annualita,
    Fase,
    FaseState,
    Indicatore,
    Obiettivo,
    Peg,
    ScoreMode,
)
from sectors.models import Settore

CHUNK = 500
FIRST_DAY = dt.date(1, 1, 1)
OBJECTIVE_FIELDS = OBIETTIVO_STORED_FIGURES
PHASE_FIELDS = FASE_STORED_FIGURES
# The Peg fields the calculator reads: a change of any of them recomputes the whole PEG.
POLICY_FIELDS = [
    "year",
    "late_policy",
    "late_fraction",
    "late_grace_days",
    "late_step_days",
    "late_step_fraction",
    "score_decimals",
    "evaluation_closing_date",
]
ZERO = Decimal("0")

_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("facts_pending", default=None)
_deleting: set[int] = set()


# --- The API ------------------------------------------------------------------------------------


def refresh_objectives(ids: Iterable[int]) -> None:
    """Recompute the stored figures of these objectives (ids of deleted objectives are ignored)."""
    ids = sorted({pk for pk in ids if pk is not None and pk not in _deleting})
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK])


def refresh_peg(peg: Peg, *, computed: Iterable[int] = ()) -> None:
    """Recompute every objective of the PEG (but those `computed` before they were inserted, see
    Unsaved); after a large one, PostgreSQL's planner statistics too."""
    ids = list(Obiettivo.objects.filter(peg=peg).values_list("pk", flat=True))
    computed = set(computed)
    refresh_objectives([pk for pk in ids if pk not in computed])
    if len(ids) >= ANALYZE_FROM and _pending.get() is None:
        _analyze()


# A refresh this large changes the tables enough that PostgreSQL's statistics mislead the pages'
# plans (nested loops over what it thinks are 100 rows) until autovacuum analyses them.
ANALYZE_FROM = 1000


def _analyze() -> None:
    connection = connections[Obiettivo.objects.db]
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Obiettivo, Fase, Andamento)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


class Unsaved:
    """The figures of objectives about to be inserted in bulk (the import), computed on the instances
    beforehand: the INSERT carries them, with their phases', and no UPDATE rewrites the new rows.

        unsaved = Unsaved()
        unsaved.compute(obiettivo, phases, tranches)   # not saved yet; False: left to refresh_*
        ... INSERT the objectives and their phases ...
        ids = unsaved.store()                           # their Andamento rows; their ids

    The same calculation as refresh_objectives (_compute), on the values the rows will hold. Only
    objectives scored by their phases alone (score_mode "phases"): the others read indicators,
    which are inserted after them, and are left to refresh_peg. The phases must have distinct
    sort_order (unsaved, they have no key to break a tie the way the calculator does).
    """

    def __init__(self):
        self._timelines: list[tuple[Obiettivo, list[list]]] = []
        self._policies: dict[int, Policy] = {}

    def compute(self, obiettivo: Obiettivo, phases: list[Fase], tranches: list[Annualita]) -> bool:
        if obiettivo.score_mode != ScoreMode.PHASES:
            return False
        peg = obiettivo.peg
        policy = self._policies.get(id(peg))
        if policy is None:
            policy = self._policies[id(peg)] = Policy.from_peg(peg)
        for fase in phases:
            fase.obiettivo = obiettivo
        rows: list[list] = []
        _compute(obiettivo, phases, tranches, policy, rows)
        self._timelines.append((obiettivo, rows))
        return True

    def store(self) -> set[int]:
        """Once the objectives are inserted: write their Andamento rows; the objectives' ids."""
        ids: set[int] = set()
        page: list[list] = []
        for obiettivo, rows in self._timelines:
            for row in rows:
                row[0] = obiettivo.pk
            page += rows
            ids.add(obiettivo.pk)
            if len(page) >= CHUNK * 4:
                _insert_timeline(page)
                page = []
        _insert_timeline(page)
        self._timelines = []
        return ids


@contextlib.contextmanager
def deferred():
    """Inside the block, refreshes only collect ids; they run once when the block ends normally."""
    if _pending.get() is not None:  # nested: the outer block refreshes
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh_objectives(pending)


# --- The calculation of one chunk ---------------------------------------------------------------


def _refresh_chunk(ids: list[int]) -> None:
    obiettivi = list(Obiettivo.objects.filter(pk__in=ids).select_related("peg", "settore"))
    if not obiettivi:
        return
    phases: dict[int, list[Fase]] = defaultdict(list)
    for fase in Fase.objects.filter(obiettivo_id__in=ids).order_by("obiettivo_id", "sort_order", "pk"):
        phases[fase.obiettivo_id].append(fase)
    tranches: dict[int, list[Annualita]] = defaultdict(list)
    for tranche in Annualita.objects.filter(obiettivo_id__in=ids):
        tranches[tranche.obiettivo_id].append(tranche)
    indicators: dict[int, list[Indicatore]] = defaultdict(list)
    if any(obiettivo.score_mode != ScoreMode.PHASES for obiettivo in obiettivi):
        for indicatore in Indicatore.objects.filter(obiettivo_id__in=ids).order_by("sort_order", "pk"):
            indicators[indicatore.obiettivo_id].append(indicatore)

    changed_phases: list[Fase] = []
    timeline: list[list] = []
    policies: dict[int, Policy] = {}
    for obiettivo in obiettivi:
        _snapshot(obiettivo, OBJECTIVE_FIELDS)
        obiettivo._prefetched_objects_cache = {"indicatori": indicators[obiettivo.pk]}
        own = phases[obiettivo.pk]
        for fase in own:
            fase.obiettivo = obiettivo
        policy = policies.setdefault(obiettivo.peg_id, Policy.from_peg(obiettivo.peg))
        changed_phases.extend(_compute(obiettivo, own, tranches[obiettivo.pk], policy, timeline))

    with transaction.atomic():
        _update(Obiettivo, [o for o in obiettivi if _changed(o, OBJECTIVE_FIELDS)], OBJECTIVE_FIELDS)
        _update(Fase, changed_phases, PHASE_FIELDS)
        Andamento.objects.filter(obiettivo_id__in=ids).delete()
        _insert_timeline(timeline)


def _compute(obiettivo, phases, tranches, policy, timeline: list[list]) -> list[Fase]:
    """Set the figures of one objective and of its phases on the instances, append its Andamento
    rows to `timeline`; the phases whose figures changed."""
    year = obiettivo.peg.year
    deadline = tranche_deadline_for(obiettivo, year, [t for t in tranches if t.year == year])
    changed = _store_year_end(obiettivo, phases, policy, year, deadline)
    _store_latest_tranches(obiettivo, tranches, year)
    obiettivo.calc_unit_order = obiettivo.settore.print_order
    timeline.extend(_timeline(obiettivo, phases, policy, year, deadline))
    return changed


def _snapshot(instance, names) -> None:
    instance._facts_before = tuple(getattr(instance, name) for name in names)


def _changed(instance, names) -> bool:
    return getattr(instance, "_facts_before", None) != tuple(getattr(instance, name) for name in names)


def _update(model, instances, names) -> None:
    """UPDATE these columns of these rows: no signal, no history row (they are derived, not acts).
    QuerySet.bulk_update builds a CASE per column and row, which costs more than the calculation."""
    if not instances:
        return
    fields = [model._meta.get_field(name) for name in names]
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    rows = [
        [*(field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields), instance.pk]
        for instance in instances
    ]
    if connection.vendor == "postgresql":
        # One statement per page of rows: UPDATE … FROM (VALUES …), each value cast to its column's type.
        columns = [quote(field.column) for field in fields]
        assignments = ", ".join(f"{column} = v.{column}" for column in columns)
        names_list = ", ".join([*columns, "pk"])
        sql = f"UPDATE {table} SET {assignments} FROM (VALUES %s) AS v({names_list}) WHERE {table}.{pk} = v.pk"
        casts = [field.db_type(connection) for field in fields] + [model._meta.pk.rel_db_type(connection)]
        _execute_values(connection, sql, rows, casts)
        return
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)


def _execute_values(connection, sql: str, rows: list, casts: list[str]) -> None:
    """psycopg2's execute_values: pages of rows in one statement each (executemany sends one per row)."""
    from psycopg2.extras import execute_values

    template = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, template=template, page_size=1000)


def _store_year_end(obiettivo, phases, policy, year, deadline) -> list[Fase]:
    """Set the objective's year-end figures and its phases' facts; the phases whose facts changed."""
    score = score_objective(obiettivo, phases, policy, year=year, tranche_deadline=deadline)
    counted = [row for row in score.rows if row.counted]
    obiettivo.calc_score = score.score
    obiettivo.calc_error = score.error[:500]
    obiettivo.calc_evaluable_weight = score.evaluable_weight
    obiettivo.calc_earned_weight = score.earned_weight
    obiettivo.calc_done_weight = sum((row.weight for row in counted if row.completed_on is not None), ZERO)
    obiettivo.calc_late_weight = sum((row.weight for row in counted if row.late), ZERO)
    obiettivo.calc_late_count = sum(1 for row in counted if row.late)
    obiettivo.search_text = search_text(obiettivo, phases)

    limit = year_limit(obiettivo, year, deadline).date
    by_label = {fase.label: fase for fase in phases}
    changed = []
    for row in score.rows:
        fase = row.fase
        facts = {
            "calc_counted": row.counted,
            "calc_due": row.due_date,
            "calc_due_known_from": _due_known_from(fase, by_label) if row.printed_due else None,
            "calc_limit": limit,
            "calc_earned": row.earned,
            "calc_late": row.late,
        }
        if any(getattr(fase, name) != value for name, value in facts.items()):
            for name, value in facts.items():
                setattr(fase, name, value)
            changed.append(fase)
    return changed


def _store_latest_tranches(obiettivo, tranches, year) -> None:
    dated = [tranche for tranche in tranches if tranche.deadline is not None]
    obiettivo.calc_latest_tranche = max((t.deadline for t in dated), default=None)
    obiettivo.calc_latest_year_tranche = max((t.deadline for t in dated if t.year == year), default=None)


def _due_known_from(fase: Fase, by_label: dict[str, Fase]) -> dt.date | None:
    """The completion date of the phase a relative due date counts from (None: known from the start)."""
    if fase.deadline_kind != DeadlineKind.AFTER_PHASE:
        return None
    anchor = by_label.get(fase.deadline_anchor_label)
    if anchor is None or anchor.state != FaseState.COMPLETATA:
        return None
    return anchor.completed_on


def _figures(progress) -> tuple:
    return (
        progress.score.score,
        progress.evaluable_weight,
        progress.due_weight,
        progress.done_weight,
        progress.due_done_weight,
        progress.on_time_weight,
        len(progress.late),
        len(progress.undetermined),
    )


TIMELINE_COLUMNS = [
    "obiettivo_id",
    "valid_from",
    "valid_to",
    "score",
    "evaluable_weight",
    "due_weight",
    "done_weight",
    "due_done_weight",
    "on_time_weight",
    "late_count",
    "undetermined_count",
]


def _timeline(obiettivo, phases, policy, year, deadline) -> list[list]:
    """The objective's Andamento rows, as lists of TIMELINE_COLUMNS.

    The score is computed once per span between two completion dates (what counts as completed,
    and the relative due dates their anchors resolve, change only then); within a span only
    lateness moves with the date, on a due date and on the day after it (calculator.progress_of).
    """
    completions = sorted(
        {fase.completed_on for fase in phases if fase.state == FaseState.COMPLETATA and fase.completed_on}
    )
    starts = [FIRST_DAY, *(day for day in completions if day > FIRST_DAY)]
    rows: list[list] = []
    last = None
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else dt.date.max
        score = score_objective(obiettivo, phases, policy, year=year, on=start, tranche_deadline=deadline)
        days = {start}
        for row in score.rows:
            if row.counted and row.due_date is not None:
                days.update(day for day in _due_and_next(row.due_date) if start < day < end)
        for day in sorted(days):
            figures = _figures(progress_of(obiettivo, score, day))
            if figures == last:
                continue
            if rows:
                rows[-1][2] = day
            last = figures
            rows.append([obiettivo.pk, day, None, *figures])
    return rows


def _due_and_next(day: dt.date) -> tuple[dt.date, ...]:
    return (day, day + dt.timedelta(days=1)) if day < dt.date.max else (day,)


def _insert_timeline(rows: list[list]) -> None:
    """INSERT the rows: Model instances and bulk_create cost more than computing the rows."""
    if not rows:
        return
    connection = connections[Andamento.objects.db]
    quote = connection.ops.quote_name
    table = quote(Andamento._meta.db_table)
    columns = ", ".join(quote(column) for column in TIMELINE_COLUMNS)
    if connection.vendor == "postgresql" and copy_rows(connection, Andamento._meta.db_table, TIMELINE_COLUMNS, rows):
        return
    if connection.vendor == "postgresql":
        fields = [Andamento._meta.get_field(column.removesuffix("_id")) for column in TIMELINE_COLUMNS]
        casts = [field.db_type(connection) for field in fields]
        _execute_values(connection, f"INSERT INTO {table} ({columns}) VALUES %s", rows, casts)
        return
    marks = ", ".join(["%s"] * len(TIMELINE_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


# COPY's text format: a row per line, tab between values, \\N for NULL, these four escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return str.__str__(value)  # the text itself, also of a str subclass (TextChoices)


def _copy_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise TypeError("not a finite number")
    return str(value)


def _copy_text(value) -> str:
    """A value as COPY's text format writes it; TypeError for a type this does not know."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return _copy_str(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return int.__repr__(int(value))
    if isinstance(value, Decimal):
        return _copy_decimal(value)
    if isinstance(value, dt.date):  # and datetime: ISO 8601, with its offset when aware
        return value.isoformat()
    raise TypeError(f"no COPY text for {type(value).__name__}")


# The classes whose str() is their COPY text (bool: 'True'/'False', which PostgreSQL reads too).
_COPY_AS_STR = frozenset({int, bool, Decimal, dt.date, dt.datetime})


def copy_lines(rows: Iterable[Sequence]) -> list[str] | None:
    """The rows as COPY's text format lines (without their newline); None when a value is of a
    type _copy_text does not know. Millions of values on a large import: the common classes are
    written inline, without a call per value."""
    try:
        return [
            "\t".join(
                [
                    "\\N"
                    if value is None
                    else (
                        value.translate(_COPY_ESCAPES)
                        if ("\\" in value or "\t" in value or "\n" in value or "\r" in value)
                        else value
                    )
                    if value.__class__ is str
                    else str(value)
                    if value.__class__ in _COPY_AS_STR
                    else _copy_text(value)
                    for value in row
                ]
            )
            for row in rows
        ]
    except TypeError:
        return None


def copy_in(connection, table: str, columns: list[str], lines: list[str]) -> None:
    """COPY these lines (copy_lines) into the table's columns (PostgreSQL)."""
    if not lines:
        return
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's errors, as execute() raises
        cursor.cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))


def copy_rows(connection, table: str, columns: list[str], rows: Iterable[Sequence]) -> bool:
    """COPY the rows into the table (PostgreSQL): the cheapest way in for many rows, for this
    process (no statement to build) and for the server (no statement to parse). False, and nothing
    written, when a value is of a type _copy_text does not know: the caller INSERTs instead."""
    lines = copy_lines(rows)
    if lines is None:
        return False
    copy_in(connection, table, columns, lines)
    return True


def search_text(obiettivo: Obiettivo, phases: Iterable[Fase]) -> str:
    """The text the list's search reads: code, title, card texts, unit, phase descriptions."""
    parts = [
        obiettivo.code,
        obiettivo.title,
        obiettivo.title_detail,
        obiettivo.strategic_aims,
        obiettivo.directives,
        obiettivo.expected_result,
        obiettivo.settore.name,
        *(fase.description for fase in phases),
    ]
    return " ".join(" ".join(part.split()) for part in parts if part)


# --- Every door: the signals ---------------------------------------------------------------------


def _objective_of(instance) -> int | None:
    return instance.pk if isinstance(instance, Obiettivo) else getattr(instance, "obiettivo_id", None)


@receiver(post_save, sender=Obiettivo)
@receiver(post_save, sender=Fase)
@receiver(post_save, sender=Annualita)
@receiver(post_save, sender=Indicatore)
def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: `manage.py refresh_figures` afterwards
        refresh_objectives([_objective_of(instance)])


@receiver(pre_delete, sender=Obiettivo)
def _deleting_objective(sender, instance, **kwargs):
    # Its phases are deleted first: their post_delete must not recompute it (and recreate rows).
    _deleting.add(instance.pk)


@receiver(post_delete, sender=Obiettivo)
def _deleted_objective(sender, instance, **kwargs):
    _deleting.discard(instance.pk)


@receiver(post_delete, sender=Fase)
@receiver(post_delete, sender=Annualita)
@receiver(post_delete, sender=Indicatore)
def _deleted(sender, instance, **kwargs):
    refresh_objectives([_objective_of(instance)])


@receiver(pre_save, sender=Peg)
def _peg_policy_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._facts_policy_changed = False
        return
    before = Peg.objects.filter(pk=instance.pk).values(*POLICY_FIELDS).first()
    instance._facts_policy_changed = before is not None and any(
        before[name] != getattr(instance, name) for name in POLICY_FIELDS
    )


@receiver(post_save, sender=Peg)
def _peg_saved(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_facts_policy_changed", False):
        refresh_peg(instance)


@receiver(post_save, sender=Settore)
def _settore_saved(sender, instance, raw=False, **kwargs):
    # The unit's name is part of its objectives' search text, its print order of their list order.
    if not raw:
        refresh_objectives(Obiettivo.objects.filter(settore=instance).values_list("pk", flat=True))
