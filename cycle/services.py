# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's life and the acts that move it.

    provvisorio ──approve_peg──▶ approvato ──open_year_end_review──▶ in verifica ──close_peg──▶ chiuso
                                  (Giunta)     (objectives.workflow, Nucleo)    (Relazione validated)

Once approved, the plan of an objective changes only through apply_variazione: the Giunta's
resolution, its reason and its changes, applied in one transaction and refused, whole, when it
cannot be applied. Every act is keyword-only, asks objectives.access whether the user may do it,
and leaves a PegNota (APPROVAZIONE, VARIAZIONE, CHIUSURA) and the PEG's or objective's history.

card_as_approved / card_as_varied rebuild an objective's printed card before and after its
variations, reading the ModificaVariazione rows backwards.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.utils import timezone

from cycle.models import ModificaKind, ModificaVariazione, Variazione
from objectives import access
from objectives.deadlines import deadline_error, normalise_label, parse_date
from objectives.models import Fase, Obiettivo, Peg, PegNota, PegNotaKind, PegStatus, weight_errors

NUMBER_MAX = 50


class CycleError(Exception):
    """An act refused; the message is Italian and shown to the user as is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(CycleError):
    """The user may see the PEG but not do this act (views answer 403)."""


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _locked_peg(pk: int) -> Peg:
    return Peg.objects.select_for_update().get(pk=pk)


def _resolution(number: str, date: dt.date | None, *, today: dt.date, what: str) -> tuple[str, dt.date]:
    """The resolution's number and date, checked: both given, the number short, the date not future."""
    number = " ".join((number or "").split())
    if not number:
        raise CycleError(f"Indicare il numero della deliberazione di {what}.", "number")
    if len(number) > NUMBER_MAX:
        raise CycleError(f"Il numero della deliberazione può avere al massimo {NUMBER_MAX} caratteri.", "number")
    if "\x00" in number:
        raise CycleError("I caratteri null non sono ammessi.", "number")
    if date is None:
        raise CycleError(f"Indicare la data della deliberazione di {what}.", "date")
    if date > today:
        raise CycleError(f"La data della deliberazione non può essere futura (oggi è il {_day(today)}).", "date")
    return number, date


def resolution_text(number: str, date: dt.date) -> str:
    return f"deliberazione della Giunta Comunale n. {number} del {_day(date)}"


# --- Approval -----------------------------------------------------------------------------------


@transaction.atomic
def approve_peg(*, peg: Peg, user, number: str, date: dt.date | None, note: str = "") -> Peg:
    """Staff record the Giunta's approval of a provisional PEG: provvisorio → approvato."""
    _require(access.can_record_cycle_acts(user), "Solo Programmazione e Controllo registra l'approvazione del PEG.")
    peg = _locked_peg(peg.pk)
    if peg.status != PegStatus.PROVVISORIO:
        raise CycleError(f"Il PEG {peg.year} non è provvisorio: è già {peg.get_status_display().lower()}.")
    number, date = _resolution(number, date, today=timezone.localdate(), what="approvazione")
    if date.year < peg.year - 1:
        raise CycleError(
            f"La deliberazione che approva il PEG {peg.year} non può precedere il 01/01/{peg.year - 1}.", "date"
        )
    if not peg.obiettivi.exists():
        raise CycleError(f"Il PEG {peg.year} non ha obiettivi: non c'è nulla da approvare.")
    peg.status = PegStatus.APPROVATO
    peg.approval_number = number
    peg.approval_date = date
    peg._history_user = user
    peg._change_reason = f"Approvazione: deliberazione n. {number} del {_day(date)}"[:100]
    peg.save(update_fields=["status", "approval_number", "approval_date"])
    text = f"PEG {peg.year} approvato con {resolution_text(number, date)}."
    note = (note or "").strip()
    if note:
        text += f" {note}"
    PegNota.objects.create(peg=peg, kind=PegNotaKind.APPROVAZIONE, text=text, author=user)
    return peg


# --- Closing ------------------------------------------------------------------------------------


def may_close(peg: Peg) -> bool:
    return peg.status == PegStatus.IN_VERIFICA


CLOSE_REFUSED = {
    PegStatus.PROVVISORIO: "Il PEG {year} è provvisorio: si chiude solo dopo l'approvazione e la verifica "
    "di fine anno.",
    PegStatus.APPROVATO: "La verifica di fine anno del PEG {year} non è aperta: il Nucleo la apre prima di validare "
    "la Relazione sulla performance.",
    PegStatus.CHIUSO: "Il PEG {year} è già chiuso.",
}


@transaction.atomic
def close_peg(*, peg: Peg, user, on: dt.date, reference: str = "") -> Peg:
    """The Nucleo's validation of the Relazione closes the PEG: in verifica → chiuso, everything of
    that year read-only. Called by relazione.services.validate inside its transaction."""
    _require(access.is_nucleo(user), "Solo il Nucleo di Valutazione chiude il PEG, validando la Relazione.")
    peg = _locked_peg(peg.pk)
    if not may_close(peg):
        raise CycleError(CLOSE_REFUSED[peg.status].format(year=peg.year))
    if on is None:
        raise CycleError("Indicare la data di chiusura.")
    peg.status = PegStatus.CHIUSO
    peg.closed_on = on
    peg._history_user = user
    peg._change_reason = f"Chiusura del PEG il {_day(on)}"
    peg.save(update_fields=["status", "closed_on"])
    text = f"PEG {peg.year} chiuso il {_day(on)}: Relazione sulla performance validata dal Nucleo di Valutazione"
    text += f" ({reference})." if reference else "."
    PegNota.objects.create(peg=peg, kind=PegNotaKind.CHIUSURA, text=text, author=user)
    return peg


def close_refusal(peg: Peg) -> str | None:
    """Why the PEG could not be closed now, in Italian; None when it can."""
    return None if may_close(peg) else CLOSE_REFUSED[peg.status].format(year=peg.year)


# --- Variations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPhase:
    label: str
    description: str
    weight: Decimal | None
    deadline_text: str
    year: int | None = None


@dataclass
class Changes:
    """What a variation asks for; a value left None keeps the plan's."""

    final_deadline_text: str | None = None
    phase_deadlines: dict[int, str] = field(default_factory=dict)  # fase pk → printed deadline
    phase_weights: dict[int, Decimal | None] = field(default_factory=dict)  # fase pk → weight (None: none)
    new_phase: NewPhase | None = None
    withdraw: bool = False


def _weight_text(value) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


def _check_weight(value, label: str) -> Decimal | None:
    if value is None:
        return None
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise CycleError(f"Incidenza della fase {label}: non è un numero.") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise CycleError(f"L'incidenza della fase {label} deve essere compresa tra 0 e 100%.")
    if value != value.quantize(Decimal("0.01")):
        raise CycleError(f"L'incidenza della fase {label} ha al massimo due decimali.")
    return value.quantize(Decimal("0.01"))


def _check_text(text: str, what: str, max_length: int | None = None) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise CycleError(f"{what}: i caratteri null non sono ammessi.")
    if max_length is not None and len(text) > max_length:
        raise CycleError(f"{what}: al massimo {max_length} caratteri.")
    problem = deadline_error(text)
    if problem:
        raise CycleError(f"{what}: {problem}")
    return text


def variation_refusal_for_peg(peg: Peg) -> str | None:
    """Why no objective of this PEG may be varied now, in Italian; None when they may."""
    if peg.status == PegStatus.PROVVISORIO:
        return (
            f"Il PEG {peg.year} è provvisorio: il piano si modifica direttamente, senza variazione, fino "
            "all'approvazione della Giunta."
        )
    if peg.status == PegStatus.CHIUSO:
        return f"Il PEG {peg.year} è chiuso: nessuna variazione è più possibile."
    return None


def variation_refusal(obiettivo: Obiettivo) -> str | None:
    """Why no variation may change this objective now, in Italian; None when one may."""
    refusal = variation_refusal_for_peg(obiettivo.peg)
    if refusal:
        return refusal
    if obiettivo.withdrawn:
        return "L'obiettivo è già ritirato: non si varia più."
    if not access.may_vary(obiettivo):
        return (
            f"L'obiettivo è {obiettivo.get_status_display().lower()}: una variazione non può cambiarlo "
            "(il Nucleo lo rinvia al responsabile, o un amministratore lo riapre, prima)."
        )
    return None


def variable_objectives(peg: Peg):
    """The objectives of the PEG a variation may change now, in print order."""
    if peg.status not in access.VARIATION_STATES:
        return Obiettivo.objects.none()
    return (
        Obiettivo.objects.filter(peg=peg, status__in=access.OPEN_STATES, withdrawn=False)
        .select_related("peg", "settore")
        .in_print_order()
    )


STALE_MESSAGE = (
    "L'obiettivo è stato variato dopo che hai aperto il modulo: nulla è stato salvato. Ricarica la pagina "
    "e riprova sui valori in vigore."
)


def _locked_objective(pk: int) -> Obiettivo:
    return Obiettivo.objects.select_for_update(of=("self",)).select_related("peg", "settore").get(pk=pk)


@transaction.atomic
def apply_variazione(
    *,
    obiettivo: Obiettivo,
    user,
    number: str,
    date: dt.date | None,
    reason: str,
    changes: Changes,
    seen: str | None = None,
) -> Variazione:
    """Record the Giunta's variation of one objective and apply its changes, all or nothing.

    Refused (CycleError, nothing written) while the PEG is not approvato / in verifica, while the
    objective is rendicontato, validato or withdrawn, when a change changes nothing or is not
    sensible, and when the phases' weights of a year would no longer sum to 100.
    """
    _require(access.can_record_cycle_acts(user), "Solo Programmazione e Controllo registra le variazioni del PEG.")
    obiettivo = _locked_objective(obiettivo.pk)
    peg = _locked_peg(obiettivo.peg_id)
    obiettivo.peg = peg
    refusal = variation_refusal(obiettivo)
    if refusal:
        raise CycleError(refusal)
    if seen and seen != plan_fingerprint(obiettivo):
        raise CycleError(STALE_MESSAGE)
    number, date = _resolution(number, date, today=timezone.localdate(), what="variazione")
    if peg.approval_date is not None and date < peg.approval_date:
        raise CycleError(
            f"La variazione non può precedere la deliberazione di approvazione del PEG ({_day(peg.approval_date)}).",
            "date",
        )
    reason = (reason or "").strip()
    if not reason:
        raise CycleError("Indicare la motivazione della variazione.", "reason")
    if "\x00" in reason:
        raise CycleError("I caratteri null non sono ammessi.", "reason")

    phases = {fase.pk: fase for fase in Fase.objects.select_for_update().filter(obiettivo=obiettivo)}
    planned: list[tuple[ModificaVariazione, object]] = []  # the change row and what it saves
    touched: dict[int, Fase] = {}
    save_objective: list[str] = []

    if changes.withdraw:
        if any(
            [changes.final_deadline_text is not None, changes.phase_deadlines, changes.phase_weights, changes.new_phase]
        ):
            raise CycleError("Il ritiro dell'obiettivo è una variazione a sé: non si combina con altre modifiche.")
        obiettivo.withdrawn = True
        save_objective.append("withdrawn")
        planned.append((ModificaVariazione(kind=ModificaKind.WITHDRAWN, old_value="no", new_value="sì"), None))

    if changes.final_deadline_text is not None:
        text = _check_text(changes.final_deadline_text, "Scadenza finale")
        if text != obiettivo.final_deadline_text:
            old = obiettivo.final_deadline_text
            obiettivo.final_deadline_text = text
            obiettivo.final_deadline = parse_date(text)
            save_objective += ["final_deadline_text", "final_deadline"]
            planned.append((ModificaVariazione(kind=ModificaKind.FINAL_DEADLINE, old_value=old, new_value=text), None))

    for pk, text in sorted(changes.phase_deadlines.items()):
        fase = phases.get(pk)
        if fase is None:
            raise CycleError("Una delle fasi indicate non appartiene all'obiettivo.")
        text = _check_text(text, f"Scadenza della fase {fase.label}", Fase._meta.get_field("deadline_text").max_length)
        if text != fase.deadline_text:
            old = fase.deadline_text
            fase.set_deadline(text)
            touched[pk] = fase
            planned.append(
                (
                    ModificaVariazione(
                        kind=ModificaKind.PHASE_DEADLINE,
                        fase=fase,
                        fase_label=fase.label,
                        old_value=old,
                        new_value=text,
                    ),
                    None,
                )
            )

    for pk, weight in sorted(changes.phase_weights.items()):
        fase = phases.get(pk)
        if fase is None:
            raise CycleError("Una delle fasi indicate non appartiene all'obiettivo.")
        weight = _check_weight(weight, fase.label)
        if weight != fase.weight:
            old = _weight_text(fase.weight)
            fase.weight = weight
            touched[pk] = fase
            planned.append(
                (
                    ModificaVariazione(
                        kind=ModificaKind.PHASE_WEIGHT,
                        fase=fase,
                        fase_label=fase.label,
                        old_value=old,
                        new_value=_weight_text(weight),
                    ),
                    None,
                )
            )

    new_fase = None
    if changes.new_phase is not None:
        new_fase = _new_phase(obiettivo, list(phases.values()), changes.new_phase)
        planned.append(
            (
                ModificaVariazione(
                    kind=ModificaKind.NEW_PHASE,
                    fase_label=new_fase.label,
                    old_value="",
                    new_value=_new_phase_line(new_fase),
                ),
                new_fase,
            )
        )

    if not planned:
        raise CycleError("La variazione non cambia nulla: indicare almeno una modifica.")
    after = [touched.get(pk, fase) for pk, fase in phases.items()] + ([new_fase] if new_fase else [])
    errors = weight_errors(after)
    if errors and (changes.phase_weights or new_fase is not None):
        raise CycleError(f"Variazione non applicata. {' '.join(errors)}")

    # Everything checked: write.
    variazione = Variazione.objects.create(
        peg=peg, obiettivo=obiettivo, number=number, date=date, reason=reason, author=user
    )
    why = f"Variazione: deliberazione n. {number} del {_day(date)}"[:100]
    if save_objective:
        obiettivo._history_user = user
        obiettivo._change_reason = why
        obiettivo.save(update_fields=save_objective)
    for fase in touched.values():
        fase._history_user = user
        fase._change_reason = why
        fase.save(
            update_fields=[
                "weight",
                "deadline_text",
                "deadline_kind",
                "deadline_date",
                "deadline_offset_days",
                "deadline_offset_months",
                "deadline_anchor_label",
                "deadline_anchor_date",
            ]
        )
    if new_fase is not None:
        new_fase._history_user = user
        new_fase._change_reason = why
        new_fase.save()
    for order, (modifica, created) in enumerate(planned, start=1):
        modifica.variazione = variazione
        modifica.sort_order = order
        if created is not None:
            modifica.fase = created
        modifica.save()
    summary = "; ".join(f"{m.subject}: {m.old_display} → {m.new_display}" for m, _ in planned)
    PegNota.objects.create(
        peg=peg,
        kind=PegNotaKind.VARIAZIONE,
        text=f"{obiettivo.settore.name}, obiettivo {obiettivo.code}: variato con {resolution_text(number, date)}. "
        f"{summary}. Motivazione: {reason}",
        author=user,
    )
    return variazione


def _new_phase(obiettivo: Obiettivo, phases: list[Fase], spec: NewPhase) -> Fase:
    label = normalise_label(" ".join((spec.label or "").split()))
    if not label:
        raise CycleError("Nuova fase: indicare l'etichetta (es. 4).")
    if len(label) > Fase._meta.get_field("label").max_length or "\x00" in label:
        raise CycleError("Nuova fase: l'etichetta è troppo lunga o non valida (es. 4, 2b).")
    if any(fase.label == label for fase in phases):
        raise CycleError(f"Nuova fase: esiste già una fase {label} nell'obiettivo.")
    description = (spec.description or "").strip()
    if not description:
        raise CycleError("Nuova fase: indicare la descrizione.")
    if "\x00" in description:
        raise CycleError("Nuova fase: i caratteri null non sono ammessi.")
    year = spec.year or obiettivo.peg.year
    if not obiettivo.peg.year <= year <= obiettivo.peg.year + 10:
        raise CycleError(f"Nuova fase: l'annualità va dal {obiettivo.peg.year} al {obiettivo.peg.year + 10}.")
    deadline = _check_text(
        spec.deadline_text, "Scadenza della nuova fase", Fase._meta.get_field("deadline_text").max_length
    )
    fase = Fase(
        obiettivo=obiettivo,
        label=label,
        sort_order=max((f.sort_order for f in phases), default=0) + 1,
        description=description,
        weight=_check_weight(spec.weight, label),
        year=year,
    )
    fase.set_deadline(deadline)
    return fase


def _new_phase_line(fase: Fase) -> str:
    weight = _weight_text(fase.weight)
    parts = [f"fase {fase.label}: {fase.description}"]
    parts.append(f"incidenza {weight.replace('.', ',')}%" if weight else "senza incidenza")
    parts.append(f"scadenza {fase.deadline_text}" if fase.deadline_text else "senza scadenza")
    if fase.year != fase.obiettivo.peg.year:
        parts.append(f"annualità {fase.year}")
    return " – ".join(parts)


def plan_fingerprint(obiettivo: Obiettivo) -> str:
    """What a variation form showed of the plan: refused when it differs at save (someone varied it)."""
    import hashlib

    phases = Fase.objects.filter(obiettivo=obiettivo).order_by("pk").values_list("pk", "weight", "deadline_text")
    stored = Obiettivo.objects.filter(pk=obiettivo.pk).values_list("final_deadline_text", "withdrawn").get()
    text = repr((stored, [(pk, _weight_text(w), d) for pk, w, d in phases]))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Reading the cycle --------------------------------------------------------------------------


def variations_of(obiettivo: Obiettivo) -> list[Variazione]:
    return list(
        Variazione.objects.filter(obiettivo=obiettivo)
        .select_related("author")
        .prefetch_related("modifiche")
        .order_by("date", "created_at", "pk")
    )


def acts_of(peg: Peg):
    """The PEG's history of acts (every PegNota), oldest first."""
    return peg.note.select_related("author").order_by("created_at", "pk")


# --- The card as approved, and as varied ---------------------------------------------------------


def _with_phases(obiettivo: Obiettivo, phases: list[Fase]) -> Obiettivo:
    """A copy of the objective whose `fasi.all()` returns these phases (nothing saved)."""
    copied = copy.copy(obiettivo)
    cache = dict(getattr(obiettivo, "_prefetched_objects_cache", {}))
    queryset = Fase.objects.none()
    queryset._result_cache = phases
    queryset._prefetch_done = True
    cache["fasi"] = queryset
    copied._prefetched_objects_cache = cache
    copied._state = copy.copy(obiettivo._state)
    return copied


def objective_as_approved(obiettivo: Obiettivo) -> Obiettivo:
    """The objective as the Giunta approved it: every variation's changes undone, newest first, on
    unsaved copies (expects `with_card_data()`; phases added by a variation are left out)."""
    phases = {fase.pk: copy.copy(fase) for fase in obiettivo.fasi.all()}
    approved = copy.copy(obiettivo)
    modifiche = (
        ModificaVariazione.objects.filter(variazione__obiettivo=obiettivo)
        .select_related("variazione")
        .order_by("-variazione__date", "-variazione__created_at", "-variazione__pk", "-sort_order", "-pk")
    )
    for modifica in modifiche:
        fase = phases.get(modifica.fase_id)
        if modifica.kind == ModificaKind.WITHDRAWN:
            approved.withdrawn = False
        elif modifica.kind == ModificaKind.FINAL_DEADLINE:
            approved.final_deadline_text = modifica.old_value
            approved.final_deadline = parse_date(modifica.old_value)
        elif modifica.kind == ModificaKind.NEW_PHASE:
            phases.pop(modifica.fase_id, None)
        elif fase is not None and modifica.kind == ModificaKind.PHASE_DEADLINE:
            fase.set_deadline(modifica.old_value)
        elif fase is not None and modifica.kind == ModificaKind.PHASE_WEIGHT:
            fase.weight = Decimal(modifica.old_value) if modifica.old_value else None
    ordered = sorted(phases.values(), key=lambda fase: (fase.sort_order, fase.pk))
    return _with_phases(approved, ordered)


VERSION_APPROVED = "approvato"
VERSION_VARIED = "variato"


def card_note(obiettivo: Obiettivo, version: str) -> str:
    """The line a printed card carries about its version ('' for an objective never varied)."""
    peg = obiettivo.peg
    variations = list(Variazione.objects.filter(obiettivo=obiettivo).order_by("date", "created_at", "pk"))
    if not variations:
        return ""
    approval = (
        f"approvata con deliberazione n. {peg.approval_number} del {_day(peg.approval_date)}"
        if peg.approval_number and peg.approval_date
        else "approvata"
    )
    if version == VERSION_APPROVED:
        return f"Scheda come {approval}, prima delle variazioni."
    last = variations[-1]
    return f"Scheda come variata con deliberazione n. {last.number} del {_day(last.date)} ({approval})."


def printed_card(obiettivo: Obiettivo, version: str = VERSION_VARIED):
    """The card of reports.documents with the plan of that version and the line that says which."""
    from reports import documents

    loaded = documents.objectives_for(year=obiettivo.peg.year, obiettivo_ids=[obiettivo.pk]).get()
    source = objective_as_approved(loaded) if version == VERSION_APPROVED else loaded
    card = documents.build_card(source)
    card.version_note = card_note(loaded, version)
    return card


def card_pdf(obiettivo: Obiettivo, version: str = VERSION_VARIED) -> bytes:
    """One objective's card as a PDF, as approved or as varied (the plan in force)."""
    from reports import documents
    from reports.rendering import Part, assemble, render_parts

    card = printed_card(obiettivo, version)
    [pdf] = render_parts([documents.card_fragment(card)], documents.print_css())
    return assemble([Part(pdf)], title=card.title_line)


def objective_card_pdf(obiettivo: Obiettivo, version: str = "") -> bytes:
    """The card print: as approved (`version` "approvato") or as varied; an objective never varied
    prints as reports always did (with its cache)."""
    if not Variazione.objects.filter(obiettivo=obiettivo).exists():
        from reports import services as report_services

        return report_services.objective_pdf(obiettivo)
    return card_pdf(obiettivo, version or VERSION_VARIED)


def cover_lines(peg: Peg) -> list[str]:
    """What the printed PEG's cover says of its acts, under the title."""
    lines = []
    if peg.approval_number and peg.approval_date:
        lines.append(f"Approvato con {resolution_text(peg.approval_number, peg.approval_date)}")
    resolutions = list(
        Variazione.objects.filter(peg=peg).values_list("number", "date").distinct().order_by("date", "number")
    )
    if resolutions:
        listed = ", ".join(f"n. {number} del {_day(date)}" for number, date in resolutions)
        word = "deliberazione" if len(resolutions) == 1 else "deliberazioni"
        lines.append(f"Variato con {word} {listed}")
    if peg.status == PegStatus.IN_VERIFICA and peg.evaluation_closing_date:
        lines.append(f"Verifica di fine anno in corso (valutazione chiusa al {_day(peg.evaluation_closing_date)})")
    if peg.status == PegStatus.CHIUSO and peg.closed_on:
        lines.append(f"Chiuso il {_day(peg.closed_on)}: Relazione sulla performance validata")
    return lines


def variations_by_objective(peg: Peg) -> dict[int, list[Variazione]]:
    result: dict[int, list[Variazione]] = {}
    for variazione in (
        Variazione.objects.filter(peg=peg)
        .select_related("author")
        .prefetch_related(
            models.Prefetch("modifiche", queryset=ModificaVariazione.objects.order_by("sort_order", "pk"))
        )
    ):
        result.setdefault(variazione.obiettivo_id, []).append(variazione)
    return result
