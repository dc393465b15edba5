"""Who calls the API: a referring organisation, by its bearer token, never a user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.request import Request

from nas.api.models import ApiToken
from nas.api.services import api_token_use
from nas.referrals.models import Organisation

SCHEME = "Bearer"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class OrganisationPrincipal:
    """The caller of an API request: the organisation whose token was presented."""

    token: ApiToken
    is_authenticated = True
    is_anonymous = False
    is_active = True

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation

    @property
    def label(self) -> str:
        """Who acted, as the audit log records it (an organisation is not a user)."""
        return f"API: {self.organisation.name} (token {self.token.name})"

    def __str__(self) -> str:
        return self.label


class BearerTokenAuthentication(BaseAuthentication):
    """Read `Authorization: Bearer <token>`; an unknown or revoked token is refused (401)."""

    def authenticate(self, request: Request) -> tuple[OrganisationPrincipal, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != SCHEME.lower().encode():
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_TOKEN_LENGTH:
            raise AuthenticationFailed(_("Give one token after Bearer."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is not valid or has been revoked.")) from None
        api_token = api_token_use(token)
        if api_token is None:
            raise AuthenticationFailed(_("The token is not valid or has been revoked."))
        return OrganisationPrincipal(api_token), api_token

    def authenticate_header(self, request: Request) -> str:
        return f'{SCHEME} realm="api"'


def principal_of(request: Any) -> OrganisationPrincipal:
    """Return the organisation calling REQUEST (a view behind IsReferringOrganisation)."""
    principal = request.user
    if not isinstance(principal, OrganisationPrincipal):
        raise NotAuthenticated()
    return principal
