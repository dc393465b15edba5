"""The visitor's address for the rate limits: the proxy's header when named, never a crash."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from nas.common.client_ip import client_ip


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        (None, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "127.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # Only the last entry was written by our proxy; the first could be forged.
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}, "203.0.113.9"),
        ("HTTP_X_REAL_IP", {}, "127.0.0.1"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "not an address"}, "127.0.0.1"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_the_address_comes_from_the_named_header_or_the_connection(
    settings, header, meta, expected
):
    settings.NAS_CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


def test_a_request_without_any_address_still_gets_one(settings):
    settings.NAS_CLIENT_IP_HEADER = None
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) == "0.0.0.0"
