# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from ente import views

app_name = "ente"

urlpatterns = [
    path("ente/stemma/", views.crest, name="crest"),
    path("accessibilita/", views.accessibility, name="accessibility"),
]
