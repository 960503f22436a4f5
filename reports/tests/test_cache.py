# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Each card is laid out once and reused until its content changes."""

import io
import shutil

import pytest
from pypdf import PdfReader

from reports import documents, rendering, services
from reports.fetcher import REPORTS_STATIC
from tests.factories import FaseFactory, ObiettivoFactory, SettoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def layouts(monkeypatch):
    """The fragments WeasyPrint is asked to lay out, call by call."""
    calls = []
    real = rendering.render_fragments

    def spy(fragments, css):
        calls.append(len(fragments))
        return real(fragments, css)

    monkeypatch.setattr(rendering, "render_fragments", spy)
    return calls


def unit_with_three_objectives():
    settore = SettoreFactory()
    obiettivi = [ObiettivoFactory(settore=settore, code=code, title=f"Titolo {code}") for code in "ABC"]
    for obiettivo in obiettivi:
        FaseFactory(obiettivo=obiettivo, description=f"Fase di {obiettivo.code}")
    return settore, obiettivi


def test_a_second_print_reads_every_card_from_the_cache(tmp_path, layouts):
    settore, _ = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path)
    first = services.unit_pdf(settore, 2021, cache=cache, workers=1)
    second = services.unit_pdf(settore, 2021, cache=cache, workers=1)
    assert layouts == [3]
    texts = [[p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages] for pdf in (first, second)]
    assert texts[0] == texts[1]
    assert "Pagina 3 di 3" in texts[1][2]


def test_changing_a_phase_lays_out_only_its_card_again(tmp_path, layouts):
    settore, obiettivi = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    fase = obiettivi[1].fasi.get()
    fase.description = "Fase riscritta"
    fase.save()
    pdf = services.unit_pdf(settore, 2021, cache=cache, workers=1)
    assert layouts == [3, 1]
    assert "Fase riscritta" in PdfReader(io.BytesIO(pdf)).pages[1].extract_text()


def test_a_card_from_the_cache_prints_alone_with_its_own_page_numbers(tmp_path):
    settore, obiettivi = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    pdf = services.objective_pdf(obiettivi[2], cache=cache, workers=1)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    text = page.extract_text()
    assert "Obiettivo C: Titolo C" in text and "Pagina 1 di 1" in text


def test_parallel_workers_give_the_same_pages_as_one_process(tmp_path):
    settore, _ = unit_with_three_objectives()
    for code in "DEF":
        ObiettivoFactory(settore=settore, code=code)
    serial = services.unit_pdf(settore, 2021, cache=rendering.NoCache(), workers=1)
    parallel = services.unit_pdf(settore, 2021, cache=rendering.PdfCache(tmp_path), workers=2)
    read = [[p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages] for pdf in (serial, parallel)]
    assert read[0] == read[1] and len(read[0]) == 6


def test_the_cache_key_changes_with_the_stylesheet():
    assert rendering.part_key("<p>x</p>", "p {}") != rendering.part_key("<p>x</p>", "p { color: red }")
    assert rendering.part_key("<p>x</p>", "p {}") == rendering.part_key("<p>x</p>", "p {}")


@pytest.fixture
def static_copy(tmp_path, monkeypatch):
    """The print's static files (stylesheet and fonts) copied where a test may change them."""
    copy = tmp_path / "static"
    shutil.copytree(REPORTS_STATIC, copy)
    monkeypatch.setattr(rendering, "REPORTS_STATIC", copy)
    rendering.static_files_digest.cache_clear()
    yield copy
    rendering.static_files_digest.cache_clear()


def test_the_cache_key_changes_with_the_bytes_of_a_font(static_copy):
    before = rendering.part_key("<p>x</p>", "p {}")
    font = static_copy / "fonts" / "LiberationSans-Regular.ttf"
    data = bytearray(font.read_bytes())
    data[-1] ^= 0xFF
    font.write_bytes(bytes(data))
    # The fonts are hashed once per process: a server sees a replaced font at its next start.
    assert rendering.part_key("<p>x</p>", "p {}") == before
    rendering.static_files_digest.cache_clear()
    assert rendering.part_key("<p>x</p>", "p {}") != before


def test_the_cache_key_changes_when_a_font_is_added(static_copy):
    before = rendering.part_key("<p>x</p>", "p {}")
    (static_copy / "fonts" / "Other-Regular.ttf").write_bytes(b"\0\1\0\0")
    rendering.static_files_digest.cache_clear()
    assert rendering.part_key("<p>x</p>", "p {}") != before


def test_cards_printed_before_a_font_change_are_laid_out_again(tmp_path, layouts, static_copy):
    settore, _ = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path / "cache")
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    font = static_copy / "fonts" / "LiberationSans-Bold.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    rendering.static_files_digest.cache_clear()
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    assert layouts == [3, 3]


def test_cards_printed_before_a_stylesheet_change_are_laid_out_again(tmp_path, layouts, monkeypatch):
    settore, _ = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    changed = documents.print_css() + "\n.objective-title { font-size: 11pt; }\n"
    monkeypatch.setattr(documents, "print_css", lambda: changed)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    services.unit_pdf(settore, 2021, cache=cache, workers=1)
    assert layouts == [3, 3]


def test_the_cache_folder_is_a_setting(settings, tmp_path):
    settings.PEG_PDF_CACHE_DIR = tmp_path / "altrove"
    assert rendering.PdfCache().directory == tmp_path / "altrove"
