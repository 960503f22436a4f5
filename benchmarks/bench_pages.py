# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The in-process time of each page, for staff and for a head, at 41, 1,000 and 10,000 objectives.

    .venv/bin/python benchmarks/bench_pages.py [--sizes 41,1000,10000] [--repeat 5]
        [--database-url postgres://postgres@127.0.0.1:5432/peg_bench_pages]

One PostgreSQL database per size (`<database-url>_<size>`, created and filled when missing, kept
for the next run and for bench_load.py): 41 is the 2021 document, the others a synthetic PEG of
2026 (manage.py generate_peg); each with monitoring entered through the workflow. Each page is
asked through Django's test client (the whole middleware stack, DEBUG=0, no network) by a staff
user of Programmazione e Controllo and by the head of the largest unit; the figure is the median
of --repeat requests after one warm-up, with its queries. The ratio is against the same page at 41
objectives, measured in the same run. The exports are files of every objective the user sees, as
large as the PEG: for them the figures are the cost per row and the wait for the CSV's first line
(it is streamed), beside the time. Writes artifacts/bench_pages.txt.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from _setup import ROOT, QueryCounter, machine_load, setup_django, vacuum_analyze

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peg_bench_pages"
SYNTHETIC_YEAR = 2026
MONITORING_PERCENT = 20
STAFF_USERNAME = "bench.staff"
TARGET_RATIO = 3


def database_url(base: str, size: int) -> str:
    return f"{base}_{size}"


def ensure_peg(size: int, seed: int = 2021):
    """The database's PEG (filled on first use); returns it."""
    from django.core.management import call_command

    from objectives.models import Peg
    from objectives.services import import_plan_file
    from objectives.synthetic import enter_monitoring

    peg = Peg.objects.order_by("-year").first()
    if peg is not None:
        return peg
    started = time.perf_counter()
    if size == 41:
        peg = import_plan_file((ROOT / "fixtures" / "peg_2021_alessandria.txt").read_bytes()).peg
        print(enter_monitoring(peg, percent=60, seed=seed).summary(), file=sys.stderr)
    else:
        options = {"year": SYNTHETIC_YEAR, "seed": seed, "monitoring": MONITORING_PERCENT}
        call_command("generate_peg", objectives=size, stdout=sys.stderr, **options)
        peg = Peg.objects.get(year=SYNTHETIC_YEAR)
    print(f"PEG di {size} obiettivi preparato in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return peg


def staff_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from objectives.access import GROUP_STAFF
    from objectives.accounts import ensure_role_groups

    ensure_role_groups()
    user, _ = get_user_model().objects.get_or_create(username=STAFF_USERNAME, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=GROUP_STAFF))
    return user


def largest_unit_and_head(peg):
    """The unit with most objectives in the PEG, its head's login (created when missing), one of its objectives."""
    from django.db.models import Count

    from objectives.synthetic import head_users
    from sectors.models import Settore

    users = head_users(peg)
    settore = (
        Settore.objects.filter(obiettivi__peg=peg)
        .annotate(n=Count("obiettivi"))
        .order_by("-n", "print_order")
        .select_related("head")
        .first()
    )
    obiettivo = settore.obiettivi.filter(peg=peg).annotate(n=Count("fasi")).order_by("-n", "print_order").first()
    return settore, users[settore.head_id], obiettivo


def pages(settore, obiettivo) -> list[tuple[str, str]]:
    return [
        ("dashboard", "/"),
        ("list, page 1", "/obiettivi/"),
        ("list by score", "/obiettivi/?sort=-score_value"),
        ("unit list", "/strutture/"),
        ("unit page", f"/strutture/{settore.pk}/"),
        ("objective page", f"/obiettivi/{obiettivo.pk}/"),
    ]


# Files of every objective the user sees: their size is the PEG's, so what must not grow is their
# cost per row (and, for the streamed CSV, the wait for its first line).
EXPORTS = [("CSV export", "/obiettivi/esporta.csv"), ("XLSX export", "/obiettivi/esporta.xlsx")]


def measure_exports(client, user, peg, repeat: int) -> dict:
    """{export: [ms, µs per row, rows, ms to the first line, status]}: medians of `repeat` after a warm-up."""
    from objectives.access import visible_objectives

    rows = visible_objectives(user).filter(peg=peg).count()
    figures = {}
    for name, url in EXPORTS:
        times, firsts, status = [], [], None
        for attempt in range(repeat + 1):
            started = time.perf_counter()
            response = client.get(url)
            first = time.perf_counter()
            if getattr(response, "streaming", False):
                chunks = iter(response.streaming_content)
                next(chunks, b"")
                first = time.perf_counter()
                for _ in chunks:
                    pass
            elapsed = time.perf_counter() - started
            status = response.status_code
            if attempt:
                times.append(elapsed * 1000)
                firsts.append((first - started) * 1000)
        ms = statistics.median(times)
        figures[name] = [ms, ms * 1000 / max(rows, 1), rows, statistics.median(firsts), status]
    return figures


def measure_one(size: int, base_url: str, repeat: int) -> dict:
    """In a process of its own (one database per size): {role: {page: [ms, queries, status]}}."""
    setup_django(database_url(base_url, size))
    from django.db import connection
    from django.test import Client

    peg = ensure_peg(size)
    vacuum_analyze(database_url(base_url, size))
    settore, head, obiettivo = largest_unit_and_head(peg)
    objectives = peg.obiettivi.count()
    results: dict = {"objectives": objectives, "unit_objectives": settore.obiettivi.filter(peg=peg).count()}
    for role, user in (("staff", staff_user()), ("head", head)):
        client = Client()
        client.force_login(user)
        results[role] = {}
        for name, url in pages(settore, obiettivo):
            times, queries, status = [], 0, None
            for attempt in range(repeat + 1):
                counter = QueryCounter()
                with connection.execute_wrapper(counter):
                    started = time.perf_counter()
                    response = client.get(url)
                    if getattr(response, "streaming", False):
                        b"".join(response.streaming_content)
                    elapsed = time.perf_counter() - started
                status = response.status_code
                if attempt:  # the first is a warm-up
                    times.append(elapsed * 1000)
                    queries = counter.count
            results[role][name] = [statistics.median(times), queries, status]
        results.setdefault("exports", {})[role] = measure_exports(client, user, peg, repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="41,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="prefix: the database of size N is <url>_N")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.database_url, args.repeat)))
        return

    sizes = [int(size) for size in args.sizes.split(",")]
    figures = {}
    load_before = machine_load()
    for size in sizes:
        finished = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat)]
            + ["--database-url", args.database_url],
            capture_output=True,
            text=True,
        )
        if finished.returncode:
            sys.exit(f"size {size} failed:\n{finished.stderr[-3000:]}")
        figures[size] = json.loads(finished.stdout.strip().splitlines()[-1])

    lines: list[str] = []

    def report(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    base = sizes[0]
    report(f"PostgreSQL, in-process (Django test client, DEBUG=0); median of {args.repeat} after a warm-up")
    report(
        "objectives: "
        + ", ".join(f"{figures[s]['objectives']:,} (head's unit: {figures[s]['unit_objectives']})" for s in sizes)
    )
    report(f"load before: {load_before}")

    def table(kind: str, width: int, ratio_head: str, rows, cell, value, limit: float, ratio_format: str) -> list[str]:
        """One line per (role, name) of `rows`: cell(figures) per size, value(figures)'s ratio to the base
        size; returns the ratios over `limit`."""
        header = f"{'role':<5} {kind:<15} │" + "".join(f" {f'{s:,} obj.':>{width}} │" for s in sizes)
        header += "".join(f" {f'{ratio_head}×{s:,}/{base}':>{len(ratio_head) + 10}}" for s in sizes[1:])
        report(header)
        report("─" * len(header))
        over = []
        for role, name, read in rows:
            cells = "".join(f" {cell(name, read(figures[size], role))} │" for size in sizes)
            ratios = ""
            for size in sizes[1:]:
                ratio = value(read(figures[size], role)) / value(read(figures[base], role))
                ratios += f" {ratio:>{len(ratio_head) + 9}{ratio_format}}×"
                if ratio > limit:
                    over.append(f"{role} {name} at {size:,}: {ratio:{ratio_format}}×")
            report(f"{role:<5} {name:<15} │{cells}{ratios}")
        return over

    def page_cell(name, figure) -> str:
        ms, queries, status = figure
        return f"{ms:>9.1f} ms {queries:>3} q" + ("" if status == 200 else f" HTTP {status}")

    def export_cell(name, figure) -> str:
        ms, per_row, rows, first, status = figure
        first_text = f"{first:>5.1f}" if name.startswith("CSV") else "    –"
        flag = "" if status == 200 else f" HTTP {status}"
        return f"{ms:>7.0f} ms {rows:>6,} r {per_row:>5.0f} µs {first_text}{flag}"

    roles = ("staff", "head")
    pages = [(role, name, lambda fig, r, n=name: fig[r][n]) for role in roles for name in figures[base][role]]
    over = table("page", 18, "", pages, page_cell, lambda figure: figure[0], TARGET_RATIO, ".1f")
    over_text = ", ".join(over) or "none"
    report(f"target: every page within {TARGET_RATIO}× its time at {base} objectives; over: {over_text}")
    report()
    report("Exports of every objective the user sees (a file as large as the PEG): time, cost per row, first line")
    exports = [(role, name, lambda fig, r, n=name: fig["exports"][r][n]) for role in roles for name, _ in EXPORTS]
    slower = table("file", 30, "µs/row ", exports, export_cell, lambda figure: figure[1], 1, ".2f")
    slower_text = ", ".join(slower) or "none"
    report(f"per row, no export costs more than at {base} objectives; more: {slower_text}")
    report(f"load after: {machine_load()}")
    out = ROOT / "artifacts" / "bench_pages.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
