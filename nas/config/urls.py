"""The project's URLs."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

# The admin asks for the second factor too.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("nas.accounts.urls")),
    path("audit/", include("nas.audit.urls")),
    path("", include("nas.casework.urls")),
]
