# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Printing the PEG: one card, one unit's cards, the whole PEG; as PDF, or as one HTML file.

Views, the render_peg command and the benchmark all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from reports import documents
from reports.documents import TocEntry
from reports.rendering import (
    DEFAULT_WORKERS,
    Part,
    PdfCache,
    Progress,
    assemble,
    render_part_soon,
    render_parts,
)

MAX_FRONT_ATTEMPTS = 4


def _steps(progress: Progress | None, parts: int):
    """The progress of a document of `parts` parts to lay out, plus one last step: the assembly.

    render_parts reports (parts ready, parts); the caller hears (done, parts + 1), and
    (parts + 1, parts + 1) only once the PDF is assembled.
    """
    if progress is None:
        return None, lambda: None
    total = parts + 1
    return (lambda done, _parts: progress(done, total)), (lambda: progress(total, total))


def cards_pdf(
    obiettivi, *, cache=None, workers: int = DEFAULT_WORKERS, title: str = "", progress: Progress | None = None
) -> bytes:
    """The cards of these objectives (in print order, loaded `with_card_data()`), numbered from 1.

    `progress(done, total)`, if given, is called as the cards are found in the cache or laid out
    (one step each) and once more when the PDF is assembled (done == total).
    """
    cards = [documents.build_card(o) for o in obiettivi]
    fragments = (documents.card_fragment(card) for card in cards)
    step, finished = _steps(progress, len(cards))
    pdfs = render_parts(fragments, documents.print_css(), cache=cache, workers=workers, progress=step, total=len(cards))
    parts = [Part(pdf, title=_outline_title(card)) for card, pdf in zip(cards, pdfs, strict=True)]
    pdf = assemble(parts, title=title or (cards[0].title_line if len(cards) == 1 else ""))
    finished()
    return pdf


def objective_pdf(obiettivo, **options) -> bytes:
    obiettivo = documents.objectives_for(year=obiettivo.peg.year, obiettivo_ids=[obiettivo.pk]).get()
    return cards_pdf([obiettivo], **options)


def monitoring_pdf(obiettivo, on, **options) -> bytes:
    """The monitoring card of one objective at date `on`."""
    obiettivo = documents.objectives_for(year=obiettivo.peg.year, obiettivo_ids=[obiettivo.pk]).get()
    card = documents.build_monitoring_card(obiettivo, on)
    [pages] = render_parts([documents.card_fragment(card, monitoring=True)], documents.print_css(), **options)
    return assemble([Part(pages)], title=f"Monitoraggio – {card.title_line}")


def unit_pdf(settore, year: int, *, progress: Progress | None = None, **options) -> bytes:
    """One unit's cards (its book); `progress(done, total)` as in cards_pdf."""
    obiettivi = list(documents.objectives_for(year=year, settore=settore))
    return cards_pdf(obiettivi, title=f"{settore.name} – Obiettivi {year}", progress=progress, **options)


def peg_pdf(peg, *, cache=None, workers: int = DEFAULT_WORKERS, progress: Progress | None = None) -> bytes:
    """The whole printed PEG: cover, table of contents, every card in order, Elenco Responsabili.

    `progress(done, total)`, if given, is called as the parts (the cards, the Elenco, a draft of
    the contents) are found in the cache or laid out, one step each, and once more when the
    contents are laid out and the PDF assembled (done == total).
    """
    cache = cache if cache is not None else PdfCache()
    css = documents.print_css()
    cards = [documents.build_card(o) for o in documents.objectives_for(year=peg.year)]
    responsabili = documents.responsabili_list()
    units = documents.toc_units(cards)
    responsabili_entry = TocEntry(label=peg.responsabili_title, anchor="elenco-responsabili") if responsabili else None
    # Written as they are laid out: the first batches are in the rendering processes while the
    # HTML of the later cards is still being written here.
    fragments = chain(
        [_front_draft(peg, units, responsabili_entry)],
        (documents.card_fragment(card) for card in cards),
        [documents.responsabili_fragment(peg, responsabili)] if responsabili else [],
    )
    count = 1 + len(cards) + bool(responsabili)
    step, finished = _steps(progress, count)
    draft, *pdfs = render_parts(fragments, css, cache=cache, workers=workers, progress=step, total=count)
    card_parts = [
        Part(pdf, title=f"Obiettivo {card.obiettivo.code}", outline_parent=card.unit)
        for card, pdf in zip(cards, pdfs[: len(cards)], strict=True)
    ]
    tail = [Part(pdfs[-1], title=peg.responsabili_title)] if responsabili else []
    front = _front_part(peg, units, responsabili_entry, card_parts, cache, css, draft.count, workers)
    pdf = assemble([*card_parts, *tail], number_from=2, title=peg.cover_title, front=front)
    finished()
    return pdf


def _front_draft(peg, units, responsabili_entry) -> str:
    """Cover and contents with 9, 99, 999… for every page number: as long as the real ones will be.

    Laid out with the cards (in parallel, cached like them), it tells how many pages the front
    takes, so the contents are laid out once more only, with the real numbers, once every card's
    page count is known.
    """
    entries = [entry for unit in units for entry in unit.entries]
    placeholder = 10 ** len(str(3 * len(entries) + 10)) - 1
    for entry in [*entries, *([responsabili_entry] if responsabili_entry else [])]:
        entry.page = placeholder
    return documents.front_fragment(peg, units, responsabili_entry)


def _front_part(
    peg, units, responsabili_entry, card_parts: list[Part], cache, css: str, front_pages: int, workers: int
) -> Callable[[], Part]:
    """Cover and contents, with the page each card will land on: laid out in a rendering process
    while the cards are assembled; the returned function waits for it.

    The contents' own length moves every card: the draft's page count gives it; if the real
    numbers changed the length (not in practice), lay it out again (every render is cached).
    """
    entries = [entry for unit in units for entry in unit.entries]

    def fragment(front_pages: int) -> str:
        page = front_pages + 1
        for entry, part in zip(entries, card_parts, strict=True):
            entry.page = page
            page += part.page_count
        if responsabili_entry is not None:
            responsabili_entry.page = page
        return documents.front_fragment(peg, units, responsabili_entry)

    first = render_part_soon(fragment(front_pages), css, cache=cache, workers=workers)

    def front() -> Part:
        pages, assumed = first(), front_pages
        for _ in range(MAX_FRONT_ATTEMPTS):
            if pages.count == assumed:
                return Part(pages, title="Indice")
            assumed = pages.count
            [pages] = render_parts([fragment(assumed)], css, cache=cache, workers=1)
        raise RuntimeError("Il numero di pagine dell'indice non si stabilizza.")

    return front


def _outline_title(card) -> str:
    return f"{card.unit} – Obiettivo {card.obiettivo.code}"


def peg_html(peg, *, settore=None, obiettivo_ids=None) -> str:
    """The same document as one HTML file: the whole PEG, or only the selected cards."""
    selected = settore is not None or obiettivo_ids is not None
    obiettivi = documents.objectives_for(year=peg.year, settore=settore, obiettivo_ids=obiettivo_ids)
    cards = [documents.build_card(o) for o in obiettivi]
    if selected:
        return documents.cards_document_html(cards)
    return documents.peg_document_html(peg, cards, documents.responsabili_list())


def render_peg_pdf(peg, *, settore=None, obiettivo_ids=None, progress: Progress | None = None, **options) -> bytes:
    """What `render_peg` prints: the whole PEG, or only the selected cards.

    `progress(done, total)`, if given, is called as parts are ready and last with done == total
    once the PDF is assembled (see peg_pdf and cards_pdf).
    """
    options["progress"] = progress
    if settore is None and obiettivo_ids is None:
        return peg_pdf(peg, **options)
    obiettivi = list(documents.objectives_for(year=peg.year, settore=settore, obiettivo_ids=obiettivo_ids))
    title = f"{settore.name} – Obiettivi {peg.year}" if settore is not None else ""
    return cards_pdf(obiettivi, title=title, **options)
