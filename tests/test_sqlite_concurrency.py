# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""SQLite under concurrency: simultaneous phase saves wait for each other instead of failing with
"database is locked" (WAL, busy timeout, transactions that take the write lock when they begin).

The test database pytest-django makes for SQLite lives in memory, shared between threads through
SQLite's shared cache, whose locking is not the one `make run` meets. So the threads run in a
subprocess on a file database set up like `make run`'s (settings.DATABASES, SQLITE_PATH). The test
runs, and counts, on every backend: under DATABASE_URL=postgres it still exercises SQLite.
"""

import ast
import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings

THREADS = 8

SCRIPT = textwrap.dedent(
    """
    import json
    import sys
    import threading

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)

    from django.contrib.auth import get_user_model

    from objectives import access, workflow
    from objectives.accounts import create_demo_users
    from objectives.models import Fase, FaseState

    create_demo_users()
    head = get_user_model().objects.get(username="dirigente.sistemi")
    threads = int(sys.argv[1])
    phases = [f for f in Fase.objects.select_related("obiettivo").order_by("pk") if access.can_edit_phase(head, f)]
    # Different phases of as few objectives as possible: the saves contend for the same rows.
    different = phases[:threads]
    same = [Fase.objects.get(pk=phases[0].pk) for _ in range(threads)]
    versions = {f.pk: f.version for f in phases}


    def run(targets):
        barrier = threading.Barrier(len(targets))
        outcomes = []

        def save(fase, n):
            try:
                barrier.wait()
                workflow.update_phase(
                    fase=fase, user=head, version=versions[fase.pk], state=FaseState.IN_CORSO,
                    completed_on=None, evidence=f"salvataggio {n}",
                )
                outcomes.append("saved")
            except workflow.StalePhase:
                outcomes.append("stale")
            except Exception as exc:
                outcomes.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

        workers = [threading.Thread(target=save, args=(fase, n)) for n, fase in enumerate(targets)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return outcomes


    result = {"different_objectives": len({f.obiettivo_id for f in different})}
    result["different"] = run(different)
    result["different_versions"] = [Fase.objects.get(pk=f.pk).version - versions[f.pk] for f in different]
    versions.update({f.pk: Fase.objects.get(pk=f.pk).version for f in phases})
    result["same"] = run(same)
    result["same_version"] = Fase.objects.get(pk=phases[0].pk).version - versions[phases[0].pk]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        result["journal_mode"] = cursor.fetchone()[0]
    print(json.dumps(result))
    """
)


def run_on_a_file_database(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="peg.settings",
        SQLITE_PATH=str(tmp_path / "concurrency.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(THREADS)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_simultaneous_saves_of_phases_wait_for_each_other_and_all_succeed_on_sqlite(tmp_path):
    result = run_on_a_file_database(tmp_path)
    assert result["journal_mode"] == "wal"
    assert result["different"] == ["saved"] * THREADS
    assert result["different_versions"] == [1] * THREADS
    # The same phase saved at once from one version: one save wins, the others are told it changed.
    assert sorted(result["same"]) == ["saved"] + ["stale"] * (THREADS - 1)
    assert result["same_version"] == 1


def test_sqlite_waits_for_the_write_lock_from_the_start_of_a_transaction():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        # Under DATABASE_URL=postgres the SQLite options are those the settings would give SQLite.
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "print(repr(settings.DATABASES['default']['OPTIONS']))",
            ],
            cwd=settings.BASE_DIR,
            env={
                **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                "DJANGO_SETTINGS_MODULE": "peg.settings",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        options = ast.literal_eval(result.stdout.strip())
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
