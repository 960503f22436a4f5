# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path, re_path

from transparency import views

app_name = "transparency"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/pubblica/", views.publish, name="publish"),
    path("<int:year>/latest/", views.latest, name="latest"),
    re_path(r"^(?P<year>[0-9]+)/latest/(?P<rest>[a-z_]+\.[a-z]+)$", views.latest, name="latest_file"),
    path("<int:year>/v<int:version>/", views.version, name="version"),
    path("<int:year>/v<int:version>/schede.html", views.cards_html, name="cards_html"),
    path("<int:year>/v<int:version>/schede.pdf", views.cards_pdf, name="cards_pdf"),
    path("<int:year>/v<int:version>/relazione.html", views.relazione_html, name="relazione_html"),
    re_path(
        r"^(?P<year>[0-9]+)/v(?P<version>[0-9]+)/(?P<name>[a-z_]+\.(?:csv|json|pdf))$",
        views.published_file,
        name="file",
    ),
]
