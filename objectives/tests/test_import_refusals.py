# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A malformed document or JSON imports nothing and gets an Italian message naming the line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection

from objectives.models import Fase, Obiettivo, Peg
from objectives.parsing import PegDocumentError, parse_document
from objectives.services import export_plan, import_plan_file, import_plan_text
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


# --- No traceback on any input: each finding of issue #8 ------------------------------------------


def refused_json(data) -> PegDocumentError:
    return refused(json.dumps(data, ensure_ascii=False, indent=2))


@pytest.fixture
def exported(db):
    """The 2021 plan as export_peg writes it, on an empty database."""
    import_plan_text(TEXT)
    data = export_plan(2021)
    wipe()
    return data


def wipe():
    Obiettivo.objects.all().delete()
    for model in (Settore, Dirigente, Responsabile, Peg):
        model.objects.all().delete()


def line_in(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), start=1) if fragment in line)


@pytest.mark.django_db
def test_a_document_with_a_utf8_bom_is_imported():
    assert import_plan_file(b"\xef\xbb\xbf" + TEXT.encode("utf-8")).objectives == 41
    wipe()
    assert import_plan_text("\ufeff" + TEXT).objectives == 41


def test_invalid_utf8_is_refused_naming_line_and_byte_offset(db, tmp_path):
    data = TEXT.encode("utf-8")
    offset = data.index(b"Contenimento spesa")
    path = tmp_path / "peg.txt"
    path.write_bytes(data[:offset] + b"\xe0\x80" + data[offset:])
    number = line_of("Contenimento spesa")
    with pytest.raises(CommandError) as caught:
        call_command("import_peg", str(path))
    assert str(caught.value) == (
        f"Documento non importato. Riga {number} (byte {offset}): il file non è un testo UTF-8 valido "
        "(byte 0xE0 non ammesso)."
    )
    assert nothing_stored()


def test_a_utf16_file_is_refused_with_a_hint():
    with pytest.raises(PegDocumentError, match="codificato in UTF-16: salvarlo come testo UTF-8"):
        import_plan_file(TEXT.encode("utf-16"))


def test_a_nul_character_is_refused_naming_line_and_column(db):
    number = line_of("Contenimento spesa")
    column = LINES[number - 1].index("spesa") + 1
    error = refused(TEXT.replace("Contenimento spesa", "Contenimento \x00spesa"))
    assert str(error) == f"Riga {number}, colonna {column}: carattere non ammesso (NUL, codice 0)."
    assert nothing_stored()


def test_a_json_syntax_error_names_line_and_column(exported):
    text = json.dumps(exported, indent=2, ensure_ascii=False)
    number = line_in(text, '"ente"')
    broken = text.replace('"ente": "CITTÀ DI ALESSANDRIA",', '"ente": "CITTÀ DI ALESSANDRIA"', 1)
    error = refused(broken)
    assert (error.line, error.column) == (number + 1, 3)
    assert str(error) == f"Riga {number + 1}, colonna 3: JSON non valido: attesa una virgola."
    assert nothing_stored()


def test_a_json_field_of_the_wrong_type_names_the_line_of_its_object(exported):
    exported["objectives"][5]["phases"][2]["year"] = "duemilaventuno"
    text = json.dumps(exported, indent=2)
    error = refused(text)
    assert str(error).startswith("Riga ")
    lines = text.split("\n")
    assert lines[error.line - 1].strip() == "{"  # where the phase's object begins
    assert lines[error.line + 3].strip() == '"year": "duemilaventuno",'
    assert "il campo «year» deve essere un numero intero" in error.message
    assert nothing_stored()


def test_a_json_error_never_says_riga_0(exported):
    del exported["objectives"][0]["unit"]
    error = refused_json(exported)
    assert error.line >= 1 and "Riga 0" not in str(error)
    assert "manca il campo «unit»" in error.message


@pytest.mark.django_db
def test_weights_of_33_333_are_refused_naming_the_line():
    lines = list(LINES)
    first = line_of("verifica sussistenza credito")
    numbers = [first + offset for offset in range(3)]
    assert [LINES[n - 1].split("\t")[2] for n in numbers] == ["10%", "30%", "60%"]
    for number, weight in zip(numbers, ["33,333%", "33,333%", "33,334%"], strict=True):
        cells = lines[number - 1].split("\t")
        cells[2] = weight
        lines[number - 1] = "\t".join(cells)
    error = refused("\n".join(lines))
    assert error.line == first
    assert error.message == (
        "l'incidenza 33,333% della fase 1 ha più di 2 decimali: il database non può conservarla esattamente."
    )
    assert nothing_stored()


def test_a_json_weight_with_three_decimals_is_refused(exported):
    phases = exported["objectives"][0]["phases"]
    phases[0]["weight"], phases[1]["weight"] = 33.333, phases[0]["weight"] + phases[1]["weight"] - 33.333
    error = refused_json(exported)
    assert "l'incidenza 33,333% della fase 1 ha più di 2 decimali" in error.message


def test_a_json_plan_with_a_duplicated_phase_label_is_refused(exported):
    phases = exported["objectives"][0]["phases"]
    phases[1]["label"] = phases[0]["label"]
    text = json.dumps(exported, indent=2)
    error = refused(text)
    assert error.message == "la fase 1 compare due volte nell'obiettivo A."
    assert text.split("\n")[error.line].strip() == '"label": "1",'  # the second phase's object
    assert nothing_stored()


def test_a_json_plan_with_an_objective_twice_is_refused(exported):
    exported["objectives"].append(exported["objectives"][0])
    assert "compare due volte" in refused_json(exported).message
    assert nothing_stored()


@pytest.mark.parametrize(
    ("fragment", "replacement", "expected"),
    [
        (
            "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT",
            "SETTORE " + "SISTEMI " * 40,
            "denominazione (struttura): «SETTORE SISTEMI",
        ),
        ("Ing. Luca Galandra", "Ing. Luca " + "Galandra" * 30, "nome e cognome (responsabile di struttura)"),
        ("fase 2:\tStima dei costi", "fase 2" + "0" * 30 + ":\tStima dei costi", "fase (fase): «2000"),
        (
            "(Obiettivi 2021)",
            "(Obiettivi 0021)",
            "l'anno del PEG 21 è fuori dall'intervallo ammesso (dal 1900 al 2200)",
        ),
    ],
)
def test_values_longer_or_larger_than_their_columns_are_refused_naming_the_line(db, fragment, replacement, expected):
    number = line_of(fragment)
    error = refused(TEXT.replace(fragment, replacement, 1))
    assert error.line == number
    assert expected in error.message
    assert nothing_stored()


def test_json_values_too_long_or_out_of_range_are_refused(exported):
    cases = [
        (("objectives", 0, "code"), "A" * 11, "codice (obiettivo): «AAAAAAAAAAA» ha 11 caratteri, al massimo 10."),
        (("objectives", 0, "phases", 0, "responsabili_text"), "2249 " * 101, "ha 505 caratteri, al massimo 500"),
        (("objectives", 0, "phases", 0, "year"), 10**12, "fase 1 1000000000000 è fuori dall'intervallo ammesso"),
        (("objectives", 0, "phases", 0, "year"), 10**30, "il campo «year» deve essere un numero intero"),
        (("objectives", 0, "tranches"), [{"year": -5}], "l'annualità -5 è fuori dall'intervallo ammesso"),
        (("objectives", 0, "phases", 0, "weight"), -10, "deve essere compresa tra 0 e 100%"),
        (("objectives", 0, "phases", 0, "weight"), True, "il campo «weight» deve essere un numero"),
        (("objectives", 0, "headings"), {"title": "x"}, "il campo «headings» deve associare"),
        (("objectives", 0, "title"), "\ud800", "carattere non ammesso (U+D800)"),
        (("objectives", 0, "title"), "a\x00b", "carattere non ammesso (NUL, codice 0)"),
        (("status",), "bozza", "stato del PEG «bozza» sconosciuto"),
        (("year",), 2021.5, "il campo «year» deve essere un numero intero"),
        (("objectives",), [], "il piano non contiene obiettivi («objectives» è vuoto)."),
        (("objectives", 0, "phases"), [], "l'obiettivo A non ha fasi progettuali."),
    ]
    for path, value, expected in cases:
        data = json.loads(json.dumps(exported))
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        error = refused(json.dumps(data, indent=1))
        assert expected in error.message, (path, error.message)
        assert error.line >= 1
    assert nothing_stored()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"year": NaN}', "Riga 1: JSON non valido: il valore NaN non è un numero ammesso."),
        ('{"year": 2021,\n "title": Infinity}', "Riga 2: JSON non valido: il valore Infinity non è un numero ammesso."),
        ("[" * 100_000, "JSON non valido: troppi livelli annidati."),
        ('{"year": 2021, "year": 2022}', "Riga 1: il campo «year» compare due volte nello stesso oggetto."),
        ("[1, 2]", "Riga 1: il JSON del PEG deve essere un oggetto {…} con «year» e «objectives»."),
        ('{"year": 2021}', "Riga 1: manca il campo «title»."),
        ('{"year": 1' + "0" * 5000 + "}", "Riga 1: il campo «year» deve essere un numero intero (es. 2021)."),
    ],
)
def test_malformed_json_gets_an_italian_message(db, text, expected):
    assert str(refused(text)) == expected
    assert nothing_stored()


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (
            "entro 9999999 giorni dalla conclusione della fase 1",
            "fase 2: la scadenza «9999999 giorni» supera il massimo ammesso di 3.650 giorni.",
        ),
        ("121 mesi dalla fase 1", "fase 2: la scadenza «121 mesi» supera il massimo ammesso di 120 mesi."),
        ("31/12/9999", "fase 2: la data 31/12/9999 è fuori dall'intervallo ammesso (anni dal 1900 al 2200)."),
    ],
)
def test_a_deadline_beyond_the_bounds_is_refused_naming_the_line(db, deadline, expected):
    number = line_of("90 giorni dalla conclusione della fase 1")
    error = refused(TEXT.replace("90 giorni dalla conclusione della fase 1", deadline, 1))
    assert (error.line, error.message) == (number, expected)
    assert nothing_stored()


@pytest.mark.django_db
def test_whatever_the_database_still_refuses_becomes_a_message_and_changes_nothing(monkeypatch):
    import_plan_text(TEXT)
    before = export_plan(2021)

    def refuse(execute, sql, params, many, context):
        # The database refuses the write of a phase, however the import writes it (save or bulk).
        if sql.lstrip().upper().startswith(("UPDATE", "INSERT")) and f'"{Fase._meta.db_table}"' in sql:
            raise IntegrityError("UNIQUE constraint failed: objectives_fase.obiettivo_id, objectives_fase.label")
        return execute(sql, params, many, context)

    changed = TEXT.replace("Stima dei costi", "Stima dei costi aggiornata")
    with connection.execute_wrapper(refuse):
        error = refused(changed)
    assert error.line is None
    assert str(error).startswith("Il database ha rifiutato il piano, che non è stato importato (UNIQUE")
    assert export_plan(2021) == before


def test_the_command_exits_non_zero_with_the_message(tmp_path):
    path = tmp_path / "peg.txt"
    path.write_bytes(TEXT.encode("utf-8").replace(b"Stima dei costi", b"Stima dei \xff costi"))
    environment = {**os.environ, "SQLITE_PATH": str(tmp_path / "vuoto.sqlite3"), "DATABASE_URL": ""}
    environment.pop("DATABASE_URL")
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_peg", str(path)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 1
    assert "Documento non importato. Riga" in finished.stderr
    assert "il file non è un testo UTF-8 valido (byte 0xFF non ammesso)" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_pathological_lines_get_their_answer_without_backtracking_for_ever(db):
    """Long runs of digits, tabs and blanks once made the parser's patterns backtrack for minutes."""
    final = line_of("Scadenza finale per il raggiungimento dell'obiettivo")
    error = refused(replace_line(final, LINES[final - 1] + " entro " + "9" * 100_000 + " giorni"))
    assert error.line == line_of("Obiettivo A:")
    assert "scadenza finale: la scadenza «99999" in error.message and "supera il massimo ammesso" in error.message

    number = line_of("Stima dei costi")
    error = refused(replace_line(number, "codifica" + "\t" * 20_000 + "Elenco" + "\n" + LINES[number - 1]))
    assert error.line == number
    assert error.message.startswith("riga non riconosciuta nella scheda: «codifica")

    spaced = LINES[number - 1].replace("Stima dei costi", "<p>Stima</p>" + " " * 100_000 + "<p>dei costi</p>")
    assert import_plan_text(replace_line(number, spaced)).phases == 171
    assert Fase.objects.get(description="Stima\ndei costi").label == "2"
