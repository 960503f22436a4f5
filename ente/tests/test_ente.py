# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The ente's name and crest in the header, the footer's links, the accessibility statement."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ente.crest import crest_kind
from ente.models import Ente

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#06c"/></svg>'


def test_a_png_and_a_plain_svg_are_crests():
    assert crest_kind(PNG) == "png"
    assert crest_kind(SVG) == "svg"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vuoto"),
        (b"GIF89a......", "PNG o SVG"),
        (SVG.replace(b"<circle", b"<script>alert(1)</script><circle"), "<script>"),
        (SVG.replace(b"<circle", b'<circle onload="alert(1)"'), "onload"),
        (SVG.replace(b"<circle", b'<image href="file:///etc/passwd"/><circle'), "esterni"),
        (SVG.replace(b'fill="#06c"', b'fill="url(http://x.example/a)"'), "esterni"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG, "DOCTYPE"),
        (b"<svg", "XML valido"),
        (b"\x89PNG\r\n\x1a\nnot a png", "danneggiato"),
        (PNG + b"\0" * (512 * 1024), "512 KB"),
    ],
)
def test_anything_else_is_refused_with_an_italian_reason(data, message):
    with pytest.raises(ValidationError) as refused:
        crest_kind(data)
    assert message in refused.value.messages[0]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: f"<svg {t}".encode())))
def test_any_file_is_either_a_crest_or_refused_in_italian_never_an_exception(data):
    try:
        assert crest_kind(data) in {"png", "svg"}
    except ValidationError as refused:
        assert refused.messages[0].startswith(("Il ", "Lo "))


@pytest.mark.django_db
def test_there_is_one_ente_at_most():
    Ente.objects.create(name="Comune di Alessandria")
    with pytest.raises(IntegrityError):
        Ente.objects.create(name="Comune di Asti")


@pytest.mark.django_db
def test_without_an_ente_the_header_reads_the_configured_name_and_shows_no_crest(client, settings):
    settings.PEG_ENTE_NAME = "COMUNE DI PROVA"
    page = client.get(reverse("login")).content.decode()
    assert '<div class="it-brand-title">COMUNE DI PROVA</div>' in page
    assert "peg-crest" not in page
    assert ">PEG</div>" not in page


@pytest.mark.django_db
def test_the_header_reads_the_entes_name_and_shows_its_crest(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    Ente.objects.create(name="Comune di Alessandria", crest=SimpleUploadedFile("stemma.svg", SVG))
    page = client.get(reverse("login")).content.decode()
    assert '<div class="it-brand-title">Comune di Alessandria</div>' in page
    assert f'src="{reverse("ente:crest")}?v=' in page and 'alt="Stemma"' in page
    assert "<title>" in page and "· Comune di Alessandria</title>" in page

    crest = client.get(reverse("ente:crest"))
    assert crest["Content-Type"] == "image/svg+xml"
    assert "sandbox" in crest["Content-Security-Policy"]
    assert crest.content == SVG


@pytest.mark.django_db
def test_without_a_crest_its_address_is_not_found(client):
    assert client.get(reverse("ente:crest")).status_code == 404


@pytest.mark.django_db
def test_the_admin_uploads_a_crest_and_refuses_a_file_that_is_not_one(admin_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:ente_ente_add")
    refused = admin_client.post(url, {"name": "Comune di Alessandria", "crest": SimpleUploadedFile("x.svg", b"<p>")})
    assert refused.status_code == 200
    assert "PNG o SVG" in refused.content.decode()
    assert not Ente.objects.exists()

    saved = admin_client.post(url, {"name": "Comune di Alessandria", "crest": SimpleUploadedFile("s.png", PNG)})
    assert saved.status_code == 302
    assert Ente.current().crest_data_uri().startswith("data:image/png;base64,iVBORw0KGgo")
    # One ente: once entered, it is changed, not added again.
    second = admin_client.post(url, {"name": "Comune di Asti"})
    assert "già stato inserito" in second.content.decode()
    assert list(Ente.objects.values_list("name", flat=True)) == ["Comune di Alessandria"]


@pytest.mark.django_db
def test_the_demo_ente_is_added_once_and_never_overwrites_the_real_one():
    from django.core.management import call_command

    call_command("load_demo_ente", stdout=io.StringIO())
    call_command("load_demo_ente", stdout=io.StringIO())
    assert list(Ente.objects.values_list("name", flat=True)) == ["Comune di Alessandria"]
    Ente.objects.update(name="Comune di Asti")
    call_command("load_demo_ente", stdout=io.StringIO())
    assert Ente.current().name == "Comune di Asti"


@pytest.mark.django_db
def test_the_footer_links_the_statement_the_feedback_address_and_the_source(client, settings):
    settings.PEG_ACCESSIBILITY_URL = "https://form.agid.gov.it/view/abc"
    settings.PEG_FEEDBACK_EMAIL = "urp@comune.example.it"
    settings.PEG_SOURCE_URL = "https://example.org/peg.git"
    page = client.get(reverse("login")).content.decode()
    assert '<a href="https://form.agid.gov.it/view/abc">Dichiarazione di accessibilità</a>' in page
    assert 'href="mailto:urp@comune.example.it"' in page
    assert '<a href="https://example.org/peg.git">Codice sorgente (EUPL-1.2)</a>' in page


@pytest.mark.django_db
def test_by_default_the_statement_is_the_built_in_page_open_to_anyone(client, settings):
    settings.PEG_ACCESSIBILITY_URL = ""
    page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("ente:accessibility")}">Dichiarazione di accessibilità</a>' in page
    statement = client.get(reverse("ente:accessibility"))
    assert statement.status_code == 200
    assert "WCAG 2.1" in statement.content.decode()
    assert settings.PEG_FEEDBACK_EMAIL in statement.content.decode()
