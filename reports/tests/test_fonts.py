# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The printed PEG uses the fonts shipped with the application, whatever fonts the machine has."""

import io
import json
import re
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from reports import rendering, services
from reports.fetcher import REPORTS_STATIC
from tests.factories import FaseFactory, ObiettivoFactory

FONTS = REPORTS_STATIC / "fonts"
PRINT_CSS = REPORTS_STATIC / "print.css"
SHIPPED_FAMILY = "PEG Liberation Sans"
# The names WeasyPrint gives the embedded fonts come from the @font-face family.
SHIPPED_FONT_NAMES = ["PEG-Liberation-Sans", "PEG-Liberation-Sans-Bold", "PEG-Liberation-Sans-Italic"]
WEIGHTS = {"normal": 400, "bold": 700}

# Fontconfig as the machine has it, minus every font file whose path names Liberation.
WITHOUT_SYSTEM_LIBERATION = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Liberation*</glob><glob>*liberation*</glob></rejectfont></selectfont>
</fontconfig>
"""


def font_faces() -> list[dict[str, str]]:
    """The descriptors of each @font-face rule of the print stylesheet."""
    css = PRINT_CSS.read_text(encoding="utf-8")
    faces = []
    for body in re.findall(r"@font-face\s*\{([^}]*)\}", css):
        descriptors = dict(re.findall(r"([a-z-]+)\s*:\s*([^;]+?)\s*(?:;|$)", body))
        faces.append(descriptors)
    return faces


def embedded_fonts(pdf: bytes) -> tuple[int, set[str]]:
    """The page count and the BaseFont names of the fonts a PDF's pages use (subset tag dropped)."""
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font")
        for font in (fonts.get_object() if fonts else {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return len(reader.pages), names


def test_the_four_styles_of_liberation_sans_ship_with_their_licence():
    faces = font_faces()
    styles = {(face["font-weight"], face["font-style"]) for face in faces}
    assert styles == {("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic")}
    for face in faces:
        assert face["font-family"] == f'"{SHIPPED_FAMILY}"'
        [file_name] = re.findall(r'url\("fonts/([^"]+)"\)', face["src"])
        font = TTFont(FONTS / file_name)
        names = font["name"]
        # The file is the style the rule announces, not a regular font under a bold label.
        assert names.getDebugName(1) == "Liberation Sans"
        assert font["OS/2"].usWeightClass == WEIGHTS[face["font-weight"]]
        assert bool(font["OS/2"].fsSelection & 1) == (face["font-style"] == "italic")
        assert "SIL Open Font License, Version 1.1" in names.getDebugName(13)
    licence = (FONTS / "LICENSE.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright (c) 2012 Red Hat, Inc. with Reserved Font Name Liberation." in licence


def test_the_stylesheet_prints_in_the_shipped_family_first():
    css = PRINT_CSS.read_text(encoding="utf-8")
    families = re.findall(r"(?<![-\w])font-family\s*:\s*([^;]+);", css)
    used = [family for family in families if family.strip() != f'"{SHIPPED_FAMILY}"']
    assert used, "the stylesheet names no font for its text"
    assert all(family.startswith(f'"{SHIPPED_FAMILY}"') for family in used)


@pytest.mark.django_db
def test_a_card_embeds_the_shipped_font_in_its_three_styles():
    obiettivo = ObiettivoFactory(title="Titolo della scheda")
    FaseFactory(obiettivo=obiettivo, description="Fase descritta")
    pdf = services.objective_pdf(obiettivo, cache=rendering.NoCache(), workers=1)
    _, names = embedded_fonts(pdf)
    # Helvetica is the page-number stamp pypdf writes after the layout (rendering.stamp_page_numbers).
    assert names - {"Helvetica"} == set(SHIPPED_FONT_NAMES)


# django_db: pytest-django creates the test database only for a run holding such a test.
@pytest.mark.django_db
def test_the_whole_2021_peg_prints_in_59_pages_in_the_shipped_font(printed_peg):
    pages, names = embedded_fonts(printed_peg.pdf)
    assert pages == 59
    assert names - {"Helvetica"} == set(SHIPPED_FONT_NAMES)


RENDER_WITHOUT_SYSTEM_LIBERATION = textwrap.dedent(
    """
    import io, json, sys
    import weasyprint
    from pypdf import PdfReader
    from weasyprint.text.ffi import ffi, fontconfig
    from reports import rendering
    from reports.fetcher import REPORTS_STATIC, StaticOnlyURLFetcher

    def fonts(pdf):
        reader = PdfReader(io.BytesIO(pdf))
        names = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        return {"pages": len(reader.pages), "fonts": sorted(names)}

    def installed_families():
        # The families of the fonts fontconfig offers this process (it may offer none at all).
        config = fontconfig.FcInitLoadConfigAndFonts()
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        families, value = set(), ffi.new("FcChar8 **")
        for index in range(fonts.nfont if fonts != ffi.NULL else 0):
            number = 0
            while fontconfig.FcPatternGetString(fonts.fonts[index], b"family", number, value) == 0:
                families.add(ffi.string(value[0]).decode())
                number += 1
        return sorted(families)

    # The whole PEG as one document, laid out with the print stylesheet it embeds.
    whole = weasyprint.HTML(
        filename=sys.argv[1], base_url=rendering.BASE_URL, url_fetcher=StaticOnlyURLFetcher()
    ).write_pdf()
    # The way each card is laid out: the stylesheet given apart, fragments one after another.
    css = (REPORTS_STATIC / "print.css").read_text(encoding="utf-8")
    fragment, _ = rendering.render_fragments(["<p>Testo <b>grassetto</b> <i>corsivo</i></p>"], css)
    print(json.dumps({"installed": installed_families(), "whole": fonts(whole), "fragment": fonts(fragment)}))
    """
)


# django_db: pytest-django creates the test database only for a run holding such a test.
@pytest.mark.django_db
def test_a_machine_without_liberation_sans_prints_the_same_59_pages(printed_peg, tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(WITHOUT_SYSTEM_LIBERATION, encoding="utf-8")
    document = tmp_path / "peg_2021.html"
    document.write_text(printed_peg.html, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", RENDER_WITHOUT_SYSTEM_LIBERATION, str(document)],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    seen = json.loads(result.stdout)
    # The machine cannot stand in: it offers no Liberation font at all.
    assert not any("Liberation" in family for family in seen["installed"])
    assert seen["whole"] == {"pages": 59, "fonts": SHIPPED_FONT_NAMES}
    assert seen["fragment"]["fonts"] == SHIPPED_FONT_NAMES
