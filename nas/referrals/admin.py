from __future__ import annotations

from django.contrib import admin

from nas.common.admin import ReferenceItemAdmin
from nas.referrals.models import NegativeReason, Organisation, ReferrerType

admin.site.register(ReferrerType, ReferenceItemAdmin)
admin.site.register(NegativeReason, ReferenceItemAdmin)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "referrer_type", "active")
    list_filter = ("referrer_type", "active")
    search_fields = ("name",)
