# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from peg.forms import LoginForm

admin.site.site_header = "PEG — Piano Esecutivo di Gestione"
admin.site.site_title = "PEG"
admin.site.index_title = "Amministrazione del PEG"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accesso/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path("stampa/", include("reports.urls")),
    path("documenti/", include("jobs.urls")),
    path("valutazione/", include("evaluation.urls")),
    path("relazione/", include("relazione.urls")),
    path("trasparenza/", include("transparency.urls")),
    path("attivita/", include("activities.urls")),
    path("ciclo/", include("cycle.urls")),
    path("ciclo/", include("cycle.rollover_urls")),
    path("", include("ente.urls")),
    path("", include("sectors.urls")),
    path("", include("objectives.urls")),
]

# A request with more files than one upload may carry gets its own Italian page.
handler400 = "objectives.views.bad_request"
