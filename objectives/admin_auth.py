# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Users, groups and permissions in the admin: administrators (superusers) only.

A user's groups and permissions decide what they may do with the plan and its evaluation, so
managing them is an administrator's act, whatever model permissions a staff account was given.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from objectives import access


class AdministratorsOnlyMixin:
    def has_module_permission(self, request):
        return access.can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_manage_accounts(request.user)

    def has_add_permission(self, request, *args):
        return access.can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return access.can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.can_manage_accounts(request.user)


class AccountAdmin(AdministratorsOnlyMixin, UserAdmin):
    pass


class RoleGroupAdmin(AdministratorsOnlyMixin, GroupAdmin):
    pass


User = get_user_model()
for model, model_admin in ((User, AccountAdmin), (Group, RoleGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
