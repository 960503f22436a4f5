# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from __future__ import annotations

from django import forms


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Nota (es. la deliberazione che ha variato il piano)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"max_length": "La nota può avere al massimo 2000 caratteri."},
    )
