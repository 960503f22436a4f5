from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "PEG — Piano Esecutivo di Gestione"
admin.site.site_title = "PEG"
admin.site.index_title = "Amministrazione del PEG"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
