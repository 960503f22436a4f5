"""A malformed document imports nothing and names the line."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from objectives.models import Fase, Obiettivo, Peg
from objectives.parsing import PegDocumentError, parse_document
from objectives.services import import_plan_text
from sectors.models import Dirigente, Responsabile, Settore

TEXT = (Path(settings.BASE_DIR) / "fixtures" / "peg_2021_alessandria.txt").read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def line_of(fragment: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the fragment (its n-th occurrence)."""
    found = [number for number, line in enumerate(LINES, start=1) if fragment in line]
    return found[occurrence - 1]


def replace_line(number: int, new: str | None) -> str:
    lines = list(LINES)
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


def refused(text: str) -> PegDocumentError:
    with pytest.raises(PegDocumentError) as caught:
        import_plan_text(text)
    return caught.value


def nothing_stored():
    return not any(model.objects.exists() for model in (Peg, Obiettivo, Fase, Settore, Dirigente, Responsabile))


@pytest.mark.django_db
def test_a_weight_that_is_not_a_number_is_refused_with_its_line():
    number = line_of("Elaborazione e approvazione del nuovo sistema operativo relativo ai flussi")
    error = refused(replace_line(number, LINES[number - 1].replace("50%", "cinquanta")))
    assert error.line == number
    assert "«cinquanta» non è una percentuale" in str(error)
    assert str(error).startswith(f"Riga {number}:")
    assert nothing_stored()


@pytest.mark.django_db
def test_a_phase_row_with_no_objective_is_refused():
    number = line_of("Obiettivo B: Messa a regime dei sistemi di valutazione")
    shorter = replace_line(number, None)
    error = refused(shorter)
    assert "riga di fase senza un obiettivo" in error.message
    assert shorter.split("\n")[error.line - 1].startswith("fase 1:\tProgettazione del sistema di valutazione")
    assert nothing_stored()


@pytest.mark.django_db
def test_a_missing_unit_header_is_refused():
    number = line_of("SERVIZIO AUTONOMO AVVOCATURA")
    error = refused(replace_line(number, ""))
    assert error.line == number - 2  # the card's "CITTA' DI ALESSANDRIA" line
    assert "manca la denominazione della struttura" in error.message
    assert nothing_stored()


@pytest.mark.django_db
def test_weights_that_do_not_sum_to_100_are_refused_on_the_objective_line():
    number = line_of("Progettazione del sistema operativo di flussi")
    error = refused(replace_line(number, LINES[number - 1].replace("60%", "70%")))
    assert error.line == line_of("Obiettivo C: Progettazione e implementazione sistema operativo")
    assert "devono sommare a 100%" in error.message
    assert "2021: 110%" in error.message
    assert nothing_stored()


@pytest.mark.django_db
def test_a_weight_above_100_is_refused():
    number = line_of("Contenimento spesa a 648.292 euro")
    error = refused(replace_line(number, LINES[number - 1].replace("100%", "120%")))
    assert error.line == number
    assert "supera il 100%" in error.message


@pytest.mark.django_db
def test_a_code_missing_from_the_elenco_responsabili_is_refused():
    number = line_of("Sperimentazione di nuovi paradigmi dello smartworking")
    error = refused(replace_line(number, LINES[number - 1].replace("2251", "9999")))
    assert error.line == number
    assert "9999" in error.message and "Elenco Responsabili" in error.message
    assert nothing_stored()


@pytest.mark.django_db
def test_a_duplicated_phase_label_is_refused():
    number = line_of("Implementazione del nuovo sistema e primo feed back valutativo")
    error = refused(replace_line(number, LINES[number - 1].replace("fase 2:", "fase 1:")))
    assert error.line == number
    assert "la fase 1 compare due volte" in error.message


@pytest.mark.django_db
def test_an_unrecognised_line_inside_a_card_is_refused():
    number = line_of("Il Dirigente")
    error = refused(replace_line(number, "Il Dirigente\nTesto estraneo"))
    assert error.line == number + 1
    assert error.message == "riga non riconosciuta nella scheda: «Testo estraneo»."


@pytest.mark.django_db
def test_a_failed_reimport_leaves_the_previous_plan_untouched():
    import_plan_text(TEXT)
    before = list(Fase.objects.order_by("pk").values_list("pk", "weight", "description"))
    number = line_of("Stima dei costi")
    refused(replace_line(number, LINES[number - 1].replace("10%", "dieci")))
    assert list(Fase.objects.order_by("pk").values_list("pk", "weight", "description")) == before


@pytest.mark.django_db
def test_the_command_reports_the_refusal_in_italian():
    bad = replace_line(line_of("Stima dei costi"), LINES[line_of("Stima dei costi") - 1].replace("10%", "dieci"))
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write(bad)
    with pytest.raises(CommandError, match=r"Documento non importato\. Riga \d+: l'incidenza «dieci»"):
        call_command("import_peg", handle.name)
    assert nothing_stored()


def test_a_document_without_a_cover_is_refused():
    with pytest.raises(PegDocumentError, match="copertina"):
        parse_document("Obiettivo A: qualcosa\n")


def test_a_cover_without_the_year_is_refused():
    with pytest.raises(PegDocumentError, match="anno del PEG"):
        parse_document("CITTÀ DI ALESSANDRIA\n\nPIANO ESECUTIVO DI GESTIONE\n")
