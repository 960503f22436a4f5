# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from objectives import views

app_name = "objectives"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("peg/<int:year>/verifica-fine-anno/", views.year_end_review, name="year_end_review"),
    path("obiettivi/", views.objective_list, name="list"),
    path("obiettivi/esporta.csv", views.export_csv, name="export_csv"),
    path("obiettivi/esporta.xlsx", views.export_xlsx, name="export_xlsx"),
    path("obiettivi/<int:pk>/", views.objective_detail, name="detail"),
    path("obiettivi/<int:pk>/rendiconta/", views.submit_report, name="submit"),
    path("obiettivi/<int:pk>/rinvia/", views.return_to_head, name="return"),
    path("obiettivi/<int:pk>/valida/", views.validate, name="validate"),
    path("obiettivi/<int:pk>/riapri/", views.reopen, name="reopen"),
    path("fasi/<int:pk>/aggiorna/", views.phase_update, name="phase_update"),
    path("fasi/<int:pk>/sterilizza/", views.neutralise, name="neutralise"),
    path("fasi/<int:pk>/parziale/", views.partial, name="partial"),
    path("allegati/<int:pk>/", views.attachment_download, name="attachment"),
    path("allegati/<int:pk>/elimina/", views.attachment_delete, name="attachment_delete"),
    path("indicatori/<int:pk>/rileva/", views.indicator_actual, name="indicator_actual"),
    path("indicatori/<int:pk>/conferma/", views.indicator_confirm, name="indicator_confirm"),
    path("indicatori/<int:pk>/rettifica/", views.indicator_correct, name="indicator_correct"),
    path("indicatori/allegati/<int:pk>/", views.indicator_attachment, name="indicator_attachment"),
]
