# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A refused stale save keeps the typed text and says who changed what; progress in words per phase."""

import re

from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from objectives import workflow
from objectives.forms import PhaseUpdateForm
from objectives.models import Fase, FaseState


def version_in(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def test_a_stale_save_keeps_the_typed_text_names_the_other_author_and_saves_on_the_new_version(client, world):
    world.root.first_name, world.root.last_name = "Mario", "Rossi"
    world.root.save()
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    assert version_in(client.get(url).content.decode()) == 1
    workflow.update_phase(
        fase=Fase.objects.get(pk=world.fase1.pk),
        user=world.root,
        version=1,
        state=FaseState.IN_CORSO,
        completed_on=None,
        evidence="Determina di Mario n. 7",
    )
    when = timezone.localtime(Fase.history.filter(id=world.fase1.pk).latest("history_date").history_date)

    mine = {"state": FaseState.IN_CORSO, "completed_on": "", "evidence": "La mia evidenza scritta", "version": 1}
    response = client.post(url, mine)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"modificata da Mario Rossi alle {when:%H:%M}" in page
    assert "La mia evidenza scritta</textarea>" in page
    assert "Determina di Mario n. 7" in page  # the other save's new value
    assert "«Da avviare» → «In corso»" in page  # the other save's old and new state
    assert Fase.objects.get(pk=world.fase1.pk).evidence == "Determina di Mario n. 7"

    again = client.post(url, {**mine, "version": version_in(page)})

    assert again.status_code == 302
    assert Fase.objects.get(pk=world.fase1.pk).evidence == "La mia evidenza scritta"


def test_a_stale_save_by_the_same_user_says_it_came_from_another_window(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    workflow.update_phase(
        fase=world.fase1, user=world.alice, version=1, state=FaseState.IN_CORSO, completed_on=None, evidence="prima"
    )
    response = client.post(url, {"state": FaseState.IN_CORSO, "completed_on": "", "evidence": "dopo", "version": 1})
    assert "modificata da te in un&#x27;altra finestra alle" in response.content.decode()


def test_the_head_records_progress_in_words_shown_on_the_page_and_in_the_history_with_the_score_unchanged(
    client, world
):
    score_before = workflow.computed_score(world.obiettivo)
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    data = {
        "state": FaseState.IN_CORSO,
        "completed_on": "",
        "evidence": "",
        "progress_percent": "40",
        "progress_note": "Bozza del regolamento inviata agli uffici",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302

    fase = Fase.objects.get(pk=world.fase1.pk)
    assert (fase.progress_percent, fase.progress_note) == (40, "Bozza del regolamento inviata agli uffici")
    assert workflow.computed_score(world.obiettivo) == score_before
    page = client.get(reverse("objectives:detail", args=[world.obiettivo.pk])).content.decode()
    assert "<strong>Avanzamento 40%</strong>: Bozza del regolamento inviata agli uffici" in page
    history = page[page.index('id="cronologia"') :]
    assert "<strong>avanzamento (%)</strong>: — → 40</div>" in history
    assert "<strong>nota sull&#x27;avanzamento</strong>: — → Bozza del regolamento" in history
    form = client.get(url).content.decode()
    assert 'name="progress_percent" value="40"' in form


def test_a_progress_over_100_is_refused_by_the_form_and_nothing_changes(client, world):
    client.force_login(world.alice)
    url = reverse("objectives:phase_update", args=[world.fase1.pk])
    data = {"state": FaseState.IN_CORSO, "completed_on": "", "progress_percent": "140", "version": 1}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "100" in response.content.decode()
    fase = Fase.objects.get(pk=world.fase1.pk)
    assert (fase.version, fase.progress_percent) == (1, None)


def test_other_callers_of_update_phase_keep_the_recorded_progress(world):
    workflow.update_phase(
        fase=world.fase1,
        user=world.alice,
        version=1,
        state=FaseState.IN_CORSO,
        completed_on=None,
        evidence="",
        progress_percent=40,
        progress_note="metà strada",
    )
    workflow.update_phase(
        fase=world.fase1, user=world.alice, version=2, state=FaseState.IN_CORSO, completed_on=None, evidence="x"
    )
    fase = Fase.objects.get(pk=world.fase1.pk)
    assert (fase.progress_percent, fase.progress_note) == (40, "metà strada")
    assert Fase.objects.with_recorded_progress().filter(pk=fase.pk).exists()


@given(typed=st.one_of(st.text(max_size=12), st.integers(-1000, 1000).map(str)))
@settings(max_examples=150, deadline=None)
def test_any_typed_progress_is_a_whole_percentage_or_an_italian_message_never_an_exception(typed):
    form = PhaseUpdateForm({"state": FaseState.IN_CORSO, "progress_percent": typed, "version": 1})
    if form.is_valid():
        value = form.cleaned_data["progress_percent"]
        assert value is None or (isinstance(value, int) and 0 <= value <= 100)
    else:
        message = " ".join(form.errors.get("progress_percent", []))
        assert re.search(r"numero intero|inferiore|superiore|maggiore|minore|caratteri", message), message
