# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Any input to the import: an Italian message or success, never an exception; nothing changed on refusal.

The real 2021 document and its JSON export are mutated at random (lines deleted, duplicated,
swapped or inserted; text, NUL, long strings, numbers out of range and a BOM put anywhere; bytes
that are not UTF-8; JSON values replaced or removed) and imported over a plan that already
carries evaluation (a validated objective, monitoring, a note, an attachment). Run it on
PostgreSQL too (DATABASE_URL): that database refuses what SQLite lets through.
"""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from objectives.models import FASE_PROGRESS_FIELDS, Allegato, Annualita, Fase, Nota, Obiettivo, Peg
from objectives.parsing import PegDocumentError
from objectives.services import export_plan, export_plan_json, import_plan_file, import_plan_text
from objectives.tests.test_import_evaluation import SISTEMI, TEXT, evaluated_plan
from sectors.models import Dirigente, Responsabile, Settore

LINES = TEXT.split("\n")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Fragments that have broken, or could break, an import: each one is a reason for a check.
NASTY = [
    "\x00",
    "\ufeff",
    "\t",
    "\r",
    "\ud7ff",
    "x" * 600,
    "SETTORE " + "NOME LUNGHISSIMO " * 30,
    "Dirigente Dott. " + "Cognome " * 40,
    "Obiettivo ABCD: titolo",
    "Obiettivo Z: un obiettivo nuovo",
    "fase " + "9" * 30 + ":\tdescrizione\t10%\t\t31/12/2021",
    "fase 1:\tdoppia\t10%\t\t31/12/2021",
    "fase 1:\tdescrizione\t33,333%\t\t31/12/2021",
    "fase 2:\tdescrizione\t0,001%\t2249\t31/12/9999",
    "fase 3:\tdescrizione\t100%\t99999999999999999999\tentro 9999999 giorni dalla conclusione della fase 1",
    "fase 4:\tdescrizione\t\t\t" + "9" * 5000 + " mesi dalla fase 1",
    "\t\t100%\t\t",
    "\t\t1" + "0" * 40 + "%\t\t",
    "Scadenza raggiungimento obiettivo annualità 9999:\t31/12/9999",
    "Scadenza raggiungimento obiettivo annualità 0000:\t01/01/0000",
    "Scadenza finale per il raggiungimento dell'obiettivo: 31/12/99999",
    "(Obiettivi 9999)",
    "(Obiettivi 0000)",
    "CITTA' DI ALESSANDRIA",
    "Visto di validazione: il Nucleo di Valutazione",
    "codifica\tElenco Responsabili",
    "2249\tRESPONSABILE DOPPIO",
    "123456789012345678901234567890\tRESPONSABILE LUNGO",
    "Annualità 2021 - Obiettivo raggiunto al 100%: delle prime " + "dieci " * 3 + "fasi",
    "<p>a</p><p>b</p>",
]
nasty_text = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=40), st.text(alphabet="\x00\t\n%0123456789:/", max_size=20)
)
line_index = st.integers(min_value=0, max_value=len(LINES) - 1)


@st.composite
def mutated_documents(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(line_index) % len(lines)
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice", "number"]))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(line_index) % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "insert":
            lines.insert(at, draw(nasty_text))
        elif kind == "splice":
            where = draw(st.integers(min_value=0, max_value=len(lines[at])))
            lines[at] = lines[at][:where] + draw(nasty_text) + lines[at][where:]
        elif kind == "number":
            number = draw(st.sampled_from(["-1", "0", "101", "2147483648", "9" * 25, "33,333", "1e9"]))
            digits = [i for i, char in enumerate(lines[at]) if char.isdigit()]
            if digits:
                where = draw(st.sampled_from(digits))
                lines[at] = lines[at][:where] + number + lines[at][where + 1 :]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@st.composite
def mutated_bytes(draw) -> bytes:
    data = bytearray(draw(mutated_documents()).encode("utf-8"))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.decimals(allow_nan=False, allow_infinity=False).map(float)
    | st.text(max_size=20)
    | st.sampled_from(NASTY),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Every path into the exported plan, to aim a mutation anywhere."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


@st.composite
def mutated_exports(draw, exported: str) -> str:
    data = json.loads(exported)
    all_paths = [path for path in paths(data) if path]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(all_paths))
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            kind = draw(st.sampled_from(["replace", "remove", "duplicate"]))
            if kind == "replace":
                parent[last] = draw(json_values)
            elif kind == "remove":
                del parent[last]
            elif isinstance(parent, list):
                parent.insert(last, json.loads(json.dumps(parent[last])))
            else:
                parent[last] = [parent[last], parent[last]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation moved the path
    text = json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, 2])))
    if draw(st.booleans()):  # and then break the syntax itself
        at = draw(st.integers(min_value=0, max_value=len(text)))
        cut = draw(st.integers(min_value=0, max_value=3))
        text = (
            text[:at]
            + draw(st.sampled_from(["", "{", "}", ",", '"', "[", ":", "\x00", "NaN", "\\u0000"]))
            + text[at + cut :]
        )
    return text


def snapshot() -> str:
    """Counts, every plan as exported, every phase's progress, every objective's evaluation, notes, attachments."""
    state = {
        "counts": [
            model.objects.count()
            for model in (Peg, Settore, Dirigente, Responsabile, Obiettivo, Fase, Annualita, Nota, Allegato)
        ],
        "history": [model.history.count() for model in (Peg, Settore, Dirigente, Obiettivo, Fase)],
        "plans": [export_plan(year) for year in Peg.objects.order_by("year").values_list("year", flat=True)],
        "progress": list(Fase.objects.order_by("pk").values_list("pk", *FASE_PROGRESS_FIELDS, "version")),
        "objectives": list(
            Obiettivo.objects.order_by("pk").values_list(
                "pk", "status", "validated_score", "validated_on", "print_order"
            )
        ),
        "notes": list(Nota.objects.order_by("pk").values_list("pk", "obiettivo_id", "fase_id", "kind", "text")),
        "attachments": list(Allegato.objects.order_by("pk").values_list("pk", "fase_id", "file")),
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


# What the card prints of its unit and of the head as a person (role title, honorific): the
# organisation's data, which a plan may correct; who answers for the objective (manager_name) stays.
UNIT_AND_PERSON_KEYS = ["unit_kind", "unit_code", "manager", "manager_honorific", "manager_role"]


def evaluation() -> tuple:
    """What no successful import may change either."""
    validated = Obiettivo.objects.get(peg__year=2021, settore__name=SISTEMI, code="A")
    card = next(o for o in export_plan(2021)["objectives"] if o["unit"] == SISTEMI and o["code"] == "A")
    for key in UNIT_AND_PERSON_KEYS:
        del card[key]
    return (
        list(Nota.objects.order_by("pk").values_list("pk", "text")),
        list(Allegato.objects.order_by("pk").values_list("pk", "fase_id")),
        (validated.status, validated.validated_score, validated.title),
        card,
    )


def assert_message_or_success(attempt) -> None:
    """One example, in a transaction rolled back at the end so that each starts from the same plan."""
    with transaction.atomic():
        before, kept = snapshot(), evaluation()
        try:
            attempt()
        except (PegDocumentError, CommandError) as exc:
            message = str(exc)
            event("rifiutato: " + message.split(": ", 1)[-1][:25])
            assert message and "Traceback" not in message
            assert "il database ha rifiutato" not in message, message  # a check is missing before the database
            assert snapshot() == before, message
        else:
            event("importato")
            assert evaluation() == kept
            for year in Peg.objects.values_list("year", flat=True):
                export_plan_json(year)  # whatever was imported exports
        transaction.set_rollback(True)


@pytest.fixture
def evaluated_2021(db):
    evaluated_plan()
    return export_plan_json(2021)


@FUZZ
@given(text=mutated_documents())
def test_a_mutated_document_gets_a_message_or_imports(evaluated_2021, text):
    assert_message_or_success(lambda: import_plan_text(text))


@FUZZ
@given(data=mutated_bytes())
def test_a_mutated_file_gets_a_message_or_imports(evaluated_2021, data):
    assert_message_or_success(lambda: import_plan_file(data))


@FUZZ
@given(data=st.data())
def test_a_mutated_json_export_gets_a_message_or_imports(evaluated_2021, data):
    text = data.draw(mutated_exports(evaluated_2021))
    assert_message_or_success(lambda: import_plan_text(text))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated_bytes())
def test_the_command_ends_with_a_command_error_or_imports(evaluated_2021, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("peg") / "peg.txt"
    path.write_bytes(data)
    assert_message_or_success(lambda: call_command("import_peg", str(path), verbosity=0))
