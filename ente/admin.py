# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ente.models import Ente


class EnteForm(forms.ModelForm):
    class Meta:
        model = Ente
        fields = ["name", "crest"]

    def clean(self):
        cleaned = super().clean()
        # One ente per installation: once entered, it is changed, not added again.
        if self.instance._state.adding and Ente.objects.exists():
            raise ValidationError("L'ente è già stato inserito: modificalo invece di aggiungerne un altro.")
        return cleaned


@admin.register(Ente)
class EnteAdmin(admin.ModelAdmin):
    form = EnteForm
    list_display = ["name", "crest"]
