# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""manage.py new_peg_from_previous ANNO [--dry-run] [--utente NOME]: the same service as the page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cycle import rollover
from objectives.models import Peg


class Command(BaseCommand):
    help = (
        "Crea il PEG dell'anno successivo ad ANNO (provvisorio) da un PEG approvato: obiettivi pluriennali "
        "con le fasi dell'anno nuovo, obiettivi ricorrenti, politica di valutazione e fasce; nulla del "
        "monitoraggio. Con --dry-run mostra solo cosa verrebbe creato."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="L'anno del PEG di partenza (es. 2021 per creare il 2022)")
        parser.add_argument("--dry-run", action="store_true", help="Mostra l'anteprima senza creare nulla")
        parser.add_argument(
            "--utente",
            default="",
            help="Il nome utente (Programmazione e Controllo) che firma l'atto nelle note del PEG; "
            "senza, l'atto è registrato come eseguito da riga di comando",
        )

    def handle(self, *args, year, dry_run=False, utente="", **options):
        user = None
        if utente:
            user = get_user_model().objects.filter(username=utente, is_active=True).first()
            if user is None:
                raise CommandError(f"Utente «{utente}» non trovato o non attivo.")
        try:
            plan = rollover.preview(year)
        except Peg.DoesNotExist:
            raise CommandError(f"Il PEG {year} non esiste.") from None
        self.stdout.write(describe(plan))
        if dry_run:
            for refusal in plan.refusals:
                self.stdout.write(self.style.WARNING(f"Non creabile: {refusal}"))
            self.stdout.write("Anteprima (--dry-run): nulla è stato creato.")
            return
        try:
            new = rollover.create(year=year, user=user, fingerprint=plan.fingerprint)
        except rollover.RolloverError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Creato il PEG {new.year} (provvisorio): {new.obiettivi.count()} obiettivi. "
                f"L'atto è registrato nelle note del PEG {year}."
            )
        )


def describe(plan: rollover.Preview) -> str:
    """The preview in plain text, as the page shows it."""
    lines = [
        f"PEG {plan.year} dal PEG {plan.source.year} ({plan.source.get_status_display().lower()})",
        f"Strutture, responsabili e codici: condivisi, {len(plan.units)} strutture e {len(plan.responsabili)} "
        "codici collegati (non copiati).",
        f"Politica di valutazione: {rollover.policy_text(plan.source)}; {len(plan.bands)} fasce.",
        f"Obiettivi: {len(plan.objectives)} ({len(plan.multi_year)} pluriennali, {len(plan.recurring)} ricorrenti), "
        f"{plan.phase_count} fasi.",
    ]
    for objective in plan.objectives:
        lines.append(
            f"- {objective.settore.name}, obiettivo {objective.code} [{objective.kind}]: {objective.title[:80]}"
        )
        for phase in objective.phases:
            mark = "*" if phase.counts_in_new_year else " "
            lines.append(
                f"   {mark} fase {phase.label} ({phase.year}) {phase.weight_display or 'senza incidenza'}, "
                f"scadenza: {phase.deadline_text or 'non indicata'}"
            )
        for warning in objective.warnings:
            lines.append(f"   ! {warning}")
        for note in objective.notes:
            lines.append(f"   · {note}")
    for item in plan.skipped:
        lines.append(f"Non riportato: {item.obiettivo.settore.name}, obiettivo {item.obiettivo.code}: {item.reason}")
    lines.append(f"(* = fase valutata nel {plan.year})")
    return "\n".join(lines)
