# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's states, acts and variations (cycle/views.py)."""

from django.urls import path  # noqa: F401

app_name = "cycle"

urlpatterns: list = []
