from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from nas.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "office", "is_active")
    list_filter = ("office", "groups", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Assistance system"), {"fields": ("office",)}),
    )
