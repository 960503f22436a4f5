# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""SPDX headers on the project's own source files (.py, .html, .css, .js; vendored code excluded).

    python scripts/spdx_headers.py          # adds the header where it is missing
    python scripts/spdx_headers.py --check  # lists the files without it; exit status 1 if any

tests/test_reuse.py runs the same check, so a new file without the header fails the suite with
its name.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSE_LINE = "SPDX-License-Identifier: EUPL-1.2"
COPYRIGHT = "Copyright (C) 2026 Comune di Alessandria and the PEG contributors"
SUFFIXES = {".py", ".html", ".css", ".js"}
# Not ours (vendored, generated, installed) or not source.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "staticfiles",
    "media",
    "var",
    "artifacts",
    "vendor",
    "htmlcov",
}
# How far from the top the header may be (a shebang, a doctype, a {% load %} may come first).
HEADER_LINES = 5


def source_files(root: Path = ROOT) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        if any(part in SKIPPED_DIRS for part in path.relative_to(root).parts[:-1]):
            continue
        found.append(path)
    return sorted(found)


def has_header(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:HEADER_LINES]
    return any(LICENSE_LINE in line for line in head) and any("Copyright" in line for line in head)


def header_for(suffix: str) -> str:
    if suffix == ".py":
        return f"# {LICENSE_LINE}\n# {COPYRIGHT}\n"
    if suffix == ".html":
        return f"{{# {LICENSE_LINE} #}}\n{{# {COPYRIGHT} #}}\n"
    if suffix == ".css":
        return f"/* {LICENSE_LINE}\n   {COPYRIGHT} */\n"
    return f"// {LICENSE_LINE}\n// {COPYRIGHT}\n"


def add_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    keep = 0
    # A shebang and a Python encoding line must stay first; so must an HTML doctype (nothing
    # but whitespace may come before it).
    while keep < len(lines) and keep < 2:
        line = lines[keep]
        if line.startswith("#!") or "coding" in line and line.startswith("#") or line.lower().startswith("<!doctype"):
            keep += 1
        else:
            break
    path.write_text("".join(lines[:keep]) + header_for(path.suffix) + "".join(lines[keep:]), encoding="utf-8")


def missing(root: Path = ROOT) -> list[str]:
    return [str(path.relative_to(root)) for path in source_files(root) if not has_header(path)]


def main(argv: list[str]) -> int:
    lacking = missing()
    if "--check" in argv:
        for name in lacking:
            print(name)
        return 1 if lacking else 0
    for name in lacking:
        add_header(ROOT / name)
        print(f"intestazione SPDX aggiunta: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
