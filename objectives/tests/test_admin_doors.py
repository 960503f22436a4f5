# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Every door of the admin obeys the workflow's locks.

On the 2021 PEG, SISTEMI INFORMATIVI A is validated (a phase completed, one neutralised, a
file attached), SISTEMI INFORMATIVI B is reported, C is open with a completed phase. The walk
opens every admin URL of every registered model (taken from admin.site._registry, so a model
registered later is walked too) as each role, posts tampered forms, history reverts and bulk
deletes, and checks both the answer and that nothing of the evaluation changed.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from objectives import access, facts, workflow
from objectives.accounts import create_demo_users
from objectives.models import (
    FASE_PROGRESS_FIELDS,
    INDICATORE_PROGRESS_FIELDS,
    OBIETTIVO_GENERATED,
    Allegato,
    AllegatoIndicatore,
    Fase,
    FaseState,
    Indicatore,
    Nota,
    NotaKind,
    Obiettivo,
    ObiettivoStatus,
    Peg,
    ScoreBand,
)
from sectors.models import Dirigente, Responsabile, Settore
from tests.factories import UserFactory

User = get_user_model()
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
TAMPERED = "_manomesso"  # valid in every text field, user names included


def _complete(fase, user, on=dt.date(2021, 5, 3), evidence="Determina n. 12 del 03/05/2021"):
    fase.refresh_from_db()
    return workflow.update_phase(
        fase=fase, user=user, version=fase.version, state=FaseState.COMPLETATA, completed_on=on, evidence=evidence
    )


@pytest.fixture
def doors(peg_2021, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    create_demo_users()
    head = User.objects.get(username="dirigente.sistemi")
    nucleo = User.objects.get(username="nucleo")
    staff = User.objects.get(username="staff")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    validated, reported, monitored = Obiettivo.objects.filter(settore__name=SISTEMI).order_by("code")[:3]
    # The loaded plan has no history yet: its first version, open, is what a revert would restore.
    for row in [peg_2021, Settore.objects.get(name=SISTEMI), validated, reported, monitored]:
        row.save()
    for row in Fase.objects.filter(obiettivo__in=[validated, reported, monitored]):
        row.save()
    v1, v2 = validated.fasi.order_by("sort_order")[:2]
    v1.responsabili.add(Responsabile.objects.order_by("pk").last())  # a code the validated objective cites
    _complete(v1, head)
    workflow.neutralise_phase(fase=v2, user=nucleo, version=v2.version, neutralised=True, reason="Norma abrogata")
    upload = SimpleUploadedFile("delibera.pdf", b"%PDF-1.4 prova", content_type="application/pdf")
    workflow.add_attachment(fase=v1, user=head, upload=upload)
    spending = validated.indicatori.get()  # the card's "contenimento della spesa come previsto da PRFP"
    upload = SimpleUploadedFile("rendiconto.pdf", b"%PDF-1.4 prova", content_type="application/pdf")
    workflow.record_indicator_actual(indicatore=spending, user=head, value=True, new_files=[upload])
    workflow.confirm_indicator(indicatore=spending, user=nucleo)
    workflow.submit_report(obiettivo=validated, user=head, comment="Relazione finale")
    workflow.validate(obiettivo=validated, user=nucleo, on=dt.date(2022, 3, 1), score=Decimal("80"), reason="Parziale")
    _complete(reported.fasi.order_by("sort_order").first(), head)
    workflow.submit_report(obiettivo=reported, user=head, comment="Relazione")
    _complete(monitored.fasi.order_by("sort_order").first(), head)

    attempt = AccessAttempt.objects.create(
        username="intruso", ip_address="10.0.0.9", user_agent="x", http_accept="*/*", path_info="/accesso/",
        get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    AccessLog.objects.create(username="staff", ip_address="10.0.0.8", user_agent="x", http_accept="*/*", path_info="/")
    AccessFailureLog.objects.create(
        username="intruso", ip_address="10.0.0.9", user_agent="x", http_accept="*/*", path_info="/accesso/"
    )
    ScoreBand.objects.create(peg=peg_2021, min_score=Decimal("90"), pay_share=Decimal("100"))
    # The apps built on the core add their demo rows (by command name: the core does not import them).
    if apps.is_installed("evaluation"):
        call_command("load_demo_evaluation", year=2021, stdout=io.StringIO())
    if apps.is_installed("activities"):
        call_command("load_demo_activities", stdout=io.StringIO())
    if apps.is_installed("ente"):
        call_command("load_demo_ente", stdout=io.StringIO())

    return SimpleNamespace(
        peg=peg_2021,
        head=head,
        nucleo=nucleo,
        staff=staff,
        root=root,
        validated=validated,
        reported=reported,
        monitored=monitored,
        attempt=attempt,
    )


# --- What must never change by a door other than the workflow ---------------------------------


def _rows(queryset):
    """The rows as stored, without the figures objectives/facts.py derives from them (a unit renamed by
    staff changes its objectives' search text; the figures are checked against the calculator elsewhere)."""
    derived = {field.attname for field in queryset.model._meta.fields if field.name in DERIVED}
    return [
        tuple(value for name, value in row.items() if name not in derived) for row in queryset.order_by("pk").values()
    ]


DERIVED = set(facts.OBJECTIVE_FIELDS) | set(facts.PHASE_FIELDS) | set(OBIETTIVO_GENERATED)


def evaluation_snapshot(w, *, links=True, accounts=True):
    """Everything of the reported and validated objectives, every phase's progress and version,
    the notes and files, the PEG's policy; and, unless the role may change them, the links between
    logins and heads and the accounts with their groups and permissions."""
    locked = Obiettivo.objects.filter(pk__in=[w.validated.pk, w.reported.pk])
    locked_phases = Fase.objects.filter(obiettivo__in=locked)
    snapshot = {
        "objectives": _rows(locked),
        "locked phases": _rows(locked_phases),
        "locked phase codes": sorted(
            Fase.responsabili.through.objects.filter(fase__in=locked_phases).values_list("fase_id", "responsabile_id")
        ),
        "tranches": _rows(w.validated.tranches.all()) + _rows(w.reported.tranches.all()),
        "progress": list(Fase.objects.order_by("pk").values_list("pk", "version", *FASE_PROGRESS_FIELDS)),
        "notes": _rows(Nota.objects.all()),
        "files": _rows(Allegato.objects.all()) + _rows(AllegatoIndicatore.objects.all()),
        "indicator values": list(Indicatore.objects.order_by("pk").values_list("pk", *INDICATORE_PROGRESS_FIELDS)),
        "locked indicators": _rows(Indicatore.objects.filter(obiettivo__in=locked)),
        "policy": list(Peg.objects.values_list("pk", "late_policy", "late_fraction", "score_decimals")),
        "bands": _rows(ScoreBand.objects.all()),
    }
    if links:
        snapshot["links"] = list(Dirigente.objects.order_by("pk").values_list("pk", "user_id"))
    if accounts:
        snapshot["accounts"] = _rows(User.objects.all())
        snapshot["groups"] = _rows(Group.objects.all()) + _rows(User.groups.through.objects.all())
        snapshot["permissions"] = _rows(Group.permissions.through.objects.all()) + _rows(
            User.user_permissions.through.objects.all()
        )
    return snapshot


# --- The forms as an attacker posts them --------------------------------------------------------


def _form_value(field, value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(field, models.ManyToManyField):
        return [item.pk if isinstance(item, models.Model) else item for item in value]
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return value


def tampered_form(instance, w):
    """Every field of the instance as posted by a browser, with its texts edited and the fields only
    the workflow (or an administrator) writes set to what an attacker wants."""
    return posted_form(instance, w, tamper=True)


def posted_form(instance, w, tamper=False):
    model_admin = admin.site._registry[type(instance)]
    data = {}
    for field in [*instance._meta.concrete_fields, *instance._meta.many_to_many]:
        if field.primary_key or not field.editable:
            continue
        if isinstance(field, models.FileField):
            continue  # a browser posts no file when none is chosen: the stored one is kept
        value = field.value_from_object(instance)
        if isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
            continue
        if tamper and isinstance(field, models.EmailField) and value:
            value = f"manomesso.{value}"  # edited, and still an address (the demo users have one)
        elif tamper and isinstance(field, models.TextField | models.CharField) and not field.choices and value:
            value = (value + TAMPERED)[: field.max_length or None]
        if isinstance(field, models.DateTimeField):
            # The admin splits a date and time into two inputs.
            data[f"{field.name}_0"], data[f"{field.name}_1"] = _form_value(field, value).partition(" ")[::2]
            continue
        data[field.name] = _form_value(field, value)
    attacks = {
        Obiettivo: {"status": ObiettivoStatus.IN_CORSO, "validated_score": "", "validated_on": ""},
        Fase: {"state": FaseState.DA_AVVIARE, "completed_on": "", "evidence": "", "neutralisation_reason": ""},
        Dirigente: {"user": w.staff.pk},
        Peg: {"late_policy": "fraction", "late_fraction": "100", "score_decimals": "0"},
        Indicatore: {"actual_value": "0", "review": "", "reviewed_value": "", "review_reason": ""},
        User: {"is_superuser": "on", "groups": [g.pk for g in Group.objects.all()]},
    }
    if tamper:
        data.update(attacks.get(type(instance), {}))
        if isinstance(instance, Fase):
            data.pop("neutralised", None)
    for inline in model_admin.inlines:
        fk = next(f for f in inline.model._meta.concrete_fields if f.is_relation and f.related_model is type(instance))
        prefix = fk.remote_field.get_accessor_name(model=False)
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    return data


# --- The walk -----------------------------------------------------------------------------------

ROLES = ["anonimo", "dirigente", "nucleo", "staff", "amministratore"]


def client_for(role, w, client):
    user = {"dirigente": w.head, "nucleo": w.nucleo, "staff": w.staff, "amministratore": w.root}.get(role)
    if user is not None:
        client.force_login(user)
    return client


def targets(model, w):
    """The rows each door is tried on: the locked ones where the model has them."""
    chosen = {
        Obiettivo: [w.validated, w.reported],
        Fase: [w.validated.fasi.order_by("sort_order").first(), w.reported.fasi.order_by("sort_order").first()],
        Peg: [w.peg],
        Settore: [w.validated.settore],
        Dirigente: [w.head.dirigente],
        Responsabile: list(Responsabile.objects.filter(fasi__obiettivo=w.validated).distinct()[:1]),
        Allegato: list(Allegato.objects.all()[:1]),
        Nota: list(Nota.objects.filter(kind=NotaKind.VALIDAZIONE)),
        User: [w.head],
        Group: list(Group.objects.filter(name="Programmazione e Controllo")),
    }
    return chosen.get(model) or list(model._default_manager.order_by("pk")[:1])


def writes_nothing(model_admin, w):
    """An admin that lets nobody add, change or delete: walking its list and add page is enough."""
    request = RequestFactory().get("/")
    request.user = w.root
    return not (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    )


# Staff (Programmazione e Controllo) sees these models, adds and changes the plan ones, deletes nothing.
STAFF_VIEWS = {
    "objectives.obiettivo",
    "objectives.fase",
    "objectives.peg",
    "objectives.allegato",
    "objectives.nota",
    "objectives.indicatore",
    "objectives.allegatoindicatore",
    "sectors.settore",
    "sectors.dirigente",
    "sectors.responsabile",
    "evaluation.evaluationsettings",
    "evaluation.comportamento",
}
STAFF_CHANGES = STAFF_VIEWS - {"objectives.allegato", "objectives.nota", "objectives.allegatoindicatore"}
# Records of the procedure's acts: written by the workflow, never added, edited or deleted here.
ACT_RECORDS = {
    "objectives.allegato",
    "objectives.nota",
    "objectives.pegnota",
    "objectives.allegatoindicatore",
    "activities.sentreminder",  # the log that keeps send_reminders from sending twice
    "cycle.variazione",  # the Giunta's variations, recorded by cycle.services.apply_variazione
}
# Changed only through their app's services: never added, edited or deleted here.
SERVICE_ONLY = {
    "evaluation.scheda",
    "relazione.relazione",
    "relazione.validazionerelazione",
    "transparency.pubblicazione",
}
# Records of logins (django-axes): never added; every field of their form is read-only.
LOGIN_RECORDS = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# The plan rows whose lock is the objective's: refused on a reported or validated objective.
LOCKED_PLAN = {"objectives.obiettivo", "objectives.fase", "objectives.indicatore"}
# Deleting these targets would destroy evaluation (the Responsabile is a code the validated objective cites).
NEVER_DELETED = LOCKED_PLAN | {
    "objectives.peg",
    "objectives.allegato",
    "objectives.nota",
    "objectives.pegnota",
    "objectives.allegatoindicatore",
    "sectors.responsabile",
}
# Targets that other rows PROTECT: the confirmation page lists them, the POST deletes nothing.
PROTECTED = {"sectors.settore", "sectors.dirigente", "auth.user"}


def expected(role, door, label):
    """The answer each role gets at each door of each model, for the targets above."""
    if role not in ("staff", "amministratore"):
        return "login"
    staff = role == "staff"
    sees = label in STAFF_VIEWS if staff else True
    changes = (label in STAFF_CHANGES if staff else True) and label not in ACT_RECORDS | SERVICE_ONLY
    if door in ("changelist", "change", "history", "history_form"):
        return 200 if sees else 403
    if door == "add":
        return 200 if changes and label not in LOGIN_RECORDS else 403
    if door in ("change_post", "revert_post"):
        if not changes or label in LOCKED_PLAN:
            return 403
        return 302
    if door in ("delete", "delete_post"):
        if staff or label in NEVER_DELETED:
            return 403
        if label in PROTECTED:
            return 200
        return 200 if door == "delete" else 302
    if door == "bulk_delete":
        if not sees:
            return 403
        if staff or label in ACT_RECORDS:
            return 200  # no delete action is offered: the list is shown again, nothing deleted
        if label in NEVER_DELETED:
            return 403
        return 200 if label in PROTECTED else 302
    raise AssertionError(door)


def walk(role, w, client):
    """Every door of every registered model; returns (door, model, target, status, location)."""
    answers = []

    def record(door, label, target, response):
        answers.append((door, label, str(target), response.status_code, response.get("Location", "")))

    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows = targets(model, w)
        assert rows or writes_nothing(model_admin, w), f"the walk has no row of {label}: give it one in the fixture"
        record("changelist", label, "", client.get(reverse(f"{info}_changelist")))
        record("add", label, "", client.get(reverse(f"{info}_add")))
        for row in rows:
            row = type(row)._default_manager.get(pk=row.pk)
            record("change", label, row, client.get(reverse(f"{info}_change", args=[row.pk])))
            record(
                "change_post",
                label,
                row,
                client.post(reverse(f"{info}_change", args=[row.pk]), tampered_form(row, w)),
            )
            record("history", label, row, client.get(reverse(f"{info}_history", args=[row.pk])))
            history = getattr(model, "history", None)
            if history is not None and hasattr(model_admin, "history_form_view"):
                oldest = history.filter(**{model._meta.pk.attname: row.pk}).order_by("history_date").first()
                assert oldest is not None, f"{label} {row} has no history to revert to"
                url = reverse(f"{info}_simple_history", args=[row.pk, oldest.history_id])
                record("history_form", label, row, client.get(url))
                record("revert_post", label, row, client.post(url, tampered_form(oldest.instance, w)))
            record("delete", label, row, client.get(reverse(f"{info}_delete", args=[row.pk])))
            record("delete_post", label, row, client.post(reverse(f"{info}_delete", args=[row.pk]), {"post": "yes"}))
        survivors = [row.pk for row in rows if model._default_manager.filter(pk=row.pk).exists()]
        if survivors:
            bulk = {"action": "delete_selected", "_selected_action": survivors, "post": "yes", "index": 0}
            record("bulk_delete", label, survivors, client.post(reverse(f"{info}_changelist"), bulk))
    return answers


def mismatches(role, answers):
    wrong = []
    for door, label, target, status, location in answers:
        want = expected(role, door, label)
        if want == "login":
            ok = status == 302 and location.startswith(reverse("admin:login"))
        else:
            ok = status == want
        if not ok:
            wrong.append(f"{door} {label} {target}: {status} {location} (atteso {want})")
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_door_answers_each_role_as_the_rules_say_and_changes_no_evaluation(role, doors, client):
    client = client_for(role, doors, client)
    before = evaluation_snapshot(doors, links=role != "amministratore", accounts=role != "amministratore")

    answers = walk(role, doors, client)

    wrong = mismatches(role, answers)
    assert not wrong, "\n".join(wrong)
    walked = {(door, label) for door, label, *_ in answers}
    for model, model_admin in admin.site._registry.items():
        assert ("change_post", model._meta.label_lower) in walked or writes_nothing(model_admin, doors)
    after = evaluation_snapshot(doors, links=role != "amministratore", accounts=role != "amministratore")
    for key in before:
        assert after[key] == before[key], key


# --- The attacks, one by one ------------------------------------------------------------


def admin_url(obj, view="change", *extra):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *extra])


def oldest_version(obj):
    return obj.history.order_by("history_date").first()


def revert_url(obj):
    return admin_url(obj, "simple_history", oldest_version(obj).history_id)


@pytest.mark.django_db
def test_restoring_an_older_version_of_a_validated_objective_is_refused_and_writes_nothing(doors, client):
    client.force_login(doors.staff)
    old = oldest_version(doors.validated)
    assert old.status == ObiettivoStatus.IN_CORSO
    notes = Nota.objects.count()

    page = client.get(revert_url(doors.validated))
    response = client.post(revert_url(doors.validated), posted_form(old.instance, doors))

    assert 'name="_save"' not in page.content.decode()  # no revert button
    assert 'name="_save"' in client.get(revert_url(doors.monitored)).content.decode()
    assert response.status_code == 403
    assert "non è modificabile" in response.content.decode()
    doors.validated.refresh_from_db()
    assert (doors.validated.status, doors.validated.validated_score) == (ObiettivoStatus.VALIDATO, Decimal("80"))
    assert Nota.objects.count() == notes


@pytest.mark.django_db
def test_the_history_form_does_not_save_an_edited_title_of_a_validated_objective(doors, client):
    client.force_login(doors.root)
    data = posted_form(oldest_version(doors.validated).instance, doors)
    data["title"] = "Titolo riscritto dopo la validazione"

    assert client.post(revert_url(doors.validated), data).status_code == 403
    doors.validated.refresh_from_db()
    assert doors.validated.title != data["title"]


@pytest.mark.django_db
def test_a_revert_on_an_open_objective_restores_the_plan_but_never_a_phase_progress_or_its_version(doors, client):
    fase = doors.monitored.fasi.order_by("sort_order").first()
    first_description, version = fase.description, fase.version
    client.force_login(doors.staff)
    edited = posted_form(fase, doors)
    edited["description"] = "Descrizione corretta"
    assert client.post(admin_url(fase), edited).status_code == 302

    old = oldest_version(fase)
    assert old.state == FaseState.DA_AVVIARE
    response = client.post(revert_url(fase), posted_form(old.instance, doors))

    assert response.status_code == 302
    fase.refresh_from_db()
    assert fase.description == first_description
    assert (fase.state, fase.completed_on, fase.version) == (FaseState.COMPLETATA, dt.date(2021, 5, 3), version)


@pytest.mark.django_db
def test_a_phase_form_of_an_open_objective_saves_the_plan_and_ignores_posted_progress(doors, client):
    fase = doors.monitored.fasi.order_by("sort_order").first()
    client.force_login(doors.staff)

    response = client.post(admin_url(fase), tampered_form(fase, doors))

    assert response.status_code == 302
    after = Fase.objects.get(pk=fase.pk)
    assert after.description.endswith(TAMPERED)
    assert [getattr(after, name) for name in [*FASE_PROGRESS_FIELDS, "version"]] == [
        getattr(fase, name) for name in [*FASE_PROGRESS_FIELDS, "version"]
    ]


@pytest.mark.django_db
def test_a_form_opened_before_the_report_cannot_save_after_it(doors, client):
    client.force_login(doors.staff)
    data = posted_form(doors.monitored, doors)
    assert client.get(admin_url(doors.monitored)).status_code == 200
    workflow.submit_report(obiettivo=doors.monitored, user=doors.head, comment="Relazione")

    data["title"] = "Titolo cambiato dopo la rendicontazione"
    assert client.post(admin_url(doors.monitored), data).status_code == 403
    doors.monitored.refresh_from_db()
    assert (doors.monitored.status, doors.monitored.title) != (ObiettivoStatus.IN_CORSO, data["title"])


@pytest.mark.django_db
def test_a_phase_cannot_be_added_to_a_validated_objective(doors, client):
    client.force_login(doors.staff)
    phases = doors.validated.fasi.count()
    data = {"obiettivo": doors.validated.pk, "label": "9", "sort_order": 9, "description": "Fase aggiunta"}
    data.update({"weight": "0", "year": 2021, "deadline_text": "31/12/2021"})

    response = client.post(reverse("admin:objectives_fase_add"), data)

    assert response.status_code == 403
    assert "il piano non è più modificabile" in response.content.decode()
    assert doors.validated.fasi.count() == phases


@pytest.mark.django_db
def test_staff_sees_a_head_but_cannot_link_a_login_to_it(doors, client):
    dirigente = Dirigente.objects.get(user=doors.head)
    client.force_login(doors.staff)

    page = client.get(admin_url(dirigente)).content.decode()
    linked = client.post(admin_url(dirigente), {"name": dirigente.name, "user": doors.staff.pk})
    added = client.post(reverse("admin:sectors_dirigente_add"), {"name": "Nuovo Dirigente", "user": doors.staff.pk})

    assert 'name="user"' not in page and "dirigente.sistemi" in page
    assert (linked.status_code, added.status_code) == (302, 302)
    assert Dirigente.objects.get(pk=dirigente.pk).user == doors.head
    assert Dirigente.objects.get(name="Nuovo Dirigente").user is None
    assert not Dirigente.objects.filter(user=doors.staff).exists()


@pytest.mark.django_db
def test_staff_cannot_restore_a_former_login_link_from_a_head_s_history(doors, client):
    dirigente = Dirigente.objects.get(name="Pierfranco Robotti")
    for user in (doors.staff, None):  # once linked to the staff account by mistake, then unlinked
        dirigente.user = user
        dirigente.save()
    linked = dirigente.history.filter(user=doors.staff).get()
    client.force_login(doors.staff)
    url = admin_url(dirigente, "simple_history", linked.history_id)

    assert client.post(url, posted_form(linked.instance, doors)).status_code == 302
    assert Dirigente.objects.get(pk=dirigente.pk).user is None


@pytest.mark.django_db
def test_an_administrator_links_a_login_to_a_head(doors, client):
    dirigente = Dirigente.objects.get(name="Pierfranco Robotti")
    other = UserFactory(username="nuovo.dirigente")
    client.force_login(doors.root)

    response = client.post(admin_url(dirigente), {"name": dirigente.name, "user": other.pk})

    assert response.status_code == 302
    assert Dirigente.objects.get(pk=dirigente.pk).user == other


@pytest.mark.django_db
def test_users_and_groups_are_managed_by_administrators_only(doors, client):
    doors.staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(doors.staff)
    index = client.get(reverse("admin:index")).content.decode()
    for name in ("auth_user_changelist", "auth_group_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    promoted = client.post(admin_url(doors.staff), posted_form(doors.staff, doors))

    assert reverse("admin:auth_user_changelist") not in index
    assert promoted.status_code == 403
    client.force_login(doors.root)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_a_phase_with_monitoring_is_not_removed_from_an_open_objective(doors, client):
    fase = doors.monitored.fasi.order_by("sort_order").first()
    client.force_login(doors.root)

    assert client.post(admin_url(fase, "delete"), {"post": "yes"}).status_code == 403
    response = client.get(admin_url(doors.monitored))
    data = inline_form_data(response)
    data["fasi-0-DELETE"] = "on"
    response = client.post(admin_url(doors.monitored), data)

    assert response.status_code == 200
    assert (
        f"La fase {fase.label} ha monitoraggio, note o allegati: non può essere eliminata." in response.content.decode()
    )
    assert Fase.objects.filter(pk=fase.pk).exists()


@pytest.mark.django_db
def test_an_open_objective_with_monitoring_is_not_removed_even_by_an_administrator(doors, client):
    client.force_login(doors.root)
    bulk = {"action": "delete_selected", "_selected_action": [doors.monitored.pk], "post": "yes", "index": 0}

    single = client.post(admin_url(doors.monitored, "delete"), {"post": "yes"})
    selected = client.post(reverse("admin:objectives_obiettivo_changelist"), bulk)

    assert (single.status_code, selected.status_code) == (403, 403)
    assert "non può essere eliminato: l'obiettivo è rendicontato o validato, oppure ha monitoraggio" in (
        html.unescape(selected.content.decode())
    )
    assert Obiettivo.objects.filter(pk=doors.monitored.pk).exists()


@pytest.mark.django_db
def test_an_objective_without_evaluation_is_removed_by_an_administrator(doors, client):
    plain = Obiettivo.objects.get(settore__name__startswith="SETTORE GABINETTO", code="A")
    client.force_login(doors.root)
    assert client.post(admin_url(plain, "delete"), {"post": "yes"}).status_code == 302
    assert not Obiettivo.objects.filter(pk=plain.pk).exists()


@pytest.mark.django_db
def test_the_peg_evaluation_policy_is_read_only_once_an_objective_is_reported(doors, client):
    client.force_login(doors.root)
    page = client.get(admin_url(doors.peg)).content.decode()
    data = tampered_form(doors.peg, doors)

    assert 'name="late_policy"' not in page and 'name="title"' in page
    assert client.post(admin_url(doors.peg), data).status_code == 302
    peg = Peg.objects.get(pk=doors.peg.pk)
    assert (peg.late_policy, peg.score_decimals, peg.title) == (doors.peg.late_policy, 2, doors.peg.title + TAMPERED)


@pytest.mark.django_db
def test_the_peg_evaluation_policy_is_editable_while_every_objective_is_open(peg_2021, admin_client):
    page = admin_client.get(admin_url(peg_2021)).content.decode()
    assert 'name="late_policy"' in page


@pytest.mark.django_db
def test_the_validated_objective_offers_the_administrator_the_reopen_page_only(doors, client):
    reopen = reverse("objectives:reopen", args=[doors.validated.pk])
    client.force_login(doors.staff)
    staff_page = client.get(admin_url(doors.validated)).content.decode()
    client.force_login(doors.root)
    root_page = client.get(admin_url(doors.validated)).content.decode()

    assert "rendicontato o validato: il piano non è più modificabile" in staff_page
    assert reopen not in staff_page
    assert reopen in root_page


# --- The shared rule: what carries evaluation ----------------------------------------------------


@pytest.mark.django_db
def test_only_objectives_without_evaluation_may_be_removed(doors):
    removable = [obiettivo for obiettivo in Obiettivo.objects.all() if access.may_remove_objective(obiettivo)]
    assert len(removable) == 41 - 3
    assert {doors.validated, doors.reported, doors.monitored}.isdisjoint(removable)
    assert not access.may_remove_peg(doors.peg)


@pytest.mark.django_db
def test_a_note_alone_keeps_an_objective_and_its_phase(doors):
    plain = Obiettivo.objects.get(settore__name__startswith="SETTORE GABINETTO", code="A")
    fase = plain.fasi.first()
    assert access.may_remove_objective(plain) and access.may_remove_phase(fase)
    Nota.objects.create(obiettivo=plain, fase=fase, kind=NotaKind.STERILIZZAZIONE, text="x", author=doors.nucleo)
    assert not access.may_remove_objective(plain)
    assert not access.may_remove_phase(fase)


def inline_form_data(response):
    """The change form as the browser would post it back, inlines included."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms_ += formset.forms
    for form in forms_:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data
