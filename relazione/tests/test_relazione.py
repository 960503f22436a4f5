# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The Relazione sulla performance of 2021: its figures, who writes and validates it, its PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from evaluation.selectors import head_results
from evaluation.tests.conftest import NEUTRALISATION_REASON
from objectives.append_only import AppendOnlyError
from objectives.models import Fase, Indicatore, Obiettivo
from objectives.selectors import unit_results
from objectives.templatetags.peg_tags import percent
from relazione import access, printing, services
from relazione.exports import relazione_docx
from relazione.models import Esito, Relazione, ValidazioneRelazione
from relazione.selectors import relazione_data

pytestmark = pytest.mark.django_db

PARTIAL_REASON = "Il parere della Soprintendenza è giunto a novembre"
TEXTS = {
    "introduction": "Nel 2021 l'ente ha perseguito gli obiettivi del PEG.",
    "context": "La pandemia ha segnato il contesto esterno.",
    "critical_issues": "Le fasi che dipendono da enti esterni vanno programmate con margini.",
}


@pytest.fixture
def year_end(scenario):
    """Robotti's year end, with a partial achievement on AREA TECNICA 1 phase 2 and an indicator measured."""
    Fase.objects.filter(obiettivo=scenario.objectives["area_1"], label="2").update(
        partial_achievement=Decimal("40"), partial_reason=PARTIAL_REASON
    )
    indicatore = Indicatore.objects.get(name="Servizi individuati per il monitoraggio")
    Indicatore.objects.filter(pk=indicatore.pk).update(actual_value=Decimal("3"), actual_date=dt.date(2021, 11, 30))
    return scenario


def written(scenario) -> Relazione:
    return services.save_narrative(peg=scenario.peg, user=scenario.sara, **TEXTS)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# The figures ------------------------------------------------------------------------------------


def test_the_figures_of_the_ente_each_unit_and_each_objective_are_the_calculators(year_end):
    data = relazione_data(year_end.peg)
    expected = unit_results(year_end.peg)
    assert data.results.total.score == expected.total.score
    assert [(u.settore.name, u.result.score) for u in data.units] == [(u.settore.name, u.score) for u in expected]
    assert len(data.objectives) == 41
    by_code = {(s.obiettivo.settore.name, s.obiettivo.code): s for s in data.objectives}
    assert by_code[("SETTORE URBANISTICA E PATRIMONIO", "A")].result.score == Decimal("100")


def test_a_validated_objective_shows_the_validated_score_and_date_not_the_computed_one(year_end):
    html = printing.draw_document(services.relazione_for(year_end.peg))
    data = relazione_data(year_end.peg)
    urb_b = next(s for s in data.objectives if s.obiettivo.pk == year_end.objectives["urb_b"].pk)
    assert urb_b.result.validated and urb_b.result.score == Decimal("90")
    assert urb_b.result.computed.score == Decimal("0")
    assert "90,00%" in html and "validato il 15/03/2022" in html
    assert data.validated_objectives == 1


def test_neutralised_phases_and_partial_achievements_are_listed_with_their_reasons(year_end):
    data = relazione_data(year_end.peg)
    assert {item.fase.obiettivo_id for item in data.neutralisations} == {year_end.objectives["urb_c"].pk}
    assert {item.reason for item in data.neutralisations} == {NEUTRALISATION_REASON}
    [partial] = data.partials
    assert (partial.fase.label, partial.partial, partial.reason) == ("2", Decimal("40"), PARTIAL_REASON)
    html = printing.draw_document(services.relazione_for(year_end.peg))
    assert NEUTRALISATION_REASON in html and PARTIAL_REASON in html and "raggiunta al 40%" in html
    # The objective with every phase neutralised is said to be unscored, with the reason.
    assert "tutte le fasi dell&#x27;annualità 2021 sono sterilizzate dal Nucleo" in html


def test_indicators_show_their_target_and_the_value_measured(year_end):
    data = relazione_data(year_end.peg)
    lines = {line.name: line for section in data.objectives for line in section.indicators}
    assert data.has_indicators and len(lines) == Indicatore.objects.filter(obiettivo__peg=year_end.peg).count() > 0
    line = lines["Servizi individuati per il monitoraggio"]
    assert line.target == "almeno 2 servizi" and line.actual == "3 servizi" and line.met is True


def test_the_heads_are_counted_per_band_with_the_degree_of_differentiation(year_end):
    data = relazione_data(year_end.peg)
    heads = head_results(year_end.peg)
    assert sum(row.heads for row in data.distribution) == len(heads) == data.differentiation.heads
    assert sum(row.share for row in data.distribution) == pytest.approx(Decimal("100"), abs=Decimal("0.05"))
    scores = [head.score for head in heads if head.score is not None]
    assert data.differentiation.spread == max(scores) - min(scores)
    top = heads[0].bands[0]
    in_top = sum(1 for head in heads if head.band == top)
    assert data.distribution[0].heads == in_top
    robotti = next(head for head in heads if head.dirigente.pk == year_end.robotti.pk)
    assert robotti.band is not None and robotti.band.min_score == Decimal("80")


def test_the_document_names_no_head(year_end):
    html = printing.draw_document(written(year_end))
    for head in head_results(year_end.peg):
        assert head.dirigente.name not in html


# Who writes and validates -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, year_end):
    for name in ("detail", "edit", "validate", "pdf", "docx"):
        response = client.get(reverse(f"relazione:{name}", args=[2021]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_write_the_narrative_and_the_history_keeps_who_did(client, year_end):
    client.force_login(year_end.sara)
    assert client.get(reverse("relazione:edit", args=[2021])).status_code == 200
    response = client.post(reverse("relazione:edit", args=[2021]), TEXTS)
    assert response.status_code == 302
    relazione = Relazione.objects.get(peg=year_end.peg)
    assert relazione.context == TEXTS["context"] and relazione.updated_by == year_end.sara
    assert relazione.history.latest().history_user == year_end.sara
    page = client.get(reverse("relazione:detail", args=[2021])).content.decode()
    assert TEXTS["critical_issues"] in page and "Scrivi i testi" in page and "Valida la Relazione" not in page
    assert "Pubblica in Amministrazione Trasparente" in page
    # The charts are inline SVG with presentation attributes: nothing the Content-Security-Policy refuses.
    assert (
        page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
        and "<style" not in page
        and " style=" not in page
    )


def test_a_head_sees_no_draft_and_the_nucleo_may_not_write_it(client, year_end):
    client.force_login(year_end.robotti_user)
    for name in ("detail", "edit", "pdf"):
        assert client.get(reverse(f"relazione:{name}", args=[2021])).status_code == 404
    assert client.post(reverse("relazione:edit", args=[2021]), TEXTS).status_code == 404
    client.force_login(year_end.nina)
    assert client.get(reverse("relazione:detail", args=[2021])).status_code == 200
    assert client.post(reverse("relazione:edit", args=[2021]), TEXTS).status_code == 403
    assert not Relazione.objects.exists()
    with pytest.raises(services.NotAllowed):
        services.save_narrative(peg=year_end.peg, user=year_end.nina, **TEXTS)


def test_the_nucleo_validates_and_the_relazione_becomes_read_only(client, year_end):
    written(year_end)
    client.force_login(year_end.sara)
    assert client.get(reverse("relazione:validate", args=[2021])).status_code == 403
    client.force_login(year_end.nina)
    response = client.post(
        reverse("relazione:validate", args=[2021]),
        {"date": "15/04/2022", "outcome": Esito.CON_OSSERVAZIONI, "notes": "Differenziare di più le valutazioni."},
    )
    assert response.status_code == 302
    relazione = Relazione.objects.get(peg=year_end.peg)
    validation = relazione.validated
    assert validation.date == dt.date(2022, 4, 15) and validation.author == year_end.nina
    assert access.is_locked(relazione)
    client.force_login(year_end.sara)
    assert client.post(reverse("relazione:edit", args=[2021]), {**TEXTS, "context": "altro"}).status_code == 403
    with pytest.raises(services.NotAllowed, match="validata"):
        services.save_narrative(peg=year_end.peg, user=year_end.sara, **TEXTS)
    with pytest.raises(services.NotAllowed):
        services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 5, 1), outcome=Esito.VALIDATA)
    with pytest.raises(AppendOnlyError):
        validation.save()
    page = client.get(reverse("relazione:detail", args=[2021])).content.decode()
    assert "Scrivi i testi" not in page and "Validata con osservazioni dal Nucleo di Valutazione il 15/04/2022" in page


def test_a_relazione_not_validated_goes_back_to_staff_and_needs_a_reason(year_end):
    written(year_end)
    with pytest.raises(services.RelazioneError, match="obbligatori"):
        services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 1), outcome=Esito.NON_VALIDATA)
    services.validate(
        peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 1), outcome=Esito.NON_VALIDATA, notes="Incompleta"
    )
    relazione = Relazione.objects.get(peg=year_end.peg)
    assert not access.is_locked(relazione) and access.can_edit_narrative(year_end.sara, relazione)
    services.save_narrative(peg=year_end.peg, user=year_end.sara, **{**TEXTS, "context": "Contesto rivisto."})
    assert ValidazioneRelazione.objects.filter(relazione=relazione).count() == 1


def test_validation_is_refused_for_an_incomplete_relazione_or_a_date_within_the_year(year_end):
    services.save_narrative(peg=year_end.peg, user=year_end.sara, **{**TEXTS, "context": ""})
    with pytest.raises(services.RelazioneError, match="manca il contesto di riferimento"):
        services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 1), outcome=Esito.VALIDATA)
    written(year_end)
    with pytest.raises(services.RelazioneError, match="31/12/2021"):
        services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2021, 12, 1), outcome=Esito.VALIDATA)
    assert not ValidazioneRelazione.objects.exists()


def test_the_validated_document_stays_as_validated_when_the_data_change(year_end):
    written(year_end)
    services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA)
    relazione = Relazione.objects.get(peg=year_end.peg)
    before = printing.document_body(relazione)
    Obiettivo.objects.filter(pk=year_end.objectives["urb_b"].pk).update(validated_score=Decimal("55"))
    assert printing.document_body(relazione) == before
    assert "55,00%" in printing.draw_document(relazione) and "55,00%" not in before


# The documents ----------------------------------------------------------------------------------------


def test_the_pdf_has_every_section_the_figures_and_the_charts_as_vector_drawings(client, year_end):
    written(year_end)
    client.force_login(year_end.sara)
    response = client.get(reverse("relazione:pdf", args=[2021]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "RELAZIONE SULLA PERFORMANCE – ANNO 2021",
        "1. Presentazione",
        "2. Il contesto di riferimento",
        "3. I risultati dell'ente",
        "5. Indicatori di risultato",
        "6. Fasi sterilizzate e raggiungimenti parziali",
        "7. La distribuzione dei risultati dei responsabili per fascia",
        "8. Criticità e azioni di miglioramento",
        "Grafico 1",
        "Grafico 2",
    ):
        assert heading in text
    total = unit_results(year_end.peg).total.score
    assert percent(total) in text and TEXTS["context"] in text
    drawing, subtypes = _page_drawing(reader.pages[0])
    # The bars are filled rectangles in the chart's colour; nothing is a raster image.
    assert "0 0.4 0.8 rg" in drawing and " re" in drawing
    assert all(_page_drawing(page)[1] <= {"/Form"} for page in reader.pages)


def _page_drawing(page) -> tuple[str, set]:
    text, subtypes, seen = page.get_contents().get_data().decode("latin1"), set(), set()
    stack = [page]
    while stack:
        resources = stack.pop().get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        for item in objects.get_object().values() if objects else []:
            item = item.get_object()
            if id(item) in seen:
                continue
            seen.add(id(item))
            subtypes.add(item.get("/Subtype"))
            if item.get("/Subtype") == "/Form":
                text += item.get_data().decode("latin1")
                stack.append(item)
    return text, subtypes


def test_the_validation_document_prints_with_its_outcome_date_and_notes(client, year_end):
    written(year_end)
    validation = services.validate(
        peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 15), outcome=Esito.CON_OSSERVAZIONI, notes="Ok."
    )
    client.force_login(year_end.nina)
    response = client.get(reverse("relazione:validation_pdf", args=[2021, validation.pk]))
    text = pdf_text(response.content)
    assert "DOCUMENTO DI VALIDAZIONE DELLA RELAZIONE SULLA PERFORMANCE – ANNO 2021" in text
    assert "VALIDATA CON OSSERVAZIONI" in text and "15/04/2022" in text and "Ok." in text
    relazione_text = pdf_text(printing.relazione_pdf(Relazione.objects.get()))
    assert "Validata con osservazioni dal Nucleo di Valutazione il 15/04/2022" in relazione_text


def test_the_docx_export_is_an_editable_document_with_the_same_sections_and_figures(client, year_end):
    written(year_end)
    client.force_login(year_end.sara)
    response = client.get(reverse("relazione:docx", args=[2021]))
    assert response["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["1. Presentazione", "2. Il contesto di riferimento", "3. I risultati dell'ente"]
    assert "8. Criticità e azioni di miglioramento" in headings
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert TEXTS["introduction"] in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert PARTIAL_REASON in cells and NEUTRALISATION_REASON in cells and "90,00%" in cells
    assert "almeno 2 servizi" in cells and "3 servizi" in cells


def test_the_validated_docx_is_the_one_frozen_at_validation(year_end):
    relazione = written(year_end)
    services.validate(peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA)
    Obiettivo.objects.filter(pk=year_end.objectives["urb_b"].pk).update(validated_score=Decimal("55"))

    def cells(data: bytes) -> set[str]:
        return {cell.text for table in Document(io.BytesIO(data)).tables for row in table.rows for cell in row.cells}

    assert "90,00%" in cells(services.docx_for(Relazione.objects.get()))
    assert "55,00%" not in cells(services.docx_for(Relazione.objects.get()))
    assert "55,00%" in cells(relazione_docx(relazione))


def test_the_admin_shows_the_relazione_and_its_validations_but_changes_nothing(client, year_end):
    relazione = written(year_end)
    validation = services.validate(
        peg=year_end.peg, user=year_end.nina, date=dt.date(2022, 4, 15), outcome=Esito.VALIDATA
    )
    client.force_login(year_end.root)
    assert client.get(reverse("admin:relazione_relazione_changelist")).status_code == 200
    assert client.get(reverse("admin:relazione_relazione_history", args=[relazione.pk])).status_code == 200
    history_id = relazione.history.latest().history_id
    revert = reverse("admin:relazione_relazione_simple_history", args=[relazione.pk, history_id])
    assert client.post(revert, {"introduction": "altro"}).status_code == 403
    change = reverse("admin:relazione_relazione_change", args=[relazione.pk])
    client.post(change, {**TEXTS, "introduction": "altro"})
    assert (
        client.post(
            reverse("admin:relazione_validazionerelazione_delete", args=[validation.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Relazione.objects.get().introduction == TEXTS["introduction"]
    assert ValidazioneRelazione.objects.count() == 1


def test_the_figures_are_read_in_a_fixed_number_of_queries(year_end, django_assert_num_queries):
    # unit_results twice (the units', and head_results' own), the heads, the indicators.
    with django_assert_num_queries(10):
        relazione_data(year_end.peg)
