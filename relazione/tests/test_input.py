# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Whatever is typed in the Relazione's forms: saved whole, or refused in Italian with nothing changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction
from docx import Document
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from relazione import access, services
from relazione.exports import relazione_docx
from relazione.forms import NarrativeForm, ValidationForm
from relazione.models import Esito, Relazione, ValidazioneRelazione

pytestmark = pytest.mark.django_db

TEXTS = {"introduction": "Introduzione.", "context": "Contesto.", "critical_issues": "Criticità."}
ITALIAN = (
    "Una data nel formato gg/mm/aaaa.",
    "La data è obbligatoria.",
    "Scegliere l'esito.",
    "Esito non riconosciuto.",
    "I caratteri null non sono ammessi.",
    "Per questo esito le osservazioni o i motivi sono obbligatori.",
    "La validazione segue la chiusura dell'anno",
    "La data del documento di validazione non può essere futura.",
)
HYPOTHESIS = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dates = st.one_of(
    st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)).map(lambda day: day.strftime("%d/%m/%Y")),
    st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)).map(lambda day: day.isoformat()),
    st.text(max_size=12),
    st.sampled_from(["", "31/02/2022", "15/4/2022", "2022-13-01", "oggi"]),
)
outcomes = st.one_of(st.sampled_from(Esito.values), st.text(max_size=10))
notes = st.one_of(st.just(""), st.text(max_size=40), st.just("osservazione\x00"))


@HYPOTHESIS
@given(date=dates, outcome=outcomes, text=notes)
@example(date="15/04/2022", outcome=Esito.VALIDATA, text="")
@example(date="2022-04-15", outcome=Esito.NON_VALIDATA, text="Da rivedere")
def test_a_validation_is_recorded_whole_or_refused_in_italian(scenario, date, outcome, text):
    with transaction.atomic():
        services.save_narrative(peg=scenario.peg, user=scenario.sara, **TEXTS)
        form = ValidationForm({"date": date, "outcome": outcome, "notes": text})
        messages = []
        if form.is_valid():
            try:
                validation = services.validate(peg=scenario.peg, user=scenario.nina, **form.cleaned_data)
            except services.RelazioneError as exc:
                messages = [str(exc)]
            else:
                assert validation.outcome == outcome and validation.notes == text.strip()
                assert access.is_locked(Relazione.objects.get()) == validation.is_positive
        else:
            messages = [message for errors in form.errors.values() for message in errors]
        if messages:
            assert all(message.startswith(ITALIAN) for message in messages), messages
            assert not ValidazioneRelazione.objects.exists()
        transaction.set_rollback(True)


@HYPOTHESIS
@given(texts=st.lists(st.one_of(st.text(max_size=60), st.just("testo\x00")), min_size=3, max_size=3))
def test_the_narrative_is_saved_whole_or_refused_in_italian(scenario, texts):
    with transaction.atomic():
        data = dict(zip(TEXTS, texts, strict=True))
        form = NarrativeForm(data, instance=services.relazione_for(scenario.peg))
        if form.is_valid():
            relazione = services.save_narrative(peg=scenario.peg, user=scenario.sara, **form.cleaned_data)
            assert [getattr(relazione, name) for name in TEXTS] == [
                value.strip() for value in form.cleaned_data.values()
            ]
            # Whatever was typed, the editable export opens (XML cannot hold control characters).
            assert Document(io.BytesIO(relazione_docx(relazione))).paragraphs
        else:
            assert any("\x00" in value for value in texts)
            assert {m for errors in form.errors.values() for m in errors} == {"I caratteri null non sono ammessi."}
            assert not Relazione.objects.exists()
        transaction.set_rollback(True)
