"""Every URL of the API (found by walking the resolver) is an operation of /api/schema/.

test_schema checks that schemathesis exercises every operation the schema lists; this closes
the loop: an API view left out of the schema (e.g. `extend_schema(exclude=True)`) would
escape schemathesis, and fails here instead.
"""

from __future__ import annotations

import re

import pytest
from django.urls import resolve

from nas.api.tests.test_schema import OPERATIONS
from nas.common.tests.test_access_matrix import url_patterns

pytestmark = pytest.mark.django_db

# The schema itself, its documentation and the JSON 404 of every other URL under /api/.
NOT_OPERATIONS = {"api:schema", "api:docs", "api:not_found"}
SAMPLES = {"ref": "NAS-2024-000001", "list_name": "offices", "year": "2024", "half": "h1"}


def _url_name(path: str) -> str:
    concrete = re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)
    return resolve(concrete).view_name


def test_every_api_url_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    in_schema = {_url_name(path) for path in schema["paths"]}
    api_urls = {key for key in url_patterns() if key.startswith("api:")} - NOT_OPERATIONS
    assert api_urls == in_schema
    assert {path for _method, path in OPERATIONS} == set(schema["paths"])
