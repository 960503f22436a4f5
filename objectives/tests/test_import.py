# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Importing the 2021 Alessandria PEG: the counts, the hard cases of DOMAIN.md, the refusals."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from objectives.models import Annualita, Fase, Obiettivo, Peg
from objectives.services import export_plan, export_plan_json, import_plan_text
from sectors.models import Dirigente, HeadRole, Responsabile, Settore, SettoreKind

DOCUMENT = Path(settings.BASE_DIR) / "fixtures" / "peg_2021_alessandria.txt"
TEXT = DOCUMENT.read_text(encoding="utf-8")

GABINETTO = (
    "SETTORE GABINETTO DEL SINDACO, SEGRETERIE PARTICOLARI, SOGGETTI PARTECIPATI, CERIMONIALE, AFFARI GENERALI "
    "E DISABILITY MANAGER"
)
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
POLIZIA = "SERVIZIO AUTONOMO POLIZIA LOCALE"
RISORSE_UMANE = "SERVIZIO AUTONOMO RISORSE UMANE"
TRASPARENZA = "SETTORE TRASPARENZA, POLITICHE CULTURALI E BIBLIOTECA"
AZIENDA = "Azienda Speciale Multiservizi Costruire Insieme"
AREA_TECNICA = "AREA TECNICA"
URBANISTICA = "SETTORE URBANISTICA E PATRIMONIO"
LLPP = "SETTORE LLPP, INFRASTRUTTURE E SMART CITY"
SVILUPPO = (
    "SETTORE SVILUPPO ECONOMICO, MARKETING TERRITORIALE, SANITA', AMBIENTE, MOBILITA', PROTEZIONE CIVILE, "
    "COMMERCIO E TURISMO"
)


@pytest.fixture
def imported(db):
    return import_plan_text(TEXT)


def objective(unit: str, code: str) -> Obiettivo:
    return Obiettivo.objects.get(peg__year=2021, settore__name=unit, code=code)


def phases(unit: str, code: str) -> list[Fase]:
    return list(objective(unit, code).fasi.order_by("sort_order"))


def table(unit: str, code: str) -> list[tuple]:
    return [(f.label, f.weight, f.year) for f in phases(unit, code)]


def wipe_plan():
    Obiettivo.objects.all().delete()
    for model in (Settore, Dirigente, Responsabile, Peg):
        model.objects.all().delete()


def test_the_2021_document_yields_the_whole_plan(imported):
    assert Settore.objects.count() == 14
    assert Responsabile.objects.count() == 19
    assert Obiettivo.objects.count() == 41
    assert Fase.objects.count() == 171
    peg = Peg.objects.get()
    assert (peg.year, peg.status, peg.ente, peg.publisher) == (
        2021,
        "provvisorio",
        "CITTÀ DI ALESSANDRIA",
        "Centro Stampa Comunale",
    )
    assert peg.cover_title == "PIANO ESECUTIVO DI GESTIONE (P.E.G.) PROVVISORIO (Obiettivi 2021)"
    assert peg.card_header_text == "CITTA' DI ALESSANDRIA"
    assert peg.responsabili_title == "Elenco Responsabili (Macrostruttura in vigore dal 01.01.2021)"


def test_every_annualita_of_every_objective_has_valid_weights(imported):
    from objectives.models import weight_errors

    for obiettivo in Obiettivo.objects.prefetch_related("fasi"):
        assert weight_errors(obiettivo.fasi.all()) == [], obiettivo


def test_the_units_have_their_kind_head_role_and_code(imported):
    kinds = dict(Settore.objects.values_list("name", "kind"))
    assert sorted(set(kinds.values())) == sorted(SettoreKind.values)
    assert kinds[AREA_TECNICA] == SettoreKind.AREA
    assert kinds[AZIENDA] == SettoreKind.AZIENDA_SPECIALE
    assert Settore.objects.get(name=SISTEMI).responsabile.code == "2249"
    assert Settore.objects.get(name=LLPP).responsabile.code == "2470"  # LLPP = LAVORI PUBBLICI in the Elenco
    assert Settore.objects.get(name=AREA_TECNICA).responsabile.code == "22550"
    assert Settore.objects.get(name=AZIENDA).responsabile is None
    assert Settore.objects.get(name=POLIZIA).head_line == (
        "Responsabile in P.O. Comandante Vicario Alberto Fabrizio Bassani"
    )
    assert Settore.objects.get(name=AZIENDA).signature == "Il Direttore"


def test_one_person_heads_several_units_with_the_role_of_each(imported):
    robotti = Dirigente.objects.get(name="Pierfranco Robotti")
    assert sorted(robotti.settori.values_list("name", flat=True)) == [AREA_TECNICA, URBANISTICA]
    bocchio = Dirigente.objects.get(name="Orietta Bocchio")
    roles = dict(bocchio.settori.values_list("name", "head_role"))
    assert roles == {TRASPARENZA: HeadRole.DIRIGENTE, AZIENDA: HeadRole.DIRETTORE}
    assert Dirigente.objects.count() == 12


def test_the_head_name_split_over_two_lines_is_read_whole(imported):
    colla = Settore.objects.get(name=RISORSE_UMANE).head
    assert colla.display_name == "Dott.ssa Cinzia Maria Ines Colla"
    assert objective(RISORSE_UMANE, "A").dirigente == colla


def test_polizia_locale_c_keeps_the_gap_in_its_labels(imported):
    assert [f.label for f in phases(POLIZIA, "C")] == ["1", "2", "3", "5"]
    assert [f.label for f in phases(POLIZIA, "B")][-1] == "5"  # printed "Fase 5:"


def test_sistemi_informativi_b_has_sub_phases_and_zero_weight_phases_of_other_years(imported):
    assert table(SISTEMI, "B") == [
        ("1", Decimal("0"), 2020),
        ("2a", Decimal("40"), 2021),
        ("2b", Decimal("60"), 2021),
        ("3", Decimal("0"), 2022),
    ]
    two_b = objective(SISTEMI, "B").fasi.get(label="2b")
    assert two_b.description == "b) – realtà immersiva"
    assert two_b.is_subphase_continuation
    assert [r.code for r in two_b.responsabili.all()] == ["2252"]
    assert objective(SISTEMI, "B").fasi.get(label="1").deadline_kind == "conclusa"


def test_area_tecnica_1_keeps_its_lettered_labels(imported):
    assert [f.label for f in phases(AREA_TECNICA, "1")] == ["1-A", "1-B", "2"]
    fase_2 = objective(AREA_TECNICA, "1").fasi.get(label="2")
    assert (fase_2.deadline_text, fase_2.deadline_kind) == ("", "blank")
    assert sorted(fase_2.responsabili.values_list("code", flat=True)) == ["2249", "2470"]


def test_risorse_umane_c_phase_1b_cites_thirteen_codes(imported):
    fase = objective(RISORSE_UMANE, "C").fasi.get(label="1b")
    assert fase.weight == Decimal("10")
    assert fase.responsabili.count() == 13
    assert fase.responsabili_text == "2269, 2249, 2248, 2247, 29419, 2457, 2252, 2256, 2250, 2470, 2254, 2255, 2577"
    assert fase.description == "b) Coinvolgimento degli altri Settori/Servizi Autonomi"


def test_trasparenza_b_splits_two_phases_and_keeps_the_spaced_fase_5(imported):
    assert [f.label for f in phases(TRASPARENZA, "B")] == ["1", "2", "3a", "3b", "4a", "4b", "5"]


def test_urbanistica_b_phase_1_lists_a_b_c_in_one_weighted_phase(imported):
    labels = [f.label for f in phases(URBANISTICA, "B")]
    assert labels == ["1", "2", "3"]
    fase_2 = objective(URBANISTICA, "B").fasi.get(label="2")
    # HTML paragraphs of the original layout become line breaks.
    assert fase_2.description.splitlines()[1] == (
        "b) Conseguimento del parere di conformità urbanistica della Provincia (45 gg di legge)."
    )


def test_llpp_b_phase_2_has_no_weight_and_is_done_by_amag_reti(imported):
    fase = objective(LLPP, "B").fasi.get(label="2")
    assert fase.weight is None
    assert fase.responsabili_text == "AMAG RETI"
    assert fase.responsabili.count() == 0
    fase_3 = objective(LLPP, "B").fasi.get(label="3")
    assert (fase_3.deadline_kind, fase_3.deadline_offset_months, fase_3.deadline_anchor_label) == (
        "after_phase",
        2,
        "2",
    )


def test_urbanistica_a_deadlines_are_relative_and_resolve_once_the_anchor_is_done(imported):
    fasi = {f.label: f for f in phases(URBANISTICA, "A")}
    assert fasi["1"].deadline_kind == "after_event"
    assert fasi["1"].due_date(fasi) == dt.date(2021, 4, 22)  # 90 days after the meeting of 22/01/2021
    assert fasi["2"].deadline_text == "90 giorni dalla conclusione della fase 1"
    assert (fasi["2"].deadline_kind, fasi["2"].deadline_offset_days, fasi["2"].deadline_anchor_label) == (
        "after_phase",
        90,
        "1",
    )
    assert fasi["2"].due_date(fasi) is None
    fasi["1"].state, fasi["1"].completed_on = "completata", dt.date(2021, 5, 3)
    assert fasi["2"].due_date(fasi) == dt.date(2021, 8, 1)


def test_urbanistica_c_deadline_on_an_outside_event_waits_for_its_date(imported):
    fasi = {f.label: f for f in phases(URBANISTICA, "C")}
    assert fasi["1"].deadline_text == "Entro 30 giorni dalla presentazione dell'istanza"
    assert fasi["1"].deadline_kind == "after_event"
    assert fasi["1"].due_date(fasi) is None
    assert fasi["3"].deadline_kind == "after_event"  # "dall'inoltro di cui al punto 09) della fase 3": itself
    assert fasi["4"].deadline_anchor_label == "3"


def test_llpp_a_runs_over_two_annualita(imported):
    assert table(LLPP, "A") == [
        ("1", Decimal("40"), 2021),
        ("2", Decimal("30"), 2021),
        ("3", Decimal("30"), 2021),
        ("4", Decimal("85"), 2022),
        ("5", Decimal("15"), 2022),
    ]
    tranche = Annualita.objects.get(obiettivo=objective(LLPP, "A"))
    assert (tranche.year, tranche.deadline, tranche.label) == (
        2021,
        dt.date(2021, 12, 31),
        "Scadenza raggiungimento obiettivo annualità 2021:",
    )
    assert objective(LLPP, "A").final_deadline == dt.date(2022, 12, 31)


def test_sviluppo_economico_c_2021_tranche_is_the_first_four_phases(imported):
    assert [(label, year) for label, _, year in table(SVILUPPO, "C")] == [
        ("1", 2021),
        ("2", 2021),
        ("3", 2021),
        ("4", 2021),
        ("5", 2022),
        ("6", 2022),
    ]
    obiettivo = objective(SVILUPPO, "C")
    assert obiettivo.tranches.get().deadline == dt.date(2022, 1, 31)
    assert obiettivo.heading("achieved_text") == "Annualità 2021 - Obiettivo raggiunto al 100%:"
    assert obiettivo.heading("expected_result") == "Risultato atteso al 31/08/2022:"
    assert obiettivo.expected_result.splitlines()[1].startswith("Risultato atteso annualità 2021:")


def test_the_card_texts_are_kept_verbatim(imported):
    gabinetto_a = objective(GABINETTO, "A")
    assert gabinetto_a.title.startswith("Riorganizzazione dei flussi di informazione")
    assert gabinetto_a.achieved_text == "espletamento delle fasi previste entro la scadenza finale"
    assert gabinetto_a.directives == ""
    assert objective(URBANISTICA, "B").final_deadline_text == "30/11/2021\npresumibilmente"
    assert objective(URBANISTICA, "B").final_deadline == dt.date(2021, 11, 30)
    assert objective(AREA_TECNICA, "1").final_deadline is None
    assert objective(AREA_TECNICA, "1").final_deadline_text.startswith("Non prevedibile la data finale")
    assert objective(LLPP, "C").title_detail.splitlines()[0] == "- 1) Scuola Carducci - Mariotti"
    assert objective(POLIZIA, "B").timing == "18/01/2021 – 31/10/2021"
    assert objective(POLIZIA, "B").indicators.splitlines()[0].startswith("- n. Denunce o segnalazioni")
    assert "Fattori esterni non prevedibili." in objective(AREA_TECNICA, "1").constraints_text


def test_phases_starting_a_service_have_their_date(imported):
    fase = objective(TRASPARENZA, "A").fasi.get(label="1")
    assert (fase.deadline_text, fase.deadline_date) == ("inizio servizio 01/02/2021", dt.date(2021, 2, 1))
    in_corso = Obiettivo.objects.get(settore__name="SERVIZIO AUTONOMO AVVOCATURA", code="A").fasi.get(label="1")
    assert in_corso.due_date() == dt.date(2021, 12, 31)


def test_importing_the_same_document_twice_changes_nothing(imported):
    first = export_plan(2021)
    counts = (Settore.objects.count(), Obiettivo.objects.count(), Fase.objects.count(), Dirigente.objects.count())
    import_plan_text(TEXT)
    assert export_plan(2021) == first
    assert (
        Settore.objects.count(),
        Obiettivo.objects.count(),
        Fase.objects.count(),
        Dirigente.objects.count(),
    ) == counts


def test_reimporting_keeps_the_progress_of_the_phases(imported):
    fase = objective(SISTEMI, "C").fasi.get(label="1")
    fase.state, fase.completed_on, fase.evidence = "completata", dt.date(2021, 2, 20), "Determina n. 1"
    fase.save()
    import_plan_text(TEXT)
    fase.refresh_from_db()
    assert (fase.state, fase.completed_on, fase.evidence) == ("completata", dt.date(2021, 2, 20), "Determina n. 1")


def test_export_import_export_is_identical(imported):
    exported = export_plan_json(2021)
    wipe_plan()
    import_plan_text(exported)
    assert export_plan_json(2021) == exported


def test_the_export_has_the_documented_shape(imported):
    data = export_plan(2021)
    assert data["year"] == 2021
    assert data["responsabili"][0] == {
        "code": "2269",
        "description": "RESPONSABILE SETTORE GABINETTO DEL SINDACO, SEGRETERIE PARTICOLARI, SOGGETTI PARTECIPATI, "
        "CERIMONIALE, AFFARI GENERALI E DISABILITY MANAGER",
    }
    risorse_a = next(o for o in data["objectives"] if o["unit"] == RISORSE_UMANE and o["code"] == "A")
    assert risorse_a["manager"] == "Dott.ssa Cinzia Maria Ines Colla"
    assert risorse_a["manager_role"] == "Responsabile in P.O."
    assert risorse_a["unit_kind"] == "Servizio Autonomo"
    assert risorse_a["final_deadline"] == "30/04/2021"
    assert risorse_a["phases"][0] == {
        "label": "1",
        "description": "Attività di raccolta dati, studio, monitoraggio e analisi",
        "weight": 20,
        "year": 2021,
        "responsabili": ["2577"],
        "responsabili_text": "2577",
        "deadline": "28/02/2021",
        "deadline_kind": "date",
        "due_date": "2021-02-28",
    }
    llpp_b = next(o for o in data["objectives"] if o["unit"] == LLPP and o["code"] == "B")
    assert llpp_b["phases"][1]["weight"] is None
    assert [o["code"] for o in data["objectives"][:4]] == ["A", "B", "C", "A"]


def test_the_committed_fixture_is_the_import_of_the_document(db):
    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    from_fixture = export_plan(2021)
    wipe_plan()
    import_plan_text(TEXT)
    assert export_plan(2021) == from_fixture


def test_the_commands_import_and_export_the_plan(db, tmp_path, capsys):
    call_command("import_peg", str(DOCUMENT))
    assert "41 obiettivi, 171 fasi" in capsys.readouterr().out
    call_command("export_peg", "--year", "2021")
    data = json.loads(capsys.readouterr().out)
    assert len(data["objectives"]) == 41
    assert sum(len(o["phases"]) for o in data["objectives"]) == 171
    out = tmp_path / "peg.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_peg", str(out))
    assert Fase.objects.count() == 171


def test_export_of_a_missing_year_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Nessun PEG per l'anno 2030"):
        call_command("export_peg", "--year", "2030")


def test_import_of_an_unreadable_path_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Impossibile leggere"):
        call_command("import_peg", str(tmp_path / "manca.txt"))
