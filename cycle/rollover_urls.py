# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Nuovo PEG da anno precedente (cycle/rollover_views.py)."""

from django.urls import path

from cycle import rollover_views

app_name = "rollover"

urlpatterns = [
    path("nuovo-peg/", rollover_views.choose, name="choose"),
    path("<int:year>/nuovo-peg/", rollover_views.preview, name="preview"),
]
