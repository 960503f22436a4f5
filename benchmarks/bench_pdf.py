# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Printing the PEG, time and memory: the 2021 PEG and a 1,000-card one, cold and warm, against plain WeasyPrint.

    .venv/bin/python benchmarks/bench_pdf.py [--cards 1000] [--repeat 3] [--workers 2] [--quick] [--use-db]

By default it loads fixtures/peg_2021.json into a throwaway SQLite database, so it never
touches yours (--use-db reads the configured database instead, 2021 PEG only), and builds a
large PEG of --cards cards: with `manage.py generate_peg` when that command exists, otherwise by
copying the 2021 cards round after round (codes A1, A2…, the same 14 units) into another year.

For each PEG: the baseline is the issue's, `weasyprint.HTML(<render_peg --html output>).write_pdf()`,
timed in a fresh process that has already loaded WeasyPrint (its peak memory is that process's);
"cold" is the whole PEG from an empty cache directory, "warm" from the one just filled. The
rendering workers are started (and timed) before, as in a running server; their peak memory
(VmHWM) is read from /proc after each PEG, as is this process's (which assembles). Each time
is the median of --repeat runs (one run for the large PEG's baseline and cold print). Beside the
wall clock, which other load on the machine distorts, the CPU seconds of each side, and for the
cold print an estimate of its time with a core per process (this process's CPU plus the busiest
worker's) against plain WeasyPrint's CPU.
--quick: one run each, a 200-card PEG, no one-card/one-unit rows. Writes artifacts/bench_pdf.txt;
the scratch folder (database, caches) is removed at exit.
"""

from __future__ import annotations

import argparse
import atexit
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_COLD = 0.6
TARGET_WARM = 0.1
LARGE_YEAR = 2099

PLAIN = """
import json, resource, sys, time
import weasyprint
base_url, path = sys.argv[1:3]
weasyprint.HTML(string="<p>warm-up</p>").write_pdf()
begin, cpu = time.perf_counter(), time.process_time()
weasyprint.HTML(filename=path, base_url=base_url).write_pdf()
seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "max_rss_mb": rss}))
"""


def plain_weasyprint(html_file: Path, base_url: str) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak memory (MB) of one plain WeasyPrint call, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", PLAIN, base_url, str(html_file)], check=True, capture_output=True, text=True
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["cpu"], figures["max_rss_mb"]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_large_peg(size: int, year: int, source_year: int = 2021):
    """A PEG of `size` cards: `generate_peg` if present, else the source PEG's cards copied round by round."""
    from django.core.management import call_command, get_commands

    from objectives.models import Peg

    if "generate_peg" in get_commands():
        try:
            call_command("generate_peg", objectives=size, year=year, verbosity=0)
            return Peg.objects.get(year=year), "generate_peg"
        except Exception as exc:  # an interface this bench does not know: fall back to copies
            print(f"generate_peg not used ({exc!r}); copying the {source_year} cards", flush=True)
    return _copy_cards(size, year, source_year), f"copies of the {source_year} cards"


def _copy_cards(size: int, year: int, source_year: int):
    from django.db import transaction

    from objectives.models import Annualita, Fase, Obiettivo, Peg

    with transaction.atomic():
        peg = Peg.objects.get(year=source_year)
        originals = list(
            Obiettivo.objects.filter(peg=peg)
            .order_by("settore__print_order", "print_order", "code")
            .prefetch_related("fasi__responsabili", "tranches")
        )
        peg.pk, peg.year = None, year
        peg.save()
        copies, sources = [], []
        for index in range(size):
            original = originals[index % len(originals)]
            copy = Obiettivo.objects.get(pk=original.pk)
            copy.pk, copy.peg, copy.previous = None, peg, None
            copy.code = f"{original.code}{index // len(originals) + 1}"
            copy.print_order = original.print_order * 1000 + index // len(originals)
            copies.append(copy)
            sources.append(original)
        # bulk_create sends no signals: the stored figures are not needed to print.
        Obiettivo.objects.bulk_create(copies, batch_size=500)
        phases, tranches = [], []
        for copy, original in zip(copies, sources, strict=True):
            for fase in original.fasi.all():
                clone = Fase.objects.get(pk=fase.pk)
                clone.pk, clone.obiettivo = None, copy
                phases.append((clone, [r.pk for r in fase.responsabili.all()]))
            tranches += [
                Annualita(
                    obiettivo=copy, year=t.year, label=t.label, deadline_text=t.deadline_text, deadline=t.deadline
                )
                for t in original.tranches.all()
            ]
        Fase.objects.bulk_create([fase for fase, _ in phases], batch_size=500)
        through = Fase.responsabili.through
        through.objects.bulk_create(
            [through(fase_id=fase.pk, responsabile_id=code) for fase, codes in phases for code in codes],
            batch_size=1000,
        )
        Annualita.objects.bulk_create(tranches, batch_size=500)
    return peg


def _spin(_: int) -> float:
    started = time.process_time()
    total = 0
    for number in range(20_000_000):
        total += number * number
    return time.process_time() - started


def parallel_speedup() -> str:
    """What two busy processes get from this machine's cores, against one alone: the most a cold print
    shared by two rendering processes can gain over one plain WeasyPrint call."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        started = time.perf_counter()
        alone = pool.submit(_spin, 0).result()
        one = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_spin, [0, 1]))
        two = time.perf_counter() - started
    return f"two busy processes do {2 * one / two:.2f}× the work of one (one alone: {alone:.2f} s CPU)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--cards", type=int, default=1000, help="cards of the large PEG (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="one run each, a 200-card PEG, no card/unit rows")
    parser.add_argument("--use-db", action="store_true", help="use the configured database, do not load the fixture")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
        args.cards = min(args.cards, 200)
    if args.use_db:
        args.cards = 0

    scratch = Path(tempfile.mkdtemp(prefix="peg-bench-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
    if not args.use_db:
        os.environ["SQLITE_PATH"] = str(scratch / "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.use_db:
        call_command("migrate", verbosity=0)
        call_command("loaddata", str(ROOT / "fixtures" / "peg_2021.json"), verbosity=0)

    import weasyprint
    from pypdf import PdfReader

    from objectives.models import Peg
    from reports import documents, rendering, services

    lines: list[str] = []

    def report(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    report("CPU s: this process and the rendering workers (plain: its process); wall clock suffers from other load")
    report(f"load average before: {Path('/proc/loadavg').read_text().strip()} ({os.cpu_count()} cores)")
    report(f"this machine's cores: {parallel_speedup()}")
    started = time.perf_counter()
    for future in rendering.start_workers(args.workers):
        future.result()
    report(f"worker start-up (once per process, not in the figures below): {time.perf_counter() - started:.3f} s")
    weasyprint.HTML(string="<p>warm-up</p>").write_pdf()
    counter = iter(range(10**6))

    def fresh_cache():
        return rendering.PdfCache(scratch / f"cache-{next(counter)}")

    def cpu_split() -> list[float]:
        """CPU seconds of this process, then of each rendering worker."""
        pids = sorted(rendering.worker_pool(args.workers)._processes)
        return [time.process_time(), *(cpu_seconds(pid) for pid in pids)]

    critical: list[float] = []

    def timed(function, make_cache=None, repeat=args.repeat) -> tuple[float, float]:
        """Median wall-clock and CPU seconds (this process and the workers) of `repeat` runs.

        Also keeps, in `critical`, this process's CPU plus the busiest worker's for each run: the
        wall-clock time to expect when each process has a core of its own.
        """
        runs, cpus = [], []
        critical.clear()
        for _ in range(repeat):
            cache = make_cache() if make_cache else None
            begin, before = time.perf_counter(), cpu_split()
            function(cache) if make_cache else function()
            runs.append(time.perf_counter() - begin)
            spent = [after - earlier for after, earlier in zip(cpu_split(), before, strict=False)]
            cpus.append(sum(spent))
            critical.append(spent[0] + max(spent[1:], default=0))
        return statistics.median(runs), statistics.median(cpus)

    def cold_then_warm(render, cold_repeat=args.repeat):
        cold = timed(render, fresh_cache, cold_repeat)
        shared = fresh_cache()
        render(shared)
        warm = timed(lambda _cache: render(shared), lambda: None)
        return cold, warm

    def workers_peak() -> str:
        pids = list(rendering.worker_pool(args.workers)._processes)
        return ", ".join(f"{peak_rss_mb(pid):.0f}" for pid in pids) + " MB"

    def bench_peg(peg, label: str, *, details: bool, large: bool) -> list[str]:
        obiettivi = list(documents.objectives_for(year=peg.year))
        html_file = scratch / f"peg-{peg.year}.html"
        html_file.write_text(services.peg_html(peg), encoding="utf-8")
        repeat_once = 1 if large else args.repeat
        plain_runs = [plain_weasyprint(html_file, rendering.BASE_URL) for _ in range(repeat_once)]
        baseline = statistics.median(seconds for seconds, _, _ in plain_runs)
        baseline_cpu = statistics.median(cpu for _, cpu, _ in plain_runs)
        plain_rss = max(rss for _, _, rss in plain_runs)
        rows = []
        if details:
            first = obiettivi[0]
            settore = max({o.settore for o in obiettivi}, key=lambda s: sum(o.settore_id == s.pk for o in obiettivi))
            unit_size = sum(o.settore_id == settore.pk for o in obiettivi)
            card_cold, card_warm = cold_then_warm(
                lambda c: services.objective_pdf(first, cache=c, workers=args.workers)
            )
            unit_cold, unit_warm = cold_then_warm(
                lambda c: services.unit_pdf(settore, peg.year, cache=c, workers=args.workers)
            )
            rows += [
                (f"one card, cold (Obiettivo {first.code})", card_cold),
                ("one card, warm", card_warm),
                (f"one unit ({unit_size} cards), cold", unit_cold),
                ("one unit, warm", unit_warm),
            ]
        pages = []
        render_peg = lambda c: pages.append(services.peg_pdf(peg, cache=c, workers=args.workers))  # noqa: E731
        peg_cold = timed(render_peg, fresh_cache, repeat_once)
        peg_critical = statistics.median(critical)
        shared = fresh_cache()
        render_peg(shared)
        peg_warm = timed(lambda _cache: render_peg(shared), lambda: None)
        rows += [("whole PEG, cold", peg_cold), ("whole PEG, warm", peg_warm)]
        if details:
            serial = timed(lambda c: services.peg_pdf(peg, cache=c, workers=1), fresh_cache)
            rows.append(("whole PEG, cold, one process", serial))
        page_count = len(PdfReader(io.BytesIO(pages[-1])).pages)
        report("")
        report(f"PEG {peg.year} ({label}): {len(obiettivi)} cards, {page_count} pages; {args.workers} workers")
        report(f"{'what':<44}{'seconds':>9}{'× plain':>9}{'CPU s':>9}{'× plain':>9}")
        rows.insert(0, ("plain: one WeasyPrint call on the --html file", (baseline, baseline_cpu)))
        for name, (seconds, cpu) in rows:
            report(f"{name:<44}{seconds:>9.3f}{seconds / baseline:>9.2f}{cpu:>9.2f}{cpu / baseline_cpu:>9.2f}")
        report(f"peak memory: plain WeasyPrint {plain_rss:.0f} MB; rendering workers (so far) {workers_peak()};")
        report(f"  this process (cards, assembly) {peak_rss_mb(os.getpid()):.0f} MB")
        cold, warm = peg_cold[0] / baseline, peg_warm[0] / baseline
        report(f"target cold ≤ {TARGET_COLD}×: {'met' if cold <= TARGET_COLD else 'NOT met'} ({cold:.2f}×, wall clock)")
        report(f"target warm ≤ {TARGET_WARM}×: {'met' if warm <= TARGET_WARM else 'NOT met'} ({warm:.2f}×, wall clock)")
        estimate = peg_critical / baseline_cpu
        report(
            f"cold with a core per process, estimated (this process's CPU + the busiest worker's, against plain's"
            f" CPU): {peg_critical:.2f} s, {estimate:.2f}× ({'met' if estimate <= TARGET_COLD else 'NOT met'})"
        )
        report(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
        return rows

    bench_peg(Peg.objects.get(year=args.year), "the fixture", details=not args.quick, large=False)
    if args.cards:
        begin = time.perf_counter()
        peg, how = build_large_peg(args.cards, LARGE_YEAR, args.year)
        report(f"\nlarge PEG built in {time.perf_counter() - begin:.1f} s ({how})")
        bench_peg(peg, f"synthetic, {how}", details=False, large=True)
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "bench_pdf.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
