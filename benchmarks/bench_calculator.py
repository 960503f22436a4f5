# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Time and queries to score every objective of a PEG of 41, 1,000 and 10,000 objectives.

    .venv/bin/python benchmarks/bench_calculator.py [--sizes 41,1000,10000]

Builds the PEGs (≈4 phases per objective, some completed on time, some late, some open, a few
multi-year objectives with an Annualita) in a throw-away SQLite database, then compares
`selectors.scores_for_peg` (a fixed number of queries) with the naive loop a view would write
(the objectives, then their phases and tranches one objective at a time), measured in the
same run. Nothing touches the project's database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = [Decimal("10"), Decimal("20"), Decimal("30"), Decimal("40")]
DEADLINES = [(3, 31), (6, 30), (9, 30), (12, 31)]
UNITS_PER_PEG = 14


class QueryCounter:
    """Counts the queries run on a connection (cheaper than capturing them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def build_peg(year: int, size: int, rng: random.Random):
    from objectives.deadlines import DeadlineKind
    from objectives.models import Annualita, Fase, FaseState, Obiettivo, Peg
    from sectors.models import Settore, SettoreKind

    peg = Peg.objects.create(year=year)
    settori = Settore.objects.bulk_create(
        Settore(name=f"SETTORE {unit} ({year})", kind=SettoreKind.SETTORE, print_order=unit)
        for unit in range(UNITS_PER_PEG)
    )
    obiettivi = Obiettivo.objects.bulk_create(
        (
            Obiettivo(
                peg=peg,
                settore=settori[index % UNITS_PER_PEG],
                code=f"O{index}",
                title=f"Obiettivo {index}",
                final_deadline=dt.date(year, 12, 31),
                print_order=index,
            )
            for index in range(size)
        ),
        batch_size=2000,
    )
    phases, tranches = [], []
    for obiettivo in obiettivi:
        multi_year = rng.random() < 0.05
        for number, (weight, (month, day)) in enumerate(zip(WEIGHTS, DEADLINES, strict=True), start=1):
            due = dt.date(year, month, day)
            fase = Fase(
                obiettivo=obiettivo,
                label=str(number),
                sort_order=number,
                description=f"Fase {number}",
                weight=weight,
                year=year + 1 if multi_year and number > 2 else year,
                deadline_text=due.strftime("%d/%m/%Y"),
                deadline_kind=DeadlineKind.DATE,
                deadline_date=due,
            )
            roll = rng.random()
            if roll < 0.6:
                fase.state, fase.completed_on = FaseState.COMPLETATA, due - dt.timedelta(days=rng.randint(0, 30))
            elif roll < 0.8:
                fase.state, fase.completed_on = FaseState.COMPLETATA, due + dt.timedelta(days=rng.randint(1, 60))
            phases.append(fase)
        if multi_year:
            tranches.append(Annualita(obiettivo=obiettivo, year=year, deadline=dt.date(year + 1, 1, 31)))
    Fase.objects.bulk_create(phases, batch_size=2000)
    Annualita.objects.bulk_create(tranches, batch_size=2000)
    return peg


def naive_scores(peg):
    """What a view would write without thinking about queries: one objective at a time."""
    from objectives.calculator import Policy, score_objective, tranche_deadline_for
    from objectives.models import Obiettivo

    policy = Policy.from_peg(peg)
    scores = {}
    for obiettivo in Obiettivo.objects.filter(peg=peg):
        deadline = tranche_deadline_for(obiettivo, peg.year, list(obiettivo.tranches.all()))
        scores[obiettivo.pk] = score_objective(
            obiettivo, list(obiettivo.fasi.all()), policy, year=peg.year, tranche_deadline=deadline
        )
    return scores


def measure(function, peg, repeats: int):
    from django.db import connection

    best, queries, result = float("inf"), 0, None
    for _ in range(repeats):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = function(peg)
            elapsed = time.perf_counter() - started
        best, queries = min(best, elapsed), counter.count
    return best, queries, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="41,1000,10000", help="comma-separated numbers of objectives")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="peg-bench-") as tmp:
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from objectives.selectors import scores_for_peg

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"temporary SQLite database migrated in {time.perf_counter() - started:.1f}s")

        rng = random.Random(args.seed)
        header = (
            f"{'objectives':>10} {'phases':>7} │ {'scores_for_peg':>14} {'queries':>7} {'µs/obj':>7} │"
            f" {'naive loop':>10} {'queries':>7} │ {'speed-up':>8}"
        )
        print(header)
        print("─" * len(header))
        for index, size in enumerate(sizes):
            peg = build_peg(3000 + index, size, rng)
            repeats = 3 if size <= 1000 else 1
            fast_time, fast_queries, fast = measure(scores_for_peg, peg, repeats)
            naive_time, naive_queries, naive = measure(naive_scores, peg, repeats)
            assert {pk: score.score for pk, score in fast.items()} == {
                pk: score.score for pk, score in naive.items()
            }, "the two ways of scoring disagree"
            print(
                f"{size:>10,} {size * len(WEIGHTS):>7,} │ {fast_time:>13.3f}s {fast_queries:>7}"
                f" {fast_time / size * 1e6:>7.0f} │ {naive_time:>9.3f}s {naive_queries:>7,} │"
                f" {naive_time / fast_time:>7.1f}×"
            )
        scored = [score.score for score in fast.values() if score.score is not None]
        print(f"last PEG: {len(scored):,} scored, mean {sum(scored) / len(scored):.2f}")


if __name__ == "__main__":
    main()
