# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""How long importing a PEG document takes, and how many queries, at 41, 1,000 and 10,000 objectives.

    .venv/bin/python benchmarks/bench_import.py [--sizes 41,1000,10000] [--old-sizes 41,1000,10000]
        [--database-url postgres://postgres@127.0.0.1:5432/peg_bench_import]

41 is the 2021 document (fixtures/peg_2021_alessandria.txt); the others are synthetic documents
(objectives/synthetic.py, about N/33 units). Each import runs in a transaction rolled back at the
end, so the database (created when missing) stays empty. The baseline, measured in the same run, is
the import before it wrote in bulk (objectives/services.py at commit OLD_COMMIT, read from git):
one object at a time, about 22 queries per objective. Both paths compute the stored figures once
(objectives.facts): the old one refreshes them after its writes, the bulk one computes the new
objectives' figures before inserting them (facts.Unsaved) and refreshes the others after.
"queries" counts the statements sent through Django's cursor: the pages of rows sent through
psycopg2's own (COPY, execute_values) are not counted. Writes artifacts/bench_import.txt.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types

from _setup import ROOT, QueryCounter, machine_load, setup_django

OLD_COMMIT = "3f0c140"  # the last commit whose services.py wrote one object at a time
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peg_bench_import"
TARGET_SECONDS = 20


class _Undo(Exception):
    pass


def old_services() -> types.ModuleType:
    """objectives/services.py as it was at OLD_COMMIT, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:objectives/services.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("objectives._services_before_bulk")
    module.__file__ = f"objectives/services.py@{OLD_COMMIT}"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def measure(import_text, text: str) -> tuple[float, float, int, float]:
    """Seconds (wall, and this process's CPU) and queries of one import (rolled back), and the
    wall seconds spent on the stored figures (computing and writing them)."""
    from django.db import connection, transaction

    from objectives import facts

    refresh = {"seconds": 0.0}
    # The figures: the refresh after the writes, and those the import computes before inserting
    # the new objectives (facts.Unsaved: compute, then store their Andamento rows).
    originals = [(facts, "refresh_peg"), (facts.Unsaved, "compute"), (facts.Unsaved, "store")]
    saved = [(owner, name, getattr(owner, name)) for owner, name in originals]

    def timed(function):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                refresh["seconds"] += time.perf_counter() - started

        return call

    for owner, name, function in saved:
        setattr(owner, name, timed(function))
    counter = QueryCounter()
    try:
        with connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                with transaction.atomic():
                    import_text(text)
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                    raise _Undo
            except _Undo:
                pass
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)
    return elapsed, cpu, counter.count, refresh["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="41,1000,10000", help="comma-separated numbers of objectives")
    parser.add_argument("--old-sizes", default="41,1000,10000", help="sizes measured on the old path too ('' none)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    old_sizes = {int(size) for size in args.old_sizes.split(",") if size}

    setup_django(args.database_url)
    from django.db import transaction

    from objectives import facts
    from objectives.services import import_plan_text, read_plan
    from objectives.synthetic import synthetic_document

    before = old_services()

    def old_import(text):
        with transaction.atomic(), facts.deferred():
            result = before.import_plan_text(text)
            facts.refresh_peg(result.peg)
        return result

    lines: list[str] = []

    def report(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    report(f"PostgreSQL: {args.database_url}   load before: {machine_load()}")
    header = (
        f"{'objectives':>10} {'units':>5} {'phases':>6} │ {'parse':>6} │ {'bulk import':>11} {'(cpu)':>7}"
        f" {'queries':>7} {'of which figures':>16} │ {'old import':>10} {'(cpu)':>7} {'queries':>7} │ {'ratio':>6}"
    )
    report(header)
    report("─" * len(header))
    for size in sizes:
        if size == 41:
            text = (ROOT / "fixtures" / "peg_2021_alessandria.txt").read_text(encoding="utf-8")
        else:
            text = synthetic_document(size, year=2040, seed=args.seed)
        started = time.perf_counter()
        plan = read_plan(text)
        parse = time.perf_counter() - started
        units = len({o.unit for o in plan.objectives})
        phases = sum(len(o.phases) for o in plan.objectives)
        measure(import_plan_text, text) if size <= 1000 else None  # warm-up: imports, caches
        bulk, bulk_cpu, bulk_queries, figures = measure(import_plan_text, text)
        old_cells = f"{'—':>10} {'':>7} {'':>7} │ {'':>6}"
        if size in old_sizes:
            old, old_cpu, old_queries, _ = measure(old_import, text)
            old_cells = f"{old:>9.2f}s {old_cpu:>6.2f}s {old_queries:>7,} │ {old / bulk:>5.1f}×"
        report(
            f"{len(plan.objectives):>10,} {units:>5} {phases:>6,} │ {parse:>5.2f}s │ {bulk:>10.2f}s {bulk_cpu:>6.2f}s"
            f" {bulk_queries:>7,} {figures:>15.2f}s │ {old_cells}"
        )
    report(f"target: 10,000 objectives imported in ≤ {TARGET_SECONDS} s (whole import: read, checks, writes, figures)")
    report("(cpu): this process's CPU seconds, unaffected by other processes; wall time grows with the machine's load")
    report(f"load after: {machine_load()}")
    out = ROOT / "artifacts" / "bench_import.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
