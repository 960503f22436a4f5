# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""How long printing the PEG takes: one card, one unit, the whole PEG cold and warm, against one plain WeasyPrint call.

    .venv/bin/python benchmarks/bench_pdf.py [--year 2021] [--repeat 3] [--workers 2] [--use-db]

By default it loads fixtures/peg_2021.json into a throwaway SQLite database, so it never
touches yours (--use-db reads the configured database instead). Each figure is the median of
--repeat runs; "cold" starts from an empty cache directory, "warm" reuses the one just filled.
The baseline is the issue's: `weasyprint.HTML(<render_peg --html output>).write_pdf()`.
Both sides run in a process that has already loaded WeasyPrint and its fonts, and the
rendering workers are started (and timed) before the measurements, as in a running server.
Writes artifacts/bench_pdf.txt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_COLD = 0.6
TARGET_WARM = 0.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--use-db", action="store_true", help="use the configured database, do not load the fixture")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="peg-bench-"))
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

    from objectives.models import Peg
    from reports import documents, rendering, services

    peg = Peg.objects.get(year=args.year)
    obiettivi = list(documents.objectives_for(year=args.year))
    settore = max({o.settore for o in obiettivi}, key=lambda s: sum(o.settore_id == s.pk for o in obiettivi))
    first = obiettivi[0]
    unit_size = sum(o.settore_id == settore.pk for o in obiettivi)

    lines: list[str] = []

    def report(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    started = time.perf_counter()
    for future in rendering.start_workers(args.workers):
        future.result()
    report(f"worker start-up (once per process, not in the figures below): {time.perf_counter() - started:.3f} s")
    weasyprint.HTML(string="<p>warm-up</p>").write_pdf()

    html_file = scratch / "peg.html"
    html_file.write_text(services.peg_html(peg), encoding="utf-8")

    def plain():
        # The print stylesheet's base URL, so the HTML's @font-face rules find the shipped fonts.
        weasyprint.HTML(filename=str(html_file), base_url=rendering.BASE_URL).write_pdf()

    counter = iter(range(10**6))

    def fresh_cache():
        return rendering.PdfCache(scratch / f"cache-{next(counter)}")

    def timed(function, make_cache=None) -> float:
        runs = []
        for _ in range(args.repeat):
            cache = make_cache() if make_cache else None
            begin = time.perf_counter()
            function(cache) if make_cache else function()
            runs.append(time.perf_counter() - begin)
        return statistics.median(runs)

    def cold_then_warm(render):
        cold = timed(render, fresh_cache)
        shared = fresh_cache()
        render(shared)
        warm = timed(lambda _cache: render(shared), lambda: None)
        return cold, warm

    baseline = timed(plain)
    card_cold, card_warm = cold_then_warm(lambda c: services.objective_pdf(first, cache=c, workers=args.workers))
    unit_cold, unit_warm = cold_then_warm(
        lambda c: services.unit_pdf(settore, args.year, cache=c, workers=args.workers)
    )
    peg_cold, peg_warm = cold_then_warm(lambda c: services.peg_pdf(peg, cache=c, workers=args.workers))
    serial_cold = timed(lambda c: services.peg_pdf(peg, cache=c, workers=1), fresh_cache)

    report(f"PEG {args.year}: {len(obiettivi)} cards; median of {args.repeat} runs; {args.workers} workers")
    report(f"{'what':<44}{'seconds':>9}{'× plain':>9}")
    rows = [
        ("plain: one WeasyPrint call on the --html file", baseline),
        (f"one card, cold (Obiettivo {first.code})", card_cold),
        ("one card, warm", card_warm),
        (f"one unit ({unit_size} cards), cold", unit_cold),
        ("one unit, warm", unit_warm),
        ("whole PEG, cold", peg_cold),
        ("whole PEG, warm", peg_warm),
        ("whole PEG, cold, one process", serial_cold),
    ]
    for label, seconds in rows:
        report(f"{label:<44}{seconds:>9.3f}{seconds / baseline:>9.2f}")
    cold_ok = peg_cold / baseline <= TARGET_COLD
    warm_ok = peg_warm / baseline <= TARGET_WARM
    report(f"target cold ≤ {TARGET_COLD}×: {'met' if cold_ok else 'NOT met'} ({peg_cold / baseline:.2f}×)")
    report(f"target warm ≤ {TARGET_WARM}×: {'met' if warm_ok else 'NOT met'} ({peg_warm / baseline:.2f}×)")
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "bench_pdf.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
