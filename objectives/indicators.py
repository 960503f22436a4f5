# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Indicators of result: reading a value, whether its target is met, and how indicators and phases
make an objective's score. Pure functions on plain values and unsaved models: no database, except
`indicators_of`, which reads an objective's indicators when they were not prefetched and the
objective's score depends on them (documented in docs/calculator.md, section "Indicatori").

- `met(indicator, value)`: by kind and direction (yes/no: equal to the target; number, percentage
  and date: at least the target when higher is better, at most when lower is better).
- `outcome(indicator)`: the value that counts — the Nucleo's, once it confirmed or corrected the
  head's value, otherwise the head's own (during monitoring, and until the Nucleo reviews it).
- `combine(phase_score, mode, results, …)`: the objective's score from the phases' score and the
  indicators' results, per the objective's `score_mode`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from objectives.deadlines import MAX_YEAR, MIN_YEAR
from objectives.models import (
    VALUE_DIGITS,
    IndicatoreDirection,
    IndicatoreKind,
    IndicatoreReview,
    ScoreMode,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
PRECISION = 34
# The widest value a column keeps: 12 digits before the comma, 4 after.
MAX_DECIMALS = VALUE_DIGITS["decimal_places"]
MAX_INTEGER_DIGITS = VALUE_DIGITS["max_digits"] - VALUE_DIGITS["decimal_places"]

Value = Decimal | bool | dt.date | None

YES_WORDS = {"sì", "si", "s", "1", "vero", "true"}
NO_WORDS = {"no", "n", "0", "falso", "false"}


# --- values -----------------------------------------------------------------------------------


def typed_value(kind: str, number: Decimal | None, date: dt.date | None) -> Value:
    """A stored value as the indicator's kind reads it: a date, a yes/no, or a Decimal."""
    if kind == IndicatoreKind.DATE:
        return date
    if number is None:
        return None
    if kind == IndicatoreKind.YES_NO:
        return Decimal(number) != ZERO
    return Decimal(number)


def stored_fields(kind: str, value: Value) -> tuple[Decimal | None, dt.date | None]:
    """The (number, date) columns that keep `value`: yes/no as 1/0, a date in the date column."""
    if value is None:
        return None, None
    if kind == IndicatoreKind.DATE:
        return None, value
    if kind == IndicatoreKind.YES_NO:
        return (Decimal(1) if value else Decimal(0)), None
    return Decimal(value), None


class IndicatorValueError(ValueError):
    """A value typed or imported that the indicator's kind cannot read; the message is Italian."""


def check_number(value: Decimal) -> Decimal:
    """A number the columns keep exactly, or IndicatorValueError saying why."""
    if not value.is_finite():
        raise IndicatorValueError("il valore deve essere un numero.")
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise IndicatorValueError(f"il valore può avere al massimo {MAX_INTEGER_DIGITS} cifre prima della virgola.")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
            raise IndicatorValueError(f"il valore può avere al massimo {MAX_DECIMALS} decimali.")
    return value


def check_date(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise IndicatorValueError(f"la data deve cadere tra il {MIN_YEAR} e il {MAX_YEAR}.")
    return value


# As forms.ItalianDecimalField reads a number: digits with one separator, a comma or a point.
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_value(kind: str, text: str) -> Value:
    """What a person types for an indicator of `kind`: '85,5' and '85.5' (one separator, as
    forms.ItalianDecimalField reads them; a percentage may end with '%'), 'sì'/'no', 'gg/mm/aaaa'.
    Empty text is None. Anything else raises IndicatorValueError with an Italian message."""
    text = (text or "").strip()
    if not text:
        return None
    if kind == IndicatoreKind.DATE:
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                day = dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            return check_date(day)
        raise IndicatorValueError("inserire una data nel formato gg/mm/aaaa.")
    if kind == IndicatoreKind.YES_NO:
        word = text.lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise IndicatorValueError("rispondere sì o no.")
    if kind == IndicatoreKind.PERCENT:
        text = text.removesuffix("%").strip()
    if not _NUMBER.match(text):
        raise IndicatorValueError("inserire un numero, ad esempio 85,5.")
    try:
        return check_number(Decimal(text.replace(",", ".")))
    except InvalidOperation:
        raise IndicatorValueError("inserire un numero, ad esempio 85,5.") from None


def format_value(kind: str, value: Value, unit: str = "") -> str:
    """A value as pages and cards print it: '85,5%', '2 servizi', 'sì', '31/12/2021'; '' for none.

    Without `unit` it is also what parse_value reads back (no thousands separator: '1234,5')."""
    if value is None:
        return ""
    if kind == IndicatoreKind.DATE:
        return value.strftime("%d/%m/%Y")
    if kind == IndicatoreKind.YES_NO:
        return "sì" if value else "no"
    text = _number(value)
    if kind == IndicatoreKind.PERCENT:
        return f"{text}%"
    return f"{text} {unit}".strip()


def _number(value: Decimal) -> str:
    value = Decimal(value)
    normal = value.normalize() if value != ZERO else ZERO
    return f"{normal:f}".replace(".", ",")


# --- the target ---------------------------------------------------------------------------------


def met(indicator, value: Value) -> bool | None:
    """Whether `value` meets the indicator's target; None when the value or the target is missing.

    yes/no: the value equals the target. Number, percentage, date: at least the target when
    higher is better (`direction` "higher"), at most when lower is better ("lower"); the target
    itself meets it.
    """
    target = typed_value(indicator.kind, indicator.target_value, indicator.target_date)
    if value is None or target is None:
        return None
    if indicator.kind == IndicatoreKind.YES_NO:
        return bool(value) == bool(target)
    if indicator.direction == IndicatoreDirection.LOWER:
        return value <= target
    return value >= target


@dataclass(frozen=True)
class Outcome:
    """The value of an indicator that counts, where it comes from, and whether it meets the target."""

    value: Value
    source: str
    met: bool | None

    @property
    def reviewed(self) -> bool:
        return self.source.startswith(("confermato", "rettificato"))


def outcome(indicator) -> Outcome:
    """The Nucleo's value once it confirmed or corrected it; else the head's value (to be confirmed)."""
    if indicator.review in (IndicatoreReview.CONFIRMED, IndicatoreReview.CORRECTED):
        value = typed_value(indicator.kind, indicator.reviewed_value, indicator.reviewed_date)
        if indicator.review == IndicatoreReview.CONFIRMED:
            source = "confermato dal Nucleo"
        else:
            reason = " ".join(indicator.review_reason.split())
            source = f"rettificato dal Nucleo: {reason}" if reason else "rettificato dal Nucleo"
    else:
        value = typed_value(indicator.kind, indicator.actual_value, indicator.actual_date)
        source = "rilevato dal responsabile, da confermare" if value is not None else "non rilevato"
    return Outcome(value, source, met(indicator, value))


def plan_errors(indicator) -> dict[str, str]:
    """The plan side of an indicator, in Italian, field by field ({} when valid)."""
    errors: dict[str, str] = {}
    if not (indicator.name or "").strip():
        errors["name"] = "Indicare il nome dell'indicatore."
    if indicator.kind == IndicatoreKind.DATE:
        if indicator.target_date is None:
            errors["target_date"] = "Un indicatore di tipo data ha come target una data."
        if indicator.target_value is not None:
            errors["target_value"] = "Un indicatore di tipo data ha il target nel campo «target (data)»."
    else:
        if indicator.target_value is None:
            errors["target_value"] = "Indicare il target dell'indicatore."
        elif indicator.kind == IndicatoreKind.YES_NO and indicator.target_value not in (ZERO, Decimal(1)):
            errors["target_value"] = "Il target di un indicatore sì/no è 1 (sì) o 0 (no)."
        if indicator.target_date is not None:
            errors["target_date"] = "Solo un indicatore di tipo data ha un target in forma di data."
    if indicator.kind == IndicatoreKind.YES_NO and indicator.baseline_value not in (None, ZERO, Decimal(1)):
        errors["baseline_value"] = "Il valore di partenza di un indicatore sì/no è 1 (sì) o 0 (no)."
    return errors


# --- the score ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator in the score's explanation: its value that counts, whether it is met, why."""

    indicatore: object
    counted: bool
    value: str
    source: str
    met: bool | None
    reason: str


def indicator_row(indicatore) -> IndicatorRow:
    result = outcome(indicatore)
    shown = format_value(indicatore.kind, result.value, indicatore.unit)
    target = format_value(
        indicatore.kind, typed_value(indicatore.kind, indicatore.target_value, indicatore.target_date), indicatore.unit
    )
    if result.value is None:
        reason = f"valore non rilevato: target ({target}) non raggiunto"
    elif result.met:
        reason = f"{shown} ({result.source}): target {target} raggiunto"
    else:
        reason = f"{shown} ({result.source}): target {target} non raggiunto"
    if not indicatore.counts:
        reason = f"non conta nel grado; {reason}"
    return IndicatorRow(indicatore, bool(indicatore.counts), shown, result.source, result.met, reason)


def round_score(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def combine(
    phase_score: Decimal | None,
    mode: str,
    results: Sequence[bool | None],
    *,
    cap: Decimal = ZERO,
    phase_share: Decimal = Decimal("50"),
    decimals: int = 2,
) -> tuple[Decimal | None, str]:
    """The objective's score from the phases' score and the counted indicators' results (met or not).

    - "phases": the phases' score, whatever the indicators say (today's rule, the default);
    - "condition": the phases' score when every counted indicator meets its target, otherwise
      the smaller of the phases' score and `cap` (a missing value does not meet the target);
    - "weighted": phase_share % of the phases' score + (100 − phase_share) % of the indicators'
      score, where each indicator scores 100 when met and 0 otherwise, averaged over the counted
      indicators.
    With no counted indicator, or no phases' score, the phases' score stands. Returns the score
    (rounded like every score) and one Italian sentence saying how it was made.
    """
    if phase_score is None or mode == ScoreMode.PHASES:
        return phase_score, ""
    if not results:
        return phase_score, "nessun indicatore conta nel grado: grado delle sole fasi"
    reached = sum(1 for result in results if result is True)
    if mode == ScoreMode.CONDITION:
        if reached == len(results):
            return phase_score, "tutti i target degli indicatori sono raggiunti: grado delle fasi"
        cap = Decimal(cap)
        missing = len(results) - reached
        what = "un target non è raggiunto" if missing == 1 else f"{missing} target non sono raggiunti"
        if phase_score <= cap:
            return phase_score, f"{what}: il grado delle fasi è già entro il limite del {_number(cap)}%"
        return round_score(cap, decimals), f"{what}: grado limitato al {_number(cap)}%"
    share = Decimal(phase_share)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        indicator_score = Decimal(reached) / Decimal(len(results)) * HUNDRED
        score = (share * phase_score + (HUNDRED - share) * indicator_score) / HUNDRED
    rounded = round_score(score, decimals)
    return rounded, (
        f"fasi {_number(share)}% × {_number(phase_score)}% + indicatori {_number(HUNDRED - share)}% × "
        f"{_number(round_score(indicator_score, decimals))}% ({reached} target raggiunti su {len(results)})"
    )


def indicators_of(obiettivo) -> list:
    """The objective's indicators: the prefetched ones; else, only when its score depends on them,
    one query (an unsaved objective has none)."""
    cache = getattr(obiettivo, "_prefetched_objects_cache", {})
    if "indicatori" in cache:
        return list(cache["indicatori"])
    if getattr(obiettivo, "score_mode", ScoreMode.PHASES) == ScoreMode.PHASES or obiettivo.pk is None:
        return []
    return list(obiettivo.indicatori.all())


def with_indicators(obiettivo, score, decimals: int):
    """The calculator's ObjectiveScore with the indicators applied per the objective's score_mode."""
    rows = [indicator_row(indicatore) for indicatore in indicators_of(obiettivo)]
    mode = getattr(obiettivo, "score_mode", ScoreMode.PHASES)
    combined, note = combine(
        score.score,
        mode,
        [row.met for row in rows if row.counted],
        cap=getattr(obiettivo, "indicator_cap", ZERO),
        phase_share=getattr(obiettivo, "phase_share", Decimal("50")),
        decimals=decimals,
    )
    return replace(score, score=combined, phase_score=score.score, indicator_rows=rows, indicator_note=note)
