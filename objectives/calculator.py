"""The grado di raggiungimento of an objective: a pure calculation, no database.

Inputs are an objective, its phases, the PEG's evaluation policy and (optionally) a reference
date; the output is the score and one explanation row per phase, which pages and PDFs print.
The rules and the rounding are described in docs/calculator.md; in short:

- evaluable phases of year Y: annualità Y, a weight above 0, not neutralised by the Nucleo;
- earned weight: completed by the due date → the whole weight; completed late → per policy
  (nothing, `late_fraction` % of the weight, or the whole weight when completed within the
  tranche/final deadline); a partial achievement set by the Nucleo overrides all of that;
- score = Σ earned / Σ evaluable × 100, in Decimal, rounded once at the end (ROUND_HALF_UP).

Callers that read from the database (objectives/selectors.py) load the phases and the tranche
deadlines in bulk and pass them in; nothing here triggers a query, provided the objective's
`peg` is already loaded when `year` is not given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from objectives.deadlines import DeadlineKind
from objectives.indicators import with_indicators
from objectives.models import Fase, FaseState, LatePolicy, ObiettivoStatus, ScoreBand, weight_errors

ZERO = Decimal("0")
HUNDRED = Decimal("100")
# Enough digits that the only rounding that matters is the final, documented one.
PRECISION = 34


@dataclass(frozen=True)
class Policy:
    """How a PEG evaluates: what a late phase earns and how many decimals the score keeps."""

    late_policy: str
    late_fraction: Decimal
    decimals: int = 2

    @classmethod
    def from_peg(cls, peg) -> Policy:
        return cls(
            late_policy=peg.late_policy,
            late_fraction=Decimal(peg.late_fraction),
            decimals=int(peg.score_decimals),
        )


@dataclass(frozen=True)
class PhaseRow:
    """Why a phase counts (or not) and what it earned: one printed row per phase."""

    fase: Fase
    counted: bool
    reason: str
    weight: Decimal | None
    earned: Decimal
    due_date: dt.date | None
    late: bool
    # The completion date as seen at the reference date (None when not completed by then).
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class ObjectiveScore:
    score: Decimal | None
    error: str
    rows: list[PhaseRow] = field(default_factory=list)
    evaluable_weight: Decimal = ZERO
    earned_weight: Decimal = ZERO
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
    completed whose due date is after `on` is not late yet. Without `on`, every recorded
    completion counts (the year-end evaluation).

    `tranche_deadline` is the deadline of the year's tranche of a multi-year objective (the
    Annualita of that year); without it the objective's prefetched tranches are looked at, and
    then its final deadline. It is the limit of the "full_within_final" late policy.
    """
    phases = sorted(phases, key=lambda fase: (fase.sort_order, fase.pk or 0))
    if year is None:
        year = obiettivo.peg.year
    if tranche_deadline is None:
        tranche_deadline = tranche_deadline_for(obiettivo, year)

    done_by_label = {fase.label: fase for fase in phases if _completed_on(fase, on) is not None}
    limit_name = (
        "scadenza finale" if tranche_deadline == obiettivo.final_deadline else f"scadenza dell'annualità {year}"
    )
    limit = (tranche_deadline, limit_name)
    rows = [_phase_row(fase, policy, year, on, limit, done_by_label) for fase in phases]
    evaluable = sum((row.weight for row in rows if row.counted), ZERO)
    earned = sum((row.earned for row in rows if row.counted), ZERO)

    errors = weight_errors(phases)
    if errors:
        return ObjectiveScore(None, " ".join(errors), rows, evaluable, earned)
    if evaluable == ZERO:
        return ObjectiveScore(None, f"Nessuna fase valutabile per l'annualità {year}.", rows, evaluable, earned)
    score = round_score(percent_of(earned, evaluable), policy.decimals)
    score = ObjectiveScore(score, "", rows, evaluable, earned)
    return with_indicators(obiettivo, score, policy.decimals)  # per the objective's score_mode


def tranche_deadline_for(obiettivo, year: int, tranches: Iterable | None = None) -> dt.date | None:
    """The deadline that bounds late credit for `year`: the Annualita's, else the final deadline.

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


def _completed_on(fase: Fase, on: dt.date | None) -> dt.date | None:
    """The completion date if the phase counts as completed at `on`."""
    if fase.state != FaseState.COMPLETATA or fase.completed_on is None:
        return None
    if on is not None and fase.completed_on > on:
        return None
    return fase.completed_on


def _phase_row(
    fase: Fase,
    policy: Policy,
    year: int,
    on: dt.date | None,
    limit: tuple[dt.date | None, str],
    done_by_label: dict[str, Fase],
) -> PhaseRow:
    weight = None if fase.weight is None else Decimal(fase.weight)
    completed = _completed_on(fase, on)
    # Only anchors completed by `on` resolve a relative deadline: the due date as known then.
    due = fase.due_date(done_by_label)

    def skipped(reason: str) -> PhaseRow:
        return PhaseRow(fase, False, reason, weight, ZERO, due, False, completed)

    if fase.year != year:
        return skipped(f"fase di altra annualità ({fase.year})")
    if weight is None:
        return skipped("fase senza incidenza")
    if weight == ZERO:
        return skipped("incidenza 0%")
    if fase.neutralised:
        return skipped(_with_reason("sterilizzata", fase.neutralisation_reason))

    late = completed is not None and due is not None and completed > due
    if completed is None and due is not None and on is not None and due < on:
        late = True

    if fase.partial_achievement is not None:
        partial = Decimal(fase.partial_achievement)
        earned = weight * partial / HUNDRED
        reason = _with_reason(f"raggiungimento parziale {_percent(partial)}", fase.partial_reason)
        return PhaseRow(fase, True, reason, weight, earned, due, late, completed)

    if completed is None:
        return PhaseRow(fase, True, _not_completed_reason(fase, due, on), weight, ZERO, due, late, completed)
    if due is None:
        reason = "completata (scadenza non determinabile: peso pieno)"
        return PhaseRow(fase, True, reason, weight, weight, due, False, completed)
    if not late:
        return PhaseRow(fase, True, "completata entro la scadenza", weight, weight, due, False, completed)
    earned, reason = _late_credit(weight, completed, due, policy, *limit)
    return PhaseRow(fase, True, reason, weight, earned, due, True, completed)


def _late_credit(
    weight: Decimal,
    completed: dt.date,
    due: dt.date,
    policy: Policy,
    limit: dt.date | None,
    limit_name: str = "scadenza finale",
) -> tuple[Decimal, str]:
    when = f"completata in ritardo (il {_day(completed)}, scadenza {_day(due)})"
    if policy.late_policy == LatePolicy.FRACTION:
        fraction = Decimal(policy.late_fraction)
        return weight * fraction / HUNDRED, f"{when}: riconosciuto il {_percent(fraction)} del peso"
    if policy.late_policy == LatePolicy.FULL_WITHIN_FINAL:
        if limit is None:
            return ZERO, f"{when}: scadenza finale non determinabile, nessun punteggio"
        if completed <= limit:
            return weight, f"{when}: entro la {limit_name} del {_day(limit)}, peso pieno"
        return ZERO, f"{when}: oltre la {limit_name} del {_day(limit)}, nessun punteggio"
    return ZERO, f"{when}: nessun punteggio"


def _not_completed_reason(fase: Fase, due: dt.date | None, on: dt.date | None) -> str:
    if due is None:
        return f"scadenza non determinabile ({_why_undetermined(fase)}): non completata"
    if fase.state == FaseState.NON_REALIZZATA:
        return "non realizzata"
    if on is not None and due >= on:
        return f"non ancora scaduta (scadenza {_day(due)})"
    return f"non completata (scadenza {_day(due)})"


def _why_undetermined(fase: Fase) -> str:
    if fase.deadline_kind == DeadlineKind.AFTER_PHASE:
        return f"fase {fase.deadline_anchor_label} non completata"
    if fase.deadline_kind == DeadlineKind.AFTER_EVENT:
        return "data dell'evento di riferimento non registrata"
    if fase.deadline_kind == DeadlineKind.BLANK:
        return "scadenza non indicata"
    if fase.deadline_kind == DeadlineKind.CONCLUSA:
        return "conclusa"
    return "scadenza non riconosciuta"


def _with_reason(text: str, reason: str) -> str:
    reason = " ".join(reason.split())
    return f"{text}: {reason}" if reason else text


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

    @property
    def due_share(self) -> Decimal | None:
        """The percentage of the year's evaluable weight due by `on` (unrounded)."""
        return percent_of(self.due_weight, self.evaluable_weight) if self.evaluable_weight else None

    @property
    def done_share(self) -> Decimal | None:
        """The percentage of the year's evaluable weight completed by `on` (unrounded)."""
        return percent_of(self.done_weight, self.evaluable_weight) if self.evaluable_weight else None

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
    counted = [row for row in score.rows if row.counted]
    due_rows = [row for row in counted if row.due_date is not None and row.due_date <= on]
    return ObjectiveProgress(
        obiettivo=obiettivo,
        on=on,
        evaluable_weight=score.evaluable_weight,
        due_weight=sum((row.weight for row in due_rows), ZERO),
        done_weight=sum((row.weight for row in counted if row.completed_on is not None), ZERO),
        on_time_weight=sum((row.weight for row in due_rows if row.completed_on and not row.late), ZERO),
        late=[row for row in counted if row.late],
        undetermined=[row for row in counted if row.due_date is None and row.completed_on is None],
        score=score,
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
