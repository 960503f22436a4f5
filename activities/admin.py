# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.contrib import admin

from activities.models import NotificationPreference, ReminderSettings, SentReminder


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["peg", "days_before"]
    list_select_related = ["peg"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "due_soon", "late", "reported", "outcome"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The log is the command's memory: read-only, so no one makes it send twice or never."""

    list_display = ["sent_at", "kind", "recipient", "object_id", "event_date"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
