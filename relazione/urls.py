# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.urls import path

from relazione import views

app_name = "relazione"

urlpatterns = [
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/testi/", views.edit, name="edit"),
    path("<int:year>/validazione/", views.validate, name="validate"),
    path("<int:year>/validazioni/<int:pk>.pdf", views.validation_pdf, name="validation_pdf"),
    path("<int:year>.pdf", views.pdf, name="pdf"),
    path("<int:year>.docx", views.docx, name="docx"),
]
