# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Shared by the benchmarks on PostgreSQL: the database (created when missing), Django set up for it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# What `make run` sets to serve plain http on this machine, with DEBUG=0 as in production.
LOCAL_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


def ensure_database(url: str) -> None:
    """CREATE DATABASE for a postgres:// URL whose database does not exist yet."""
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def vacuum_analyze(url: str) -> None:
    """VACUUM (ANALYZE) the database: what autovacuum does on a normal server after the generator's and
    the stored figures' rewrites (this machine's PostgreSQL runs with autovacuum off)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()


def setup_django(url: str, *, migrate: bool = True) -> None:
    """Django on `url` with the local production-like settings; the schema migrated."""
    ensure_database(url)
    os.environ.update(LOCAL_ENV)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


class QueryCounter:
    """Counts the queries run on a connection (cheaper than capturing them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def machine_load() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "n/d"
