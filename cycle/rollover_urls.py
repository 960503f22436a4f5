# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Nuovo PEG da anno precedente (cycle/rollover_views.py)."""

from django.urls import path  # noqa: F401

app_name = "rollover"

urlpatterns: list = []
