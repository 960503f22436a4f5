# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.my_jobs, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/stato/", views.status, name="status"),
    path("<int:pk>/scarica/", views.download, name="download"),
]
