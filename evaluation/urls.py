# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.results, name="results"),
    path("<int:year>/responsabili/<int:pk>/", views.head_detail, name="head"),
    path("<int:year>/responsabili/<int:pk>/scheda/", views.open_scheda, name="open_scheda"),
    path("schede/<int:pk>/", views.scheda_detail, name="scheda"),
    path("schede/<int:pk>/punteggi/", views.scheda_score, name="score"),
    path("schede/<int:pk>/notifica/", views.scheda_act, {"act": "notify"}, name="notify"),
    path("schede/<int:pk>/presa-visione/", views.scheda_act, {"act": "acknowledge"}, name="acknowledge"),
    path("schede/<int:pk>/riesame/", views.scheda_act, {"act": "request_review"}, name="request_review"),
    path("schede/<int:pk>/esito-riesame/", views.scheda_act, {"act": "conclude_review"}, name="conclude_review"),
    path("schede/<int:pk>/chiudi/", views.scheda_act, {"act": "close"}, name="close"),
    path("schede/<int:pk>.pdf", views.scheda_pdf, name="scheda_pdf"),
]
