# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Settings come from the environment; a bad value stops start-up with a clear message."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from peg.env import envbool, envint, envlist


def start(env: dict) -> subprocess.CompletedProcess:
    """Run `manage.py check` with the given environment on top of a clean one."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_defaults_are_italian_and_rome_time():
    assert settings.LANGUAGE_CODE == "it"
    assert settings.TIME_ZONE == "Europe/Rome"


def test_a_bad_boolean_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "forse")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='forse'"):
        envbool("DEBUG", True)


def test_booleans_numbers_and_lists_are_read(monkeypatch):
    monkeypatch.setenv("X_BOOL", "off")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert envbool("X_BOOL", True) is False
    assert envint("X_INT", 0) == 12
    assert envlist("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_INT", "dodici")
    with pytest.raises(ImproperlyConfigured, match="expected a whole number"):
        envint("X_INT", 0)


def test_production_without_a_secret_key_does_not_start():
    result = start({"DEBUG": "0", "ALLOWED_HOSTS": "peg.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_an_invalid_debug_value_does_not_start():
    result = start({"DEBUG": "sì"})
    assert result.returncode != 0
    assert "DEBUG='sì'" in result.stderr


def test_an_invalid_database_url_does_not_start():
    result = start({"DATABASE_URL": "nonsense://"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_local_use_starts_with_nothing_set():
    result = start({})
    assert result.returncode == 0, result.stderr


def test_the_readme_configuration_table_lists_every_variable_the_settings_read():
    base = Path(settings.BASE_DIR)
    source = (base / "peg" / "settings.py").read_text()
    read = set(re.findall(r"""\benv[a-z]*\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    read |= set(re.findall(r"""os\.environ(?:\.get)?[\(\[]\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    readme = (base / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", table, flags=re.MULTILINE))
    assert len(read) > 20
    assert sorted(read - documented) == []
