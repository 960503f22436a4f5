# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The grado di raggiungimento of an objective: a pure calculation, no database.

Inputs are an objective, its phases, the PEG's evaluation policy and (optionally) a reference
date; the output is the score and one explanation row per phase, which pages and PDFs print.
The rules and the rounding are described in docs/calculator.md; in short:

- evaluable phases of year Y: annualità Y, a weight above 0, not neutralised by the Nucleo;
- effective due date: the card's, never later than the year's limit (the tranche's deadline,
  else the final deadline, else 31/12 of Y), which also stands in for a due date the card does
  not give; a blank split row (1b) takes the deadline printed above it;
- at year end only completions by the PEG's closing date count;
- earned weight: completed by the due date → the whole weight; completed late → per policy
  (nothing, `late_fraction` % of the weight, the whole weight when completed within the
  tranche/final deadline, or a share lost per period of delay); a partial achievement set by
  the Nucleo overrides all of that;
- score = Σ earned / Σ evaluable × 100, in Decimal, rounded once at the end (ROUND_HALF_UP);
  100 when the card's decisive phase ("se la fase N è stata espletata entro…") earned in full.

Callers that read from the database (objectives/selectors.py) load the phases and the tranche
deadlines in bulk and pass them in; nothing here triggers a query, provided the objective's
`peg` is already loaded when `year` is not given.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from objectives.deadlines import DeadlineKind
from objectives.deadlines import split_phase_number as _split_phase_number
from objectives.indicators import with_indicators
from objectives.models import Fase, FaseState, LatePolicy, ObiettivoStatus, ScoreBand, weight_errors

ZERO = Decimal("0")
WITHDRAWN_ERROR = "Obiettivo ritirato con variazione del PEG: non è valutato."
HUNDRED = Decimal("100")
# Enough digits that the only rounding that matters is the final, documented one.
PRECISION = 34


@dataclass(frozen=True)
class Policy:
    """How a PEG evaluates: what a late phase earns, how many decimals the score keeps, and the
    closing date of the year-end evaluation (completions recorded after it do not count)."""

    late_policy: str
    late_fraction: Decimal
    decimals: int = 2
    grace_days: int = 0
    step_days: int = 30
    step_fraction: Decimal = Decimal("10")
    closing_date: dt.date | None = None

    @classmethod
    def from_peg(cls, peg) -> Policy:
        return cls(
            late_policy=peg.late_policy,
            late_fraction=Decimal(peg.late_fraction),
            decimals=int(peg.score_decimals),
            grace_days=int(peg.late_grace_days),
            step_days=max(int(peg.late_step_days), 1),
            step_fraction=Decimal(peg.late_step_fraction),
            closing_date=peg.evaluation_closing_date,
        )


@dataclass(frozen=True)
class PhaseRow:
    """Why a phase counts (or not) and what it earned: one printed row per phase."""

    fase: Fase
    counted: bool
    reason: str
    weight: Decimal | None
    earned: Decimal
    # The effective due date: the card's, never later than the year's limit (see docs/calculator.md).
    due_date: dt.date | None
    late: bool
    # The completion date as seen at the reference date (None when not completed by then).
    completed_on: dt.date | None = None
    # The due date the phase's own cell gives (None when it cannot be determined yet).
    printed_due: dt.date | None = None
    # Which limit made the due date, in words ('' when the card's own date applies).
    limit_note: str = ""


@dataclass(frozen=True)
class ObjectiveScore:
    score: Decimal | None
    error: str
    rows: list[PhaseRow] = field(default_factory=list)
    evaluable_weight: Decimal = ZERO
    earned_weight: Decimal = ZERO
    # The card's own 100% criterion when it decided the score ('' otherwise).
    criterion: str = ""
    # The indicators (objectives/indicators.py): the phases' own score, one row per indicator, and
    # how the objective's score_mode combined them ('' for "phases only").
    phase_score: Decimal | None = None
    indicator_rows: list = field(default_factory=list)
    indicator_note: str = ""


def is_validated(obiettivo) -> bool:
    return obiettivo.status == ObiettivoStatus.VALIDATO and obiettivo.validated_score is not None


def effective_score(obiettivo, computed: ObjectiveScore | None) -> Decimal | None:
    """The validated score once the Nucleo validated the objective (the locked figure it was paid
    on), otherwise the computed one."""
    if is_validated(obiettivo):
        return Decimal(obiettivo.validated_score)
    return computed.score if computed else None


def round_score(value: Decimal, decimals: int) -> Decimal:
    """The one rounding of the calculation: half up, to the PEG's number of decimals."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole × 100 at full precision (unrounded)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return part / whole * HUNDRED


@dataclass(frozen=True)
class YearLimit:
    """The latest date a phase of the year may be due: the tranche's deadline, else the objective's
    final deadline, else 31/12 of the year. `printed` is False for that last fallback."""

    date: dt.date
    name: str
    printed: bool

    def phrase(self) -> str:
        return f"{self.name} del {_day(self.date)}" if self.printed else f"{self.name} ({_day(self.date)})"


def year_limit(obiettivo, year: int, tranche_deadline: dt.date | None) -> YearLimit:
    if tranche_deadline is not None:
        if tranche_deadline == obiettivo.final_deadline:
            return YearLimit(tranche_deadline, "scadenza finale", True)
        return YearLimit(tranche_deadline, f"scadenza dell'annualità {year}", True)
    return YearLimit(dt.date(year, 12, 31), f"fine dell'annualità {year}", False)


def score_objective(
    obiettivo,
    phases: Iterable[Fase],
    policy: Policy,
    *,
    year: int | None = None,
    on: dt.date | None = None,
    tranche_deadline: dt.date | None = None,
) -> ObjectiveScore:
    """The grado di raggiungimento of `obiettivo` for `year` (default: its PEG's year).

    `on` is the reference date: completions recorded after it are ignored, and a phase not yet
    completed whose due date is after `on` is not late yet. Without `on` (the year-end
    evaluation) every completion recorded by the policy's closing date counts (all of them when
    the PEG has no closing date yet).

    `tranche_deadline` is the deadline of the year's tranche of a multi-year objective (the
    Annualita of that year); without it the objective's prefetched tranches are looked at, and
    then its final deadline. It bounds every phase's due date and is the limit of the
    "full_within_final" late policy.
    """
    phases = sorted(phases, key=lambda fase: (fase.sort_order, fase.pk or 0))
    if year is None:
        year = obiettivo.peg.year
    if tranche_deadline is None:
        tranche_deadline = tranche_deadline_for(obiettivo, year)
    cutoff = on if on is not None else policy.closing_date

    done_by_label = {fase.label: fase for fase in phases if _completed_on(fase, cutoff) is not None}
    limit = year_limit(obiettivo, year, tranche_deadline)
    context = _RowContext(policy, year, on, cutoff, limit, tranche_deadline, done_by_label, _printed_above(phases))
    rows = [_phase_row(fase, context) for fase in phases]
    evaluable = sum((row.weight for row in rows if row.counted), ZERO)
    earned = sum((row.earned for row in rows if row.counted), ZERO)

    if getattr(obiettivo, "withdrawn", False):
        return ObjectiveScore(None, WITHDRAWN_ERROR, rows, evaluable, earned)
    errors = weight_errors(phases)
    if errors:
        return ObjectiveScore(None, " ".join(errors), rows, evaluable, earned)
    if evaluable == ZERO:
        return ObjectiveScore(None, f"Nessuna fase valutabile per l'annualità {year}.", rows, evaluable, earned)
    criterion = decisive_phase_criterion(obiettivo, rows)
    if criterion:
        score = ObjectiveScore(round_score(HUNDRED, policy.decimals), "", rows, evaluable, earned, criterion)
    else:
        score = ObjectiveScore(round_score(percent_of(earned, evaluable), policy.decimals), "", rows, evaluable, earned)
    return with_indicators(obiettivo, score, policy.decimals)  # per the objective's score_mode


# "Obiettivo raggiunto al 100%: se la fase 1 è stata espletata entro la scadenza finale prevista"
# (AREA TECNICA 1; URBANISTICA E PATRIMONIO A–D): the card makes one phase decide the objective.
_DECISIVE_PHASE_RE = re.compile(
    r"\bse\s+la\s+fase\s+(?:progettuale\s+|realizzativa\s+)?(\d+)\s+(?:è|e')\s+stata\s+espletata\s+entro",
    re.IGNORECASE,
)


def decisive_phase(achieved_text: str) -> str | None:
    """The phase number the card's 'Obiettivo raggiunto al 100%' makes decisive, or None.

    Only the one form the cards print ('se la fase N è stata espletata entro …'); a criterion
    naming several phases, dates or results is left to the phases' weights (and the Nucleo).
    """
    matches = {match.group(1) for match in _DECISIVE_PHASE_RE.finditer(achieved_text or "")}
    return matches.pop() if len(matches) == 1 else None


def decisive_phase_criterion(obiettivo, rows: Sequence[PhaseRow]) -> str:
    """The card's 100% criterion, when met: every evaluable row of the decisive phase (the phase
    and its parts, 1-A and 1-B of phase 1) has earned its whole weight. '' otherwise."""
    number = decisive_phase(getattr(obiettivo, "achieved_text", ""))
    if number is None:
        return ""
    parts = [
        row
        for row in rows
        if row.counted and (row.fase.label == number or split_phase_number(row.fase.label) == number)
    ]
    if not parts or any(row.earned != row.weight for row in parts):
        return ""
    return f"obiettivo raggiunto al 100%: la fase {number} è stata espletata entro la scadenza (criterio della scheda)"


def tranche_deadline_for(obiettivo, year: int, tranches: Iterable | None = None) -> dt.date | None:
    """The deadline that bounds the year: the Annualita's, else the final deadline.

    `tranches` defaults to the objective's tranches only when they were prefetched, so that
    this never queries the database.
    """
    if tranches is None:
        tranches = getattr(obiettivo, "_prefetched_objects_cache", {}).get("tranches", ())
    for tranche in tranches:
        if tranche.year == year and tranche.deadline:
            return tranche.deadline
    return obiettivo.final_deadline


def band_for(score: Decimal | None, bands: Iterable[ScoreBand]) -> ScoreBand | None:
    """The highest band whose minimum the score reaches; None when no band applies."""
    if score is None:
        return None
    reached = [band for band in bands if Decimal(band.min_score) <= score]
    return max(reached, key=lambda band: band.min_score, default=None)


def _completed_on(fase: Fase, cutoff: dt.date | None) -> dt.date | None:
    """The completion date if the phase counts as completed at `cutoff` (any date when None)."""
    if fase.state != FaseState.COMPLETATA or fase.completed_on is None:
        return None
    if cutoff is not None and fase.completed_on > cutoff:
        return None
    return fase.completed_on


def _printed_above(phases: Sequence[Fase]) -> dict[int, Fase]:
    """For each blank row of a split phase (RISORSE UMANE C '1b'), the row above it of the same
    phase that prints a deadline: the card leaves the cell empty because the one above spans it."""
    above: dict[int, Fase] = {}
    last_printed: dict[str, Fase] = {}
    for fase in phases:
        split = split_phase_number(fase.label)
        number = split or fase.label
        if fase.deadline_kind != DeadlineKind.BLANK:
            last_printed[number] = fase
        elif split and number in last_printed:
            above[id(fase)] = last_printed[number]
    return above


@dataclass(frozen=True)
class _RowContext:
    policy: Policy
    year: int
    on: dt.date | None
    cutoff: dt.date | None
    limit: YearLimit
    tranche_deadline: dt.date | None
    done_by_label: dict[str, Fase]
    printed_above: dict[int, Fase]


def _effective_due(fase: Fase, context: _RowContext) -> tuple[dt.date | None, dt.date, str]:
    """(the phase's own due date, the effective one, the note on the limit that applied)."""
    limit = context.limit
    source = context.printed_above.get(id(fase))
    # Only anchors completed by the cutoff resolve a relative deadline: the due date as known then.
    printed = (source or fase).due_date(context.done_by_label)
    inherited = f"scadenza della fase {source.label} stampata sopra" if source is not None else ""
    if printed is None:
        note = f"{_why_undetermined(fase)}: vale la {limit.phrase()}"
        return None, limit.date, note
    if printed > limit.date:
        note = f"scadenza del {_day(printed)} limitata alla {limit.phrase()}"
        return printed, limit.date, f"{inherited}; {note}" if inherited else note
    if inherited:
        return printed, printed, f"{inherited} ({_day(printed)})"
    return printed, printed, ""


def _phase_row(fase: Fase, context: _RowContext) -> PhaseRow:
    weight = None if fase.weight is None else Decimal(fase.weight)
    completed = _completed_on(fase, context.cutoff)
    on = context.on

    if fase.year != context.year:
        due = fase.due_date(context.done_by_label)
        return PhaseRow(fase, False, f"fase di altra annualità ({fase.year})", weight, ZERO, due, False, completed, due)
    printed, due, note = _effective_due(fase, context)

    def row(counted: bool, reason: str, earned: Decimal = ZERO, late: bool = False) -> PhaseRow:
        if note and counted:
            reason = f"{reason}; {note}"
        return PhaseRow(fase, counted, reason, weight, earned, due, late, completed, printed, note if counted else "")

    if weight is None:
        return row(False, "fase senza incidenza")
    if weight == ZERO:
        return row(False, "incidenza 0%")
    if fase.neutralised:
        return row(False, _with_reason("sterilizzata", fase.neutralisation_reason))

    late = is_late(completed, due, on)

    if fase.partial_achievement is not None:
        partial = Decimal(fase.partial_achievement)
        reason = _with_reason(f"raggiungimento parziale {_percent(partial)}", fase.partial_reason)
        return row(True, reason, weight * partial / HUNDRED, late)

    if completed is None:
        return row(True, _not_completed_reason(fase, due if printed else None, context), ZERO, late)
    if not late:
        return row(True, "completata entro la scadenza", weight)
    earned, reason = _late_credit(weight, completed, due, context.policy, context.tranche_deadline, context.limit)
    return row(True, reason, earned, True)


def _late_credit(
    weight: Decimal,
    completed: dt.date,
    due: dt.date,
    policy: Policy,
    printed_limit: dt.date | None,
    limit: YearLimit,
) -> tuple[Decimal, str]:
    when = f"completata in ritardo (il {_day(completed)}, scadenza {_day(due)})"
    if policy.late_policy == LatePolicy.FRACTION:
        fraction = Decimal(policy.late_fraction)
        return weight * fraction / HUNDRED, f"{when}: riconosciuto il {_percent(fraction)} del peso"
    if policy.late_policy == LatePolicy.FULL_WITHIN_FINAL:
        if printed_limit is None:
            return ZERO, f"{when}: scadenza finale non determinabile, nessun punteggio"
        if completed <= printed_limit:
            return weight, f"{when}: entro la {limit.phrase()}, peso pieno"
        return ZERO, f"{when}: oltre la {limit.phrase()}, nessun punteggio"
    if policy.late_policy == LatePolicy.GRADED:
        return _graded_credit(weight, (completed - due).days, policy, when)
    return ZERO, f"{when}: nessun punteggio"


def _graded_credit(weight: Decimal, delay: int, policy: Policy, when: str) -> tuple[Decimal, str]:
    """A share of the weight lost for each period of delay (or part of one) beyond the grace days."""
    days = "giorno" if delay == 1 else "giorni"
    if delay <= policy.grace_days:
        grace = f"entro la tolleranza di {policy.grace_days} giorni"
        return weight, f"{when}: {delay} {days} di ritardo, {grace}, peso pieno"
    steps = -(-(delay - policy.grace_days) // policy.step_days)
    lost = min(HUNDRED, policy.step_fraction * steps)
    kept = HUNDRED - lost
    grace = f" oltre la tolleranza di {policy.grace_days} giorni" if policy.grace_days else ""
    periods = "periodo" if steps == 1 else "periodi"
    reason = (
        f"{when}: {delay} {days} di ritardo{grace}, {steps} {periods} di {policy.step_days} giorni, "
        f"perso il {_percent(lost)} del peso"
    )
    return weight * kept / HUNDRED, reason


def _not_completed_reason(fase: Fase, due: dt.date | None, context: _RowContext) -> str:
    """Why an evaluable phase earns nothing yet; `due` is None when the card gives no due date
    (the row's note then says which limit stands in for it)."""
    if fase.state == FaseState.NON_REALIZZATA:
        return "non realizzata"
    closing = context.policy.closing_date
    if context.on is None and closing is not None and fase.state == FaseState.COMPLETATA and fase.completed_on:
        return (
            f"completata il {_day(fase.completed_on)}, dopo la chiusura della valutazione del {_day(closing)}: "
            "non conteggiata"
        )
    not_yet = context.on is not None and (due or context.limit.date) >= context.on
    if due is None:
        return "non ancora scaduta" if not_yet else "non completata"
    if not_yet:
        return f"non ancora scaduta (scadenza {_day(due)})"
    return f"non completata (scadenza {_day(due)})"


def _why_undetermined(fase: Fase) -> str:
    if fase.deadline_kind == DeadlineKind.AFTER_PHASE:
        return f"scadenza non determinabile (fase {fase.deadline_anchor_label} non completata)"
    if fase.deadline_kind == DeadlineKind.AFTER_EVENT:
        return "scadenza non determinabile (data dell'evento di riferimento non registrata)"
    if fase.deadline_kind == DeadlineKind.BLANK:
        return "scadenza non indicata"
    if fase.deadline_kind == DeadlineKind.CONCLUSA:
        return "scadenza non determinabile (conclusa)"
    return "scadenza non riconosciuta"


def _with_reason(text: str, reason: str) -> str:
    reason = " ".join(reason.split())
    return f"{text}: {reason}" if reason else text


# Pure functions of a label and of a date, called for every phase of every calculation (a PEG's
# refresh: hundreds of thousands of times) on a few hundred distinct values: remembered.
split_phase_number = functools.lru_cache(maxsize=4096)(_split_phase_number)


@functools.lru_cache(maxsize=4096)
def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + "%"


# Monitoring at a date ---------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveProgress:
    """Where an objective stands at `on` (e.g. 30/06): weights are those of the year's evaluable phases.

    due_weight: Σ weight of evaluable phases due by `on`; done_weight: Σ weight of evaluable
    phases completed by `on` (whenever due); on_time_weight: of the due ones, those completed by
    their due date; late: rows of phases due by `on` and not completed, or completed late;
    undetermined: rows of evaluable phases whose due date cannot be determined yet.
    """

    obiettivo: object
    on: dt.date
    evaluable_weight: Decimal
    due_weight: Decimal
    done_weight: Decimal
    on_time_weight: Decimal
    late: list[PhaseRow]
    undetermined: list[PhaseRow]
    score: ObjectiveScore
    # Of the weight due by `on`, the part completed by `on` (on time or late).
    due_done_weight: Decimal = ZERO

    @property
    def due_share(self) -> Decimal | None:
        """The percentage of the year's evaluable weight due by `on` (unrounded)."""
        return percent_of(self.due_weight, self.evaluable_weight) if self.evaluable_weight else None

    @property
    def done_share(self) -> Decimal | None:
        """The percentage of the year's evaluable weight completed by `on` (unrounded)."""
        return percent_of(self.done_weight, self.evaluable_weight) if self.evaluable_weight else None

    @property
    def due_done_share(self) -> Decimal | None:
        """The percentage of the weight due by `on` that is completed by then (unrounded)."""
        return percent_of(self.due_done_weight, self.due_weight) if self.due_weight else None

    @property
    def is_behind(self) -> bool:
        return bool(self.late)


def progress_at(
    obiettivo,
    phases: Sequence[Fase],
    policy: Policy,
    on: dt.date,
    *,
    year: int | None = None,
    tranche_deadline: dt.date | None = None,
) -> ObjectiveProgress:
    """Intermediate monitoring of one objective at `on`, from the same rows as the score."""
    score = score_objective(obiettivo, phases, policy, year=year, on=on, tranche_deadline=tranche_deadline)
    return progress_of(obiettivo, score, on)


def is_late(completed: dt.date | None, due: dt.date, on: dt.date | None) -> bool:
    """A phase is late when completed after its due date, or not completed (by `on`) and due before `on`."""
    if completed is not None:
        return completed > due
    return on is not None and due < on


def progress_of(obiettivo, score: ObjectiveScore, on: dt.date) -> ObjectiveProgress:
    """The monitoring figures at `on` from a score computed at `on`, or at an earlier date after which
    no phase is completed until `on`: between two completions only lateness moves with the date
    (objectives/facts.py builds the Andamento timeline this way)."""
    counted = [row for row in score.rows if row.counted]
    due_rows = [row for row in counted if row.due_date is not None and row.due_date <= on]
    return ObjectiveProgress(
        obiettivo=obiettivo,
        on=on,
        evaluable_weight=score.evaluable_weight,
        due_weight=sum((row.weight for row in due_rows), ZERO),
        done_weight=sum((row.weight for row in counted if row.completed_on is not None), ZERO),
        on_time_weight=sum((row.weight for row in due_rows if row.completed_on and not row.late), ZERO),
        late=[row for row in counted if is_late(row.completed_on, row.due_date, on)],
        undetermined=[row for row in counted if row.printed_due is None and row.completed_on is None],
        score=score,
        due_done_weight=sum((row.weight for row in due_rows if row.completed_on is not None), ZERO),
    )


def weighted_mean(values: Sequence[tuple[Decimal, Decimal | None]], decimals: int) -> tuple[Decimal | None, bool]:
    """Mean of (score, weight) pairs, rounded like a score; (mean, weighted?).

    Weighted by the objectives' weights when every one has a weight and they sum above 0;
    otherwise the plain arithmetic mean. None for no values.
    """
    if not values:
        return None, False
    weights = [weight for _, weight in values]
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if all(weight is not None for weight in weights) and sum(weights, ZERO) > ZERO:
            total = sum((score * Decimal(weight) for score, weight in values), ZERO)
            return round_score(total / sum(weights, ZERO), decimals), True
        total = sum((score for score, _ in values), ZERO)
        return round_score(total / len(values), decimals), False
