# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Nuovo PEG da anno precedente: from an approved PEG of year Y, the PEG of Y+1, in one transaction.

    preview(year)                        what create() would make, read-only (the page and --dry-run)
    create(year=, user=, fingerprint=)   make it; refusals raise RolloverError with an Italian message

What the new PEG holds, and why:

- **Units, heads and Responsabile codes are linked, not copied.** sectors.models keeps them
  outside any year (Settore.name and Responsabile.code are unique, neither has a PEG): the
  organisation is one, and the import itself upserts them by name and code. The new PEG's
  objectives point at the same Settore rows, the Elenco Responsabili printed with it is the same
  catalogue. A change of the macrostructure is made once, on those rows (with their history).
- **Multi-year objectives** (a phase of a later annualità than Y): a new objective of Y+1 with
  `previous` pointing at Y's, carrying the card's whole phase table as printed — label,
  description, weight, annualità, codes and printed deadline of every phase, and the tranches
  (Annualita) with their printed rows. The calculator of Y+1 evaluates only the phases of
  annualità Y+1 (LLPP A: 4 and 5; SVILUPPO ECONOMICO C: 5 and 6, re-proportioned from their 50%);
  the phases of Y stay on the card as the 2021 card kept those of 2020 and 2022, so the printed
  table and its subtotals read as before, and the weight rule (objectives.models.weight_errors)
  holds exactly as it held in Y. Their state is *not* carried: nothing of Y's monitoring is
  copied, and the Y+1 calculation marks them "fase di altra annualità"; how they went is read on
  the objective of Y (`previous`).
- **Recurring objectives** (Obiettivo.recurring, without phases of later years): copied with the
  phases of annualità Y moved to Y+1 and every printed date of their deadlines, of the final
  deadline and of date targets moved one year on; phases of other years and tranches are left
  out (the objective starts its year again).
- Every other objective of Y ends with Y; a withdrawn one (variazione) is never carried.
- The PEG itself: ente, titles, publisher, the evaluation policy (late policy and its numbers,
  decimals), the score bands, the SMVP's individual-evaluation settings and behaviour catalogue
  and the reminder settings. It starts provvisorio, without resolution, closing date or notes.
- Never copied: states, completion dates, evidence, progress, neutralisations, partial
  achievements, notes of the procedure, attachments, indicator values and reviews, validations,
  stored figures (recomputed for Y+1 by objectives.facts), the Relazione, publications, schede.

Y is only read (and locked while Y+1 is written); the act is recorded on Y as a PegNota of kind
NUOVO_ANNO. The preview's fingerprint lets the confirmation refuse a plan that changed after it
was shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history

from activities.models import ReminderSettings
from evaluation.models import Comportamento, EvaluationSettings
from objectives import access, facts
from objectives.deadlines import DATE_RE, MAX_YEAR, parse_date
from objectives.models import (
    CARD_HEADINGS,
    FASE_STORED_FIGURES,
    INDICATORE_PLAN_FIELDS,
    OBIETTIVO_GENERATED,
    OBIETTIVO_STORED_FIGURES,
    Annualita,
    Fase,
    Indicatore,
    Obiettivo,
    Peg,
    PegNota,
    PegNotaKind,
    PegStatus,
    ScoreBand,
    weight_errors,
)
from sectors.models import Responsabile, Settore

# --- What is copied, field by field (tests/test_rollover_fields.py makes every new field choose) ----

PEG_COPIED = [
    "ente",
    "title",
    "card_header",
    "publisher",
    "responsabili_title",
    "late_policy",
    "late_fraction",
    "late_grace_days",
    "late_step_days",
    "late_step_fraction",
    "score_decimals",
]
PEG_NOT_COPIED = ["id", "year", "status", "evaluation_closing_date", "approval_number", "approval_date", "closed_on"]

OBIETTIVO_COPIED = [
    "settore",
    "dirigente",
    "code",
    "title",
    "title_detail",
    "strategic_aims",
    "directives",
    "timing",
    "final_deadline_text",
    "final_deadline",
    "expected_result",
    "achieved_text",
    "not_achieved_text",
    "indicators",
    "constraints_text",
    "human_resources",
    "financial_resources",
    "headings",
    "weight",
    "print_order",
    "score_mode",
    "indicator_cap",
    "phase_share",
    "recurring",
]
OBIETTIVO_NOT_COPIED = [
    "id",
    "peg",
    "previous",
    "status",
    "validated_on",
    "validated_score",
    "withdrawn",
    *OBIETTIVO_STORED_FIGURES,
    *OBIETTIVO_GENERATED,
]

FASE_COPIED = ["label", "sort_order", "description", "weight", "year", "responsabili_text", "deadline_text"]
# The deadline's structure is derived again from the printed text (Fase.set_deadline); the date of
# an outside event, when staff recorded it, is kept for a multi-year objective.
FASE_DERIVED = [
    "deadline_kind",
    "deadline_date",
    "deadline_offset_days",
    "deadline_offset_months",
    "deadline_anchor_label",
    "deadline_anchor_date",
]
FASE_NOT_COPIED = [
    "id",
    "obiettivo",
    "state",
    "completed_on",
    "evidence",
    "progress_percent",
    "progress_note",
    "neutralised",
    "neutralisation_reason",
    "partial_achievement",
    "partial_reason",
    "version",
    *FASE_STORED_FIGURES,
]

ANNUALITA_COPIED = ["year", "label", "deadline_text", "deadline"]
ANNUALITA_NOT_COPIED = ["id", "obiettivo"]

INDICATORE_COPIED = ["sort_order", *INDICATORE_PLAN_FIELDS]
INDICATORE_NOT_COPIED = [
    "id",
    "obiettivo",
    "actual_value",
    "actual_date",
    "actual_evidence",
    "review",
    "reviewed_value",
    "reviewed_date",
    "review_reason",
]

BAND_COPIED = ["min_score", "pay_share", "label"]
EVALUATION_SETTINGS_COPIED = ["objectives_share", "behaviours_share", "scale_min", "scale_max", "review_days"]
COMPORTAMENTO_COPIED = ["name", "description", "weight", "print_order"]

BATCH = 500
MULTI_YEAR = "pluriennale"
RECURRING = "ricorrente"
KIND_LABELS = {MULTI_YEAR: "Pluriennale", RECURRING: "Ricorrente"}


class RolloverError(Exception):
    """The new PEG is refused; the message is Italian and shown as is."""


class NotAllowed(RolloverError):
    """The user may see the preview but not create the PEG (views answer 403)."""


# --- Who ------------------------------------------------------------------------------------------


def may_see(user) -> bool:
    """The preview lists every objective of the PEG: who sees everything (Nucleo, staff, admin)."""
    return access.sees_everything(user)


def may_create(user) -> bool:
    """Programmazione e Controllo prepares the plan: staff (and administrators) create the new PEG."""
    return access.is_staff_reader(user)


# --- The plan -------------------------------------------------------------------------------------


@dataclass
class PhasePlan:
    label: str
    description: str
    weight: Decimal | None
    year: int
    deadline_text: str
    responsabili_text: str
    codes: list[Responsabile]
    anchor_date: dt.date | None
    sort_order: int
    counts_in_new_year: bool = False

    @property
    def weight_display(self) -> str:
        return "" if self.weight is None else f"{_number(self.weight)}%"


@dataclass
class ObjectivePlan:
    source: Obiettivo
    kind: str
    values: dict
    phases: list[PhasePlan]
    tranches: list[dict]
    indicators: list[dict]
    new_year: int
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def settore(self) -> Settore:
        return self.source.settore

    @property
    def code(self) -> str:
        return self.values["code"]

    @property
    def title(self) -> str:
        return self.values["title"]

    @property
    def final_deadline_text(self) -> str:
        return self.values["final_deadline_text"]

    @property
    def new_year_phases(self) -> list[PhasePlan]:
        return [phase for phase in self.phases if phase.year == self.new_year]

    @property
    def new_year_weight(self) -> Decimal:
        return sum((phase.weight for phase in self.phases if phase.counts_in_new_year), Decimal(0))


@dataclass
class UnitPlan:
    settore: Settore
    objectives: list[ObjectivePlan]
    objectives_in_source: int


@dataclass
class Skipped:
    obiettivo: Obiettivo
    reason: str


@dataclass
class Preview:
    source: Peg
    year: int
    refusals: list[str]
    objectives: list[ObjectivePlan]
    units: list[UnitPlan]
    responsabili: list[Responsabile]
    bands: list[ScoreBand]
    skipped: list[Skipped]
    evaluation_settings: EvaluationSettings | None
    comportamenti: list[Comportamento]
    reminder_days: int | None
    fingerprint: str

    @property
    def multi_year(self) -> list[ObjectivePlan]:
        return [plan for plan in self.objectives if plan.kind == MULTI_YEAR]

    @property
    def recurring(self) -> list[ObjectivePlan]:
        return [plan for plan in self.objectives if plan.kind == RECURRING]

    @property
    def phase_count(self) -> int:
        return sum(len(plan.phases) for plan in self.objectives)

    @property
    def warning_count(self) -> int:
        return sum(len(plan.warnings) for plan in self.objectives)

    @property
    def policy_text(self) -> str:
        return policy_text(self.source)


def policy_text(peg: Peg) -> str:
    text = f"fasi completate in ritardo: {peg.get_late_policy_display().lower()}"
    if peg.late_policy == "fraction":
        text += f" ({_number(peg.late_fraction)}%)"
    elif peg.late_policy == "graded":
        text += (
            f" ({_number(peg.late_step_fraction)}% ogni {peg.late_step_days} giorni"
            f" oltre {peg.late_grace_days} di tolleranza)"
        )
    return f"{text}; {peg.score_decimals} decimali nel grado di raggiungimento"


def refusals_for(source: Peg) -> list[str]:
    """Why the PEG of source.year + 1 cannot be made from `source`, in Italian; [] when it can."""
    year, new_year = source.year, source.year + 1
    if source.status == PegStatus.PROVVISORIO:
        return [
            f"Il PEG {year} è ancora provvisorio: il PEG dell'anno successivo si crea da un PEG approvato "
            "dalla Giunta (deliberazione di approvazione)."
        ]
    if Peg.objects.filter(year=new_year).exists():
        return [f"Il PEG {new_year} esiste già: non si crea una seconda volta."]
    later = Peg.objects.filter(year__gt=new_year).order_by("year").values_list("year", flat=True).first()
    if later is not None:
        return [f"Esiste già il PEG {later}: il nuovo PEG si crea dall'ultimo anno, non da un anno passato."]
    if new_year > MAX_YEAR:
        return [f"L'anno {new_year} è fuori dall'intervallo ammesso."]
    return []


def preview(year: int) -> Preview:
    """What create() would make from the PEG of `year` (read-only). Raises Peg.DoesNotExist."""
    source = Peg.objects.get(year=year)
    return _plan(source)


def _source_objectives(source: Peg):
    return list(
        Obiettivo.objects.filter(peg=source)
        .select_related("peg", "settore", "settore__head", "settore__responsabile", "dirigente")
        .prefetch_related(
            models.Prefetch(
                "fasi", queryset=Fase.objects.order_by("sort_order", "pk").prefetch_related("responsabili")
            ),
            models.Prefetch("tranches", queryset=Annualita.objects.order_by("year")),
            models.Prefetch("indicatori", queryset=Indicatore.objects.order_by("sort_order", "pk")),
        )
        .order_by("settore__print_order", "settore__name", "print_order", "code")
    )


def _plan(source: Peg) -> Preview:
    new_year = source.year + 1
    objectives: list[ObjectivePlan] = []
    skipped: list[Skipped] = []
    units: dict[int, UnitPlan] = {}
    for obiettivo in _source_objectives(source):
        unit = units.setdefault(obiettivo.settore_id, UnitPlan(obiettivo.settore, [], 0))
        unit.objectives_in_source += 1
        later = any(fase.year > source.year for fase in obiettivo.fasi.all())
        if obiettivo.withdrawn:
            if later or obiettivo.recurring:
                skipped.append(Skipped(obiettivo, "ritirato con variazione del PEG: non si riporta"))
            continue
        if later:
            plan = _multi_year_plan(obiettivo, new_year)
        elif obiettivo.recurring:
            plan = _recurring_plan(obiettivo, new_year)
        else:
            if _looks_ahead(obiettivo, new_year):
                skipped.append(
                    Skipped(
                        obiettivo,
                        f"la scheda guarda al {new_year} ma non ha fasi del {new_year} e non è ricorrente: non si "
                        f"riporta (segnarlo come ricorrente, o aggiungerlo al PEG {new_year})",
                    )
                )
            continue
        _review(plan, source.year)
        objectives.append(plan)
        unit.objectives.append(plan)
    bands = list(source.bands.order_by("-min_score"))
    settings = EvaluationSettings.objects.filter(peg=source).first()
    comportamenti = list(Comportamento.objects.filter(peg=source).order_by("print_order", "pk"))
    reminder_days = ReminderSettings.objects.filter(peg=source).values_list("days_before", flat=True).first()
    preview = Preview(
        source=source,
        year=new_year,
        refusals=refusals_for(source),
        objectives=objectives,
        units=list(units.values()),
        responsabili=list(Responsabile.objects.order_by("print_order", "code")),
        bands=bands,
        skipped=skipped,
        evaluation_settings=settings,
        comportamenti=comportamenti,
        reminder_days=reminder_days,
        fingerprint="",
    )
    preview.fingerprint = _fingerprint(preview)
    return preview


def _looks_ahead(obiettivo: Obiettivo, new_year: int) -> bool:
    """A final deadline after the year, or the next year named in the title, timing or final deadline
    ("per il biennio 2021-2022"), without phases of a later annualità: staff should decide."""
    if obiettivo.final_deadline is not None and obiettivo.final_deadline.year >= new_year:
        return True
    texts = (obiettivo.title, obiettivo.timing, obiettivo.final_deadline_text)
    return any(re.search(rf"\b{new_year}\b", text or "") for text in texts)


def _phase_plan(fase: Fase, *, year: int, deadline_text: str, anchor_date) -> PhasePlan:
    return PhasePlan(
        label=fase.label,
        description=fase.description,
        weight=fase.weight,
        year=year,
        deadline_text=deadline_text,
        responsabili_text=fase.responsabili_text,
        codes=list(fase.responsabili.all()),
        anchor_date=anchor_date,
        sort_order=fase.sort_order,
    )


def _objective_values(obiettivo: Obiettivo) -> dict:
    return {name: getattr(obiettivo, name) for name in OBIETTIVO_COPIED}


def _multi_year_plan(obiettivo: Obiettivo, new_year: int) -> ObjectivePlan:
    phases = [
        _phase_plan(fase, year=fase.year, deadline_text=fase.deadline_text, anchor_date=fase.deadline_anchor_date)
        for fase in obiettivo.fasi.all()
    ]
    tranches = [{name: getattr(t, name) for name in ANNUALITA_COPIED} for t in obiettivo.tranches.all()]
    indicators = [{name: getattr(i, name) for name in INDICATORE_COPIED} for i in obiettivo.indicatori.all()]
    return ObjectivePlan(obiettivo, MULTI_YEAR, _objective_values(obiettivo), phases, tranches, indicators, new_year)


def next_year_text(text: str) -> str:
    """Every printed dd/mm/yyyy date one year on (29/02 becomes 28/02); the rest of the text as is."""

    def later(match: re.Match) -> str:
        day, month, year = match.group(1), match.group(2), int(match.group(3))
        if int(day) == 29 and int(month) == 2:
            day = "28"
        return f"{day}/{month}/{year + 1}"

    return DATE_RE.sub(later, text)


def _next_year_date(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29/02
        return value.replace(year=value.year + 1, day=28)


def _recurring_plan(obiettivo: Obiettivo, new_year: int) -> ObjectivePlan:
    source_year = obiettivo.peg.year
    values = _objective_values(obiettivo)
    values["final_deadline_text"] = next_year_text(obiettivo.final_deadline_text)
    values["final_deadline"] = parse_date(values["final_deadline_text"])
    phases = [
        _phase_plan(fase, year=new_year, deadline_text=next_year_text(fase.deadline_text), anchor_date=None)
        for fase in obiettivo.fasi.all()
        if fase.year == source_year
    ]
    indicators = []
    for indicatore in obiettivo.indicatori.all():
        values_i = {name: getattr(indicatore, name) for name in INDICATORE_COPIED}
        values_i["target_date"] = _next_year_date(indicatore.target_date)
        indicators.append(values_i)
    plan = ObjectivePlan(obiettivo, RECURRING, values, phases, [], indicators, new_year)
    left_out = [fase.label for fase in obiettivo.fasi.all() if fase.year != source_year]
    if left_out:
        plan.notes.append(f"Fasi di altre annualità non riportate: {', '.join(left_out)}.")
    if obiettivo.tranches.all():
        plan.notes.append("Le annualità stampate del vecchio obiettivo non si riportano.")
    plan.notes.append(f"Le date stampate delle scadenze sono spostate di un anno (al {new_year}).")
    return plan


def _review(plan: ObjectivePlan, source_year: int) -> None:
    """Which phases count in the new year, and what staff should look at before approval."""
    new_year = plan.new_year
    for phase in plan.phases:
        phase.counts_in_new_year = phase.year == new_year and phase.weight is not None and phase.weight > 0
    unsaved = [Fase(label=p.label, weight=p.weight, year=p.year) for p in plan.phases]
    plan.warnings.extend(weight_errors(unsaved))
    weight = plan.new_year_weight
    if not plan.new_year_phases:
        plan.warnings.append(f"Nessuna fase dell'annualità {new_year}: l'obiettivo non sarà valutabile.")
    elif weight == 0:
        labels = ", ".join(p.label for p in plan.new_year_phases)
        plan.warnings.append(
            f"Le fasi dell'annualità {new_year} ({labels}) hanno incidenza 0%: l'obiettivo non è valutabile "
            f"finché non si assegnano le incidenze, prima dell'approvazione del PEG {new_year}."
        )
    elif weight != 100:
        plan.notes.append(
            f"Le fasi del {new_year} pesano {_number(weight)}% sul totale della scheda: il grado del {new_year} "
            "le riproporziona a 100."
        )
    if plan.kind == MULTI_YEAR:
        earlier = sorted({p.year for p in plan.phases if p.year < new_year})
        if earlier:
            plan.notes.append(
                "Le fasi delle annualità "
                f"{', '.join(map(str, earlier))} restano sulla scheda come stampate, senza il loro stato: "
                f"nel {new_year} non si valutano (il loro esito è sull'obiettivo del {source_year})."
            )
    mentions = [
        CARD_HEADINGS.get(name, name).rstrip(":")
        for name in CARD_HEADINGS
        if str(source_year) in (plan.values.get(name) or "")
    ]
    if mentions:
        plan.notes.append(f"Testi che citano il {source_year}, da rivedere: {', '.join(mentions)}.")


def _number(value) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _fingerprint(preview: Preview) -> str:
    """A digest of everything create() would write: the confirmation must match the preview shown."""
    source = preview.source
    data = {
        "peg": [source.pk, source.status, *[_jsonable(getattr(source, name)) for name in PEG_COPIED]],
        "bands": [[_jsonable(getattr(b, n)) for n in BAND_COPIED] for b in preview.bands],
        "objectives": [
            {
                "source": plan.source.pk,
                "kind": plan.kind,
                "values": {k: _jsonable(v) for k, v in plan.values.items()},
                "phases": [
                    [
                        p.label,
                        p.description,
                        _jsonable(p.weight),
                        p.year,
                        p.deadline_text,
                        p.responsabili_text,
                        [c.pk for c in p.codes],
                        _jsonable(p.anchor_date),
                        p.sort_order,
                    ]
                    for p in plan.phases
                ],
                "tranches": [{k: _jsonable(v) for k, v in t.items()} for t in plan.tranches],
                "indicators": [{k: _jsonable(v) for k, v in i.items()} for i in plan.indicators],
            }
            for plan in preview.objectives
        ],
        "settings": [_jsonable(getattr(preview.evaluation_settings, n, None)) for n in EVALUATION_SETTINGS_COPIED],
        "comportamenti": [[_jsonable(getattr(c, n)) for n in COMPORTAMENTO_COPIED] for c in preview.comportamenti],
        "reminder_days": preview.reminder_days,
    }
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


# --- The act --------------------------------------------------------------------------------------


def create(*, year: int, user, fingerprint: str | None = None) -> Peg:
    """Create the PEG of year + 1 from the PEG of `year`, all or nothing; returns the new PEG.

    `user` is the person who confirms (staff or administrator); None only from the command line
    (manage.py new_peg_from_previous, whose operator has the server's shell). `fingerprint`: the
    preview's, when the act follows a preview shown to the user.
    """
    if user is not None and not may_create(user):
        raise NotAllowed("Solo Programmazione e Controllo crea il PEG dell'anno successivo.")
    try:
        with transaction.atomic():
            return _create(year, user, fingerprint)
    except IntegrityError:
        if Peg.objects.filter(year=year + 1).exists():
            raise RolloverError(f"Il PEG {year + 1} esiste già: non si crea una seconda volta.") from None
        raise


def _create(year: int, user, fingerprint: str | None) -> Peg:
    source = Peg.objects.select_for_update().filter(year=year).first()
    if source is None:
        raise RolloverError(f"Il PEG {year} non esiste.")
    # Y's plan is read under lock: no act on its objectives slips in between the preview and the copy.
    list(Obiettivo.objects.select_for_update().filter(peg=source).values_list("pk", flat=True))
    plan = _plan(source)
    if plan.refusals:
        raise RolloverError(plan.refusals[0])
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise RolloverError(
            f"Il PEG {year} è cambiato dopo l'anteprima: controllare di nuovo cosa verrà creato prima di confermare."
        )
    reason = f"Nuovo PEG {plan.year} da {year}"
    with facts.deferred():
        new = Peg(year=plan.year, status=PegStatus.PROVVISORIO, **{n: getattr(source, n) for n in PEG_COPIED})
        _stamp(new, user, reason)
        new.save()
        ScoreBand.objects.bulk_create(
            [ScoreBand(peg=new, **{n: getattr(b, n) for n in BAND_COPIED}) for b in plan.bands]
        )
        if plan.evaluation_settings is not None:
            settings = EvaluationSettings(
                peg=new, **{n: getattr(plan.evaluation_settings, n) for n in EVALUATION_SETTINGS_COPIED}
            )
            _stamp(settings, user, reason)
            settings.save()
        for comportamento in plan.comportamenti:
            copy = Comportamento(peg=new, **{n: getattr(comportamento, n) for n in COMPORTAMENTO_COPIED})
            _stamp(copy, user, reason)
            copy.save()
        if plan.reminder_days is not None:
            ReminderSettings.objects.create(peg=new, days_before=plan.reminder_days)
        _create_objectives(new, plan.objectives, user, reason)
    PegNota.objects.create(peg=source, kind=PegNotaKind.NUOVO_ANNO, text=note_text(plan, user), author=user)
    return new


def _stamp(instance, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason[:100]


def _create_objectives(peg: Peg, plans: list[ObjectivePlan], user, reason: str) -> list[Obiettivo]:
    """The objectives of the new PEG with their phases, codes, tranches and indicators, in bulk (a few
    queries per table, whatever the PEG's size) with their history rows; then their stored figures."""
    history = {"batch_size": BATCH, "default_user": user, "default_change_reason": reason[:100]}
    objectives = [Obiettivo(peg=peg, previous=plan.source, **plan.values) for plan in plans]
    bulk_create_with_history(objectives, Obiettivo, **history)
    phases: list[Fase] = []
    codes: list[list[Responsabile]] = []
    tranches: list[Annualita] = []
    indicators: list[Indicatore] = []
    for obiettivo, plan in zip(objectives, plans, strict=True):
        for phase in plan.phases:
            fase = Fase(
                obiettivo=obiettivo,
                label=phase.label,
                sort_order=phase.sort_order,
                description=phase.description,
                weight=phase.weight,
                year=phase.year,
                responsabili_text=phase.responsabili_text,
            )
            fase.set_deadline(phase.deadline_text)
            if phase.anchor_date is not None and fase.deadline_anchor_date is None:
                fase.deadline_anchor_date = phase.anchor_date
            phases.append(fase)
            codes.append(phase.codes)
        tranches.extend(Annualita(obiettivo=obiettivo, **values) for values in plan.tranches)
        indicators.extend(Indicatore(obiettivo=obiettivo, **values) for values in plan.indicators)
    bulk_create_with_history(phases, Fase, **history)
    through = Fase.responsabili.through
    through.objects.bulk_create(
        [
            through(fase_id=fase.pk, responsabile_id=code.pk)
            for fase, cited in zip(phases, codes, strict=True)
            for code in cited
        ],
        batch_size=BATCH,
    )
    Annualita.objects.bulk_create(tranches, batch_size=BATCH)
    bulk_create_with_history(indicators, Indicatore, **history)
    facts.refresh_objectives([obiettivo.pk for obiettivo in objectives])  # bulk writes send no signals
    return objectives


def note_text(plan: Preview, user) -> str:
    multi = ", ".join(f"{p.settore.name} {p.code}" for p in plan.multi_year) or "nessuno"
    recurring = ", ".join(f"{p.settore.name} {p.code}" for p in plan.recurring) or "nessuno"
    who = "" if user is not None else " (da riga di comando)"
    return (
        f"Creato il PEG {plan.year} (provvisorio) da questo PEG{who}: {len(plan.objectives)} obiettivi, "
        f"{plan.phase_count} fasi. Pluriennali: {multi}. Ricorrenti: {recurring}. Strutture, responsabili e "
        "codici sono condivisi tra gli anni; politica di valutazione e fasce copiate; nessun dato di "
        "monitoraggio o di valutazione riportato."
    )
