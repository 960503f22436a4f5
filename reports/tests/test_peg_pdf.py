# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The whole 2021 PEG as printed: cover, contents, 41 cards in order, Elenco Responsabili."""

import io
import re

from pypdf import PdfReader

from reports.tests.conftest import ARTIFACTS, flat, render_pngs


def test_the_fixture_is_the_whole_document(printed_peg):
    assert len(printed_peg.cards) == 41
    assert len(printed_peg.units) == 14
    assert sum(len(card["phases"]) for card in printed_peg.cards) == 171


def test_the_cover_prints_the_pegs_own_wording(printed_peg):
    cover = flat(printed_peg.pages[0])
    assert cover == flat(f"{printed_peg.peg['ente']} {printed_peg.peg['cover_title']} {printed_peg.peg['publisher']}")
    assert "CITTÀ DI ALESSANDRIA PIANO ESECUTIVO DI GESTIONE (P.E.G.) PROVVISORIO (Obiettivi 2021)" in cover
    assert "Pagina" not in cover


def test_every_page_after_the_cover_is_numbered(printed_peg):
    total = len(printed_peg.pages)
    for number, text in enumerate(printed_peg.pages[1:], start=2):
        assert text.rstrip().endswith(f"Pagina {number} di {total}")


def test_the_cards_follow_the_documents_order(printed_peg):
    starts = [printed_peg.page_of(card["head_line"], flat(card["title_line"])[:60]) for card in printed_peg.cards]
    # page_of finds the first page holding both: the contents pages hold only titles, not head lines.
    assert starts == sorted(starts)
    assert len(set(starts)) == 41


def test_the_contents_point_at_the_pages_the_cards_are_on(printed_peg):
    text = flat(" ".join(printed_peg.pages[1:3]))
    for card in printed_peg.cards:
        title = flat(card["title_line"])
        match = re.search(re.escape(title) + r" (\d+)", text)
        assert match, title
        page = flat(printed_peg.pages[int(match.group(1)) - 1])
        # The page the contents name is the card's first: header, unit, head, title.
        assert page.startswith(flat(f"CITTA' DI ALESSANDRIA {card['unit']} {card['head_line']} {title}"))


def test_the_contents_point_at_the_elenco_responsabili(printed_peg):
    text = flat(" ".join(printed_peg.pages[1:3]))
    match = re.search(r"Elenco Responsabili \(Macrostruttura in vigore dal 01\.01\.2021\) (\d+)", text)
    assert match
    assert printed_peg.pages[int(match.group(1)) - 1].startswith("codifica")


def test_the_contents_pages_agree_with_one_plain_weasyprint_call_on_the_html(printed_peg):
    """The separately rendered cards land where the single-document layout (target-counter) puts them."""
    import weasyprint

    from reports.fetcher import StaticOnlyURLFetcher
    from reports.rendering import BASE_URL

    # The base URL lets the embedded stylesheet load its fonts (fonts/…), as the cards do.
    plain = weasyprint.HTML(string=printed_peg.html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).write_pdf()
    plain_pages = [page.extract_text() for page in PdfReader(io.BytesIO(plain)).pages]
    assert len(plain_pages) == len(printed_peg.pages)
    for ours, theirs in zip(printed_peg.pages[1:3], plain_pages[1:3], strict=True):
        assert flat(ours) == flat(theirs)


def test_the_elenco_responsabili_closes_the_document(printed_peg):
    closing = flat(printed_peg.pages[-1])
    assert closing.startswith("codifica Elenco Responsabili (Macrostruttura in vigore dal 01.01.2021)")
    assert len(printed_peg.responsabili) == 19
    positions = [closing.find(flat(f"{code} {description}")) for code, description in printed_peg.responsabili]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert printed_peg.responsabili[0][0] == "2269" and printed_peg.responsabili[-1][0] == "12224"


def test_llpp_a_prints_one_subtotal_per_annualita(printed_peg):
    page = flat(printed_peg.pages[printed_peg.page_of("Fabrizio Furia", "Obiettivo A:") - 1])
    annualita_2021 = page.index("Scadenza raggiungimento obiettivo annualità 2021: 100% 31/12/2021")
    final = page.index("Scadenza finale per il raggiungimento dell'obiettivo: 100% 31/12/2022")
    for label in ("fase 1:", "fase 2:", "fase 3:"):
        assert page.index(label) < annualita_2021
    for label in ("fase 4:", "fase 5:"):
        assert annualita_2021 < page.index(label) < final
    assert "40% 2254-2255-2247 31/07/2021" in page
    assert "85% 30/04/2022" in page


def test_a_single_year_table_ends_with_its_total(printed_peg):
    page = flat(printed_peg.pages[printed_peg.page_of("Antonello Paolo Zaccone", "Obiettivo A:") - 1])
    assert "50% 31/12/2021 100% Scadenza finale per il raggiungimento dell'obiettivo: 31/12/2021" in page


def test_sub_phase_rows_print_no_phase_label(printed_peg):
    page = flat(printed_peg.pages[printed_peg.page_of("Luca Galandra", "Obiettivo B:") - 1])
    assert "fase 2: a) adempimenti consequenziali" in page
    assert "b) – realtà immersiva 60% 2252 31/12/2021" in page
    assert "fase 2: b)" not in page and "fase 2b" not in page
    # A phase listing a), b), c) inside one description is one row with one weight.
    for text in printed_peg.pages:
        assert "fase 2a" not in text and "fase 1b" not in text


def test_the_head_line_and_signature_follow_the_role(printed_peg):
    seen = set()
    for card in printed_peg.cards:
        number = printed_peg.page_of(card["head_line"], flat(card["title_line"])[:40])
        text = "\n".join(printed_peg.pages[number - 1 : number + 2])
        signature = text.index("\n" + card["signature"] + "\n", text.index(card["head_line"]))
        assert signature < text.index("Visto di validazione: il Nucleo di Valutazione")
        seen.add((card["head_line"].split()[0], card["signature"]))
    assert seen == {
        ("Dirigente", "Il Dirigente"),
        ("Responsabile", "Il Responsabile in P.O"),
        ("Direttore", "Il Direttore"),
    }


def test_png_renderings_are_kept_for_a_person_to_compare(printed_peg):
    pages = [1, 2, printed_peg.page_of("Antonello Paolo Zaccone", "Obiettivo A:")]
    pages.append(printed_peg.page_of("Fabrizio Furia", "Obiettivo A:"))
    pages.append(len(printed_peg.pages))
    for png in render_pngs(ARTIFACTS / "peg_2021.pdf", pages, "peg_2021"):
        assert png.stat().st_size > 5000
