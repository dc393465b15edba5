"""Response headers that Django and django-csp do not set."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

# The pages need none of these browser features; denying them limits what injected content
# or a compromised dependency could do.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Add Permissions-Policy, and keep signed-in pages out of every cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Pages seen by a signed-in user may show a person's data: a shared computer's
        # browser cache or a proxy must not keep them.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class IdleTimeoutMiddleware:
    """Keep a session alive while it is used: its expiry moves on at most once a minute.

    A session expires SESSION_COOKIE_AGE after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) would make every page, even one that only reads, a
    write to the session table, and on SQLite a wait for the database's single writer; so a
    session in use is saved again only when its last renewal is NAS_SESSION_RENEW_SECONDS
    old. A session therefore ends between SESSION_COOKIE_AGE - NAS_SESSION_RENEW_SECONDS
    and SESSION_COOKIE_AGE after the last request. Must come after SessionMiddleware.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.keys():
            return response
        now = int(timezone.now().timestamp())
        renewed = session.get(self.KEY)
        if not isinstance(renewed, int) or now - renewed >= settings.NAS_SESSION_RENEW_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
