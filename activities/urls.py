# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("preferenze/", views.preferences, name="preferences"),
    path("conteggio/", views.count, name="count"),
]
