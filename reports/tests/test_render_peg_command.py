# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""python manage.py render_peg: the whole PEG, a unit, some objectives; as PDF or HTML."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.factories import FaseFactory, ObiettivoFactory, SettoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(settings, tmp_path):
    settings.PEG_PDF_CACHE_DIR = tmp_path / "cache"
    first, second = SettoreFactory(name="SETTORE UNO"), SettoreFactory(name="SETTORE DUE")
    objectives = [ObiettivoFactory(settore=first, code="A"), ObiettivoFactory(settore=second, code="A")]
    for obiettivo in objectives:
        FaseFactory(obiettivo=obiettivo)
    return first, second, objectives


def read(path):
    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_it_prints_the_whole_peg_with_cover_and_contents(two_units, tmp_path):
    call_command("render_peg", "--year", "2021", "--output", str(tmp_path / "peg.pdf"), stdout=io.StringIO())
    pages = read(tmp_path / "peg.pdf")
    assert " ".join(pages[0].split()) == (
        "CITTÀ DI ALESSANDRIA PIANO ESECUTIVO DI GESTIONE (P.E.G.) PROVVISORIO (Obiettivi 2021) Centro Stampa Comunale"
    )
    assert pages[1].startswith("Indice")
    assert any("SETTORE DUE" in page for page in pages[2:])


def test_it_prints_one_unit(two_units, tmp_path):
    first, *_ = two_units
    out = tmp_path / "unit.pdf"
    call_command("render_peg", "--year", "2021", "--settore", first.name, "--output", str(out), stdout=io.StringIO())
    [page] = read(out)
    assert "SETTORE UNO" in page and "Pagina 1 di 1" in page


def test_it_prints_chosen_objectives_and_writes_the_html(two_units, tmp_path):
    *_, objectives = two_units
    html = tmp_path / "card.html"
    call_command(
        "render_peg",
        "--year=2021",
        f"--obiettivo={objectives[1].pk}",
        f"--output={tmp_path / 'card.pdf'}",
        f"--html={html}",
        stdout=io.StringIO(),
    )
    assert "SETTORE DUE" in read(tmp_path / "card.pdf")[0]
    text = html.read_text(encoding="utf-8")
    assert "<style>" in text and "SETTORE DUE" in text and "SETTORE UNO" not in text


def test_it_refuses_an_unknown_year_or_unit(two_units, tmp_path):
    with pytest.raises(CommandError):
        call_command("render_peg", "--year", "1999", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("render_peg", "--year", "2021", "--settore", "NESSUNO", "--output", str(tmp_path / "x.pdf"))
