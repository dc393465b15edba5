from __future__ import annotations

from django.contrib import admin

from nas.assistance.models import ServiceType
from nas.common.admin import ReferenceItemAdmin

admin.site.register(ServiceType, ReferenceItemAdmin)
