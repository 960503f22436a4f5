# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""What the guidelines for reusable PA software ask of the repository: a publiccode.yml that
follows the standard (0.4), the EUPL-1.2 licence text, SPDX headers in our own source files, a
security contact; and the vendored front-end matching the versions package.json pins."""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPDX_LICENSE = "EUPL-1.2"

# publiccode.yml 0.4, https://yml.publiccode.tools/schema.core.html
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
PLATFORMS = {"web", "windows", "mac", "linux", "ios", "android"}
# The categories this file uses, from the standard's list (categories-list.html).
KNOWN_CATEGORIES = {
    "data-visualization",
    "document-management",
    "hr",
    "project-management",
    "workflow-management",
    "task-management",
    "data-analytics",
    "financial-reporting",
}
CATEGORY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


def spdx_headers():
    spec = importlib.util.spec_from_file_location("spdx_headers", ROOT / "scripts" / "spdx_headers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_yml_has_every_key_the_0_4_standard_requires(publiccode):
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    for key in ["name", "url", "platforms", "developmentStatus", "softwareType", "description", "legal"]:
        assert publiccode.get(key), key
    assert publiccode["maintenance"]["type"]
    assert isinstance(publiccode["localisation"]["localisationReady"], bool)
    assert publiccode["localisation"]["availableLanguages"]


def test_publiccode_yml_values_have_the_formats_the_standard_gives(publiccode):
    assert re.match(r"^https://\S+$", publiccode["url"])
    assert set(publiccode["platforms"]) <= PLATFORMS
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] in SOFTWARE_TYPES
    assert all(CATEGORY.match(c) and c in KNOWN_CATEGORIES for c in publiccode["categories"])
    date.fromisoformat(publiccode["releaseDate"])
    assert publiccode["legal"]["license"] == SPDX_LICENSE
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "contract"}:
        assert maintenance["contacts"] and all(contact["name"] for contact in maintenance["contacts"])
        assert all(EMAIL.match(contact.get("email", "x@y.it")) for contact in maintenance["contacts"])
    assert all(re.match(r"^[a-z]{2,3}$", language) for language in publiccode["localisation"]["availableLanguages"])


def test_publiccode_yml_describes_the_software_in_italian_within_the_standard_lengths(publiccode):
    italian = publiccode["description"]["it"]
    assert 0 < len(italian["shortDescription"]) <= 150
    assert 150 <= len(italian["longDescription"]) <= 10000
    assert italian["features"] and all(0 < len(feature) <= 100 for feature in italian["features"])


def test_publiccode_yml_carries_the_italian_extension(publiccode):
    italy = publiccode["it"]
    assert italy["countryExtensionVersion"] == "1.0"
    assert re.match(r"^[a-z0-9_]+$", italy["riuso"]["codiceIPA"])
    assert publiccode["organisation"]["uri"] == f"urn:x-italian-pa:{italy['riuso']['codiceIPA']}"
    assert all(isinstance(value, bool) for value in italy["conforme"].values())
    assert all(isinstance(value, bool) for value in italy["piattaforme"].values())


def test_the_licence_is_the_eupl_1_2_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text and len(text) > 10_000


def test_security_md_gives_a_contact_for_reporting_vulnerabilities():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert re.search(r"[\w.]+@[\w.]+\.it", text)
    assert "vulnerabilità" in text


def test_every_source_file_of_ours_carries_the_spdx_header():
    """The message names each file without it; `python scripts/spdx_headers.py` adds them."""
    lacking = spdx_headers().missing(ROOT)
    assert lacking == [], (
        f"{len(lacking)} file senza intestazione SPDX (aggiungila con `.venv/bin/python scripts/spdx_headers.py`):\n"
        + "\n".join(lacking)
    )


def test_the_header_script_puts_the_header_first_but_after_a_doctype(tmp_path):
    module = spdx_headers()
    page = tmp_path / "page.html"
    page.write_text("<!doctype html>\n<html></html>\n")
    script = tmp_path / "tool.py"
    script.write_text('#!/usr/bin/env python\n"""Tool."""\n')
    for path in (page, script):
        assert not module.has_header(path)
        module.add_header(path)
        assert module.has_header(path)
    assert page.read_text().startswith("<!doctype html>\n{# SPDX-License-Identifier: EUPL-1.2 #}")
    assert script.read_text().startswith("#!/usr/bin/env python\n# SPDX-License-Identifier: EUPL-1.2\n")
    assert module.missing(tmp_path) == []


def test_the_vendored_front_end_is_the_version_package_json_pins():
    pins = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version in pins.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} must be pinned to an exact version"
        assert lock[f"node_modules/{name}"]["version"] == version
    bootstrap_italia = (ROOT / "static/vendor/bootstrap-italia/VERSION").read_text()
    assert bootstrap_italia.startswith(f"bootstrap-italia {pins['bootstrap-italia']} ")
    axe = (ROOT / "tests/browser/vendor/VERSION").read_text()
    assert axe.startswith(f"axe-core {pins['axe-core']} ")
    assert f"axe v{pins['axe-core']}" in (ROOT / "tests/browser/vendor/axe.min.js").read_text()[:200]
    for path in [
        "static/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
        "static/vendor/bootstrap-italia/css/bootstrap-italia.min.css",
        "static/vendor/bootstrap-italia/svg/sprites.svg",
        "static/vendor/bootstrap-italia/LICENSE",
        "tests/browser/vendor/axe-core.LICENSE",
    ]:
        assert (ROOT / path).stat().st_size > 0, path
