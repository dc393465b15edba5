from __future__ import annotations

from django.contrib import admin

from nas.common.admin import ReferenceItemAdmin
from nas.people.models import PermitType, ResidenceCategory

# Persons are not in the admin: personal data is read only through audited screens.
admin.site.register(ResidenceCategory, ReferenceItemAdmin)
admin.site.register(PermitType, ReferenceItemAdmin)
