# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Indicators in the plan's data: the 2021 fixture's structured indicators beside the cards' text,
the JSON export and import (round trip, values kept, every field checked), the demo loader."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.models import Indicatore, IndicatoreKind, Obiettivo, Peg, ScoreMode
from objectives.parsing import PegDocumentError
from objectives.services import EvaluationAtRisk, export_plan, import_plan_text, load_indicators_file
from sectors.models import Dirigente, Responsabile, Settore

INDICATORS_FILE = "fixtures/peg_2021_indicators.json"

# The outcome criteria the issue quotes, each with the unit and code of the card that prints it.
QUOTED = [
    (
        "incremento del 10% degli utenti (II sem 2021/II sem 2019)",
        "SETTORE TRASPARENZA, POLITICHE CULTURALI E BIBLIOTECA",
        "A",
    ),
    ("incremento delle denunce/segnalazioni", "SERVIZIO AUTONOMO POLIZIA LOCALE", "B"),
    (
        "contenimento della spesa come previsto da PRFP per l'esercizio 2021",
        "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT",
        "A",
    ),
    ("verifica di almeno il 20% dei provvedimenti adottati", "SERVIZIO AUTONOMO AVVOCATURA", "B"),
    ("in assenza di segnalazioni di disservizi", "SERVIZIO AUTONOMO POLIZIA LOCALE", "C"),
]


def _card_texts(obiettivo: Obiettivo) -> list[str]:
    return [obiettivo.achieved_text, obiettivo.not_achieved_text, obiettivo.indicators, obiettivo.expected_result]


@pytest.mark.parametrize(("quoted", "unit", "code"), QUOTED)
def test_the_2021_plan_ships_the_structured_indicator_of_each_quoted_criterion(peg_2021, quoted, unit, code):
    obiettivo = Obiettivo.objects.get(peg=peg_2021, settore__name=unit, code=code)
    found = [i for i in obiettivo.indicatori.all() if quoted.lower() in i.card_text.lower()]
    assert len(found) == 1
    indicatore = found[0]
    # The card's text is kept verbatim: it is a piece of what the card prints.
    assert any(indicatore.card_text in text for text in _card_texts(obiettivo))
    assert indicatore.name and indicatore.data_source and indicatore.target_with_direction


def test_the_2021_indicators_read_as_the_cards_say(peg_2021):
    by_name = {i.name: i for i in Indicatore.objects.filter(obiettivo__peg=peg_2021)}
    assert by_name["Segnalazioni di disservizi"].target_with_direction == "al massimo 0 segnalazioni"
    assert by_name["Incremento degli utenti II semestre 2021 rispetto al II semestre 2019"].target_with_direction == (
        "almeno 10%"
    )
    assert by_name["Provvedimenti verificati sul totale adottati dai Servizi individuati"].target_with_direction == (
        "almeno 20%"
    )
    assert by_name["Spesa 2021 contenuta entro le previsioni del PRFP"].target_with_direction == "sì"
    # The cards do not state a cap for a missed criterion: the objectives keep scoring on phases.
    assert not Obiettivo.objects.filter(peg=peg_2021).exclude(score_mode=ScoreMode.PHASES).exists()


def test_loading_the_indicators_again_adds_nothing_and_keeps_what_was_recorded(peg_2021):
    indicatore = Indicatore.objects.get(name="Segnalazioni di disservizi")
    head = indicatore.obiettivo.settore.head
    from tests.factories import UserFactory

    head.user = UserFactory(username="comandante")
    head.save()
    workflow.record_indicator_actual(indicatore=indicatore, user=head.user, value=Decimal("2"))
    count = Indicatore.objects.count()
    assert load_indicators_file(INDICATORS_FILE) == 0
    assert Indicatore.objects.count() == count
    assert Indicatore.objects.get(pk=indicatore.pk).actual_value == Decimal("2")


def test_the_demo_command_adds_the_indicators_once(db, capsys):
    call_command("load_demo_peg")
    first = capsys.readouterr().out
    assert "Indicatori di risultato strutturati aggiunti: 7." in first
    call_command("load_demo_peg")
    assert "Indicatori di risultato strutturati aggiunti" not in capsys.readouterr().out
    assert Indicatore.objects.count() == 7


def test_an_indicators_file_naming_an_unknown_objective_is_refused_whole(peg_2021, tmp_path):
    data = json.loads(open(INDICATORS_FILE, encoding="utf-8").read())
    data["objectives"][-1]["code"] = "Z"
    path = tmp_path / "indicatori.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    Indicatore.objects.all().delete()
    with pytest.raises(PegDocumentError, match=r"nel PEG 2021 non c'è l'obiettivo Z di «SETTORE TRASPARENZA"):
        load_indicators_file(path)
    assert not Indicatore.objects.exists()


# Export and import ------------------------------------------------------------------------


def _wipe():
    Obiettivo.objects.all().delete()
    for model in (Settore, Dirigente, Responsabile, Peg):
        model.objects.all().delete()


def test_export_wipe_import_export_is_identical_with_indicators(peg_2021):
    avvocatura = Obiettivo.objects.get(peg=peg_2021, settore__name="SERVIZIO AUTONOMO AVVOCATURA", code="B")
    avvocatura.score_mode, avvocatura.indicator_cap = ScoreMode.CONDITION, Decimal("60")
    avvocatura.save()
    exported = export_plan(2021)
    assert sum(len(o["result_indicators"]) for o in exported["objectives"]) == 7
    _wipe()
    import_plan_text(json.dumps(exported))
    assert export_plan(2021) == exported
    assert Obiettivo.objects.get(
        pk__isnull=False, code="B", settore__name="SERVIZIO AUTONOMO AVVOCATURA"
    ).score_mode == (ScoreMode.CONDITION)


def test_an_indicator_is_exported_with_typed_values(peg_2021):
    exported = export_plan(2021)
    rows = {i["name"]: i for o in exported["objectives"] for i in o["result_indicators"]}
    assert rows["Segnalazioni di disservizi"] == {
        "name": "Segnalazioni di disservizi",
        "kind": "number",
        "unit": "segnalazioni",
        "baseline": None,
        "baseline_period": "",
        "target": 0,
        "direction": "lower",
        "data_source": "Segnalazioni di disservizi ricevute dal Comando di Polizia Locale",
        "card_text": "espletamento di tutte procedure individuate, in assenza di segnalazioni di disservizi",
        "counts": True,
    }
    assert rows["Spesa 2021 contenuta entro le previsioni del PRFP"]["target"] is True


def _with_target(exported: dict, name: str, target) -> dict:
    data = copy.deepcopy(exported)
    for objective in data["objectives"]:
        for row in objective["result_indicators"]:
            if row["name"] == name:
                row["target"] = target
    return data


def _without(exported: dict, name: str) -> dict:
    data = copy.deepcopy(exported)
    for objective in data["objectives"]:
        objective["result_indicators"] = [row for row in objective["result_indicators"] if row["name"] != name]
    return data


def test_reimporting_a_changed_target_needs_the_option_and_keeps_the_values_recorded(peg_2021):
    indicatore = Indicatore.objects.get(name="Segnalazioni di disservizi")
    Indicatore.objects.filter(pk=indicatore.pk).update(actual_value=Decimal("3"))
    text = json.dumps(_with_target(export_plan(2021), "Segnalazioni di disservizi", 1))
    with pytest.raises(EvaluationAtRisk) as refused:
        import_plan_text(text)
    assert (
        "SERVIZIO AUTONOMO POLIZIA LOCALE, obiettivo C: cambierebbe «indicatori (valori di partenza e target)»; "
        "ha il valore rilevato degli indicatori «Segnalazioni di disservizi»"
    ) in str(refused.value)
    assert Indicatore.objects.get(pk=indicatore.pk).target_value == Decimal("0")
    import_plan_text(text, allow_removal=True)
    stored = Indicatore.objects.get(pk=indicatore.pk)
    assert (stored.target_value, stored.actual_value) == (Decimal("1"), Decimal("3"))


def test_an_indicator_with_a_recorded_value_is_never_removed_by_an_import(peg_2021):
    Indicatore.objects.filter(name="Segnalazioni di disservizi").update(actual_value=Decimal("3"))
    text = json.dumps(_without(export_plan(2021), "Segnalazioni di disservizi"))
    with pytest.raises(EvaluationAtRisk, match="non si cancellano mai"):
        import_plan_text(text, allow_removal=True)
    assert Indicatore.objects.filter(name="Segnalazioni di disservizi").exists()


def test_an_indicator_without_values_of_an_open_objective_is_removed_by_an_import(peg_2021):
    import_plan_text(json.dumps(_without(export_plan(2021), "Segnalazioni di disservizi")))
    assert not Indicatore.objects.filter(name="Segnalazioni di disservizi").exists()


def test_a_printed_document_leaves_the_indicators_as_they_are(peg_2021):
    count = Indicatore.objects.count()
    import_plan_text(open("fixtures/peg_2021_alessandria.txt", encoding="utf-8").read())
    assert Indicatore.objects.count() == count == 7


def _with_indicator(exported: dict, **changes) -> str:
    data = copy.deepcopy(exported)
    row = data["objectives"][0].setdefault("result_indicators", [])
    row.append(
        {
            "name": "Indicatore di prova",
            "kind": "percent",
            "unit": "%",
            "baseline": None,
            "baseline_period": "",
            "target": 20,
            "direction": "higher",
            "data_source": "",
            "card_text": "",
            "counts": True,
            **changes,
        }
    )
    return json.dumps(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "numero"}, "tipo di indicatore «numero» sconosciuto"),
        ({"direction": "su"}, "verso «su» sconosciuto"),
        ({"target": 0.00001}, "target: il valore può avere al massimo 4 decimali"),
        ({"target": None}, "Indicare il target dell'indicatore"),
        ({"target": "venti"}, "il campo «target» deve essere un numero o null"),
        ({"kind": "yes_no", "target": 1}, "il campo «target» di un indicatore sì/no va indicato true, false o null"),
        ({"kind": "date", "target": "31/12/2021"}, "deve essere una data nel formato aaaa-mm-gg"),
        ({"name": "x" * 301}, "ha 301 caratteri, al massimo 300"),
        ({"name": ""}, "il campo «name» è vuoto"),
        ({"counts": "sì"}, "il campo «counts» deve essere true o false"),
    ],
)
def test_a_bad_indicator_refuses_the_whole_plan_in_italian(peg_2021, changes, message):
    before = export_plan(2021)
    with pytest.raises(PegDocumentError, match=message):
        import_plan_text(_with_indicator(before, **changes))
    assert export_plan(2021) == before


def test_an_indicator_listed_twice_is_refused(peg_2021):
    before = export_plan(2021)
    text = _with_indicator(json.loads(_with_indicator(before)))
    with pytest.raises(PegDocumentError, match="l'indicatore «Indicatore di prova» compare due volte"):
        import_plan_text(text)


def test_a_cap_beyond_100_is_refused(peg_2021):
    data = export_plan(2021)
    data["objectives"][0]["indicator_cap"] = 120
    with pytest.raises(PegDocumentError, match="deve essere compreso tra 0 e 100%"):
        import_plan_text(json.dumps(data))


json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2021-12-31", "2021-02-30", "number", "percent", "yes_no", "date", "lower", "higher"]),
)
fields = st.sampled_from(
    ["name", "kind", "unit", "baseline", "baseline_period", "target", "direction", "data_source", "card_text", "counts"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(fields, json_values, max_size=4))
def test_any_indicator_is_imported_or_refused_in_italian_and_a_refusal_changes_nothing(peg_2021, changes):
    before = export_plan(2021)
    try:
        import_plan_text(_with_indicator(before, **changes))
    except PegDocumentError as exc:
        assert str(exc)
        assert export_plan(2021) == before
    else:
        assert Indicatore.objects.filter(name=changes.get("name", "Indicatore di prova")).exists()
        Indicatore.objects.filter(obiettivo__peg__year=2021).exclude(
            pk__in=Indicatore.objects.filter(
                name__in=[i["name"] for o in before["objectives"] for i in o["result_indicators"]]
            )
        ).delete()


def test_a_yes_no_indicator_reads_true_as_si(peg_2021):
    data = _with_indicator(export_plan(2021), kind=IndicatoreKind.YES_NO, target=True)
    import_plan_text(data)
    assert Indicatore.objects.get(name="Indicatore di prova").target_display == "sì"
