# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from activities.models import NotificationPreference
from objectives.forms import ItalianDateField


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["due_soon", "late", "reported", "outcome"]
        widgets = {name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields}


def parse_day(text: str) -> dt.date:
    """A day typed as gg/mm/aaaa; ValueError with an Italian message otherwise."""
    field = ItalianDateField(
        error_messages={
            "invalid": "La data va indicata nel formato gg/mm/aaaa, ad esempio 30/06/2021.",
            "required": "Indicare una data nel formato gg/mm/aaaa.",
        }
    )
    try:
        return field.clean(text)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    except (OverflowError, ValueError):
        raise ValueError("La data va indicata nel formato gg/mm/aaaa, ad esempio 30/06/2021.") from None
