# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Limits on attachments: files per upload, files and total size per phase; a refusal says why
in Italian and saves nothing (no row, no file, no phase change)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.models import Allegato, Fase, FaseState

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PDF_SIZE = len(PDF)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []


def pdf(name="verbale.pdf", size=PDF_SIZE):
    content = PDF + b"%" * (size - len(PDF))
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    upload.peg_content_type = "application/pdf"
    return upload


def text_of(response) -> str:
    return response.content.decode().replace("\xa0", " ")  # sizes keep their unit on the same line


def post_files(client, world, files, evidence="Delibera n. 1"):
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    data = {"state": FaseState.IN_CORSO, "completed_on": "", "evidence": evidence, "version": 1}
    return client.post(url, {**data, "attachments": files})


def attach(world, count, size=PDF_SIZE):
    for n in range(count):
        workflow.add_attachment(fase=world.fase1, user=world.alice, upload=pdf(f"gia{n}.pdf", size))
    Fase.objects.filter(pk=world.fase1.pk).update(version=1)


def assert_nothing_saved(world, settings, attachments_before=0):
    assert Allegato.objects.count() == attachments_before
    assert len(stored_files(settings)) == attachments_before
    fase = Fase.objects.get(pk=world.fase1.pk)
    assert fase.version == 1 and fase.evidence == ""


def test_the_defaults_are_five_files_per_upload_twenty_per_phase_fifty_megabytes_per_phase():
    assert django_settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD == 5
    assert django_settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE == 20
    assert django_settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE == 50 * 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5


def test_the_limits_are_read_from_the_environment_and_a_bad_one_stops_start_up():
    env = {**os.environ, "PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD": "0"}
    env.pop("DATABASE_URL", None)
    started = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD must be a positive whole number" in started.stderr


# Per upload: the request parser refuses more files than one upload may carry -----------------


def test_a_post_with_a_hundred_files_gets_an_italian_400_page_and_saves_nothing(client, world, settings):
    client.force_login(world.alice)
    response = post_files(client, world, [pdf(f"f{n}.pdf") for n in range(100)])
    assert response.status_code == 400
    text = response.content.decode()
    assert "Troppi file in un solo invio" in text
    assert "al massimo 5 file per volta" in text
    assert "Traceback" not in text
    assert_nothing_saved(world, settings)


def test_six_files_are_one_too_many(client, world, settings):
    client.force_login(world.alice)
    assert post_files(client, world, [pdf(f"f{n}.pdf") for n in range(6)]).status_code == 400
    assert_nothing_saved(world, settings)


def test_five_files_in_one_upload_are_saved(client, world, settings):
    client.force_login(world.alice)
    assert post_files(client, world, [pdf(f"f{n}.pdf") for n in range(5)]).status_code == 302
    assert Allegato.objects.filter(fase=world.fase1).count() == 5
    assert len(stored_files(settings)) == 5


def test_the_workflow_refuses_more_files_than_one_upload_may_carry_by_any_door(world, settings):
    with pytest.raises(workflow.WorkflowError, match="al massimo 5 file per volta"):
        workflow.update_phase(
            fase=world.fase1,
            user=world.alice,
            version=1,
            state=FaseState.IN_CORSO,
            completed_on=None,
            evidence="Delibera n. 1",
            new_files=[pdf(f"f{n}.pdf") for n in range(6)],
        )
    assert_nothing_saved(world, settings)


# Per phase: count and total size ------------------------------------------------------------


def test_a_phase_holds_at_most_the_configured_number_of_attachments(client, world, settings):
    settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE = 3
    attach(world, 2)
    client.force_login(world.alice)
    response = post_files(client, world, [pdf("a.pdf"), pdf("b.pdf")])
    assert response.status_code == 200
    assert (
        "Una fase può avere al massimo 3 allegati: ne ha già 2 e se ne aggiungerebbero 2. Nulla è stato salvato."
        in response.content.decode()
    )
    assert_nothing_saved(world, settings, attachments_before=2)
    assert post_files(client, world, [pdf("a.pdf")]).status_code == 302
    assert Allegato.objects.count() == 3


def test_a_phase_holds_at_most_the_configured_total_size(client, world, settings):
    settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE = 3 * 1024
    attach(world, 2, size=1024)
    client.force_login(world.alice)
    response = post_files(client, world, [pdf("a.pdf", size=1024), pdf("b.pdf", size=1)])
    assert "Gli allegati di una fase possono occupare al massimo 3,0 KB in tutto" in text_of(response)
    assert_nothing_saved(world, settings, attachments_before=2)


def test_one_upload_may_not_carry_more_than_a_phase_holds_in_all(client, world, settings):
    settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE = 2048
    client.force_login(world.alice)
    response = post_files(client, world, [pdf("a.pdf", size=1024), pdf("b.pdf", size=1025)])
    assert "possono occupare al massimo 2,0 KB in tutto" in text_of(response)
    assert_nothing_saved(world, settings)


def test_adding_one_attachment_by_another_door_obeys_the_phase_limit(world, settings):
    settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE = 1
    attach(world, 1)
    with pytest.raises(workflow.WorkflowError, match="al massimo 1 allegati"):
        workflow.add_attachment(fase=world.fase1, user=world.alice, upload=pdf("altro.pdf"))
    assert Allegato.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_the_form_tells_the_limits(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("objectives:phase_update", args=[world.fase1.pk]))
    assert "5 file per volta; per fase al massimo 20 allegati e 50,0 MB in tutto" in text_of(response)


# Any upload: saved whole within the limits, refused whole beyond them -------------------------


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stored=st.lists(st.integers(len(PDF), 400), max_size=4),
    new=st.lists(st.integers(len(PDF), 400), max_size=5),
)
def test_an_upload_is_saved_whole_within_the_limits_or_refused_whole(world, settings, stored, new):
    settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD = 3
    settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE = 5
    settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE = 1000
    for allegato in Allegato.objects.all():
        allegato.file.delete(save=False)
    Allegato.objects.all().delete()
    Fase.objects.filter(pk=world.fase1.pk).update(version=1, evidence="")
    for n, size in enumerate(stored):
        Allegato.objects.create(fase=world.fase1, original_name=f"{n}.pdf", size=size, file=f"x/{n}.pdf")
    # Without new files the phase is updated even past limits lowered since its files were stored.
    fits = not new or (len(new) <= 3 and len(stored) + len(new) <= 5 and sum(stored) + sum(new) <= 1000)
    fase = Fase.objects.get(pk=world.fase1.pk)
    try:
        workflow.update_phase(
            fase=fase,
            user=world.alice,
            version=1,
            state=FaseState.IN_CORSO,
            completed_on=None,
            evidence="Delibera n. 1",
            new_files=[pdf(f"n{n}.pdf", size) for n, size in enumerate(new)],
        )
    except workflow.WorkflowError as refusal:
        assert not fits
        assert "nulla è stato salvato" in str(refusal).lower()
        assert Allegato.objects.count() == len(stored)
        assert stored_files(settings) == []
        assert Fase.objects.get(pk=world.fase1.pk).version == 1
    else:
        assert fits
        assert Allegato.objects.count() == len(stored) + len(new)
        assert len(stored_files(settings)) == len(new)


# Per request, in bytes: a body larger than any acceptable update is not even read -------------


def test_a_body_larger_than_any_acceptable_update_is_refused_before_it_is_read(client, world, settings):
    settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(world.alice)
    response = post_files(client, world, [pdf("grande.pdf", size=200 * 1024)])
    assert response.status_code == 413
    text = text_of(response)
    assert "Invio troppo grande" in text and "nulla è stato salvato" in text
    assert_nothing_saved(world, settings)


def test_the_phase_update_still_requires_the_csrf_token(world, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    assert post_files(client, world, [pdf("verbale.pdf")]).status_code == 403
    assert_nothing_saved(world, settings)
    client.get(reverse("objectives:phase_update", args=[world.fase1.pk]))
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    data = {"state": FaseState.IN_CORSO, "evidence": "", "version": 1, "attachments": [pdf("verbale.pdf")]}
    response = client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302
    assert Allegato.objects.count() == 1
