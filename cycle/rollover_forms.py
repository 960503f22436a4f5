# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The confirmation of the new PEG: it carries the preview's fingerprint (cycle.rollover)."""

from __future__ import annotations

from django import forms


class RolloverConfirmForm(forms.Form):
    fingerprint = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Anteprima mancante: aprire di nuovo l'anteprima e confermare da lì.",
            "invalid": "Anteprima non riconosciuta: aprire di nuovo l'anteprima e confermare da lì.",
        },
    )
