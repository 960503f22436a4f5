# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path
from django.views.generic import RedirectView

from reports import views

app_name = "reports"

urlpatterns = [
    path("obiettivo/<int:pk>.pdf", views.objective_pdf, name="objective_pdf"),
    path("obiettivo/<int:pk>/monitoraggio.pdf", views.objective_monitoring_pdf, name="objective_monitoring_pdf"),
    # A unit's cards and the whole PEG are prepared as jobs: their page offers "Prepara il PDF".
    path("struttura/<int:pk>/<int:year>/pdf/", views.unit_pdf, name="unit_pdf"),
    path("peg/<int:year>/pdf/", views.peg_pdf, name="peg_pdf"),
    # The addresses of the direct downloads they replace lead to those pages.
    path("struttura/<int:pk>/<int:year>.pdf", RedirectView.as_view(pattern_name="reports:unit_pdf")),
    path("peg/<int:year>.pdf", RedirectView.as_view(pattern_name="reports:peg_pdf")),
]
