# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's states, acts and variations (cycle/views.py)."""

from django.urls import path

from cycle import views

app_name = "cycle"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.peg_cycle, name="peg"),
    path("<int:year>/approvazione/", views.approve, name="approve"),
    path("<int:year>/variazione/", views.variation, name="variation"),
]
