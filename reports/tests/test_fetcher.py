# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""WeasyPrint may read our print stylesheet's folder and nothing else."""

import logging

import pytest

from reports.fetcher import REPORTS_STATIC, ResourceRefused, StaticOnlyURLFetcher
from reports.rendering import html_to_pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/x",
        "data:text/css,p{}",
        "file:///etc/passwd",
        (REPORTS_STATIC / ".." / ".." / "models.py").as_uri(),
        REPORTS_STATIC.as_uri() + "/../../../peg/settings.py",
        "file://otherhost" + (REPORTS_STATIC / "print.css").as_posix(),
    ],
)
def test_it_refuses_anything_but_our_static_files(url):
    with pytest.raises(ResourceRefused):
        StaticOnlyURLFetcher().fetch(url)


def test_it_serves_the_print_stylesheet():
    response = StaticOnlyURLFetcher().fetch((REPORTS_STATIC / "print.css").as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


def test_a_rendering_never_reads_a_forbidden_resource(caplog):
    html = '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>Testo</p><img src="file:///etc/hostname">'
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    refused = [record.getMessage() for record in caplog.records if "non consentit" in record.getMessage()]
    assert len(refused) == 2
