# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The acts on the Relazione sulla performance: staff write it, the Nucleo validates it.

Each act is one transaction, keyword-only, asks relazione.access whether the user may do it (the
views and any other door obey the same rule) and leaves its record: the narrative's history
(django-simple-history, with the author) and the append-only document of validation.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cycle import services as cycle_services
from objectives.models import Peg
from relazione import access
from relazione.exports import relazione_docx
from relazione.models import POSITIVE_OUTCOMES, Esito, Relazione, ValidazioneRelazione
from relazione.printing import draw_document

NARRATIVE_FIELDS = {
    "introduction": "la presentazione",
    "context": "il contesto di riferimento",
    "critical_issues": "le criticità e le azioni di miglioramento",
}


class RelazioneError(Exception):
    """An act refused; the message is Italian and shown to the user as is."""


class NotAllowed(RelazioneError):
    """The user may see the Relazione but not do this (views answer 403)."""


def relazione_for(peg: Peg) -> Relazione:
    """The PEG's Relazione; an unsaved, empty one until staff first write it."""
    return Relazione.objects.filter(peg=peg).select_related("peg").first() or Relazione(peg=peg)


def _locked_relazione(peg: Peg) -> Relazione:
    relazione = Relazione.objects.select_for_update().filter(peg=peg).first()
    return relazione if relazione is not None else Relazione(peg=peg)


@transaction.atomic
def save_narrative(*, peg: Peg, user, introduction: str, context: str, critical_issues: str) -> Relazione:
    """Staff write the narrative sections; refused once the Nucleo validated the Relazione."""
    relazione = _locked_relazione(peg)
    if not access.can_edit_narrative(user, relazione):
        if access.is_locked(relazione):
            raise NotAllowed("La Relazione è validata dal Nucleo di Valutazione: non si modifica più.")
        raise NotAllowed("Solo Programmazione e Controllo scrive la Relazione sulla performance.")
    relazione.introduction = introduction.strip()
    relazione.context = context.strip()
    relazione.critical_issues = critical_issues.strip()
    relazione.updated_by = user
    relazione._history_user = user
    relazione._change_reason = "Testi della Relazione aggiornati"
    relazione.save()
    return relazione


def missing_sections(relazione: Relazione) -> list[str]:
    return [label for name, label in NARRATIVE_FIELDS.items() if not getattr(relazione, name).strip()]


@transaction.atomic
def validate(*, peg: Peg, user, date: dt.date, outcome: str, notes: str = "") -> ValidazioneRelazione:
    """The Nucleo's document of validation. A positive outcome freezes the document as validated
    and locks the Relazione; "non validata" sends it back to staff, to be validated again."""
    relazione = _locked_relazione(peg)
    if not access.can_validate(user, relazione):
        if access.is_locked(relazione):
            raise NotAllowed("La Relazione è già validata.")
        raise NotAllowed("Solo il Nucleo di Valutazione valida la Relazione sulla performance.")
    if relazione.pk is None:
        raise RelazioneError("La Relazione non è ancora stata redatta da Programmazione e Controllo.")
    if outcome not in Esito.values:
        raise RelazioneError("Esito della validazione non riconosciuto.")
    notes = (notes or "").strip()
    if outcome != Esito.VALIDATA and not notes:
        raise RelazioneError("Per questo esito le osservazioni o i motivi sono obbligatori.")
    missing = missing_sections(relazione)
    if outcome in POSITIVE_OUTCOMES and missing:
        raise RelazioneError(f"La Relazione non è completa: manca {', '.join(missing)}.")
    if date <= dt.date(peg.year, 12, 31):
        raise RelazioneError(f"La validazione segue la chiusura dell'anno: una data successiva al 31/12/{peg.year}.")
    if date > timezone.localdate():
        raise RelazioneError("La data del documento di validazione non può essere futura.")
    if outcome in POSITIVE_OUTCOMES:
        # A positive validation closes the PEG (cycle.services.close_peg): only from "in verifica".
        refusal = cycle_services.close_refusal(peg)
        if refusal:
            raise RelazioneError(refusal)
    validation = ValidazioneRelazione(relazione=relazione, date=date, outcome=outcome, notes=notes, author=user)
    if validation.is_positive:
        validation.document_html = draw_document(relazione, validation=validation)
        validation.document_docx = relazione_docx(relazione, validation=validation)
    validation.save()
    if validation.is_positive:
        cycle_services.close_peg(peg=peg, user=user, on=date, reference=f"documento di validazione del {date:%d/%m/%Y}")
    return validation


def docx_for(relazione: Relazione) -> bytes:
    """The validated DOCX once validated, else the draft drawn now."""
    validated = relazione.validated if relazione.pk else None
    if validated is not None and validated.document_docx:
        return bytes(validated.document_docx)
    return relazione_docx(relazione)
