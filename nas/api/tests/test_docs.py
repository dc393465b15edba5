"""The interactive documentation works under the site's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from nas.config.tests.test_templates_csp import offences

pytestmark = pytest.mark.django_db


def test_the_docs_page_has_no_inline_script_or_style_and_loads_everything_from_the_site():
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert offences(html) == []
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/api/docs/?script=" in assets
    static = [url for url in assets if url.startswith("/static/")]
    assert len(static) == len(assets) - 1  # everything but the script URL is a static file
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_docs_script_points_swagger_ui_at_the_schema():
    response = Client().get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in response.content.decode()


def test_the_schema_is_public_openapi_3():
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["organisationToken"]["scheme"] == "bearer"
