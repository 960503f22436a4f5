# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Amministrazione Trasparente: public pages, open data with a valid data package, frozen versions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import frictionless
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader

from evaluation.selectors import head_results
from objectives.append_only import AppendOnlyError
from objectives.models import Fase
from objectives.templatetags.peg_tags import percent
from relazione import services as relazione_services
from relazione.models import Esito
from transparency import services
from transparency.models import FilePubblicato, Pubblicazione

pytestmark = pytest.mark.django_db

DATA_FILES = [f"{name}.{ext}" for name in ("obiettivi", "fasi", "indicatori", "risultati") for ext in ("csv", "json")]
TEXTS = {"introduction": "Introduzione.", "context": "Contesto.", "critical_issues": "Criticità."}


def validated_relazione(scenario):
    relazione_services.save_narrative(peg=scenario.peg, user=scenario.sara, **TEXTS)
    relazione_services.validate(peg=scenario.peg, user=scenario.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA)


def public_urls(pubblicazione) -> list[str]:
    year, version = pubblicazione.peg.year, pubblicazione.version
    urls = [
        reverse("transparency:index"),
        reverse("transparency:year", args=[year]),
        reverse("transparency:version", args=[year, version]),
        reverse("transparency:cards_html", args=[year, version]),
    ]
    if pubblicazione.relazione_html:
        urls.append(reverse("transparency:relazione_html", args=[year, version]))
    names = pubblicazione.files.values_list("name", flat=True)
    return urls + [reverse("transparency:file", args=[year, version, name]) for name in names]


def test_anonymous_visitors_read_every_public_page_and_file_with_public_caching(client, scenario):
    validated_relazione(scenario)
    pubblicazione = services.publish(peg=scenario.peg, user=scenario.sara, note="Prima pubblicazione")
    assert {"datapackage.json", "relazione.pdf", *DATA_FILES} == set(pubblicazione.files.values_list("name", flat=True))
    for url in public_urls(pubblicazione):
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.fullmatch(r"public, max-age=\d+", response["Cache-Control"]), url
        assert not response.cookies, url
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # Under the Content-Security-Policy: no inline script or style, no style attribute.
            assert "<style" not in html and " style=" not in html, url
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
            assert "csrfmiddlewaretoken" not in html
    page = client.get(reverse("transparency:version", args=[2021, 1])).content.decode()
    assert "Relazione sulla performance 2021 (PDF)" in page and "Prima pubblicazione" in page


def test_the_published_relazione_and_cards_are_readable_as_pdf(client, scenario, settings, tmp_path):
    settings.PEG_PDF_CACHE_DIR = tmp_path
    validated_relazione(scenario)
    services.publish(peg=scenario.peg, user=scenario.sara)
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(client.get("/trasparenza/2021/v1/relazione.pdf").content)).pages
    )
    assert (
        "RELAZIONE SULLA PERFORMANCE – ANNO 2021" in text and "Validata dal Nucleo di Valutazione il 15/04/2022" in text
    )
    response = client.get("/trasparenza/2021/v1/schede.pdf")
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 41 and "Obiettivo A:" in reader.pages[0].extract_text()


def test_nothing_public_pairs_a_head_with_a_score(client, scenario):
    validated_relazione(scenario)
    pubblicazione = services.publish(peg=scenario.peg, user=scenario.sara)
    heads = [head for head in head_results(scenario.peg) if head.score is not None]
    assert heads
    outputs = {url: client.get(url).content for url in public_urls(pubblicazione)}
    pdf = outputs.pop(reverse("transparency:file", args=[2021, 1, "relazione.pdf"]))
    outputs["relazione.pdf"] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).encode()
    names_seen = 0
    for where, content in outputs.items():
        text = content.decode("utf-8", errors="ignore")
        for head in heads:
            figures = {percent(head.score), f"{head.score:.2f}"}
            for match in re.finditer(re.escape(head.dirigente.name), text):
                names_seen += 1
                near = text[max(0, match.start() - 400) : match.end() + 400]
                assert not any(figure in near for figure in figures), (where, head.dirigente.name)
    # The names are public (the cards print them): the check above did look at them.
    assert names_seen > 0
    # The results tables hold only counts per band; no file has a column of scores next to a name.
    rows = list(
        csv.DictReader(io.StringIO(outputs[reverse("transparency:file", args=[2021, 1, "risultati.csv"])].decode()))
    )
    assert sum(int(row["responsabili"]) for row in rows) == len(head_results(scenario.peg))
    header = next(
        csv.reader(io.StringIO(outputs[reverse("transparency:file", args=[2021, 1, "obiettivi.csv"])].decode()))
    )
    assert "responsabile" in header and not any(word in " ".join(header) for word in ("grado", "punteggio", "fascia"))


def test_a_change_of_the_plan_is_published_as_a_new_version_beside_the_unchanged_old_one(client, scenario):
    first = services.publish(peg=scenario.peg, user=scenario.sara)
    before = {item.name: bytes(item.content) for item in first.files.all()}
    cards_before = client.get("/trasparenza/2021/v1/schede.html").content
    with pytest.raises(services.PublicationError, match="Nulla è cambiato dalla versione 1"):
        services.publish(peg=scenario.peg, user=scenario.sara)
    fase = Fase.objects.filter(obiettivo__peg=scenario.peg, obiettivo__code="A").order_by("pk").first()
    Fase.objects.filter(pk=fase.pk).update(deadline_text="31/10/2021 (variata)")
    second = services.publish(peg=scenario.peg, user=scenario.sara, note="Delibera G.C. n. 200 del 01/09/2021")
    assert second.version == 2
    assert {item.name: bytes(item.content) for item in Pubblicazione.objects.get(pk=first.pk).files.all()} == before
    assert client.get("/trasparenza/2021/v1/fasi.csv").content == before["fasi.csv"]
    assert client.get("/trasparenza/2021/v1/schede.html").content == cards_before
    assert "31/10/2021 (variata)" not in before["fasi.csv"].decode()
    assert "31/10/2021 (variata)" in client.get("/trasparenza/2021/v2/fasi.csv").content.decode()
    assert "31/10/2021 (variata)" in client.get("/trasparenza/2021/v2/schede.html").content.decode()
    year_page = client.get("/trasparenza/2021/").content.decode()
    assert "versione 1" in year_page and "versione 2</a> (ultima)" in year_page
    latest = client.get("/trasparenza/2021/latest/fasi.csv")
    assert latest.status_code == 302 and latest["Location"] == "/trasparenza/2021/v2/fasi.csv"
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        FilePubblicato.objects.filter(pubblicazione=first).update(content=b"")
    with pytest.raises(AppendOnlyError):
        Pubblicazione.objects.filter(pk=first.pk).delete()


def test_the_data_package_validates_with_frictionless_and_the_csv_follow_rfc_4180(client, scenario, tmp_path):
    validated_relazione(scenario)
    pubblicazione = services.publish(peg=scenario.peg, user=scenario.sara)
    for item in pubblicazione.files.all():
        (tmp_path / item.name).write_bytes(client.get(f"/trasparenza/2021/v1/{item.name}").content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {resource["path"] for resource in package["resources"]} == set(DATA_FILES)
    fasi = (tmp_path / "fasi.csv").read_bytes()
    assert fasi.endswith(b"\r\n") and fasi.split(b"\r\n")[0].startswith(b"anno,struttura,codice_obiettivo,fase,")
    rows = list(csv.reader(io.StringIO(fasi.decode("utf-8"), newline="")))
    assert len(rows) == Fase.objects.filter(obiettivo__peg=scenario.peg).count() + 1
    assert rows[0][:4] == ["anno", "struttura", "codice_obiettivo", "fase"]
    indicators = json.loads((tmp_path / "indicatori.json").read_text(encoding="utf-8"))
    assert indicators and {"indicatore", "target", "valore_rilevato"} <= set(indicators[0])


def test_the_licence_is_configurable_and_an_unknown_one_stops_start_up(scenario, settings):
    settings.PEG_OPEN_DATA_LICENSE = "CC0-1.0"
    pubblicazione = services.publish(peg=scenario.peg, user=scenario.sara)
    package = json.loads(bytes(pubblicazione.files.get(name="datapackage.json").content))
    assert package["licenses"][0]["name"] == "CC0-1.0" and pubblicazione.licence == "CC0-1.0"
    settings.PEG_OPEN_DATA_LICENSE = "tutti i diritti riservati"
    with pytest.raises(ImproperlyConfigured, match="PEG_OPEN_DATA_LICENSE"):
        apps.get_app_config("transparency").ready()


def test_only_staff_publish(client, scenario):
    url = reverse("transparency:publish", args=[2021])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (scenario.robotti_user, scenario.nina, scenario.ugo):
        client.force_login(user)
        assert client.post(url).status_code == 404
        with pytest.raises(services.NotAllowed):
            services.publish(peg=scenario.peg, user=user)
    assert not Pubblicazione.objects.exists()
    client.force_login(scenario.sara)
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Pubblicazione del PEG"})
    assert response.status_code == 302 and response["Location"] == url
    assert Pubblicazione.objects.get().published_by == scenario.sara
    page = client.get(url).content.decode()
    assert "Pubblicata la versione 1 del PEG 2021." in page and 'href="/trasparenza/2021/v1/"' in page


def test_the_relazione_is_published_only_once_validated(client, scenario):
    services.publish(peg=scenario.peg, user=scenario.sara)
    assert client.get("/trasparenza/2021/v1/relazione.html").status_code == 404
    assert client.get("/trasparenza/2021/v1/relazione.pdf").status_code == 404
    validated_relazione(scenario)
    services.publish(peg=scenario.peg, user=scenario.sara)
    assert "Validata dal Nucleo" in client.get("/trasparenza/2021/v2/relazione.html").content.decode()


def test_unknown_years_versions_and_files_are_not_found(client, scenario):
    services.publish(peg=scenario.peg, user=scenario.sara)
    for url in (
        "/trasparenza/2020/",
        "/trasparenza/2021/v9/",
        "/trasparenza/2021/v1/segreti.csv",
        "/trasparenza/2020/latest/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_public_pages_run_a_fixed_number_of_queries(client, scenario, django_assert_num_queries):
    services.publish(peg=scenario.peg, user=scenario.sara)
    Fase.objects.filter(obiettivo__peg=scenario.peg).update(deadline_text="in corso d'anno")
    services.publish(peg=scenario.peg, user=scenario.sara)
    for url, queries in [
        ("/trasparenza/", 1),
        ("/trasparenza/2021/", 1),
        ("/trasparenza/2021/v2/", 2),
        ("/trasparenza/2021/v1/obiettivi.csv", 2),
        ("/trasparenza/2021/v1/schede.html", 1),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.one_of(st.text(max_size=80), st.just("nota\x00"), st.text(min_size=2001, max_size=2005)))
def test_a_publication_note_is_published_or_refused_in_italian(client, scenario, note):
    with transaction.atomic():
        client.force_login(scenario.sara)
        response = client.post(reverse("transparency:publish", args=[2021]), {"note": note})
        if response.status_code == 302:
            assert Pubblicazione.objects.get().note == note.strip()
        else:
            assert response.status_code == 200 and not Pubblicazione.objects.exists()
            errors = response.context["form"].errors["note"]
            assert errors and set(errors) <= {
                "I caratteri null non sono ammessi.",
                "La nota può avere al massimo 2000 caratteri.",
            }
        transaction.set_rollback(True)
