from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sectors.models import Dirigente, Responsabile, Settore


@admin.register(Responsabile)
class ResponsabileAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "print_order"]
    search_fields = ["code", "description"]


@admin.register(Dirigente)
class DirigenteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "honorific", "user"]
    list_select_related = ["user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(Settore)
class SettoreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "head", "head_role", "responsabile", "print_order"]
    list_filter = ["kind", "head_role"]
    list_select_related = ["head", "responsabile"]
    search_fields = ["name", "head__name", "responsabile__code"]
    autocomplete_fields = ["head", "responsabile"]
