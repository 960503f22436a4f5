# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Who may see and do what in the evaluation of the heads: the one place that decides it.

Built on objectives.access (roles, headed units), never restating a role check:

- heads' results: the Nucleo, staff and administrators see every head's; a head sees their own;
- a head's evaluation form (scheda): only that head, the Nucleo and administrators (staff does
  not: it is one person's evaluation); anyone else gets a 404;
- the Nucleo (or an administrator) opens the form, scores the behaviours, notifies it, concludes
  a review and closes it; only the evaluated head acknowledges it and asks for a review, within
  the PEG's number of days from the acknowledgement.

Views turn "may not see" into 404 and "sees but may not act" into 403.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from evaluation.models import EvaluationSettings, Scheda, SchedaStatus
from objectives import access as core
from sectors.models import Dirigente

SCORABLE_STATES = {SchedaStatus.BOZZA, SchedaStatus.RIESAME_RICHIESTO}


# --- The PEG's evaluation rules ----------------------------------------------------------------


def rules_are_editable(peg) -> bool:
    """The shares, scale, review days and behaviour catalogue of a PEG may change (admin, history
    revert, bulk edits) only while none of its forms has been notified to a head: after that they
    are what the heads were evaluated on."""
    return peg is None or not Scheda.objects.filter(peg=peg).exclude(status=SchedaStatus.BOZZA).exists()


# --- Heads' results ----------------------------------------------------------------------------


def visible_heads(user) -> QuerySet[Dirigente]:
    """The heads whose result the user may open: everyone for Nucleo, staff and admin, else oneself."""
    if not user.is_authenticated or not user.is_active:
        return Dirigente.objects.none()
    if core.sees_everything(user):
        return Dirigente.objects.all()
    return Dirigente.objects.filter(user=user)


def may_see_results(user) -> bool:
    """Whether the results pages offer anything to this user (the navbar's link)."""
    if not user.is_authenticated:
        return False
    return visible_heads(user).exists()


def offers_results_link(user) -> bool:
    """The navbar's link, without a query of its own: whoever sees everything, and the heads' group
    (the groups are read once per request by objectives.access and kept on the user)."""
    if not user.is_authenticated:
        return False
    return core.sees_everything(user) or core.GROUP_DIRIGENTE in core.group_names(user)


def get_head_for_user(user, pk) -> Dirigente:
    try:
        return visible_heads(user).get(pk=pk)
    except (Dirigente.DoesNotExist, ValueError):
        raise Http404("Responsabile non trovato.") from None


# --- The evaluation form ---------------------------------------------------------------------


def is_evaluated(user, scheda: Scheda) -> bool:
    """The user is the head the form evaluates."""
    return user.is_authenticated and scheda.dirigente.user_id is not None and scheda.dirigente.user_id == user.pk


def can_see_scheda(user, scheda: Scheda) -> bool:
    return core.is_nucleo(user) or is_evaluated(user, scheda)


def visible_schede(user) -> QuerySet[Scheda]:
    if not user.is_authenticated or not user.is_active:
        return Scheda.objects.none()
    if core.is_nucleo(user):
        return Scheda.objects.all()
    return Scheda.objects.filter(dirigente__user=user)


def get_scheda_for_user(user, pk) -> Scheda:
    """The form, or 404 when it does not exist or the user may not see it (no hint which)."""
    try:
        return visible_schede(user).select_related("peg", "dirigente").get(pk=pk)
    except (Scheda.DoesNotExist, ValueError):
        raise Http404("Scheda di valutazione non trovata.") from None


def find_scheda_for_user(user, peg, dirigente) -> Scheda | None:
    return visible_schede(user).filter(peg=peg, dirigente=dirigente).first()


def can_open_scheda(user) -> bool:
    return core.is_nucleo(user)


def can_score(user, scheda: Scheda) -> bool:
    """Score the behaviours: the Nucleo, on a draft or while a review is pending."""
    return core.is_nucleo(user) and scheda.status in SCORABLE_STATES


def can_notify(user, scheda: Scheda) -> bool:
    return core.is_nucleo(user) and scheda.status == SchedaStatus.BOZZA


def can_acknowledge(user, scheda: Scheda) -> bool:
    return is_evaluated(user, scheda) and scheda.status == SchedaStatus.NOTIFICATA


def review_deadline(scheda: Scheda, settings: EvaluationSettings) -> dt.date | None:
    """The last day on which the head may ask for a review: acknowledgement + the PEG's days."""
    if scheda.acknowledged_at is None:
        return None
    return timezone.localdate(scheda.acknowledged_at) + dt.timedelta(days=settings.review_days)


def review_window_open(scheda: Scheda, settings: EvaluationSettings, today: dt.date) -> bool:
    deadline = review_deadline(scheda, settings)
    return scheda.status == SchedaStatus.PRESA_VISIONE and deadline is not None and today <= deadline


def can_request_review(user, scheda: Scheda, settings: EvaluationSettings, today: dt.date) -> bool:
    return is_evaluated(user, scheda) and review_window_open(scheda, settings, today)


def can_conclude_review(user, scheda: Scheda) -> bool:
    return core.is_nucleo(user) and scheda.status == SchedaStatus.RIESAME_RICHIESTO


def can_close(user, scheda: Scheda, settings: EvaluationSettings, today: dt.date) -> bool:
    """The Nucleo closes a form once its review is concluded, or once the head's window has passed."""
    if not core.is_nucleo(user):
        return False
    if scheda.status == SchedaStatus.RIESAME_CONCLUSO:
        return True
    return scheda.status == SchedaStatus.PRESA_VISIONE and not review_window_open(scheda, settings, today)


def permissions_for(user, scheda: Scheda, settings: EvaluationSettings, today: dt.date) -> dict[str, bool]:
    """What the form's page offers this user, computed once for the template."""
    return {
        "score": can_score(user, scheda),
        "notify": can_notify(user, scheda),
        "acknowledge": can_acknowledge(user, scheda),
        "request_review": can_request_review(user, scheda, settings, today),
        "conclude_review": can_conclude_review(user, scheda),
        "close": can_close(user, scheda, settings, today),
        "evaluated": is_evaluated(user, scheda),
    }
