"""Rate limits of the API, per token (an organisation's client) or, without one, per address.

The rates are the scopes of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read on each request so
that a changed setting applies at once. The counts live in Django's cache: with several
server processes, give them a shared cache, or each process counts on its own.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from nas.api.authentication import OrganisationPrincipal
from nas.common.client_ip import client_ip


class _ScopedThrottle(SimpleRateThrottle):
    def __init__(self) -> None:
        # SimpleRateThrottle reads the rate in __init__ from a class attribute fixed at import.
        self._configure()

    def _configure(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def get_ident(self, request: Request) -> str:
        """The client's address: REMOTE_ADDR, or behind a proxy the header the site names.

        The same address as the self-referral form's limits use (nas.common.client_ip); an
        X-Forwarded-For that no proxy of ours set is not believed.
        """
        return client_ip(request)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.user, OrganisationPrincipal):
            ident = f"token-{request.user.token.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiRateThrottle(_ScopedThrottle):
    """Every request: scope `api_token` with a token, `api_anonymous` without."""

    scope = "api_anonymous"

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = (
            "api_token" if isinstance(request.user, OrganisationPrincipal) else "api_anonymous"
        )
        self._configure()
        return super().allow_request(request, view)


class SubmissionRateThrottle(_ScopedThrottle):
    """Submissions of referrals, on top of the general limit."""

    scope = "api_submission"


class StatisticsRateThrottle(_ScopedThrottle):
    """Statistics are computed from the records: dearer than the other reads."""

    scope = "api_statistics"
