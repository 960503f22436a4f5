# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from sectors import views

app_name = "sectors"

urlpatterns = [
    path("strutture/", views.settore_list, name="list"),
    path("strutture/<int:pk>/", views.settore_detail, name="detail"),
]
