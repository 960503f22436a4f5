# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Every app's tests run: pytest.ini's testpaths name every folder that has a tests/ package."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_tests_folder_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    apps = {path.parent.name for path in ROOT.glob("*/tests/__init__.py") if path.parent.parent == ROOT}
    apps |= {"tests"} if (ROOT / "tests").is_dir() else set()
    missing = sorted(apps - testpaths)
    assert not missing, f"pytest.ini: testpaths does not name {missing}: make test would never run their tests"
