"""The address of the visitor, for the rate limits of the public forms."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the visitor's address.

    Behind a reverse proxy, settings.NAS_CLIENT_IP_HEADER names the request header the proxy
    sets (e.g. HTTP_X_FORWARDED_FOR). Its last entry is the address the proxy itself saw;
    earlier entries come from the visitor and could be forged. A missing or malformed header
    falls back to the connection's address, so a misconfigured proxy never breaks the form.
    """
    header = getattr(settings, "NAS_CLIENT_IP_HEADER", None)
    candidates = []
    if header:
        candidates.append(request.META.get(header, "").split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    # No address at all: such requests share one limit (an address, not a socket binding).
    return "0.0.0.0"  # noqa: S104  # nosec B104
