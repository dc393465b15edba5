from __future__ import annotations

from django.contrib import admin

from nas.casework.models import EndReason, ExploitationForm, LabourSector, MeansOfControl
from nas.common.admin import ReferenceItemAdmin

admin.site.register(ExploitationForm, ReferenceItemAdmin)
admin.site.register(MeansOfControl, ReferenceItemAdmin)
admin.site.register(EndReason, ReferenceItemAdmin)


@admin.register(LabourSector)
class LabourSectorAdmin(ReferenceItemAdmin):
    list_display = (*ReferenceItemAdmin.list_display, "isic_section")
