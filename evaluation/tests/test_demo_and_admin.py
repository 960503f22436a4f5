# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The demo's evaluation data (bands, 70/30, behaviours), loaded once and never over what exists;
the admin: settings and catalogue editable by staff, the forms read-only; the core imports nothing
of this app."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from evaluation import services
from evaluation.models import Comportamento, EvaluationSettings
from evaluation.tests.conftest import demo_scores
from objectives.accounts import ensure_role_groups
from objectives.models import Peg, ScoreBand


def bands(peg):
    return list(ScoreBand.objects.filter(peg=peg).order_by("-min_score").values_list("min_score", "pay_share"))


def test_load_demo_peg_ships_the_example_bands_the_70_30_split_and_five_behaviours(db, capsys):
    call_command("load_demo_peg")

    peg = Peg.objects.get(year=2021)
    assert bands(peg) == [(95, 100), (80, 80), (60, 60), (0, 0)]
    evaluation = EvaluationSettings.objects.get(peg=peg)
    assert (evaluation.objectives_share, evaluation.behaviours_share) == (70, 30)
    assert (evaluation.scale_min, evaluation.scale_max, evaluation.review_days) == (1, 5, 15)
    assert Comportamento.objects.filter(peg=peg).count() == 5
    assert sum(Comportamento.objects.filter(peg=peg).values_list("weight", flat=True)) == 100
    assert "aggiunti 4 fasce di valutazione" in capsys.readouterr().out


def test_loading_the_demo_again_keeps_what_the_admin_changed(peg_2021, capsys):
    call_command("load_demo_evaluation")
    ScoreBand.objects.filter(peg=peg_2021, min_score=95).update(pay_share=Decimal("90"))
    ScoreBand.objects.filter(peg=peg_2021, min_score=0).delete()
    Comportamento.objects.filter(peg=peg_2021).first().delete()
    EvaluationSettings.objects.filter(peg=peg_2021).update(objectives_share=60, behaviours_share=40)

    call_command("load_demo_peg")

    assert bands(peg_2021) == [(95, 90), (80, 80), (60, 60)]
    assert Comportamento.objects.filter(peg=peg_2021).count() == 4
    assert EvaluationSettings.objects.get(peg=peg_2021).objectives_share == 60
    assert "nessuna modifica" in capsys.readouterr().out


def test_a_peg_with_bands_of_its_own_gets_none_of_the_demos(peg_2021):
    ScoreBand.objects.create(peg=peg_2021, min_score=50, pay_share=100)
    services.ensure_demo_evaluation(peg=peg_2021)
    assert bands(peg_2021) == [(50, 100)]


def test_the_demo_command_refuses_a_year_without_peg(db):
    with pytest.raises(CommandError, match="Nessun PEG per l'anno 2030"):
        call_command("load_demo_evaluation", year=2030)


@pytest.fixture
def staff_client(client, scenario):
    ensure_role_groups()
    client.force_login(scenario.sara)
    return client


def test_staff_edits_the_settings_and_the_catalogue_in_the_admin(staff_client, scenario):
    assert staff_client.get(reverse("admin:evaluation_comportamento_changelist")).status_code == 200
    evaluation = EvaluationSettings.objects.get(peg=scenario.peg)
    url = reverse("admin:evaluation_evaluationsettings_change", args=[evaluation.pk])
    data = {
        "peg": scenario.peg.pk,
        "objectives_share": "60",
        "behaviours_share": "30",
        "scale_min": "1",
        "scale_max": "5",
        "review_days": "10",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Le quote da obiettivi e da comportamenti devono sommare a 100." in response.content.decode()

    response = staff_client.post(url, data | {"behaviours_share": "40"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.objectives_share, evaluation.behaviours_share, evaluation.review_days) == (60, 40, 10)


def test_staff_does_not_see_the_forms_in_the_admin(staff_client, scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    assert staff_client.get(reverse("admin:evaluation_scheda_changelist")).status_code == 403
    assert staff_client.get(reverse("admin:evaluation_scheda_change", args=[scheda.pk])).status_code == 403


def test_the_forms_are_read_only_in_the_admin_even_for_administrators(client, scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    services.score_behaviours(scheda=scheda, user=scenario.nina, scores=demo_scores(scenario.peg))
    client.force_login(scenario.root)
    url = reverse("admin:evaluation_scheda_change", args=[scheda.pk])

    page = client.get(url).content.decode()
    assert "Capacità di programmazione e organizzazione" in page
    assert 'name="_save"' not in page
    client.post(url, {"status": "chiusa", "comment": "cambiato"})
    scheda.refresh_from_db()
    assert (scheda.status, scheda.comment) == ("bozza", "")
    assert client.get(reverse("admin:evaluation_scheda_add")).status_code == 403


def test_the_core_apps_import_nothing_from_evaluation():
    offenders = []
    for app in ["objectives", "sectors", "reports"]:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                offenders += [f"{path}: {name}" for name in names if name.split(".")[0] == "evaluation"]
    assert offenders == []


def test_once_a_form_is_notified_the_pegs_rules_are_locked_by_every_admin_door(staff_client, scenario):
    scheda = services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)
    scheda = services.score_behaviours(scheda=scheda, user=scenario.nina, scores=demo_scores(scenario.peg))
    services.notify(scheda=scheda, user=scenario.nina)
    evaluation = EvaluationSettings.objects.get(peg=scenario.peg)
    behaviour = Comportamento.objects.filter(peg=scenario.peg).order_by("print_order").first()
    before = (evaluation.objectives_share, behaviour.weight, Comportamento.objects.filter(peg=scenario.peg).count())

    change = reverse("admin:evaluation_evaluationsettings_change", args=[evaluation.pk])
    data = {"peg": scenario.peg.pk, "objectives_share": "60", "behaviours_share": "40", "scale_min": "1"}
    assert staff_client.post(change, data | {"scale_max": "5", "review_days": "10"}).status_code == 403
    history = evaluation.history.order_by("history_id").first()
    revert = reverse("admin:evaluation_evaluationsettings_simple_history", args=[evaluation.pk, history.history_id])
    assert staff_client.post(revert, data | {"scale_max": "5", "review_days": "10"}).status_code == 403
    delete = reverse("admin:evaluation_comportamento_delete", args=[behaviour.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:evaluation_comportamento_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [behaviour.pk], "post": "yes"}
    # Django's bulk delete asks has_delete_permission of each row and, refused, shows the page again.
    assert staff_client.post(changelist, bulk).status_code in (200, 403)
    add = reverse("admin:evaluation_comportamento_add")
    new = {"peg": scenario.peg.pk, "name": "Nuovo", "weight": "10", "print_order": "9", "description": ""}
    assert staff_client.post(add, new).status_code == 403

    evaluation.refresh_from_db()
    behaviour.refresh_from_db()
    after = (evaluation.objectives_share, behaviour.weight, Comportamento.objects.filter(peg=scenario.peg).count())
    assert after == before
