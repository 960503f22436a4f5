# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The crest on the printed cover: a data: URI, the only thing besides the print's own static
files that WeasyPrint's fetcher lets through."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from ente.models import Ente
from ente.tests.test_ente import PNG, SVG
from objectives.models import Peg
from reports.documents import front_fragment
from reports.fetcher import ResourceRefused, StaticOnlyURLFetcher
from reports.rendering import html_to_pdf


@pytest.fixture
def peg(db):
    return Peg.objects.create(year=2021)


def test_the_fetcher_lets_an_image_data_uri_through_and_nothing_else_of_its_kind():
    response = StaticOnlyURLFetcher().fetch("data:image/svg+xml;base64,PHN2Zy8+")
    try:
        assert response.read() == b"<svg/>"
    finally:
        response.close()
    for url in ["data:text/html;base64,PHN2Zy8+", "data:image/svg+xml,<svg/>", "data:image/png;base64,(x)"]:
        with pytest.raises(ResourceRefused):
            StaticOnlyURLFetcher().fetch(url)


@pytest.mark.django_db
def test_without_a_crest_the_cover_has_no_image(peg):
    assert "<img" not in front_fragment(peg, [], None)


def first_page(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    return reader.pages[0], len(reader.pages)


@pytest.mark.django_db
@pytest.mark.parametrize("name, data", [("stemma.svg", SVG), ("stemma.png", PNG)])
def test_the_cover_carries_the_crest_and_the_pdf_draws_it_on_the_same_single_page(
    peg, tmp_path, settings, caplog, name, data
):
    settings.MEDIA_ROOT = tmp_path
    plain_page, plain_pages = first_page(html_to_pdf(front_fragment(peg, [], None)))
    Ente.objects.create(name="Comune di Alessandria", crest=SimpleUploadedFile(name, data))
    html = front_fragment(peg, [], None)
    assert 'class="cover-crest" src="data:image/' in html

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        page, pages = first_page(html_to_pdf(html))
    assert [r.getMessage() for r in caplog.records if "non consentit" in r.getMessage()] == []
    assert pages == plain_pages
    if name.endswith(".png"):
        assert len(page.images) == 1 and not plain_page.images
    else:
        # The SVG is drawn as vectors: its circle's blue (#06c) is painted on the page.
        assert b"0 0.4 0.8 rg" in page.get_contents().get_data()
        assert b"0 0.4 0.8 rg" not in plain_page.get_contents().get_data()
