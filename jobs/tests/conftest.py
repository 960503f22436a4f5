# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A small PEG: Alice heads a unit, Bob another, Nina is the Nucleo; files go to a temporary MEDIA_ROOT."""

import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader

from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO
from tests.factories import DirigenteFactory, FaseFactory, ObiettivoFactory, PegFactory, SettoreFactory, UserFactory


@pytest.fixture
def in_process(settings, tmp_path):
    """No broker (the `make run` default); files and the PDF cache in a temporary folder."""
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PEG_PDF_CACHE_DIR = tmp_path / "pdf-cache"
    return settings


@pytest.fixture
def world(db, in_process):
    peg = PegFactory(year=2021)
    users = {}
    for name, group in [("alice", GROUP_DIRIGENTE), ("bob", GROUP_DIRIGENTE), ("nina", GROUP_NUCLEO)]:
        users[name] = UserFactory(username=name)
        users[name].groups.add(Group.objects.get_or_create(name=group)[0])
    users["admin"] = UserFactory(username="admin", is_superuser=True, is_staff=True)
    unit = SettoreFactory(name="SETTORE DI ALICE", head=DirigenteFactory(user=users["alice"], name="Alice Bianchi"))
    other_unit = SettoreFactory(name="SETTORE DI BOB", head=DirigenteFactory(user=users["bob"], name="Bob Verdi"))
    obiettivo = ObiettivoFactory(peg=peg, settore=unit, code="A", title="Digitalizzare i procedimenti")
    FaseFactory(obiettivo=obiettivo, label="1", sort_order=1, weight=60, deadline="30/06/2021")
    FaseFactory(obiettivo=obiettivo, label="2", sort_order=2, weight=40, deadline="31/12/2021")
    other = ObiettivoFactory(peg=peg, settore=other_unit, code="A", title="Obiettivo di Bob")
    FaseFactory(obiettivo=other, label="1", weight=100)
    return SimpleNamespace(peg=peg, unit=unit, other_unit=other_unit, obiettivo=obiettivo, other=other, **users)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def streamed(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
