# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The count next to "Le mie attività" in the header.

Pages do not compute it: the header's script asks /attivita/conteggio/ after the page is shown,
so no page pays for it in queries (their pinned counts stay what they are) and it is never stale.
The answer is cached per user under a stamp of the data it depends on (one query): computed
again only after something changed.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Subquery
from django.utils import timezone

from activities.selectors import my_tasks
from evaluation.models import NotaScheda
from objectives.forms import PlanQueryForm
from objectives.models import Fase, Obiettivo, Peg

# A safety net (a head linked to a unit leaves no history row): the key changes with the data.
BADGE_SECONDS = 10 * 60


def _latest(model, field: str):
    return Subquery(model.objects.order_by(f"-{field}").values(field)[:1])


def data_stamp(user) -> tuple:
    """What the count depends on, in one cheap query: the latest change of any objective, phase or
    PEG (their history rows: every door writes one), of any evaluation form (its notes), and today."""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            fase=_latest(Fase.history.model, "history_id"),
            obiettivo=_latest(Obiettivo.history.model, "history_id"),
            peg=_latest(Peg.history.model, "history_id"),
            scheda=_latest(NotaScheda, "pk"),
        )
        .values_list("fase", "obiettivo", "peg", "scheda")
        .first()
    )
    return (*(row or ()), timezone.localdate().isoformat())


def _cache_key(user, stamp: tuple) -> str:
    return "activities:count:{}:{}".format(user.pk, ":".join(str(part) for part in stamp))


def remember_count(user, count: int, stamp: tuple | None = None) -> None:
    cache.set(_cache_key(user, stamp or data_stamp(user)), count, BADGE_SECONDS)


def current_count(user) -> int:
    """The number of things to do in the most recent PEG at its default date: one query while the
    data has not changed since it was last counted, the whole count (fixed queries) otherwise."""
    stamp = data_stamp(user)
    count = cache.get(_cache_key(user, stamp))
    if count is None:
        query = PlanQueryForm({})
        count = my_tasks(user, query.peg, query.monitoring_date).count
        remember_count(user, count, stamp)
    return count
