# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Publishing a PEG in Amministrazione Trasparente: one act, one new frozen version.

`publish` freezes, in one transaction, the open data (CSV, JSON, datapackage.json), the plan's
cards and, when the Nucleo validated it, the Relazione sulla performance (its body and PDF). The
version is the record of the act: who, when, with which note. A plan unchanged since the last
version is not published again.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from objectives.models import Peg, PegStatus
from relazione.models import Relazione
from relazione.printing import body_pdf
from reports import documents
from transparency import access, opendata
from transparency.models import FilePubblicato, Pubblicazione


class PublicationError(Exception):
    """An act refused; the message is Italian and shown to the user as is."""


class NotAllowed(PublicationError):
    pass


def card_fragments(peg: Peg) -> list[str]:
    cards = [documents.build_card(obiettivo) for obiettivo in documents.objectives_for(year=peg.year)]
    return [documents.card_fragment(card) for card in cards]


def _validated_relazione_html(peg: Peg) -> str:
    relazione = Relazione.objects.filter(peg=peg).first()
    validated = relazione.validated if relazione is not None else None
    return validated.document_html if validated is not None else ""


def _digest(files: dict[str, tuple[str, bytes]], fragments: list[str], relazione_html: str) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name][1] + b"\0")
    digest.update(json.dumps(fragments).encode() + b"\0" + relazione_html.encode())
    return digest.hexdigest()


@transaction.atomic
def publish(*, peg: Peg, user, note: str = "") -> Pubblicazione:
    if not access.can_publish(user):
        raise NotAllowed("Solo Programmazione e Controllo pubblica in Amministrazione Trasparente.")
    peg = Peg.objects.select_for_update().get(pk=peg.pk)
    if peg.status == PegStatus.PROVVISORIO:
        raise PublicationError(
            f"Il PEG {peg.year} è provvisorio: si pubblica in Amministrazione Trasparente dopo l'approvazione "
            "della Giunta."
        )
    data_tables = opendata.tables(peg)
    files = opendata.data_files(data_tables)
    fragments = card_fragments(peg)
    relazione_html = _validated_relazione_html(peg)
    digest = _digest(files, fragments, relazione_html)
    latest = Pubblicazione.objects.filter(peg=peg).order_by("-version").first()
    if latest is not None and latest.digest == digest:
        raise PublicationError(
            f"Nulla è cambiato dalla versione {latest.version} pubblicata il "
            f"{timezone.localtime(latest.published_at):%d/%m/%Y}: non si pubblica una copia."
        )
    version = (Pubblicazione.objects.filter(peg=peg).aggregate(last=Max("version"))["last"] or 0) + 1
    licence = opendata.current_licence()
    now = timezone.now()
    files["datapackage.json"] = (
        "application/json",
        opendata.datapackage(peg, version, data_tables, licence=licence, created=now),
    )
    if relazione_html:
        files["relazione.pdf"] = (
            "application/pdf",
            body_pdf(relazione_html, title=f"Relazione sulla performance {peg.year}"),
        )
    pubblicazione = Pubblicazione.objects.create(
        peg=peg,
        version=version,
        published_by=user,
        note=(note or "").strip(),
        peg_status=peg.get_status_display(),
        licence=licence,
        card_fragments=fragments,
        relazione_html=relazione_html,
        digest=digest,
    )
    FilePubblicato.objects.bulk_create(
        FilePubblicato(pubblicazione=pubblicazione, name=name, media_type=media_type, content=content)
        for name, (media_type, content) in files.items()
    )
    return pubblicazione
