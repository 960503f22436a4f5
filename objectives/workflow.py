# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The objective's procedure: the head reports, the Nucleo reviews and validates, the admin reopens.

    in corso ──submit_report──▶ rendicontato ──validate──▶ validato ──reopen──▶ rendicontato
        ▲                            │
        └──────── rinviato ◀──return_to_head

Every function is one transaction, keyword-only, checks the user's right through
objectives.access (so the admin, a command and a view obey the same rules) and records who,
when and why: a Nota for each act, a historical row for each changed model.

Phase writes use optimistic locking: the caller passes the `version` it showed the user; when
someone else saved the phase in between, StalePhase is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from objectives import access, indicators
from objectives.calculator import Policy, score_objective
from objectives.deadlines import DeadlineKind
from objectives.history import changes_since
from objectives.models import (
    FASE_PROGRESS_FIELDS,
    INDICATORE_PROGRESS_FIELDS,
    Allegato,
    AllegatoIndicatore,
    Annualita,
    Fase,
    FaseState,
    Indicatore,
    IndicatoreReview,
    Nota,
    NotaKind,
    Obiettivo,
    ObiettivoStatus,
    Peg,
    PegNota,
    PegNotaKind,
    PegStatus,
    ScoreMode,
)


class WorkflowError(Exception):
    """An action refused; the message is Italian and shown to the user as is."""


class NotAllowed(WorkflowError):
    """The user may see the object but not do this (views answer 403)."""


class StalePhase(WorkflowError):
    """The phase was saved by someone else since the form was opened; `conflict` says who, when, what."""

    def __init__(self, message: str, conflict=None):
        super().__init__(message)
        self.conflict = conflict


class InvalidValue(WorkflowError):
    """One value refused; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


STALE_MESSAGE = (
    "La fase è stata modificata {by} dopo che hai aperto il modulo: le tue modifiche non sono state "
    "salvate. Controlla qui sotto che cosa è cambiato; il modulo conserva quanto hai scritto: premi Salva "
    "per registrarlo sui dati aggiornati."
)


def stale_message(conflict, user) -> str:
    """STALE_MESSAGE naming the other save's author and time (Europe/Rome)."""
    who = conflict.who if conflict is not None else None
    if who is None:
        by = "da un altro utente"
    elif user is not None and who.pk == getattr(user, "pk", None):
        by = "da te in un'altra finestra"
    else:
        by = f"da {who.get_full_name() or who.get_username()}"
    if conflict is not None and conflict.when is not None:
        by += f" alle {timezone.localtime(conflict.when).strftime('%H:%M')}"
    return STALE_MESSAGE.format(by=by)


UNCHANGED = object()  # a keyword not given: the field keeps its value


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(f"{what}: la motivazione è obbligatoria.")
    return text


def _claim_version(fase: Fase, version: int, user=None) -> None:
    """Compare-and-swap on Fase.version: exactly one of two concurrent saves wins."""
    claimed = Fase.objects.filter(pk=fase.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        conflict = changes_since(fase, version)
        raise StalePhase(stale_message(conflict, user), conflict)
    fase.version = version + 1


def _save_phase(fase: Fase, user, fields: list[str], reason: str = "") -> None:
    fase._history_user = user
    if reason:
        fase._change_reason = reason[:100]
    fase.save(update_fields=[*fields, "version"])


def _save_objective(obiettivo: Obiettivo, user, fields: list[str], reason: str = "") -> None:
    obiettivo._history_user = user
    if reason:
        obiettivo._change_reason = reason[:100]
    obiettivo.save(update_fields=fields)


def _locked_objective(pk: int) -> Obiettivo:
    """Re-read the objective inside the transaction, locking its row where the database can."""
    return (
        Obiettivo.objects.select_for_update(of=("self",)).select_related("peg", "settore", "settore__head").get(pk=pk)
    )


# --- The head's report ------------------------------------------------------------------------


@transaction.atomic
def update_phase(
    *,
    fase: Fase,
    user,
    version: int,
    state: str,
    completed_on: dt.date | None,
    evidence: str,
    new_files: Iterable[UploadedFile] = (),
    progress_percent: int | None | object = UNCHANGED,
    progress_note: str | object = UNCHANGED,
) -> Fase:
    """The head records a phase's progress: state, completion date, evidence, attachments, and for
    mid-year monitoring a percentage and a note in words (left as they are when not given)."""
    obiettivo = _locked_objective(fase.obiettivo_id)
    fase.obiettivo = obiettivo
    _require(
        access.can_edit_phase(user, fase),
        "Solo il responsabile della struttura aggiorna le fasi, finché l'obiettivo non è rendicontato o validato.",
    )
    if state == FaseState.COMPLETATA and completed_on is None:
        raise WorkflowError("Indicare la data di completamento della fase.")
    if state != FaseState.COMPLETATA:
        completed_on = None
    if completed_on is not None and completed_on != fase.completed_on:
        problem = completion_date_error(fase, completed_on, obiettivo.peg, timezone.localdate())
        if problem:
            raise InvalidValue(problem, "completed_on")
    new_files = list(new_files)
    check_attachment_room(fase, new_files)
    if progress_percent is not UNCHANGED and progress_percent is not None and not 0 <= progress_percent <= 100:
        raise InvalidValue("L'avanzamento deve essere compreso tra 0 e 100%.", "progress_percent")
    _claim_version(fase, version, user)
    fase.state = state
    fase.completed_on = completed_on
    fase.evidence = evidence.strip()
    fields = ["state", "completed_on", "evidence"]
    if progress_percent is not UNCHANGED:
        fase.progress_percent = progress_percent
        fields.append("progress_percent")
    if progress_note is not UNCHANGED:
        fase.progress_note = progress_note.strip()
        fields.append("progress_note")
    _save_phase(fase, user, fields)
    for upload in new_files:
        add_attachment(fase=fase, user=user, upload=upload)
    return fase


def earliest_completion_date(fase: Fase, peg: Peg) -> dt.date:
    """01/01 of the PEG's year; 01/01 of the year before for a phase the card prints "Conclusa"
    (done before the PEG year: LLPP A and SISTEMI INFORMATIVI print such phases, finished in 2020)."""
    if fase.deadline_kind == DeadlineKind.CONCLUSA:
        return dt.date(peg.year - 1, 1, 1)
    return dt.date(peg.year, 1, 1)


def completion_date_error(fase: Fase, completed_on: dt.date, peg: Peg, today: dt.date) -> str | None:
    """Why a completion date cannot be recorded, in Italian; None when it can."""
    if completed_on > today:
        return f"La data di completamento non può essere futura (oggi è il {_day(today)})."
    earliest = earliest_completion_date(fase, peg)
    if completed_on < earliest:
        why = " e la fase è stampata come «Conclusa» nell'anno precedente" if earliest.year < peg.year else ""
        return f"La data di completamento non può precedere il {_day(earliest)}: il PEG è dell'anno {peg.year}{why}."
    closing = peg.evaluation_closing_date
    if closing is not None and completed_on > closing:
        return (
            f"La valutazione di fine anno è chiusa al {_day(closing)}: non si registrano completamenti "
            "successivi a quella data."
        )
    return None


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def check_attachment_room(fase: Fase, uploads: list[UploadedFile]) -> None:
    """The limits on attachments (settings): files per upload; files and total size per phase.

    Checked before anything is written, so a refused upload stores no file and no row.
    """
    per_upload = settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD
    if len(uploads) > per_upload:
        raise WorkflowError(
            f"Si possono caricare al massimo {per_upload} file per volta (ne sono stati scelti {len(uploads)}): "
            "nulla è stato salvato."
        )
    if not uploads:
        return
    stored = Allegato.objects.filter(fase=fase).aggregate(count=Count("pk"), size=Sum("size"))
    max_files = settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE
    if stored["count"] + len(uploads) > max_files:
        raise WorkflowError(
            f"Una fase può avere al massimo {max_files} allegati: ne ha già {stored['count']} e se ne "
            f"aggiungerebbero {len(uploads)}. Nulla è stato salvato."
        )
    max_bytes = settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE
    total = (stored["size"] or 0) + sum(upload.size for upload in uploads)
    if total > max_bytes:
        raise WorkflowError(
            f"Gli allegati di una fase possono occupare al massimo {filesizeformat(max_bytes)} in tutto: "
            f"con questi file sarebbero {filesizeformat(total)}. Nulla è stato salvato."
        )


def add_attachment(*, fase: Fase, user, upload: UploadedFile) -> Allegato:
    """Store an already validated upload (see forms.validate_upload) under MEDIA_ROOT."""
    _require(access.can_edit_phase(user, fase), "Non puoi allegare documenti a questa fase.")
    check_attachment_room(fase, [upload])
    return _store_upload(Allegato(fase=fase), user, upload)


def _store_upload(allegato, user, upload: UploadedFile):
    """Fill an attachment row (of a phase or of an indicator) from a validated upload and store it."""
    allegato.original_name = upload.name[:255]
    allegato.content_type = getattr(upload, "peg_content_type", upload.content_type or "application/octet-stream")
    allegato.size = upload.size
    allegato.uploaded_by = user
    allegato._history_user = user
    allegato.file.save(upload.name, upload, save=False)
    allegato.save()
    return allegato


@transaction.atomic
def delete_attachment(*, allegato: Allegato, user) -> None:
    fase = allegato.fase
    fase.obiettivo = _locked_objective(fase.obiettivo_id)
    _require(access.can_edit_phase(user, fase), "Non puoi eliminare gli allegati di questa fase.")
    allegato._history_user = user
    stored = allegato.file.name
    storage = allegato.file.storage
    allegato.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def submit_report(*, obiettivo: Obiettivo, user, comment: str) -> Obiettivo:
    """The head submits the year-end report: in corso / rinviato → rendicontato."""
    obiettivo = _locked_objective(obiettivo.pk)
    _require(access.can_submit_report(user, obiettivo), "Non puoi rendicontare questo obiettivo.")
    comment = _reason(comment, "Rendicontazione")
    obiettivo.status = ObiettivoStatus.RENDICONTATO
    _save_objective(obiettivo, user, ["status"], "Rendicontazione")
    Nota.objects.create(obiettivo=obiettivo, kind=NotaKind.RENDICONTAZIONE, text=comment, author=user)
    return obiettivo


# --- The Nucleo di Valutazione ----------------------------------------------------------------


@transaction.atomic
def return_to_head(*, obiettivo: Obiettivo, user, notes: str) -> Obiettivo:
    """The Nucleo sends the report back with notes: rendicontato → rinviato."""
    obiettivo = _locked_objective(obiettivo.pk)
    _require(access.can_return(user, obiettivo), "Solo il Nucleo può rinviare un obiettivo rendicontato.")
    notes = _reason(notes, "Rinvio al responsabile")
    obiettivo.status = ObiettivoStatus.RINVIATO
    _save_objective(obiettivo, user, ["status"], "Rinvio al responsabile")
    Nota.objects.create(obiettivo=obiettivo, kind=NotaKind.RINVIO, text=notes, author=user)
    return obiettivo


def computed_score(obiettivo: Obiettivo) -> Decimal | None:
    """The calculator's year-end score (every recorded completion counts)."""
    phases = list(obiettivo.fasi.all())
    return score_objective(obiettivo, phases, Policy.from_peg(obiettivo.peg)).score


@transaction.atomic
def validate(*, obiettivo: Obiettivo, user, on: dt.date, score: Decimal | None = None, reason: str = "") -> Obiettivo:
    """The Nucleo validates: rendicontato → validato, with the computed score or another, motivated."""
    obiettivo = _locked_objective(obiettivo.pk)
    _require(access.can_validate(user, obiettivo), "Solo il Nucleo può validare un obiettivo rendicontato.")
    _require_indicators_reviewed(obiettivo)
    computed = computed_score(obiettivo)
    reason = (reason or "").strip()
    if score is None:
        if computed is None:
            raise WorkflowError("Il grado di raggiungimento non è calcolabile: indicarlo, con la motivazione.")
        score = computed
    elif score != computed and not reason:
        raise WorkflowError("Un grado di raggiungimento diverso da quello calcolato richiede la motivazione.")
    if not Decimal("0") <= score <= Decimal("100"):
        raise WorkflowError("Il grado di raggiungimento deve essere compreso tra 0 e 100.")
    if on is None:
        raise WorkflowError("Indicare la data di validazione.")
    obiettivo.status = ObiettivoStatus.VALIDATO
    obiettivo.validated_score = score
    obiettivo.validated_on = on
    _save_objective(obiettivo, user, ["status", "validated_score", "validated_on"], "Validazione del Nucleo")
    Nota.objects.create(
        obiettivo=obiettivo,
        kind=NotaKind.VALIDAZIONE,
        text=reason,
        score=score,
        computed_score=computed,
        author=user,
    )
    return obiettivo


@transaction.atomic
def neutralise_phase(*, fase: Fase, user, version: int, neutralised: bool, reason: str) -> Fase:
    """The Nucleo removes a phase from the computation (or puts it back), always with a reason."""
    fase.obiettivo = _locked_objective(fase.obiettivo_id)
    _require(
        access.can_review(user, fase.obiettivo), "Solo il Nucleo può sterilizzare una fase, prima della validazione."
    )
    reason = _reason(reason, "Sterilizzazione" if neutralised else "Annullamento della sterilizzazione")
    _claim_version(fase, version, user)
    fase.neutralised = neutralised
    # The phase keeps the reason it is neutralised for; the Nota keeps every act with its own.
    fase.neutralisation_reason = reason if neutralised else ""
    _save_phase(fase, user, ["neutralised", "neutralisation_reason"], reason)
    kind = NotaKind.STERILIZZAZIONE if neutralised else NotaKind.ANNULLA_STERILIZZAZIONE
    Nota.objects.create(obiettivo=fase.obiettivo, fase=fase, kind=kind, text=reason, author=user)
    return fase


@transaction.atomic
def record_partial(*, fase: Fase, user, version: int, percent: Decimal | None, reason: str) -> Fase:
    """The Nucleo records a partial achievement of a phase (None clears it), with a reason."""
    fase.obiettivo = _locked_objective(fase.obiettivo_id)
    _require(access.can_review(user, fase.obiettivo), "Solo il Nucleo può registrare un raggiungimento parziale.")
    reason = _reason(reason, "Raggiungimento parziale")
    if percent is not None and not Decimal("0") <= percent <= Decimal("100"):
        raise WorkflowError("Il raggiungimento parziale deve essere compreso tra 0 e 100%.")
    _claim_version(fase, version, user)
    fase.partial_achievement = percent
    fase.partial_reason = reason if percent is not None else ""
    _save_phase(fase, user, ["partial_achievement", "partial_reason"], reason)
    text = reason if percent is not None else f"Raggiungimento parziale annullato: {reason}"
    Nota.objects.create(
        obiettivo=fase.obiettivo, fase=fase, kind=NotaKind.PARZIALE, text=text, score=percent, author=user
    )
    return fase


# --- Indicators of result: the head's actual value, the Nucleo's confirmation or correction ---


def _locked_indicator(indicatore: Indicatore) -> Indicatore:
    obiettivo = _locked_objective(indicatore.obiettivo_id)
    indicatore = Indicatore.objects.get(pk=indicatore.pk)
    indicatore.obiettivo = obiettivo
    return indicatore


def _indicator_value(indicatore: Indicatore, value) -> tuple[Decimal | None, dt.date | None]:
    """The typed value (indicators.parse_value) as the columns keep it; refused in Italian."""
    if value is None:
        raise WorkflowError(f"Indicatore «{indicatore.name}»: indicare il valore.")
    try:
        if isinstance(value, dt.date):
            indicators.check_date(value)
        elif not isinstance(value, bool):
            indicators.check_number(Decimal(value))
    except indicators.IndicatorValueError as exc:
        raise WorkflowError(f"Indicatore «{indicatore.name}»: {exc}") from None
    expected_date = indicatore.kind == "date"
    if isinstance(value, dt.date) != expected_date or (isinstance(value, bool) != (indicatore.kind == "yes_no")):
        raise WorkflowError(f"Indicatore «{indicatore.name}»: il valore non è del tipo dell'indicatore.")
    return indicators.stored_fields(indicatore.kind, value)


def _save_indicator(indicatore: Indicatore, user, fields: list[str], reason: str = "") -> None:
    indicatore._history_user = user
    if reason:
        indicatore._change_reason = reason[:100]
    indicatore.save(update_fields=fields)


def _check_indicator_attachment_room(indicatore: Indicatore, uploads: list[UploadedFile]) -> None:
    """The same limits as a phase's attachments (settings), per indicator; checked before any write."""
    per_upload = settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD
    if len(uploads) > per_upload:
        raise WorkflowError(f"Si possono caricare al massimo {per_upload} file per volta: nulla è stato salvato.")
    if not uploads:
        return
    stored = AllegatoIndicatore.objects.filter(indicatore=indicatore).aggregate(count=Count("pk"), size=Sum("size"))
    if stored["count"] + len(uploads) > settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE:
        raise WorkflowError(
            f"Un indicatore può avere al massimo {settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE} allegati: "
            "nulla è stato salvato."
        )
    total = (stored["size"] or 0) + sum(upload.size for upload in uploads)
    if total > settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE:
        limit = filesizeformat(settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE)
        raise WorkflowError(
            f"Gli allegati di un indicatore possono occupare al massimo {limit}: nulla è stato salvato."
        )


@transaction.atomic
def record_indicator_actual(
    *, indicatore: Indicatore, user, value, evidence: str = "", new_files: Iterable[UploadedFile] = ()
) -> Indicatore:
    """The head records an indicator's actual value with its evidence and attachments, while the
    objective is open. A new value needs the Nucleo's confirmation again."""
    indicatore = _locked_indicator(indicatore)
    _require(
        access.can_edit_report(user, indicatore.obiettivo),
        "Solo il responsabile della struttura rileva gli indicatori, finché l'obiettivo non è rendicontato o validato.",
    )
    number, date = _indicator_value(indicatore, value)
    new_files = list(new_files)
    _check_indicator_attachment_room(indicatore, new_files)
    indicatore.actual_value, indicatore.actual_date = number, date
    indicatore.actual_evidence = (evidence or "").strip()
    indicatore.review, indicatore.reviewed_value, indicatore.reviewed_date = IndicatoreReview.PENDING, None, None
    indicatore.review_reason = ""
    _save_indicator(indicatore, user, INDICATORE_PROGRESS_FIELDS, "Valore rilevato")
    shown = indicatore.actual_display
    text = f"Indicatore «{indicatore.name}»: valore rilevato {shown}."
    if indicatore.actual_evidence:
        text += f" Evidenze: {indicatore.actual_evidence}"
    Nota.objects.create(obiettivo=indicatore.obiettivo, kind=NotaKind.INDICATORE_RILEVATO, text=text, author=user)
    for upload in new_files:
        _store_upload(AllegatoIndicatore(indicatore=indicatore), user, upload)
    return indicatore


def unreviewed_indicators(obiettivo: Obiettivo) -> list[Indicatore]:
    """The indicators that count in the objective's score and still lack the Nucleo's confirmation
    or correction (none when the objective scores on phases only)."""
    if obiettivo.score_mode == ScoreMode.PHASES:
        return []
    return [i for i in obiettivo.indicatori.all() if i.counts and i.review == IndicatoreReview.PENDING]


def _require_indicators_reviewed(obiettivo: Obiettivo) -> None:
    """The validated figure rests on the Nucleo's values of the indicators that count in it."""
    pending = unreviewed_indicators(obiettivo)
    if pending:
        names = ", ".join(f"«{indicatore.name}»" for indicatore in pending)
        raise WorkflowError(
            f"Prima della validazione il Nucleo conferma o rettifica il valore degli indicatori che contano "
            f"nel grado: {names}."
        )


def _require_review(user, indicatore: Indicatore, seen: str | None) -> None:
    _require(
        access.can_review(user, indicatore.obiettivo),
        "Solo il Nucleo conferma o rettifica il valore di un indicatore, prima della validazione.",
    )
    if seen is not None and seen != indicatore.actual_display:
        raise WorkflowError(
            f"Il valore rilevato dell'indicatore «{indicatore.name}» è cambiato dopo che hai aperto la pagina "
            f"(ora: {indicatore.actual_display or 'nessuno'}): nulla è stato salvato. Ricarica la pagina e riprova."
        )


@transaction.atomic
def confirm_indicator(*, indicatore: Indicatore, user, note: str = "", seen: str | None = None) -> Indicatore:
    """The Nucleo confirms the head's actual value (`seen`: the value it was shown, if any)."""
    indicatore = _locked_indicator(indicatore)
    _require_review(user, indicatore, seen)
    if indicatore.actual_value is None and indicatore.actual_date is None:
        raise WorkflowError(f"Indicatore «{indicatore.name}»: il responsabile non ha ancora rilevato un valore.")
    indicatore.review = IndicatoreReview.CONFIRMED
    indicatore.reviewed_value, indicatore.reviewed_date = indicatore.actual_value, indicatore.actual_date
    indicatore.review_reason = ""
    _save_indicator(indicatore, user, ["review", "reviewed_value", "reviewed_date", "review_reason"], "Conferma")
    text = f"Indicatore «{indicatore.name}»: valore {indicatore.reviewed_display} confermato."
    if (note or "").strip():
        text += f" {note.strip()}"
    Nota.objects.create(obiettivo=indicatore.obiettivo, kind=NotaKind.INDICATORE_CONFERMATO, text=text, author=user)
    return indicatore


@transaction.atomic
def correct_indicator(*, indicatore: Indicatore, user, value, reason: str, seen: str | None = None) -> Indicatore:
    """The Nucleo corrects the value (the head's, or its own earlier one), always with a reason."""
    indicatore = _locked_indicator(indicatore)
    _require_review(user, indicatore, seen)
    reason = _reason(reason, f"Rettifica dell'indicatore «{indicatore.name}»")
    number, date = _indicator_value(indicatore, value)
    indicatore.review = IndicatoreReview.CORRECTED
    indicatore.reviewed_value, indicatore.reviewed_date = number, date
    indicatore.review_reason = reason
    _save_indicator(indicatore, user, ["review", "reviewed_value", "reviewed_date", "review_reason"], reason)
    before = indicatore.actual_display or "nessun valore rilevato"
    text = f"Indicatore «{indicatore.name}»: valore rettificato da {before} a {indicatore.reviewed_display}. {reason}"
    Nota.objects.create(obiettivo=indicatore.obiettivo, kind=NotaKind.INDICATORE_RETTIFICATO, text=text, author=user)
    return indicatore


# --- The administrator ------------------------------------------------------------------------


@transaction.atomic
def reopen(*, obiettivo: Obiettivo, user, reason: str) -> Obiettivo:
    """An administrator reopens a validated objective: validato → rendicontato, the validation cleared.

    The validated score stays in the history and in the validation's Nota.
    """
    obiettivo = _locked_objective(obiettivo.pk)
    _require(access.can_reopen(user, obiettivo), "Solo un amministratore può riaprire un obiettivo validato.")
    reason = _reason(reason, "Riapertura")
    obiettivo.status = ObiettivoStatus.RENDICONTATO
    obiettivo.validated_score = None
    obiettivo.validated_on = None
    _save_objective(obiettivo, user, ["status", "validated_score", "validated_on"], reason)
    Nota.objects.create(obiettivo=obiettivo, kind=NotaKind.RIAPERTURA, text=reason, author=user)
    return obiettivo


# --- The PEG: its evaluation policy and the year-end review ----------------------------------

# The fields of a PEG that decide how it evaluates (docs/calculator.md).
POLICY_FIELDS = [
    "late_policy",
    "late_fraction",
    "late_grace_days",
    "late_step_days",
    "late_step_fraction",
    "score_decimals",
]

POLICY_LOCKED_MESSAGE = (
    "La politica di valutazione del PEG non è modificabile: un suo obiettivo è già rendicontato o validato."
)


def monitoring_has_begun(peg: Peg) -> bool:
    """Some phase of the PEG carries progress (state, date, Nucleo's correction), or an objective a note."""
    return (
        Fase.objects.filter(obiettivo__peg=peg).with_recorded_progress().exists()
        or Nota.objects.filter(obiettivo__peg=peg).exists()
    )


def _locked_peg(pk: int) -> Peg:
    return Peg.objects.select_for_update().get(pk=pk)


def _policy_value(peg: Peg, name: str) -> str:
    field = Peg._meta.get_field(name)
    value = getattr(peg, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


@transaction.atomic
def change_policy(*, peg: Peg, user, values: dict, reason: str = "") -> Peg:
    """Change the PEG's evaluation policy (the admin's door). Refused once an objective is reported
    or validated (access.peg_policy_is_editable); after monitoring has begun the change needs a
    reason and writes a PegNota; the PEG's history records it either way."""
    peg = _locked_peg(peg.pk)
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise WorkflowError(f"Campi non previsti dalla politica di valutazione: {', '.join(sorted(unknown))}.")
    before = {name: _policy_value(peg, name) for name in POLICY_FIELDS}
    changed = [name for name, value in values.items() if getattr(peg, name) != value]
    if not changed:
        return peg
    _require(access.peg_policy_is_editable(peg), POLICY_LOCKED_MESSAGE)
    reason = (reason or "").strip()
    begun = monitoring_has_begun(peg)
    if begun and not reason:
        raise InvalidValue(
            "Il monitoraggio del PEG è già iniziato: la modifica della politica di valutazione richiede "
            "la motivazione.",
            "policy_reason",
        )
    for name in changed:
        setattr(peg, name, values[name])
    peg.full_clean(exclude=[f.name for f in Peg._meta.fields if f.name not in changed])
    summary = "; ".join(
        f"{Peg._meta.get_field(name).verbose_name}: {before[name]} → {_policy_value(peg, name)}" for name in changed
    )
    peg._history_user = user
    peg._change_reason = ("Politica di valutazione: " + (reason or summary))[:100]
    peg.save(update_fields=changed)
    if begun:
        PegNota.objects.create(peg=peg, kind=PegNotaKind.POLITICA, text=f"{reason} ({summary})", author=user)
    return peg


def may_open_year_end_review(user) -> bool:
    return access.is_nucleo(user) or access.is_admin(user)


@transaction.atomic
def open_year_end_review(*, peg: Peg, user, closing_date: dt.date) -> Peg:
    """The Nucleo opens the year-end review of an approved PEG (approvato → in verifica): the
    year-end evaluation counts only the completions dated by `closing_date` (not before 31/12 of the
    PEG's year; it may lie ahead, leaving the heads time to record), and none after it can be
    recorded. Opening it again, while in verifica, moves the date."""
    _require(may_open_year_end_review(user), "Solo il Nucleo apre la verifica di fine anno.")
    peg = _locked_peg(peg.pk)
    if peg.status == PegStatus.PROVVISORIO:
        raise WorkflowError(
            f"Il PEG {peg.year} è provvisorio: la verifica di fine anno si apre dopo l'approvazione della Giunta."
        )
    if peg.status == PegStatus.CHIUSO:
        raise WorkflowError(f"Il PEG {peg.year} è chiuso: la verifica di fine anno è conclusa.")
    if closing_date is None:
        raise InvalidValue("Indicare la data di chiusura della valutazione.", "closing_date")
    if closing_date < dt.date(peg.year, 12, 31):
        raise InvalidValue(
            f"La data di chiusura della valutazione del PEG {peg.year} non può precedere il 31/12/{peg.year}.",
            "closing_date",
        )
    previous = peg.evaluation_closing_date
    if previous == closing_date and peg.status == PegStatus.IN_VERIFICA:
        return peg
    peg.evaluation_closing_date = closing_date
    peg.status = PegStatus.IN_VERIFICA
    peg._history_user = user
    peg._change_reason = f"Verifica di fine anno: chiusura al {_day(closing_date)}"
    peg.save(update_fields=["evaluation_closing_date", "status"])
    text = f"Verifica di fine anno aperta: contano i completamenti registrati entro il {_day(closing_date)}."
    if previous is not None:
        text += f" (Data di chiusura precedente: {_day(previous)}.)"
    PegNota.objects.create(peg=peg, kind=PegNotaKind.VERIFICA_FINE_ANNO, text=text, author=user)
    return peg


# --- The plan side, from the other doors (admin, its history revert) -------------------------

# Fields only this module's acts write; no plan edit, history revert or import touches them.
WORKFLOW_FIELDS = {
    Obiettivo: ["status", "validated_on", "validated_score"],
    Fase: [*FASE_PROGRESS_FIELDS, "version"],
    Indicatore: INDICATORE_PROGRESS_FIELDS,
}

PLAN_LOCKED_MESSAGE = (
    "L'obiettivo è rendicontato o validato: il piano non è più modificabile. Può cambiare solo con gli atti "
    "del procedimento (rinvio del Nucleo, riapertura motivata di un amministratore)."
)


def plan_locked_message(obiettivo: Obiettivo) -> str:
    """Why the plan of this objective cannot be edited directly, in Italian (see access.plan_is_editable)."""
    peg = obiettivo.peg
    if peg.status == PegStatus.CHIUSO:
        return f"Il PEG {peg.year} è chiuso (Relazione sulla performance validata): nulla è più modificabile."
    if obiettivo.status in access.OPEN_STATES and peg.status != PegStatus.PROVVISORIO:
        return (
            f"Il PEG {peg.year} è approvato: il piano cambia solo con una variazione (deliberazione della Giunta), "
            "registrata dalla pagina «Ciclo del PEG»."
        )
    return PLAN_LOCKED_MESSAGE


REMOVAL_REFUSED_MESSAGE = "l'obiettivo è rendicontato o validato, oppure ha monitoraggio, note o allegati."


def plan_fields(model, excluded: Iterable[str] = ()) -> list[str]:
    """The stored fields a plan edit may write: every concrete field but the workflow's (and `excluded`)."""
    skip = {*WORKFLOW_FIELDS.get(model, []), *excluded}
    return [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def _plan_objective_ids(instance) -> set[int]:
    """The objectives whose lock governs this row: its own, and the stored one when it moves."""
    if isinstance(instance, Obiettivo):
        return {instance.pk} if instance.pk else set()
    ids = {instance.obiettivo_id}
    if instance.pk:
        ids |= set(type(instance).objects.filter(pk=instance.pk).values_list("obiettivo_id", flat=True))
    return {pk for pk in ids if pk}


def _require_plan_editable(instance) -> None:
    for pk in sorted(_plan_objective_ids(instance)):
        obiettivo = _locked_objective(pk)
        _require(access.plan_is_editable(obiettivo), plan_locked_message(obiettivo))


@transaction.atomic
def save_plan(*, instance: Obiettivo | Fase | Annualita | Indicatore, user, excluded: Iterable[str] = ()) -> None:
    """Save the plan side of an objective, a phase or a tranche (the admin's forms and history revert).

    Refused with NotAllowed unless the objective, as stored now and locked, is open
    (access.plan_is_editable). An existing row is written field by field, never the workflow's
    fields: a history version or a stale form cannot restore a status, a score or a phase's progress.
    """
    _require_plan_editable(instance)
    instance._history_user = user
    if instance.pk is None or instance._state.adding:
        instance.save()
    else:
        instance.save(update_fields=plan_fields(type(instance), excluded))


@transaction.atomic
def delete_plan(*, instance: Obiettivo | Fase | Annualita | Indicatore, user) -> None:
    """Remove an objective, a phase or a tranche of an open plan that carries no evaluation."""
    _require_plan_editable(instance)
    if isinstance(instance, Obiettivo):
        removable = access.may_remove_objective(instance)
    elif isinstance(instance, Fase):
        removable = access.may_remove_phase(instance)
    elif isinstance(instance, Indicatore):
        removable = not Indicatore.objects.filter(pk=instance.pk).carrying_evaluation().exists()
    else:
        removable = True
    _require(removable, f"«{instance}» non può essere eliminato: {REMOVAL_REFUSED_MESSAGE}")
    instance._history_user = user
    instance.delete()


def today() -> dt.date:
    return timezone.localdate()
