# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The pages of Nuovo PEG da anno precedente: the preview staff confirm, who sees it (404 otherwise),
who may confirm (403 otherwise), the refusals in Italian, and the confirmation's fingerprint."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cycle import rollover
from cycle.rollover_forms import RolloverConfirmForm
from objectives.access import GROUP_DIRIGENTE, GROUP_NUCLEO, GROUP_STAFF
from objectives.models import Obiettivo, Peg, PegNota, PegStatus
from objectives.tests.conftest import user_in
from sectors.models import Dirigente

pytestmark = pytest.mark.django_db

LLPP = "SETTORE LLPP, INFRASTRUTTURE E SMART CITY"
SISTEMI = "SETTORE SISTEMI INFORMATIVI ED E-GOVERNMENT"
PREVIEW = "/ciclo/2021/nuovo-peg/"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(peg_2021):
    head = user_in("galandra", GROUP_DIRIGENTE)
    Dirigente.objects.filter(name="Luca Galandra").update(user=head)
    return {
        "staff": user_in("sara", GROUP_STAFF, is_staff=True),
        "nucleo": user_in("nina", GROUP_NUCLEO),
        "head": head,
        "outsider": user_in("ugo"),
    }


def approve(peg):
    Peg.objects.filter(pk=peg.pk).update(status=PegStatus.APPROVATO, approval_number="45")


def test_staff_sees_what_will_be_created_and_confirms(client, peg_2021, people):
    approve(peg_2021)
    client.force_login(people["staff"])
    page = client.get(PREVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anteprima del PEG 2022 dal PEG 2021" in html
    assert "4 obiettivi: 4 pluriennali, 0 ricorrenti" in html
    llpp = Obiettivo.objects.get(peg=peg_2021, settore__name=LLPP, code="A")
    card = html.split(f'id="nuovo-{llpp.pk}"')[1].split("</article>")[0]
    assert "Elaborazione del master plan" in card and "85%" in card and "30/04/2022" in card
    assert '<tr class="fase-anno-nuovo" data-fase="5">' in card
    assert '<tr class="fase-altra-annualita text-muted" data-fase="1">' in card
    assert "2249" in html and "Dirigente Ing. Luca Galandra" in html  # codes and heads, linked
    assert "hanno incidenza 0%" in html  # SISTEMI INFORMATIVI A and B
    fingerprint = rollover.preview(2021).fingerprint
    assert f'value="{fingerprint}"' in html

    response = client.post(PREVIEW, {"fingerprint": fingerprint}, follow=True)
    assert response.redirect_chain[-1][0] == "/obiettivi/?anno=2022"
    assert "Creato il PEG 2022 (provvisorio) dal PEG 2021: 4 obiettivi." in response.content.decode()
    assert Peg.objects.get(year=2022).status == PegStatus.PROVVISORIO
    assert PegNota.objects.get(peg=peg_2021).author == people["staff"]


def test_the_choice_page_leads_to_the_latest_peg(client, peg_2021, people):
    client.force_login(people["staff"])
    html = client.get("/ciclo/nuovo-peg/").content.decode()
    assert "Il PEG 2021 è ancora provvisorio" in html
    assert 'href="/ciclo/2021/nuovo-peg/"' in html


def test_a_provisional_peg_shows_the_refusal_and_no_confirmation(client, peg_2021, people):
    client.force_login(people["staff"])
    html = client.get(PREVIEW).content.decode()
    assert "Il PEG 2021 è ancora provvisorio: il PEG dell&#x27;anno successivo si crea da un PEG approvato" in html
    assert 'id="form-nuovo-peg"' not in html
    fingerprint = rollover.preview(2021).fingerprint
    html = client.post(PREVIEW, {"fingerprint": fingerprint}).content.decode()
    assert 'id="rifiuto"' in html and "ancora provvisorio" in html
    assert not Peg.objects.filter(year=2022).exists()


def test_a_stale_preview_is_refused_and_shown_again(client, peg_2021, people):
    approve(peg_2021)
    client.force_login(people["staff"])
    stale = rollover.preview(2021).fingerprint
    fase = Obiettivo.objects.get(peg=peg_2021, settore__name=LLPP, code="A").fasi.get(label="5")
    fase.description = "Piano programmatico aggiornato"
    fase.save()
    response = client.post(PREVIEW, {"fingerprint": stale})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Il PEG 2021 è cambiato dopo l&#x27;anteprima" in html
    assert "Piano programmatico aggiornato" in html
    assert f'value="{rollover.preview(2021).fingerprint}"' in html
    assert not Peg.objects.filter(year=2022).exists()


def test_the_nucleo_sees_the_preview_but_may_not_confirm(client, peg_2021, people):
    approve(peg_2021)
    client.force_login(people["nucleo"])
    html = client.get(PREVIEW).content.decode()
    assert 'id="form-nuovo-peg"' not in html and 'id="solo-staff"' in html
    response = client.post(PREVIEW, {"fingerprint": rollover.preview(2021).fingerprint})
    assert response.status_code == 403
    assert not Peg.objects.filter(year=2022).exists()


@pytest.mark.parametrize("who", ["head", "outsider"])
def test_heads_and_outsiders_get_404(client, peg_2021, people, who):
    approve(peg_2021)
    client.force_login(people[who])
    fingerprint = rollover.preview(2021).fingerprint
    assert client.get(PREVIEW).status_code == 404
    assert client.get("/ciclo/nuovo-peg/").status_code == 404
    assert client.post(PREVIEW, {"fingerprint": fingerprint}).status_code == 404
    assert not Peg.objects.filter(year=2022).exists()


def test_anonymous_goes_to_login_and_an_unknown_year_is_404(client, peg_2021, people):
    assert client.get(PREVIEW).url.startswith("/accesso/")
    client.force_login(people["staff"])
    assert client.get("/ciclo/1999/nuovo-peg/").status_code == 404


HYPOTHESIS = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ITALIAN = (
    "Anteprima mancante: aprire di nuovo l'anteprima e confermare da lì.",
    "Anteprima non riconosciuta: aprire di nuovo l'anteprima e confermare da lì.",
    "Il PEG 2021 è cambiato dopo l'anteprima: controllare di nuovo cosa verrà creato prima di confermare.",
    "I caratteri null non sono ammessi.",  # Django's own validator, in Italian
)


@pytest.fixture
def staff_and_approved(peg_2021):
    approve(peg_2021)
    return user_in("sara", GROUP_STAFF, is_staff=True)


@HYPOTHESIS
@given(text=st.one_of(st.text(max_size=70), st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)))
@example(text="")
@example(text="0" * 64)
@example(text="A" * 64)
def test_any_confirmation_is_refused_in_italian_or_creates_the_peg(staff_and_approved, text):
    with transaction.atomic():
        form = RolloverConfirmForm({"fingerprint": text})
        messages = []
        if form.is_valid():
            try:
                rollover.create(year=2021, user=staff_and_approved, fingerprint=form.cleaned_data["fingerprint"])
            except rollover.RolloverError as exc:
                messages.append(str(exc))
        else:
            messages.extend(error for errors in form.errors.values() for error in errors)
        assert messages and all(message in ITALIAN for message in messages)
        assert not Peg.objects.filter(year=2022).exists()
        transaction.set_rollback(True)


def test_the_right_fingerprint_creates(staff_and_approved):
    fingerprint = rollover.preview(2021).fingerprint
    form = RolloverConfirmForm({"fingerprint": fingerprint})
    assert form.is_valid()
    rollover.create(year=2021, user=staff_and_approved, fingerprint=form.cleaned_data["fingerprint"])
    assert Peg.objects.get(year=2022).obiettivi.count() == 4


def test_the_preview_costs_the_same_queries_however_many_objectives_it_carries(client, peg_2021, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approve(peg_2021)
    client.force_login(people["staff"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PREVIEW).status_code == 200
        return len(captured)

    four = queries()
    more = Obiettivo.objects.filter(peg=peg_2021).exclude(fasi__year__gt=2021).order_by("pk")[:10]
    Obiettivo.objects.filter(pk__in=[o.pk for o in more]).update(recurring=True)
    assert len(rollover.preview(2021).objectives) == 14
    assert queries() == four
