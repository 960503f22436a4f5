# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Assembling a book from rendered parts: each page copied once, each card's anchor named once.

The whole PEG used to be merged with pypdf's PdfWriter.append, which at every part walked every
named destination of that part's whole rendered PDF (quadratic in the cards). These tests read
the structure, not the clock: the 2021 book's names are its cards' anchors, once each, at each
card's first page; the names of a rendered PDF are read once however many parts come from it.
"""

import io
import os
import re
import time

import pytest
from pypdf import PdfReader, PdfWriter

from reports import rendering, services
from reports.tests.conftest import flat
from reports.tests.test_cache import unit_with_three_objectives

CSS = "@page { size: A6; margin: 1cm } .part { break-before: page } .big { height: 15cm }"


def book_names(pdf: bytes) -> tuple[list[str], dict[str, int]]:
    """The names of the book's /Dests array as written, and the 1-based page each points at."""
    reader = PdfReader(io.BytesIO(pdf))
    flat_names = reader.trailer["/Root"]["/Names"]["/Dests"]["/Names"]
    written = [str(name) for name in flat_names[0::2]]
    pages = {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
    return written, pages


@pytest.mark.django_db
def test_the_2021_book_names_every_card_once_at_the_page_the_contents_give(printed_peg):
    written, pages = book_names(printed_peg.pdf)
    assert written == sorted(set(written)), "one sorted entry per name"
    # The 41 cards and the Elenco Responsabili: the wrappers' part-N marks are not carried over.
    assert len(written) == 42
    assert all(re.fullmatch(r"obiettivo-\d+", name) for name in written if name != "elenco-responsabili")
    contents = flat(" ".join(printed_peg.pages[1:3]))
    listed = {
        int(match.group(1))
        for card in printed_peg.cards
        for match in [re.search(re.escape(flat(card["title_line"])) + r" (\d+)", contents)]
    }
    assert {page for name, page in pages.items() if name != "elenco-responsabili"} == listed
    assert pages["elenco-responsabili"] == len(printed_peg.pages)


@pytest.mark.django_db
def test_the_2021_outline_lists_units_and_their_cards_at_their_pages(printed_peg):
    reader = PdfReader(io.BytesIO(printed_peg.pdf))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert top[0].title == "Indice" and reader.get_destination_page_number(top[0]) == 0
    units = [item.title for item in top[1:-1]]
    assert units == printed_peg.units
    cards = [item for group in reader.outline if isinstance(group, list) for item in group]
    assert len(cards) == 41
    _, pages = book_names(printed_peg.pdf)
    assert sorted(reader.get_destination_page_number(item) + 1 for item in cards) == sorted(
        page for name, page in pages.items() if name != "elenco-responsabili"
    )


def parts_from_one_call(count: int) -> list[rendering.Pages]:
    """`count` parts laid out by one WeasyPrint call; part 1 spans two pages."""
    fragments = [
        f'<section id="card-{index}"><p>Parte {index}</p>{"<div class=big></div>" if index == 1 else ""}</section>'
        for index in range(count)
    ]
    data, ranges = rendering.render_fragments(fragments, CSS)
    reader = PdfReader(io.BytesIO(data))
    return [rendering.Pages(reader, start, stop) for start, stop in ranges]


def test_the_names_of_a_rendered_pdf_are_read_once_not_at_every_part(monkeypatch):
    reads = []
    real = rendering.named_destinations

    def counting(reader):
        reads.append(reader)
        return real(reader)

    monkeypatch.setattr(rendering, "named_destinations", counting)
    monkeypatch.setattr(PdfWriter, "merge", lambda *a, **k: pytest.fail("no per-part merge"))
    parts = parts_from_one_call(8)
    pdf = rendering.assemble([rendering.Part(pages, title=f"Parte {i}") for i, pages in enumerate(parts)])
    assert len(reads) == 1
    written, pages = book_names(pdf)
    assert written == sorted(f"card-{index}" for index in range(8))
    assert pages == {"card-0": 1, "card-1": 2, **{f"card-{index}": index + 2 for index in range(2, 8)}}
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 9


def test_a_book_of_some_parts_names_only_the_pages_it_holds():
    parts = parts_from_one_call(5)
    pdf = rendering.assemble([rendering.Part(parts[3]), rendering.Part(parts[1])])
    written, pages = book_names(pdf)
    assert written == ["card-1", "card-3"]
    assert pages == {"card-3": 1, "card-1": 2}
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "Parte 3" in texts[0] and "Pagina 1 di 3" in texts[0]
    assert "Parte 1" in texts[1] and "Pagina 3 di 3" in texts[2]


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fake_render(calls: list[list[str]]):
    """Stands in for WeasyPrint: one page a fragment; records each call's fragments."""

    def render(fragments, css):
        calls.append(list(fragments))
        return blank_pdf(len(fragments)), [(index, index + 1) for index in range(len(fragments))]

    return render


class InlinePool:
    """A pool that runs what it is given at once, here; records when it was given each batch."""

    def __init__(self, log: list[str]):
        self.log = log

    def submit(self, function, fragments, css):
        from concurrent.futures import Future

        self.log.append(f"submit {len(fragments)}")
        future = Future()
        future.set_result(function(fragments, css))
        return future


def test_batch_sizes_give_each_process_several_batches_and_stay_bounded():
    assert rendering.batch_size(1002, 2, 10) == 10
    assert rendering.batch_size(43, 2, 10) == 6  # 8 batches for two processes, not 20 + 20 + 3
    assert rendering.batch_size(5, 2, 10) == 1
    assert rendering.batch_size(43, 1, 10) == 10  # one process: as few calls as the bound allows


def test_batches_are_consecutive_bounded_and_laid_out_once(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(rendering, "render_fragments", fake_render(calls))
    monkeypatch.setattr(rendering, "BATCH_CHARS", 320)
    fragments = [f"<p>{index}</p>" + "x" * (50 if index != 7 else 300) for index in range(23)]
    pages = rendering.render_parts(fragments + fragments[:3], "", cache=rendering.NoCache(), workers=1, batch_parts=5)
    assert [fragment for call in calls for fragment in call] == fragments, "each part laid out once, in order"
    assert all(1 <= len(call) <= 5 and sum(map(len, call)) <= 320 for call in calls)
    assert [page.count for page in pages] == [1] * 26
    assert pages[23] is pages[0], "a part given twice is the same pages"


def test_the_first_batches_are_laid_out_while_later_fragments_are_still_being_written(monkeypatch):
    log: list[str] = []
    monkeypatch.setattr(rendering, "render_fragments", fake_render([]))
    monkeypatch.setattr(rendering, "worker_pool", lambda workers: InlinePool(log))

    def fragments():
        for index in range(40):
            log.append(f"write {index}")
            yield f"<p>{index}</p>"

    steps: list[tuple[int, int]] = []
    pages = rendering.render_parts(
        fragments(), "", cache=rendering.NoCache(), workers=2, total=40, progress=lambda *step: steps.append(step)
    )
    assert len(pages) == 40
    # Batches of 5 (40 parts, two processes, four batches each): the first goes once 5 are written.
    assert log.index("submit 5") < log.index("write 5") and log.count("submit 5") == 8
    assert steps[-1] == (40, 40) and steps == sorted(set(steps)), "progress only moves forward"


def test_a_batch_that_fails_fails_the_document_and_drops_the_batches_not_started(monkeypatch):
    from concurrent.futures import Future

    waiting: list[Future] = []

    class FailingPool:
        def submit(self, function, fragments, css):
            future = Future()
            if len(waiting) == 2:  # the third batch fails; the first two have not started
                future.set_exception(RuntimeError("WeasyPrint non ha impaginato la scheda"))
            waiting.append(future)
            return future

    monkeypatch.setattr(rendering, "worker_pool", lambda workers: FailingPool())
    with pytest.raises(RuntimeError):
        rendering.render_parts([f"<p>{index}</p>" for index in range(40)], "", cache=rendering.NoCache(), workers=2)
    assert len(waiting) == 3 and waiting[0].cancelled() and waiting[1].cancelled()


def test_a_few_missing_parts_are_laid_out_here_not_in_the_pool(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(rendering, "render_fragments", fake_render(calls))
    monkeypatch.setattr(rendering, "worker_pool", lambda workers: pytest.fail("no pool for three parts"))
    rendering.render_parts(["<p>1</p>", "<p>2</p>", "<p>3</p>"], "", cache=rendering.NoCache(), workers=2)
    assert [fragment for call in calls for fragment in call] == ["<p>1</p>", "<p>2</p>", "<p>3</p>"]


@pytest.mark.django_db
def test_progress_counts_the_cards_then_the_assembly(tmp_path, monkeypatch):
    monkeypatch.setattr(rendering, "BATCH_PARTS", 2)
    settore, _ = unit_with_three_objectives()
    cache = rendering.PdfCache(tmp_path)
    cold: list[tuple[int, int]] = []
    services.unit_pdf(settore, 2021, cache=cache, workers=1, progress=lambda *step: cold.append(step))
    # Three cards in two WeasyPrint calls (2 + 1), then the assembly.
    assert cold == [(0, 4), (2, 4), (3, 4), (4, 4)]
    warm: list[tuple[int, int]] = []
    services.unit_pdf(settore, 2021, cache=cache, workers=1, progress=lambda *step: warm.append(step))
    assert warm == [(3, 4), (4, 4)]


def test_the_cache_forgets_what_was_not_read_for_a_month(tmp_path):
    cache = rendering.PdfCache(tmp_path)
    data, ranges = rendering.render_fragments(["<p>uno</p>", "<p>due</p>"], CSS)
    cache.store(data, [("aa" + "1" * 62, *ranges[0]), ("bb" + "2" * 62, *ranges[1])])
    old = time.time() - 40 * 86400
    for path in tmp_path.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    # Reading the first entry (and its PDF) renews them; the second is left behind.
    entry = cache.lookup("aa" + "1" * 62)
    cache.load(entry[0])
    assert cache.prune() == 1
    assert cache.lookup("aa" + "1" * 62) == entry
    assert cache.lookup("bb" + "2" * 62) is None
    # A print that lays something out prunes at most once a day (a stamp file says when).
    cache.prune_now_and_then()
    os.utime(next(tmp_path.glob("parts/*/*")), (old, old))
    assert cache.prune_now_and_then() == 0
    os.utime(tmp_path / "pruned", (old, old))
    assert cache.prune_now_and_then() == 1
