# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Whatever is typed in the variation form: applied whole, or refused in Italian with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cycle import services
from cycle.forms import VariazioneForm
from cycle.models import ModificaVariazione, Variazione
from objectives.models import Fase, Obiettivo, PegNota

pytestmark = pytest.mark.django_db

HYPOTHESIS = hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Every message the form or the service may show starts with one of these (Django's own are Italian).
ITALIAN = (
    "Questo campo è obbligatorio.",
    "Inserire una data nel formato gg/mm/aaaa.",
    "Inserire un numero, ad esempio 85,5.",
    "Il valore non può",
    "Al massimo",
    "Assicurati che",
    "Indicare",
    "I caratteri null non sono ammessi.",
    "La data della deliberazione non può essere futura",
    "La variazione non può precedere la deliberazione di approvazione",
    "La variazione non cambia nulla",
    "Variazione non applicata. Le incidenze delle fasi devono sommare a 100%",
    "Il ritiro dell'obiettivo è una variazione a sé",
    "Scadenza finale:",
    "Scadenza della fase",
    "Scadenza della nuova fase:",
    "Nuova fase:",
    "L'incidenza della fase",
    "Incidenza della fase",
    "Indicare un anno, ad esempio 2021.",
)

dates = st.one_of(
    st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)).map(lambda day: day.strftime("%d/%m/%Y")),
    st.text(max_size=12),
    st.sampled_from(["", "31/02/2021", "10/07/2021", "oggi"]),
)
weights = st.one_of(
    st.sampled_from(["", "0", "20", "30", "40", "50", "60", "70", "100", "12,5", "150", "-5", "1e2", "abc", "40,001"]),
    st.text(max_size=6),
)
deadlines = st.one_of(
    st.sampled_from(["", "30/06/2021", "31/12/2021", "in corso d'anno", "Conclusa", "99999 giorni dalla fase 1"]),
    st.sampled_from(["90 giorni dalla conclusione della fase 1", "31/12/9999", "presumibilmente 31/03/2022"]),
    st.text(max_size=30),
)
short = st.one_of(st.sampled_from(["", "3", "2", "4b", "Collaudo", "x\x00"]), st.text(max_size=25))

# Plausible values (a resolution, the plan's own values or sensible new ones) …
PLAUSIBLE = {
    "number": st.sampled_from(["120", "121/2021", " 7 "]),
    "date": st.sampled_from(["10/07/2021", "2021-09-01", "15/03/2021"]),
    "reason": st.sampled_from(["Finanziamento regionale", "Parere della Soprintendenza"]),
    "final": st.sampled_from(["31/12/2021", "31/03/2022", "presumibilmente 30/06/2022"]),
    "deadline1": st.sampled_from(["30/06/2021", "30/09/2021", "in corso d'anno", "60 giorni dalla fase 2"]),
    "weights": st.sampled_from([("60", "40"), ("70", "30"), ("50,00", "50"), ("50", "30"), ("80", "20"), ("", "")]),
    "new_label": st.sampled_from(["", "3", "2b"]),
    "new_description": st.sampled_from(["", "Collaudo del sistema"]),
    "new_weight": st.sampled_from(["", "0", "20", "30"]),
    "new_deadline": st.sampled_from(["", "31/12/2021", "30 giorni dalla fase 1"]),
    "new_year": st.sampled_from(["2021", "", "2022"]),
    "withdraw": st.sampled_from([False, False, False, True]),
}
# … and anything at all, for a few fields of each example.
ANY = {
    "number": short,
    "date": dates,
    "reason": short,
    "final": deadlines,
    "deadline1": deadlines,
    "weight1": weights,
    "weight2": weights,
    "new_label": short,
    "new_description": short,
    "new_weight": weights,
    "new_deadline": deadlines,
    "new_year": st.one_of(st.sampled_from(["2035", "1800", "duemila"]), st.text(max_size=5)),
    "withdraw": st.booleans(),
}


@st.composite
def typed(draw) -> dict:
    values = {name: draw(strategy) for name, strategy in PLAUSIBLE.items()}
    values["weight1"], values["weight2"] = values.pop("weights")
    for name in draw(st.sets(st.sampled_from(sorted(ANY)), max_size=3)):
        values[name] = draw(ANY[name])
    return values


@HYPOTHESIS
@given(values=typed())
@example(
    values={
        "number": "120",
        "date": "10/07/2021",
        "reason": "Ripartizione",
        "final": "31/12/2021",
        "deadline1": "30/09/2021",
        "weight1": "70",
        "weight2": "30",
        "new_label": "",
        "new_description": "",
        "new_weight": "",
        "new_deadline": "",
        "new_year": "2021",
        "withdraw": False,
    }
)
@example(
    values={
        "number": "121",
        "date": "10/07/2021",
        "reason": "Nuova fase",
        "final": "31/12/2021",
        "deadline1": "30/06/2021",
        "weight1": "50",
        "weight2": "30",
        "new_label": "3",
        "new_description": "Collaudo",
        "new_weight": "20",
        "new_deadline": "31/12/2021",
        "new_year": "2021",
        "withdraw": False,
    }
)
def test_a_variation_is_applied_whole_or_refused_in_italian(approved, values):
    world = approved
    with transaction.atomic():
        obiettivo = Obiettivo.objects.select_related("peg", "settore").get(pk=world.obiettivo.pk)
        before = snapshot(obiettivo)
        data = {
            "number": values["number"],
            "date": values["date"],
            "reason": values["reason"],
            "final_deadline_text": values["final"],
            f"deadline_{world.fase1.pk}": values["deadline1"],
            f"deadline_{world.fase2.pk}": "31/12/2021",
            f"weight_{world.fase1.pk}": values["weight1"],
            f"weight_{world.fase2.pk}": values["weight2"],
            "new_label": values["new_label"],
            "new_description": values["new_description"],
            "new_weight": values["new_weight"],
            "new_deadline": values["new_deadline"],
            "new_year": values["new_year"],
            "seen": services.plan_fingerprint(obiettivo),
        }
        if values["withdraw"]:
            data["withdraw"] = "on"
        form = VariazioneForm(data, obiettivo=obiettivo)
        messages = []
        if form.is_valid():
            try:
                variazione = services.apply_variazione(
                    obiettivo=obiettivo,
                    user=world.sara,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    changes=form.changes(),
                    seen=form.cleaned_data["seen"],
                )
            except services.CycleError as exc:
                messages = [str(exc)]
                event("refused by the service")
            else:
                event("applied")
                assert variazione.modifiche.exists()
                assert snapshot(obiettivo) != before
        else:
            messages = [message for errors in form.errors.values() for message in errors]
            event("refused by the form")
        if messages:
            assert all(message.startswith(ITALIAN) for message in messages), messages
            assert snapshot(obiettivo) == before
        transaction.set_rollback(True)


def snapshot(obiettivo) -> tuple:
    stored = Obiettivo.objects.values_list("final_deadline_text", "final_deadline", "withdrawn").get(pk=obiettivo.pk)
    phases = list(
        Fase.objects.filter(obiettivo=obiettivo).order_by("pk").values_list("label", "weight", "deadline_text", "year")
    )
    counts = (Variazione.objects.count(), ModificaVariazione.objects.count(), PegNota.objects.count())
    return stored, phases, counts
