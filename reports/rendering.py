# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""HTML → PDF: WeasyPrint behind the safe fetcher, a per-card cache, parallel rendering, assembly.

A collection (a unit, the whole PEG) is printed part by part (a part is a card, the Elenco
Responsabili, the cover with the contents). Each part is cached under a hash of its HTML, so a
card is laid out once and reused until its objective changes. The parts missing from the cache
are laid out in parallel processes, each batch sent as soon as its HTML is written (the
caller writes the later cards meanwhile), in batches of up to BATCH_PARTS per WeasyPrint call (each
part starts on a new page, so its pages are the ones it would have alone; a bounded batch keeps
a process's memory bounded whatever the PEG's size), and each call writes one PDF: the cache
records, for each part, that PDF and the range of its pages. Assembling is then copying each
page once with pypdf, writing the cards' named destinations once, and stamping the page
numbers: linear in the pages. The cover and contents are rendered last, once the page count of
every card is known, while the cards are being copied.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import io
import multiprocessing
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.conf import settings
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject
from weasyprint.text.fonts import FontConfiguration

from reports.fetcher import REPORTS_STATIC, StaticOnlyURLFetcher

DEFAULT_WORKERS = 2
# Below this many parts to lay out, one in-process call beats handing them to other processes.
PARALLEL_MIN_PARTS = 4
# Parts per WeasyPrint call at most, and HTML characters: a call's memory grows with its document.
BATCH_PARTS = 10
# Batches per rendering process at least (when there are parts enough): see batch_size.
BATCHES_PER_WORKER = 4
BATCH_CHARS = 400_000
Progress = Callable[[int, int], None]
BASE_URL = REPORTS_STATIC.as_uri() + "/"
WRAPPER = '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"></head><body class="stamped">{}</body></html>'
PART = '<div class="part" id="part-{}">{}</div>'


def html_to_pdf(html: str, css: str | None = None) -> bytes:
    """One plain WeasyPrint call; the only resources it may read are our static files."""
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    if not css:
        return document.write_pdf()
    with _FONTS_LOCK:
        stylesheet, fonts = _stylesheet(css)
        return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def render_fragments(fragments: list[str], css: str) -> tuple[bytes, list[tuple[int, int]]]:
    """Lay the fragments out as one document: its PDF and each fragment's page range [start, stop)."""
    html = WRAPPER.format("".join(PART.format(index, fragment) for index, fragment in enumerate(fragments)))
    with _FONTS_LOCK:
        stylesheet, fonts = _stylesheet(css)
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render(
            stylesheets=[stylesheet], font_config=fonts
        )
        pdf = document.write_pdf()
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    bounds = [starts[f"part-{index}"] for index in range(len(fragments))] + [len(document.pages)]
    return pdf, list(zip(bounds, bounds[1:], strict=False))


_STYLESHEETS: dict[str, tuple[weasyprint.CSS, FontConfiguration]] = {}
# A FontConfiguration (its Pango font map and caches) is shared by every rendering of the process;
# Pango's are not made for threads, so the threads of a threaded server (runserver) take turns;
# little is lost, as the layout is mostly Python under the GIL. Rendering processes have their own.
_FONTS_LOCK = threading.Lock()


def _stylesheet(css: str) -> tuple[weasyprint.CSS, FontConfiguration]:
    """The parsed stylesheet with the fonts its @font-face rules load, once per process (under _FONTS_LOCK).

    WeasyPrint applies @font-face only through the FontConfiguration the stylesheet was parsed
    with, so each rendering passes that same one; it copies the fonts into a temporary folder,
    removed when the configuration is dropped (at exit at the latest).
    """
    if css not in _STYLESHEETS:
        fonts = FontConfiguration()
        stylesheet = weasyprint.CSS(
            string=css, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher(), font_config=fonts
        )
        _STYLESHEETS[css] = stylesheet, fonts
    return _STYLESHEETS[css]


atexit.register(_STYLESHEETS.clear)


@dataclass
class Pages:
    """A part's pages: a range of one rendered PDF."""

    reader: PdfReader
    start: int
    stop: int

    @property
    def count(self) -> int:
        return self.stop - self.start


def cache_dir() -> Path:
    return Path(settings.PEG_PDF_CACHE_DIR)


def part_key(fragment: str, css: str) -> str:
    """The cache key of a part: its HTML, the stylesheet, the files it may load (the fonts),
    the templates' and WeasyPrint's versions.

    The HTML carries every field the part prints, so any change to the objective, its phases,
    the templates, the CSS or a font gives a new key; a stale entry is never read, only left behind.
    """
    from reports.documents import TEMPLATE_VERSION

    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint.__version__}; templates {TEMPLATE_VERSION}\n".encode())
    digest.update(static_files_digest(REPORTS_STATIC))
    digest.update(hashlib.sha256(css.encode("utf-8")).digest())
    digest.update(fragment.encode("utf-8"))
    return digest.hexdigest()


@functools.cache
def static_files_digest(folder: Path) -> bytes:
    """A hash of every file WeasyPrint may read for a print (names and bytes), once per process.

    These are the files the fetcher serves: the fonts and anything else the stylesheet loads.
    A font replaced while a server runs is seen at its next start.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


class PdfCache:
    """Rendered parts on disk: `pdf/<hash>.pdf` per WeasyPrint call, `parts/<key>` → 'pdf-hash start stop'.

    Reading an entry or a PDF renews its modification time; files left unread for MAX_AGE
    (stale cards: an objective changed, a template or font changed) are removed, at most once
    every PRUNE_EVERY, after a print that laid something out.
    """

    MAX_AGE = dt.timedelta(days=30)
    PRUNE_EVERY = dt.timedelta(days=1)

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory is not None else cache_dir()

    def lookup(self, key: str) -> tuple[str, int, int] | None:
        path = self.directory / "parts" / key[:2] / key
        try:
            pdf, start, stop = path.read_text().split()
        except (FileNotFoundError, ValueError):
            return None
        if not self._pdf_path(pdf).exists():
            return None
        _touch(path)
        return pdf, int(start), int(stop)

    def load(self, pdf: str) -> bytes:
        path = self._pdf_path(pdf)
        data = path.read_bytes()
        _touch(path)
        return data

    def store(self, data: bytes, entries: list[tuple[str, int, int]]) -> str:
        pdf = hashlib.sha256(data).hexdigest()
        # The PDF first, then the entries pointing at it; each written whole then renamed.
        _write_atomic(self._pdf_path(pdf), data)
        for key, start, stop in entries:
            _write_atomic(self.directory / "parts" / key[:2] / key, f"{pdf} {start} {stop}\n".encode())
        return pdf

    def prune(self, max_age: dt.timedelta | None = None) -> int:
        """Remove the entries and PDFs not read nor written for max_age; the number of files removed."""
        limit = time.time() - (max_age if max_age is not None else self.MAX_AGE).total_seconds()
        removed = 0
        for folder in ("parts", "pdf"):
            for path in (self.directory / folder).glob("*/*"):
                try:
                    if path.stat().st_mtime < limit:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:  # removed by another process meanwhile
                    continue
        return removed

    def prune_now_and_then(self) -> int:
        """prune() unless it ran less than PRUNE_EVERY ago (a stamp file records when)."""
        stamp = self.directory / "pruned"
        try:
            if time.time() - stamp.stat().st_mtime < self.PRUNE_EVERY.total_seconds():
                return 0
        except FileNotFoundError:
            pass
        _write_atomic(stamp, b"")
        return self.prune()

    def _pdf_path(self, pdf: str) -> Path:
        return self.directory / "pdf" / pdf[:2] / f"{pdf}.pdf"


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache still serves
        pass


class NoCache:
    """Renders every part afresh (for callers that must not touch the disk)."""

    def lookup(self, key):
        return None

    def load(self, pdf):  # pragma: no cover - nothing is ever found
        raise KeyError(pdf)

    def store(self, data, entries):
        return hashlib.sha256(data).hexdigest()

    def prune_now_and_then(self):
        return 0


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def render_parts(
    fragments: Iterable[str],
    css: str,
    *,
    cache=None,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    batch_parts: int | None = None,
    total: int | None = None,
) -> list[Pages]:
    """The pages of each HTML fragment, from the cache when there, laid out in parallel otherwise.

    `fragments` may be a generator (give `total`, their number): a batch goes to the rendering
    processes as soon as it is made, so the first cards are being laid out while the caller is
    still writing the HTML of the others. `progress(done, total)` is called with the fragments
    ready (found in the cache, laid out) as batches are laid out, and once all are looked up. A
    part that fails fails the document: the batches not started yet are dropped.
    """
    cache = cache if cache is not None else PdfCache()
    total = len(fragments) if total is None else total
    renderer = _Renderer(cache, css, workers, batch_size(total, workers, batch_parts or BATCH_PARTS))
    keys: list[str] = []
    readers: dict[str, PdfReader] = {}
    reported = -1

    def report() -> None:
        nonlocal reported
        if progress is not None and len(renderer.found) != reported:
            reported = len(renderer.found)
            progress(reported, total)

    try:
        for fragment in fragments:
            key = part_key(fragment, css)
            keys.append(key)
            if key in renderer.found or key in renderer.queued:
                continue
            pages = _cached(cache, key, readers)
            if pages is not None:
                renderer.found[key] = pages
            else:
                renderer.add(key, fragment)
                report()
        report()
        for _ in renderer.finish():
            report()
    finally:
        renderer.cancel()
    if renderer.queued and hasattr(cache, "prune_now_and_then"):
        cache.prune_now_and_then()
    return [renderer.found[key] for key in keys]


def _cached(cache, key: str, readers: dict[str, PdfReader]) -> Pages | None:
    """A part's pages from the cache, or None; each cached PDF is read once (`readers`)."""
    entry = cache.lookup(key)
    if entry is None:
        return None
    pdf, start, stop = entry
    if pdf not in readers:
        try:
            readers[pdf] = PdfReader(io.BytesIO(cache.load(pdf)))
        except FileNotFoundError:  # pruned since the lookup
            return None
    return Pages(readers[pdf], start, stop)


def batch_size(parts: int, workers: int, most: int) -> int:
    """Parts per WeasyPrint call: at most `most`, and small enough for every rendering process to
    get BATCHES_PER_WORKER of them, so that none is left with a long last batch while the other
    waits (a call's own cost is a few milliseconds; laying out is linear in the parts)."""
    if workers <= 1:
        return most
    return max(1, min(most, -(-parts // (workers * BATCHES_PER_WORKER))))


class _Renderer:
    """The parts missing from the cache, laid out batch by batch as they come.

    A batch is cut at `size` parts or about BATCH_CHARS of HTML (a bounded call keeps a rendering
    process's memory bounded whatever the size of the PEG: WeasyPrint holds the whole laid-out
    document until it is written). Batches go to the pool of rendering processes once at least
    PARALLEL_MIN_PARTS parts are missing; fewer are laid out here, in one call each, at the end.
    """

    def __init__(self, cache, css: str, workers: int, size: int):
        self.cache, self.css, self.workers, self.size = cache, css, workers, size
        self.found: dict[str, Pages] = {}
        self.queued: set[str] = set()
        self.filling: list[tuple[str, str]] = []
        self.filling_chars = 0
        self.held: list[list[tuple[str, str]]] = []
        self.running: dict[Future, list[tuple[str, str]]] = {}

    def add(self, key: str, fragment: str) -> None:
        """Queue one missing part, and collect the batches laid out meanwhile."""
        if self.filling and self.filling_chars + len(fragment) > BATCH_CHARS:
            self._cut()
        self.queued.add(key)
        self.filling.append((key, fragment))
        self.filling_chars += len(fragment)
        if len(self.filling) >= self.size:
            self._cut()
        self._collect(block=False)

    def finish(self):
        """Lay out what is left; yields after each batch is stored."""
        if self.filling:
            self._cut()
        if not self.running:  # too few parts for the pool (or one process): here, in order
            for batch in self.held:
                self._store(batch, render_fragments([fragment for _, fragment in batch], self.css))
                yield
            self.held = []
            return
        while self.running:
            self._collect(block=True)
            yield

    def cancel(self) -> None:
        """Drop the batches not started yet (a part that failed fails the whole document)."""
        for future in self.running:
            future.cancel()

    def _cut(self) -> None:
        self.held.append(self.filling)
        self.filling, self.filling_chars = [], 0
        if self.workers > 1 and (self.running or len(self.queued) >= PARALLEL_MIN_PARTS):
            pool = worker_pool(self.workers)
            for batch in self.held:
                future = pool.submit(render_fragments, [fragment for _, fragment in batch], self.css)
                self.running[future] = batch
            self.held = []

    def _collect(self, *, block: bool) -> None:
        if not self.running:
            return
        done, _ = wait(self.running, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            self._store(self.running.pop(future), future.result())

    def _store(self, batch: list[tuple[str, str]], rendered: tuple[bytes, list[tuple[int, int]]]) -> None:
        data, ranges = rendered
        keys = [key for key, _ in batch]
        self.cache.store(data, [(key, start, stop) for key, (start, stop) in zip(keys, ranges, strict=True)])
        reader = PdfReader(io.BytesIO(data))
        for key, (start, stop) in zip(keys, ranges, strict=True):
            self.found[key] = Pages(reader, start, stop)


def render_part_soon(fragment: str, css: str, *, cache=None, workers: int = DEFAULT_WORKERS) -> Callable[[], Pages]:
    """Start laying out one part in a rendering process (unless cached); call the result for its pages.

    The caller goes on meanwhile (the whole PEG's contents are laid out while its cards are copied).
    """
    cache = cache if cache is not None else PdfCache()
    if workers <= 1 or cache.lookup(part_key(fragment, css)) is not None:
        return lambda: render_parts([fragment], css, cache=cache, workers=1)[0]
    key = part_key(fragment, css)
    future = worker_pool(workers).submit(render_fragments, [fragment], css)

    def pages() -> Pages:
        data, [(start, stop)] = future.result()
        cache.store(data, [(key, start, stop)])
        return Pages(PdfReader(io.BytesIO(data)), start, stop)

    return pages


_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0


def worker_pool(workers: int = DEFAULT_WORKERS) -> ProcessPoolExecutor:
    """The process's pool of rendering processes, started once and kept.

    'spawn', not 'fork': a forked child of a process that already loaded Pango and fontconfig
    lays out two to three times slower here, and a fork would also copy the parent's database
    connections and threads. Starting a worker (importing WeasyPrint, loading fonts) costs
    about half a second, paid once per process; `start_workers()` starts them ahead of need.
    """
    global _POOL, _POOL_SIZE
    if _POOL is None or _POOL_SIZE != workers:
        if _POOL is not None:
            _POOL.shutdown(wait=False)
        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        _POOL_SIZE = workers
        atexit.register(_POOL.shutdown)
    return _POOL


def start_workers(workers: int = DEFAULT_WORKERS):
    """Start the rendering processes in the background and warm them up; returns their futures."""
    pool = worker_pool(workers)
    return [pool.submit(_warm_up) for _ in range(workers)]


def _warm_up() -> int:
    weasyprint.HTML(string="<p>PEG</p>").write_pdf()
    return os.getpid()


@dataclass
class Part:
    """A rendered piece of a collection and the outline entry pointing at its first page."""

    pages: Pages
    title: str = ""
    outline_parent: str = ""

    @property
    def page_count(self) -> int:
        return self.pages.count


def assemble(
    parts: list[Part], *, number_from: int = 1, title: str = "", front: Callable[[], Part] | None = None
) -> bytes:
    """Merge the parts, stamp 'Pagina N di M' on pages number_from..M, add an outline; PDF bytes.

    Linear in the pages: each page is copied once (`add_page`), and the named destinations (the
    cards' anchors, which the contents and links point at) are collected once from each rendered
    PDF and written as one sorted name tree. pypdf's `append` would walk every named destination
    of a part's whole PDF at each part, and insert each into a sorted list: quadratic in the cards.

    `front`, if given, is asked for its part once the other parts' pages are copied, and that
    part goes first: a front being laid out in a rendering process meanwhile costs no waiting.
    """
    writer = PdfWriter()
    starts = []
    # For each rendered PDF (by its reader), its copied pages: source object number → page in the book.
    copied: dict[int, dict[int, PageObject]] = {}
    readers: dict[int, PdfReader] = {}

    def copy(pages: Pages, at: int | None = None) -> None:
        reader = pages.reader
        readers.setdefault(id(reader), reader)
        into = copied.setdefault(id(reader), {})
        for offset, index in enumerate(range(pages.start, pages.stop)):
            source = reader.pages[index]
            page = writer.add_page(source) if at is None else writer.insert_page(source, at + offset)
            into[source.indirect_reference.idnum] = page

    for part in parts:
        starts.append(len(writer.pages))
        copy(part.pages)
    if front is not None:
        first = front()
        copy(first.pages, at=0)
        parts = [first, *parts]
        starts = [0, *(start + first.page_count for start in starts)]
    add_named_destinations(writer, [(reader, copied[key]) for key, reader in readers.items()])
    stamp_page_numbers(writer, number_from=number_from)
    parents: dict[str, object] = {}
    for part, start in zip(parts, starts, strict=True):
        if not part.title:
            continue
        parent = None
        if part.outline_parent:
            if part.outline_parent not in parents:
                parents[part.outline_parent] = writer.add_outline_item(
                    title=part.outline_parent, page_number=start, is_open=False
                )
            parent = parents[part.outline_parent]
        writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    if title:
        writer.add_metadata({"/Title": title, "/Producer": f"PEG – WeasyPrint {weasyprint.__version__}, pypdf"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def named_destinations(reader: PdfReader) -> list[tuple[str, ArrayObject]]:
    """The named destinations a rendered PDF defines, as written (name, [page, /XYZ, x, y, zoom]).

    WeasyPrint writes them as one flat /Names array under /Dests; a name tree with /Kids (any
    other producer) is read through pypdf. The wrapper's own `part-N` anchors are left out: they
    only mark where each part starts within its WeasyPrint call.
    """
    root = reader.trailer["/Root"].get_object()
    names_dict = root.get("/Names")
    dests = names_dict.get_object().get("/Dests") if names_dict is not None else None
    found: list[tuple[str, ArrayObject]] = []
    if dests is None:
        return found
    dests = dests.get_object()
    if "/Names" in dests and "/Kids" not in dests:
        flat = dests["/Names"].get_object()
        pairs = zip(flat[0::2], flat[1::2], strict=True)
    else:  # pragma: no cover - not what WeasyPrint writes
        pairs = ((name, dest.dest_array) for name, dest in reader.named_destinations.items())
    for name, target in pairs:
        target = target.get_object()
        if isinstance(target, DictionaryObject):  # a GoTo action: its /D is the array
            target = target["/D"].get_object()
        if str(name).startswith("part-"):
            continue
        found.append((str(name), target))
    return found


def add_named_destinations(writer: PdfWriter, sources: list[tuple[PdfReader, dict[int, PageObject]]]) -> int:
    """Give the book the named destinations of its copied pages, once; the number written.

    A name keeps its first place in the book (as in one WeasyPrint document); a destination on a
    page that was not copied (a part of the same rendered PDF not in this book) is left out.
    """
    chosen: dict[str, ArrayObject] = {}
    for reader, pages in sources:
        for name, target in named_destinations(reader):
            page = target[0]
            number = getattr(page, "idnum", None)
            if number is None or number not in pages or name in chosen:
                continue
            chosen[name] = ArrayObject([pages[number].indirect_reference, *target[1:]])
    if chosen:
        tree = writer.get_named_dest_root()
        for name in sorted(chosen):
            tree.extend([TextStringObject(name), chosen[name]])
    return len(chosen)


# Helvetica widths (1/1000 em) of the characters a page number line uses, to centre it.
_HELVETICA_WIDTHS = {
    " ": 278,
    "P": 667,
    "a": 556,
    "g": 556,
    "i": 222,
    "n": 556,
    "d": 556,
    **dict.fromkeys("0123456789", 556),
}
FOOTER_FONT_SIZE = 8
FOOTER_BASELINE = 22  # points above the bottom edge: the middle of the 18 mm bottom margin


def page_number_text(number: int, total: int) -> str:
    """The footer line, the same words the stylesheet's @bottom-center prints."""
    return f"Pagina {number} di {total}"


def stamp_page_numbers(writer: PdfWriter, *, number_from: int = 1) -> None:
    """Write the footer page number on each merged page, as a few bytes of content stream.

    Drawing text straight into each page costs microseconds, where overlaying a rendered
    page (merge_page) would parse every page's content; the cards themselves stay independent of
    where they land in a collection, so their cached PDFs are reusable in any collection.
    """
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    save = writer._add_object(_stream(b"q\n"))
    restore = writer._add_object(_stream(b"\nQ\n"))
    total = len(writer.pages)
    for index, page in enumerate(writer.pages):
        number = index + 1
        if number < number_from:
            continue
        text = page_number_text(number, total)
        width = sum(_HELVETICA_WIDTHS.get(char, 556) for char in text) * FOOTER_FONT_SIZE / 1000
        x = (float(page.mediabox.width) - width) / 2
        stamp = writer._add_object(
            _stream(f"BT /PegPageNo {FOOTER_FONT_SIZE} Tf 0.2 g {x:.2f} {FOOTER_BASELINE} Td ({text}) Tj ET\n".encode())
        )
        contents = page.get(NameObject("/Contents"))
        existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *existing, restore, stamp])
        resources = page[NameObject("/Resources")].get_object()
        fonts = resources.get(NameObject("/Font"))
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts.get_object()[NameObject("/PegPageNo")] = font


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
