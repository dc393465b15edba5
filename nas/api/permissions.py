"""Who may call each endpoint: every view names one of these (or AllowAny for public data)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from nas.api.authentication import OrganisationPrincipal


class IsReferringOrganisation(BasePermission):
    """A referring organisation that presented its API token.

    Signed-in users of the application are not organisations: without a token they get 401.
    """

    message = _("Give your organisation's API token: Authorization: Bearer <token>.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, OrganisationPrincipal)
