# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The whole 2021 PEG printed once per test session, read back page by page."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


def flat(text: str) -> str:
    """Whitespace collapsed, and no break after a hyphen: extraction keeps a wrapped 'CEN-TRO' as 'CEN-\\nTRO'."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


@dataclass
class PrintedPeg:
    pdf: bytes
    html: str
    pages: list[str]
    # Plain values read from the database while the fixture was loaded: the test DB is rolled back.
    cards: list[dict]
    units: list[str]
    responsabili: list[tuple[str, str]]
    peg: dict

    def page_of(self, *needles: str) -> int:
        """The 1-based number of the first page holding every needle (whitespace-insensitive)."""
        wanted = [flat(needle) for needle in needles]
        for number, text in enumerate(self.pages, start=1):
            if all(needle in flat(text) for needle in wanted):
                return number
        raise AssertionError(f"no page holds {needles}")


@pytest.fixture(scope="session")
def printed_peg(django_db_setup, django_db_blocker, tmp_path_factory) -> PrintedPeg:
    from objectives.models import Peg
    from reports import documents, services
    from reports.rendering import PdfCache

    cache = PdfCache(tmp_path_factory.mktemp("pdf-cache"))
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
        peg = Peg.objects.get(year=2021)
        pdf = services.peg_pdf(peg, cache=cache, workers=2)
        html = services.peg_html(peg)
        cards = [
            {
                "unit": o.settore.name,
                "head_line": o.settore.head_line,
                "signature": o.settore.signature,
                "kind": o.settore.kind,
                "code": o.code,
                "title_line": f"Obiettivo {o.code}: {o.title}",
                "phases": [(f.label, f.year, f.weight, f.description) for f in o.fasi.all()],
            }
            for o in documents.objectives_for(year=2021)
        ]
        responsabili = [(r.code, r.description) for r in documents.responsabili_list()]
        peg_values = {"ente": peg.ente, "cover_title": peg.cover_title, "publisher": peg.publisher}
        transaction.set_rollback(True)
    units = list(dict.fromkeys(card["unit"] for card in cards))
    pages = [page.extract_text() for page in PdfReader(_bytes_io(pdf)).pages]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "peg_2021.pdf").write_bytes(pdf)
    (ARTIFACTS / "peg_2021.html").write_text(html, encoding="utf-8")
    return PrintedPeg(pdf, html, pages, cards, units, responsabili, peg_values)


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def render_pngs(pdf_path: Path, pages: list[int], prefix: str) -> list[Path]:
    """PNG renderings of some pages for a person to compare with the document (needs poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    written = []
    for page in pages:
        target = ARTIFACTS / f"{prefix}-p{page:03d}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf_path),
                str(target),
            ],
            check=True,
        )
        written.append(target.with_suffix(".png"))
    return written
