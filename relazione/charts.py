# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Charts of the Relazione drawn as SVG on the server: vector in the PDF, no script in the page.

Plain functions from figures to markup: presentation attributes only (no `style`), so the
Content-Security-Policy of the pages lets them through, and WeasyPrint draws them as vector paths.
Every text is escaped; the numbers are written in the Italian way.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "PEG Liberation Sans, Liberation Sans, Arial, sans-serif"
BAR = "#0066cc"
BAR_EMPTY = "#c5c7c9"
GRID = "#9aa0a6"
INK = "#1a1a1a"


def _number(value: Decimal, decimals: int = 2) -> str:
    return f"{Decimal(value):.{decimals}f}".replace(".", ",")


def _short(text: str, length: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" '
        f'aria-label="{escape(title)}">'
    )
    return mark_safe(head + f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def bar_chart(items: list[tuple[str, Decimal | None]], *, title: str, maximum: Decimal = Decimal("100")) -> SafeString:
    """Horizontal bars, one per item (label, percentage); an item without a figure says so."""
    label_width, bar_width, row = 300, 330, 18
    top, left = 22, label_width + 10
    height = top + row * len(items) + 8
    width = left + bar_width + 60
    body = []
    for tick in (0, 25, 50, 75, 100):
        x = left + bar_width * tick / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(f'<text x="{x:.1f}" y="{top - 8}" font-size="8" text-anchor="middle" fill="{INK}">{tick}%</text>')
    for index, (label, value) in enumerate(items):
        y = top + row * index
        body.append(
            f'<text x="{label_width}" y="{y + 12}" font-size="8.5" text-anchor="end" fill="{INK}">'
            f"{escape(_short(label, 52))}</text>"
        )
        if value is None:
            body.append(f'<text x="{left + 4}" y="{y + 12}" font-size="8" fill="{INK}">non valutabile</text>')
            continue
        share = max(Decimal("0"), min(Decimal(value), maximum)) / maximum
        length = float(share) * bar_width
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{BAR}">'
            f"<title>{escape(label)}: {_number(value)}%</title></rect>"
        )
        body.append(
            f'<text x="{left + length + 4:.1f}" y="{y + 12}" font-size="8.5" fill="{INK}">{_number(value)}%</text>'
        )
    return _svg(width, height, title, body)


def histogram(items: list[tuple[str, int]], *, title: str) -> SafeString:
    """Vertical bars: how many (heads) in each class (band), the count above each bar."""
    width, plot_height, top, bottom = 700, 110, 20, 46
    column = min(140, (width - 20) / max(len(items), 1))
    height = top + plot_height + bottom
    peak = max([count for _, count in items] + [1])
    base = top + plot_height
    body = [f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{INK}" stroke-width="0.8"/>']
    for index, (label, count) in enumerate(items):
        x = 10 + column * index
        bar_height = plot_height * count / peak
        body.append(
            f'<rect x="{x + 20}" y="{base - bar_height:.1f}" width="{column - 40}" height="{bar_height:.1f}" '
            f'fill="{BAR if count else BAR_EMPTY}"><title>{escape(label)}: {count}</title></rect>'
        )
        body.append(
            f'<text x="{x + column / 2}" y="{base - bar_height - 4:.1f}" font-size="10" text-anchor="middle" '
            f'fill="{INK}">{count}</text>'
        )
        for line, text in enumerate(_wrap(label, 20)[:3]):
            body.append(
                f'<text x="{x + column / 2}" y="{base + 13 + 11 * line}" font-size="8.5" text-anchor="middle" '
                f'fill="{INK}">{escape(text)}</text>'
            )
    return _svg(width, height, title, body)


def _wrap(text: str, length: int) -> list[str]:
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= length:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
