"""The project's URLs."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django_otp.admin import OTPAdminSite

# The admin asks for the second factor too, and has no sign-in page of its own: there is
# one way in, with its lockout and its audit.
admin.site.__class__ = OTPAdminSite


def _admin_sign_in(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _admin_sign_in  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("nas.accounts.urls")),
    path("audit/", include("nas.audit.urls")),
    path("referrals/", include("nas.referrals.urls")),
    path("contacts/", include("nas.referrals.urls_contacts")),
    path("documents/", include("nas.documents.urls")),
    path("portal/", include("nas.portal.urls")),
    path("self-referral/", include("nas.portal.urls_public")),
    path("api/", include("nas.api.urls")),
    path("statistics/", include("nas.reporting.urls")),
    path("", include("nas.casework.urls_dashboard")),
    path("", include("nas.casework.urls")),
]
