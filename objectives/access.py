# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Who may see and do what: the one place that decides it.

Roles are Django groups, plus the link between a user and the units they head:

- a head of unit (sectors.Dirigente.user) sees their units' objectives and updates their phases
  while the objective is open (in corso, rinviato); they also see, read-only, the objectives of
  other units whose phases cite their unit's Responsabile code;
- the Nucleo di Valutazione sees everything, neutralises phases, records partial achievements,
  returns and validates reported objectives; it never edits a head's report;
- Programmazione e Controllo (staff) sees everything and edits the plan in the admin;
- administrators (superusers) may do everything, and alone may reopen a validated objective.

Views ask these functions and turn "may not see" into 404, "sees but may not act" into 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from objectives.models import Allegato, Fase, Obiettivo, ObiettivoStatus, Peg, PegStatus
from sectors.models import Settore

GROUP_DIRIGENTE = "Dirigente"
GROUP_NUCLEO = "Nucleo di Valutazione"
GROUP_STAFF = "Programmazione e Controllo"

OPEN_STATES = {ObiettivoStatus.IN_CORSO, ObiettivoStatus.RINVIATO}


def group_names(user) -> set[str]:
    # Cached on the user object: a page asks several questions about one user.
    if not hasattr(user, "_peg_groups"):
        user._peg_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._peg_groups


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def is_nucleo(user) -> bool:
    return is_admin(user) or (user.is_authenticated and GROUP_NUCLEO in group_names(user))


def is_staff_reader(user) -> bool:
    return is_admin(user) or (user.is_authenticated and GROUP_STAFF in group_names(user))


def sees_everything(user) -> bool:
    return is_admin(user) or is_nucleo(user) or is_staff_reader(user)


def role_label(user) -> str:
    # Cached on the user object too: every template a page renders (its table's as well) shows it.
    if not hasattr(user, "_peg_role"):
        user._peg_role = _role_label(user)
    return user._peg_role


def _role_label(user) -> str:
    if is_admin(user):
        return "Amministratore"
    if is_nucleo(user):
        return "Nucleo di Valutazione"
    if is_staff_reader(user):
        return "Programmazione e Controllo"
    if headed_settori(user).exists():
        return "Responsabile di struttura"
    return "Utente"


# --- Units ------------------------------------------------------------------------------------


def headed_settori(user) -> QuerySet[Settore]:
    if not user.is_authenticated:
        return Settore.objects.none()
    return Settore.objects.headed_by_user(user)


def visible_settori(user) -> QuerySet[Settore]:
    """Units whose page the user may open: all of them for Nucleo and staff, else the ones they head."""
    if not user.is_authenticated:
        return Settore.objects.none()
    if sees_everything(user):
        return Settore.objects.all()
    return headed_settori(user)


def get_settore_for_user(user, pk) -> Settore:
    try:
        return visible_settori(user).select_related("head", "responsabile").get(pk=pk)
    except Settore.DoesNotExist:
        raise Http404("Struttura non trovata.") from None


# --- Objectives -------------------------------------------------------------------------------


def _visible_ids(user) -> QuerySet:
    """The ids of a head's objectives: those of the units they head, and those whose phases cite
    their units' Responsabile code. One subquery of a few ids: the objectives' query then finds them
    by primary key, instead of joining every objective of a large PEG to its unit and head."""
    own = Obiettivo.objects.filter(settore__in=Settore.objects.headed_by_user(user)).order_by().values("pk")
    cited = Fase.objects.filter(responsabili__settori__head__user=user).order_by().values("obiettivo_id")
    return own.union(cited)


def visible_objectives(user, *, read_ids: bool = False) -> QuerySet[Obiettivo]:
    """Every objective the user may open; outsiders get an empty queryset.

    read_ids: for a page that asks several queries of them (the list: its count, its units, its
    rows), a head's ids are read once here, instead of the subquery being planned and run in each."""
    if not user.is_authenticated or not user.is_active:
        return Obiettivo.objects.none()
    if sees_everything(user):
        return Obiettivo.objects.all()
    ids = _visible_ids(user)
    if read_ids:
        return Obiettivo.objects.filter(pk__among=list(ids.values_list("pk", flat=True)))
    return Obiettivo.objects.filter(pk__in=ids)


def get_objective_for_user(user, pk, queryset: QuerySet[Obiettivo] | None = None) -> Obiettivo:
    """The objective, or 404 when it does not exist or the user may not see it (no hint which)."""
    base = queryset if queryset is not None else Obiettivo.objects.all()
    try:
        return base.filter(pk__in=visible_objectives(user).values("pk")).get(pk=pk)
    except (Obiettivo.DoesNotExist, ValueError):
        raise Http404("Obiettivo non trovato.") from None


def get_phase_for_user(user, pk) -> Fase:
    try:
        return (
            Fase.objects.select_related("obiettivo", "obiettivo__peg", "obiettivo__settore", "obiettivo__settore__head")
            .filter(obiettivo__in=visible_objectives(user).values("pk"))
            .get(pk=pk)
        )
    except (Fase.DoesNotExist, ValueError):
        raise Http404("Fase non trovata.") from None


def get_attachment_for_user(user, pk) -> Allegato:
    try:
        return (
            Allegato.objects.select_related("fase", "fase__obiettivo", "fase__obiettivo__settore")
            .filter(fase__obiettivo__in=visible_objectives(user).values("pk"))
            .get(pk=pk)
        )
    except (Allegato.DoesNotExist, ValueError):
        raise Http404("Allegato non trovato.") from None


def heads_objective(user, obiettivo: Obiettivo) -> bool:
    """The user heads the unit the objective belongs to (not merely cited in one of its phases)."""
    if not user.is_authenticated:
        return False
    head = obiettivo.settore.head
    return head is not None and head.user_id == user.pk


def is_locked(obiettivo: Obiettivo) -> bool:
    return obiettivo.status == ObiettivoStatus.VALIDATO


# The PEG's states in which its plan changes only through a variazione (cycle.services.apply_variazione).
VARIATION_STATES = {PegStatus.APPROVATO, PegStatus.IN_VERIFICA}


def plan_is_editable(obiettivo: Obiettivo) -> bool:
    """The plan side of an objective (texts, phases, weights, deadlines) may change by any door
    (the admin, its history revert, an import) only while its PEG is provvisorio and the objective
    open. Once the PEG is approved (approvato, in verifica) the plan changes only through a
    variazione (may_vary); once it is chiuso, never. A reported or validated objective changes only
    through the workflow's acts (objectives.workflow)."""
    return obiettivo.peg.status == PegStatus.PROVVISORIO and obiettivo.status in OPEN_STATES


def peg_is_closed(peg: Peg) -> bool:
    """Chiuso: the Relazione is validated; everything of that year is read-only."""
    return peg.status == PegStatus.CHIUSO


def report_is_open(obiettivo: Obiettivo) -> bool:
    """The head may still record progress: the objective is open, not withdrawn by a variazione,
    and its PEG not closed."""
    return obiettivo.status in OPEN_STATES and not obiettivo.withdrawn and not peg_is_closed(obiettivo.peg)


def may_vary(obiettivo: Obiettivo) -> bool:
    """A variazione may change the objective: its PEG is approvato or in verifica, the objective is
    open (neither rendicontato nor validato) and not withdrawn."""
    return obiettivo.peg.status in VARIATION_STATES and obiettivo.status in OPEN_STATES and not obiettivo.withdrawn


def can_record_cycle_acts(user) -> bool:
    """The Giunta's resolutions (approval, variations) are recorded by Programmazione e Controllo."""
    return is_staff_reader(user)


# --- The other doors: admin, its history revert, bulk actions, import, commands -----------------


def may_remove_objective(obiettivo: Obiettivo) -> bool:
    """No door removes an objective carrying evaluation (Obiettivo.carries_evaluation, asked of the
    database: a form's copy may be older than the row)."""
    return not obiettivo.carries_evaluation()


def may_remove_phase(fase: Fase) -> bool:
    return plan_is_editable_now(fase.obiettivo_id) and not fase.carries_evaluation()


def may_remove_peg(peg: Peg) -> bool:
    """Not while an objective carries evaluation, nor once the PEG has notes (PegNota: policy, review)."""
    return not Obiettivo.objects.filter(peg=peg).carrying_evaluation().exists() and not peg.note.exists()


def may_remove_responsabile(responsabile) -> bool:
    """A code cited by a phase of a reported or validated objective is part of that objective."""
    return not Fase.objects.filter(responsabili=responsabile).exclude(obiettivo__status__in=OPEN_STATES).exists()


def plan_is_editable_now(obiettivo_id: int | None) -> bool:
    """plan_is_editable for the objective as stored now (a history version or a form's copy may
    carry an older status); an objective not stored yet is editable."""
    if obiettivo_id is None:
        return True
    return Obiettivo.objects.filter(pk=obiettivo_id, status__in=OPEN_STATES, peg__status=PegStatus.PROVVISORIO).exists()


def peg_policy_is_editable(peg: Peg | None) -> bool:
    """The evaluation policy (late policy, decimals, score bands) decides scores and pay shares: it
    may change only while no objective of the PEG is reported or validated."""
    if peg is None or peg.pk is None:
        return True
    if peg_is_closed(peg):
        return False
    return not Obiettivo.objects.filter(peg=peg).exclude(status__in=OPEN_STATES).exists()


def can_link_user_account(user) -> bool:
    """Linking a login to a head (Dirigente.user) hands out the head's rights: administrators only."""
    return is_admin(user)


def can_manage_accounts(user) -> bool:
    """Users, groups and permissions: administrators only."""
    return is_admin(user)


# --- Actions ----------------------------------------------------------------------------------


def can_edit_report(user, obiettivo: Obiettivo) -> bool:
    """State, completion date, evidence and attachments of the phases; the year-end report."""
    if not report_is_open(obiettivo):
        return False
    return is_admin(user) or heads_objective(user, obiettivo)


def can_edit_phase(user, fase: Fase) -> bool:
    """The head updates his objective's phases, except those an objective carried from last year's
    PEG prints from earlier annualità: they were monitored in that PEG (Fase.monitored_elsewhere)."""
    return not fase.monitored_elsewhere and can_edit_report(user, fase.obiettivo)


def can_submit_report(user, obiettivo: Obiettivo) -> bool:
    return can_edit_report(user, obiettivo)


def can_review(user, obiettivo: Obiettivo) -> bool:
    """Neutralise a phase or record a partial achievement: the Nucleo, until validation."""
    return is_nucleo(user) and not is_locked(obiettivo) and not peg_is_closed(obiettivo.peg)


def can_validate(user, obiettivo: Obiettivo) -> bool:
    """Validate or return: the Nucleo, once the head has reported."""
    return is_nucleo(user) and obiettivo.status == ObiettivoStatus.RENDICONTATO and not peg_is_closed(obiettivo.peg)


def can_return(user, obiettivo: Obiettivo) -> bool:
    return can_validate(user, obiettivo)


def can_reopen(user, obiettivo: Obiettivo) -> bool:
    return is_admin(user) and is_locked(obiettivo) and not peg_is_closed(obiettivo.peg)


def permissions_for(user, obiettivo: Obiettivo) -> dict[str, bool]:
    """What the objective page offers this user, computed once for the template."""
    return {
        "edit_report": can_edit_report(user, obiettivo),
        "submit_report": can_submit_report(user, obiettivo),
        "review": can_review(user, obiettivo),
        "validate": can_validate(user, obiettivo),
        "return": can_return(user, obiettivo),
        "reopen": can_reopen(user, obiettivo),
        "heads": heads_objective(user, obiettivo),
        "open_unit": sees_everything(user) or heads_objective(user, obiettivo),
        "cited_only": not sees_everything(user) and not heads_objective(user, obiettivo),
    }
