# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Whatever is typed in the Nucleo's score form: saved whole, or refused in Italian with nothing changed."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evaluation import services
from evaluation.forms import ScoreForm
from evaluation.models import NotaScheda, PunteggioComportamento
from evaluation.selectors import catalogue_for, settings_for

ITALIAN_ERRORS = {"Attribuire un punteggio.", "Il punteggio va da 1 a 5.", "I caratteri null non sono ammessi."}


@pytest.fixture
def scheda(scenario):
    return services.open_scheda(peg=scenario.peg, dirigente=scenario.robotti, user=scenario.nina)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.one_of(st.integers(-3, 9).map(str), st.text(max_size=6), st.just("")), min_size=5, max_size=5),
    comment=st.one_of(st.text(max_size=30), st.just("nota\x00")),
)
def test_a_score_form_is_saved_whole_or_refused_in_italian(scenario, scheda, values, comment):
    PunteggioComportamento.objects.filter(scheda=scheda).delete()
    notes = NotaScheda.objects.filter(scheda=scheda).count()
    catalogue = catalogue_for(scenario.peg)
    data = {f"score_{c.pk}": value for c, value in zip(catalogue, values, strict=True)}
    data |= {f"comment_{c.pk}": comment for c in catalogue}
    form = ScoreForm(data, catalogue=catalogue, settings=settings_for(scenario.peg))

    valid = all(value in {"1", "2", "3", "4", "5"} for value in values) and "\x00" not in comment
    if form.is_valid():
        services.score_behaviours(scheda=scheda, user=scenario.nina, scores=form.scores(), comment=comment)
        assert valid
        assert PunteggioComportamento.objects.filter(scheda=scheda).count() == 5
        assert NotaScheda.objects.filter(scheda=scheda).count() == notes + 1
    else:
        assert not valid
        messages = {message for errors in form.errors.values() for message in errors}
        assert messages and messages <= ITALIAN_ERRORS
        assert PunteggioComportamento.objects.filter(scheda=scheda).count() == 0
        assert NotaScheda.objects.filter(scheda=scheda).count() == notes
