# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A bounded load test: 20 users (staff and heads) against gunicorn + PostgreSQL on this machine.

    .venv/bin/python benchmarks/bench_load.py [--size 10000] [--baseline-size 41] [--requests 1200]
        [--duration 180] [--think 0] [--workers 2×cores+1]
        [--database-url postgres://postgres@127.0.0.1:5432/peg_bench_pages]

Serves the database of bench_pages.py (`<database-url>_<size>`, filled when missing) with gunicorn
as `make serve` does (DEBUG=0, WORKERS = 2 × cores + 1, DATABASE_CONN_MAX_AGE=60) on 127.0.0.1 and
a free port: loopback only. Logs in --users users through the login page (a quarter staff of
Programmazione e Controllo, the others heads of the largest units; created with a password on
first use), then each user's thread asks its pages in turn — staff: dashboard, list, list by score,
unit list, unit page, objective page; a head: dashboard, list, his unit's page, one of his
objectives — until --requests requests are done in all or --duration seconds have passed. Prints
p50/p95/p99 per page and role, the requests per second, the workers' resident memory before and
after, and whether the targets are met. The same load runs first on the PEG of --baseline-size
objectives (the 2021 document: its heads log in more than once when there are fewer of them than
users), so that each p95 has its ratio to the small PEG's, measured in the same run on the same
machine. Writes artifacts/bench_load.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from _setup import LOCAL_ENV, ROOT, machine_load, setup_django, vacuum_analyze

PASSWORD = "carico-benchmark-2026"
TARGETS_MS = {"staff": 200, "head": 100}  # p95 of dashboard and list, from the issue


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_users(count: int, size: int, base_url: str) -> tuple[list[dict], int]:
    """The users (with their pages) and the PEG's number of objectives, in the benchmark's database."""
    import bench_pages

    setup_django(bench_pages.database_url(base_url, size))
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from objectives.synthetic import head_users
    from sectors.models import Settore

    peg = bench_pages.ensure_peg(size)
    vacuum_analyze(bench_pages.database_url(base_url, size))
    heads = head_users(peg)
    staff_count = max(1, count // 4)
    users = []
    staff_group = bench_pages.staff_user().groups.get()
    units = list(
        Settore.objects.filter(obiettivi__peg=peg).annotate(n=Count("obiettivi")).order_by("-n", "print_order")
    )
    biggest = units[0]
    biggest_objective = biggest.obiettivi.filter(peg=peg).order_by("print_order").first()
    for index in range(staff_count):
        user, _ = get_user_model().objects.get_or_create(username=f"bench.staff{index + 1}")
        user.groups.add(staff_group)
        users.append((user, "staff", biggest, biggest_objective))
    seen = set()
    for settore in units:
        if len(users) >= count:
            break
        user = heads.get(settore.head_id)
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append((user, "head", settore, settore.obiettivi.filter(peg=peg).order_by("print_order").first()))
    heads_found = users[staff_count:]
    while heads_found and len(users) < count:  # a small PEG has fewer heads: they log in twice (a session each)
        users.append(heads_found[(len(users) - staff_count) % len(heads_found)])
    result = []
    for user, role, settore, obiettivo in users:
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if role == "staff":
            pages = [
                ("dashboard", "/"),
                ("list", "/obiettivi/"),
                ("list by score", "/obiettivi/?sort=-score_value"),
                ("unit list", "/strutture/"),
                ("unit page", f"/strutture/{settore.pk}/"),
                ("objective page", f"/obiettivi/{obiettivo.pk}/"),
            ]
        else:
            pages = [
                ("dashboard", "/"),
                ("list", "/obiettivi/"),
                ("unit page", f"/strutture/{settore.pk}/"),
                ("objective page", f"/obiettivi/{obiettivo.pk}/"),
            ]
        result.append({"username": user.username, "role": role, "pages": pages})
    return result, peg.obiettivi.count()


def worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accesso/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accesso/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accesso/"},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"login of {username} refused (HTTP {answer.status_code})")
    return session


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def serve_and_load(args, size: int, users: list[dict]) -> dict:
    """gunicorn on the database of `size`, the users logged in, the load: the samples and the workers' memory."""
    import bench_pages

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        **LOCAL_ENV,
        "DATABASE_URL": bench_pages.database_url(args.database_url, size),
        "DATABASE_CONN_MAX_AGE": "60",
    }
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "peg.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--timeout", "120"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/accesso/", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or gunicorn.poll() is not None:
                raise SystemExit("gunicorn did not answer in 120 s")
            time.sleep(0.3)
        sessions = [login(base, user["username"]) for user in users]
        for session, user in zip(sessions, users, strict=True):  # warm-up: each page once per worker's cache
            for _, path in user["pages"]:
                session.get(base + path, timeout=120)
        workers = worker_pids(gunicorn.pid)
        rss_before = {pid: rss_mb(pid) for pid in workers}
        load_before = machine_load()

        samples: dict[tuple[str, str], list[float]] = defaultdict(list)
        errors: dict[tuple[str, str], int] = defaultdict(int)
        lock = threading.Lock()
        quota = [args.requests // len(users) + (1 if i < args.requests % len(users) else 0) for i in range(len(users))]
        stop_at = time.monotonic() + args.duration
        pacing = random.Random(2021)

        def run(session: requests.Session, user: dict, count: int, start_after: float) -> None:
            # With --think, users arrive spread over the first pause rather than all in the same
            # millisecond (which no office does: 20 dashboards at once would measure only that burst).
            time.sleep(start_after)
            for index in range(count):
                if time.monotonic() > stop_at:
                    return
                name, path = user["pages"][index % len(user["pages"])]
                started = time.perf_counter()
                try:
                    status = session.get(base + path, timeout=120).status_code
                except requests.RequestException:
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 200:
                        samples[(user["role"], name)].append(elapsed)
                    else:
                        errors[(user["role"], name)] += 1
                if args.think:
                    time.sleep(args.think * (0.5 + pacing.random()))  # 0.5–1.5 × --think

        threads = [
            threading.Thread(target=run, args=(session, user, count, args.think * pacing.random()))
            for session, user, count in zip(sessions, users, quota, strict=True)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        rss_after = {pid: rss_mb(pid) for pid in worker_pids(gunicorn.pid)}
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    return {
        "samples": samples,
        "errors": errors,
        "elapsed": elapsed,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "load": (load_before, machine_load()),
    }


def prepared(args, size: int) -> tuple[list[dict], int]:
    """The users and the PEG's size, from a child process (Django is set up on one database a process)."""
    command = [sys.executable, __file__, "--prepare", str(size), "--users", str(args.users)]
    finished = subprocess.run(
        command + ["--database-url", args.database_url], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if finished.returncode:
        raise SystemExit(f"preparing the PEG of {size} objectives failed:\n{finished.stderr}")
    sys.stderr.write(finished.stderr)
    answer = json.loads(finished.stdout.strip().splitlines()[-1])
    return answer["users"], answer["objectives"]


def main() -> None:
    import bench_pages

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000, help="objectives of the PEG served")
    parser.add_argument(
        "--baseline-size",
        type=int,
        default=41,
        help="the same load, first, on the PEG of this size (41: the 2021 document), for the ratios (0: none)",
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1200, help="requests in all (fixed), for each size")
    parser.add_argument("--duration", type=float, default=180, help="seconds at most, for each size")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="seconds each user waits between two requests, as a person reading the page does "
        "(0, the default: each user asks again at once, the harshest case)",
    )
    parser.add_argument("--database-url", default=bench_pages.DEFAULT_URL)
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)  # the child process preparing one size
    args = parser.parse_args()
    if args.prepare:
        users, objectives = prepare_users(args.users, args.prepare, args.database_url)
        print(json.dumps({"users": users, "objectives": objectives}))
        return

    sizes = [size for size in (args.baseline_size, args.size) if size]
    runs = {}
    for size in dict.fromkeys(sizes):
        users, objectives = prepared(args, size)
        runs[size] = {**serve_and_load(args, size, users), "objectives": objectives, "users": users}

    lines: list[str] = []

    def report(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    run = runs[args.size]
    base = runs.get(args.baseline_size) if args.baseline_size and args.baseline_size != args.size else None
    users = run["users"]
    staff = sum(1 for user in users if user["role"] == "staff")
    report(
        f"gunicorn ({args.workers} workers, DEBUG=0) + PostgreSQL on 127.0.0.1, {run['objectives']:,} objectives;"
        f" {len(users)} users logged in ({staff} staff, {len(users) - staff} heads), concurrent,"
        f" {'no pause between requests' if not args.think else f'about {args.think:g} s between a user’s requests'}"
    )
    if base:
        report(f"baseline, measured first in this run, same users and pace: {base['objectives']:,} objectives")
    report(f"load before: {run['load'][0]}   after: {run['load'][1]}   cores: {os.cpu_count()}")
    header = f"{'role':<5} {'page':<15} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    if base:
        header += f" {'p95 at ' + format(base['objectives'], ','):>12} {'ratio':>6}"
    report(header)
    report("─" * len(header))
    samples, errors = run["samples"], run["errors"]
    p95s = {}
    for (role, name), values in sorted(samples.items(), key=lambda item: (item[0][0] != "staff", item[0][1])):
        p95s[(role, name)] = p95 = percentile(values, 0.95)
        line = (
            f"{role:<5} {name:<15} {len(values):>5} {statistics.median(values):>8.0f} {p95:>8.0f}"
            f" {percentile(values, 0.99):>8.0f} {errors[(role, name)]:>6}"
        )
        if base and base["samples"].get((role, name)):
            small = percentile(base["samples"][(role, name)], 0.95)
            line += f" {small:>12.0f} {p95 / small:>5.1f}×"
        report(line)
    for label, figures in [("", run)] + ([(f"at {base['objectives']:,}: ", base)] if base else []):
        done = sum(len(values) for values in figures["samples"].values())
        failed = sum(figures["errors"].values())
        report(
            f"{label}{done:,} answered (HTTP 200), {failed} failed, in {figures['elapsed']:.1f} s:"
            f" {done / figures['elapsed']:.1f} requests/s"
        )
    report(
        "workers' RSS before: "
        + ", ".join(f"{value:.0f}" for value in run["rss_before"].values())
        + f" MB (total {sum(run['rss_before'].values()):.0f}); after: "
        + ", ".join(f"{value:.0f}" for value in run["rss_after"].values())
        + f" MB (total {sum(run['rss_after'].values()):.0f})"
    )
    report(f"targets: p95 of dashboard and list ≤ {TARGETS_MS['staff']} ms staff, ≤ {TARGETS_MS['head']} ms head")
    for role, limit in TARGETS_MS.items():
        for name in ("dashboard", "list"):
            if (role, name) in p95s:
                verdict = "met" if p95s[(role, name)] <= limit and not errors[(role, name)] else "NOT met"
                report(f"  {role:<5} {name:<10} p95 {p95s[(role, name)]:>5.0f} ms (≤ {limit}): {verdict}")
    out = ROOT / "artifacts" / "bench_load.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
