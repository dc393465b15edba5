"""Admin for reference lists: labels and order are editable; codes are stable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nas.common.models import Office


class ReferenceItemAdmin(admin.ModelAdmin):
    """Edit the labels of a reference list; a code is never changed once created."""

    list_display: tuple[str, ...] = (
        "code",
        "label_en",
        "label_fi",
        "label_sv",
        "position",
        "active",
    )
    list_editable = ("position", "active")
    search_fields = ("code", "label_en", "label_fi", "label_sv")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records refer to codes; retire an entry by making it inactive.
        return False


admin.site.register(Office, ReferenceItemAdmin)
