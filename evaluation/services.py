# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The procedure of a head's evaluation form, and the demo's evaluation data.

    bozza ──notify──▶ notificata ──acknowledge──▶ presa visione ──close (window passed)──▶ chiusa
      ▲ score                                         │ request_review (head, within the days)
                                                      ▼
                              riesame richiesto ──conclude_review──▶ riesame concluso ──close──▶ chiusa
                                  ▲ score

Every act is one transaction, keyword-only, asks evaluation.access whether the user may do it
(the views, the admin and any command obey the same rule) and writes a NotaScheda.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluation import access
from evaluation.models import (
    Comportamento,
    EvaluationSettings,
    NotaKind,
    NotaScheda,
    PunteggioComportamento,
    Scheda,
    SchedaStatus,
)
from evaluation.selectors import scheda_view, settings_for
from objectives.models import Peg, ScoreBand
from sectors.models import Dirigente


class EvaluationError(Exception):
    """An act refused; the message is Italian and shown to the user as is."""


class NotAllowed(EvaluationError):
    """The user may see the form but not do this (views answer 403)."""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EvaluationError(f"{what}: la motivazione è obbligatoria.")
    return value


def _locked(scheda: Scheda) -> Scheda:
    """Re-read the form inside the transaction, locking its row where the database can."""
    return Scheda.objects.select_for_update(of=("self",)).select_related("peg", "dirigente").get(pk=scheda.pk)


def _note(scheda: Scheda, user, kind: str, text: str = "") -> NotaScheda:
    return NotaScheda.objects.create(scheda=scheda, kind=kind, text=text, author=user, total=scheda.total)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


@transaction.atomic
def open_scheda(*, peg: Peg, dirigente: Dirigente, user) -> Scheda:
    """The Nucleo opens the draft form of a head for a PEG (one per head and PEG)."""
    _require(access.can_open_scheda(user), "Solo il Nucleo di Valutazione apre una scheda di valutazione.")
    if Scheda.objects.filter(peg=peg, dirigente=dirigente).exists():
        raise EvaluationError(f"La scheda di valutazione {peg.year} di {dirigente} esiste già.")
    scheda = Scheda.objects.create(peg=peg, dirigente=dirigente)
    _note(scheda, user, NotaKind.APERTURA)
    return scheda


@transaction.atomic
def score_behaviours(*, scheda: Scheda, user, scores: dict[int, tuple[int, str]], comment: str = "") -> Scheda:
    """The Nucleo scores the behaviours (behaviour id → (score, comment)) and writes its overall judgement."""
    scheda = _locked(scheda)
    _require(
        access.can_score(user, scheda),
        "Solo il Nucleo attribuisce i punteggi, sulla scheda in bozza o durante il riesame.",
    )
    settings = settings_for(scheda.peg)
    catalogue = {comportamento.pk: comportamento for comportamento in Comportamento.objects.filter(peg=scheda.peg)}
    lines = []
    for pk, (score, text) in scores.items():
        comportamento = catalogue.get(pk)
        if comportamento is None:
            raise EvaluationError("Comportamento non presente nel catalogo del PEG.")
        if score is None or not settings.scale_min <= int(score) <= settings.scale_max:
            raise EvaluationError(
                f"«{comportamento.name}»: il punteggio va da {settings.scale_min} a {settings.scale_max}."
            )
        PunteggioComportamento.objects.update_or_create(
            scheda=scheda, comportamento=comportamento, defaults={"score": int(score), "comment": (text or "").strip()}
        )
        lines.append(f"{comportamento.name}: {int(score)}")
    scheda.comment = (comment or "").strip()
    scheda.save(update_fields=["comment"])
    _note(scheda, user, NotaKind.PUNTEGGI, "; ".join(lines))
    return scheda


def _snapshot(scheda: Scheda) -> None:
    """Keep on the form the figures computed now; refuse when they cannot be computed."""
    figures = scheda_view(scheda, live=True).figures
    if figures.total is None:
        raise EvaluationError("La scheda non è completa: " + "; ".join(figures.missing) + ".")
    scheda.objectives_share = figures.objectives_share
    scheda.behaviours_share = figures.behaviours_share
    scheda.objectives_result = figures.objectives_result
    scheda.behaviours_result = figures.behaviours_result
    scheda.total = figures.total
    scheda.band_label = figures.band_label
    scheda.pay_share = figures.pay_share


SNAPSHOT_FIELDS = [
    "objectives_share",
    "behaviours_share",
    "objectives_result",
    "behaviours_result",
    "total",
    "band_label",
    "pay_share",
]


@transaction.atomic
def notify(*, scheda: Scheda, user, now: dt.datetime | None = None) -> Scheda:
    """The Nucleo notifies the completed form to the head: bozza → notificata; its figures are kept."""
    scheda = _locked(scheda)
    _require(access.can_notify(user, scheda), "Solo il Nucleo notifica una scheda in bozza.")
    _snapshot(scheda)
    scheda.status = SchedaStatus.NOTIFICATA
    scheda.notified_at = _now(now)
    scheda.save(update_fields=[*SNAPSHOT_FIELDS, "status", "notified_at"])
    _note(scheda, user, NotaKind.NOTIFICA)
    return scheda


@transaction.atomic
def acknowledge(*, scheda: Scheda, user, now: dt.datetime | None = None) -> Scheda:
    """The head acknowledges the form (presa visione): notificata → presa visione; the review window opens."""
    scheda = _locked(scheda)
    _require(access.can_acknowledge(user, scheda), "Solo il responsabile valutato prende visione della scheda.")
    scheda.status = SchedaStatus.PRESA_VISIONE
    scheda.acknowledged_at = _now(now)
    scheda.save(update_fields=["status", "acknowledged_at"])
    _note(scheda, user, NotaKind.PRESA_VISIONE)
    return scheda


@transaction.atomic
def request_review(*, scheda: Scheda, user, reason: str, now: dt.datetime | None = None) -> Scheda:
    """The head asks for a review, with a reason, within the PEG's days: presa visione → riesame richiesto."""
    now = _now(now)
    scheda = _locked(scheda)
    settings = settings_for(scheda.peg)
    if not access.can_request_review(user, scheda, settings, timezone.localdate(now)):
        if access.is_evaluated(user, scheda) and scheda.status == SchedaStatus.PRESA_VISIONE:
            deadline = access.review_deadline(scheda, settings)
            raise NotAllowed(f"Il termine per chiedere il riesame è scaduto il {deadline:%d/%m/%Y}.")
        raise NotAllowed("Solo il responsabile valutato chiede il riesame, dopo la presa visione.")
    scheda.review_reason = _text(reason, "Richiesta di riesame")
    scheda.status = SchedaStatus.RIESAME_RICHIESTO
    scheda.review_requested_at = now
    scheda.save(update_fields=["review_reason", "status", "review_requested_at"])
    _note(scheda, user, NotaKind.RICHIESTA_RIESAME, scheda.review_reason)
    return scheda


@transaction.atomic
def conclude_review(*, scheda: Scheda, user, answer: str, now: dt.datetime | None = None) -> Scheda:
    """The Nucleo answers the review (having rescored, if it so decided): riesame richiesto → riesame concluso.

    The figures kept on the form are recomputed: the answer may have changed the scores, and an
    objective may have been validated in the meantime.
    """
    scheda = _locked(scheda)
    _require(access.can_conclude_review(user, scheda), "Solo il Nucleo conclude un riesame richiesto.")
    answer = _text(answer, "Esito del riesame")
    _snapshot(scheda)
    scheda.review_answer = answer
    scheda.status = SchedaStatus.RIESAME_CONCLUSO
    scheda.review_concluded_at = _now(now)
    scheda.save(update_fields=[*SNAPSHOT_FIELDS, "review_answer", "status", "review_concluded_at"])
    _note(scheda, user, NotaKind.RIESAME_CONCLUSO, answer)
    return scheda


@transaction.atomic
def close(*, scheda: Scheda, user, now: dt.datetime | None = None) -> Scheda:
    """The Nucleo closes the form: after a concluded review, or once the head's review window has passed."""
    now = _now(now)
    scheda = _locked(scheda)
    settings = settings_for(scheda.peg)
    if scheda.status == SchedaStatus.PRESA_VISIONE and access.review_window_open(
        scheda, settings, timezone.localdate(now)
    ):
        deadline = access.review_deadline(scheda, settings)
        raise NotAllowed(
            f"Il responsabile può chiedere il riesame fino al {deadline:%d/%m/%Y}: la scheda resta aperta."
        )
    _require(
        access.can_close(user, scheda, settings, timezone.localdate(now)),
        "Solo il Nucleo chiude la scheda, dopo la presa visione o il riesame.",
    )
    scheda.status = SchedaStatus.CHIUSA
    scheda.closed_at = now
    scheda.save(update_fields=["status", "closed_at"])
    _note(scheda, user, NotaKind.CHIUSURA)
    return scheda


# --- The demo's evaluation data ------------------------------------------------------------------

# An example of score bands (see DOMAIN.md): from the minimum score up, that share of result pay.
DEMO_BANDS = [
    (Decimal("95"), Decimal("100"), "Fascia 1"),
    (Decimal("80"), Decimal("80"), "Fascia 2"),
    (Decimal("60"), Decimal("60"), "Fascia 3"),
    (Decimal("0"), Decimal("0"), "Fascia 4"),
]

# Typical organisational behaviours of an SMVP, with their weights (summing to 100).
DEMO_BEHAVIOURS = [
    (
        "Capacità di programmazione e organizzazione",
        "Pianifica le attività della struttura, distribuisce i carichi di lavoro, rispetta i tempi.",
        Decimal("25"),
    ),
    (
        "Gestione e valorizzazione dei collaboratori",
        "Motiva, responsabilizza e fa crescere i collaboratori; valuta differenziando.",
        Decimal("25"),
    ),
    (
        "Capacità di innovazione e semplificazione",
        "Propone e realizza miglioramenti dei processi, digitalizzazione, semplificazione per l'utenza.",
        Decimal("20"),
    ),
    (
        "Integrazione e collaborazione con le altre strutture",
        "Collabora con gli altri settori e con gli organi dell'ente; condivide le informazioni.",
        Decimal("15"),
    ),
    (
        "Orientamento all'utenza e alla qualità del servizio",
        "Ascolta i bisogni degli utenti interni ed esterni, cura la qualità e la tempestività delle risposte.",
        Decimal("15"),
    ),
]


@transaction.atomic
def ensure_demo_evaluation(*, peg: Peg) -> list[str]:
    """Give the PEG what the demo shows, where it has none: the score bands, the 70/30 settings and
    the catalogue of behaviours. Never changes what is there (bands or behaviours edited in the
    admin survive). Returns one Italian line per thing added."""
    added = []
    if not ScoreBand.objects.filter(peg=peg).exists():
        ScoreBand.objects.bulk_create(
            ScoreBand(peg=peg, min_score=floor, pay_share=share, label=label) for floor, share, label in DEMO_BANDS
        )
        added.append(f"{len(DEMO_BANDS)} fasce di valutazione")
    if not EvaluationSettings.objects.filter(peg=peg).exists():
        EvaluationSettings.objects.create(peg=peg)
        added.append("impostazioni della valutazione individuale (obiettivi 70%, comportamenti 30%)")
    if not Comportamento.objects.filter(peg=peg).exists():
        for order, (name, description, weight) in enumerate(DEMO_BEHAVIOURS, start=1):
            Comportamento.objects.create(peg=peg, name=name, description=description, weight=weight, print_order=order)
        added.append(f"{len(DEMO_BEHAVIOURS)} comportamenti organizzativi")
    return added
