"""The OpenAPI schema is true: schemathesis exercises every operation against the WSGI app.

Deterministic (derandomized Hypothesis) and modest (25 examples per operation) so that CI runs
it quickly; every default check of schemathesis runs: no server error, and every status code,
content type, header and body as the schema says, also for requests without a token.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from nas.api.tests.conftest import make_organisation, make_token
from nas.api.views import EXAMPLE_REF
from nas.common import testing
from nas.config.wsgi import application

OPERATIONS = {
    ("GET", "/api/v1/referrals/"),
    ("POST", "/api/v1/referrals/"),
    ("GET", "/api/v1/referrals/{ref}/"),
    ("GET", "/api/v1/reference/{list_name}/"),
    ("GET", "/api/v1/statistics/{year}/"),
    ("GET", "/api/v1/statistics/{year}/{half}/"),
}


@pytest.fixture
def token(db, settings):
    # Generous limits: the rate limiting itself is tested in test_auth.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"
        ),
    }
    organisation = make_organisation()
    testing.make_referral(organisation=organisation, ref=EXAMPLE_REF)
    return make_token(organisation)


@pytest.fixture
def api_schema(token):
    # The token as schemathesis's own auth for the bearer scheme: it also probes each
    # protected operation without it, and with a wrong one, expecting 401.
    config = SchemathesisConfig.from_dict(
        {
            "auth": {"openapi": {"organisationToken": {"bearer": token}}},
            "operations": [
                {
                    # A submission that fits the schema may still break a rule of the
                    # services that a schema cannot state (a date of birth in the future,
                    # both a date and a year of birth, a primary nationality not among the
                    # nationalities): a 400 with the service's message. Or it may reuse an
                    # Idempotency-Key of an earlier example with another body: a 422.
                    "include-operation-id": "referrals_submit",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "400", "401", "404", "422", "429"]
                        }
                    },
                }
            ],
        }
    )
    # Requests go through the project's WSGI application, in this thread and this test's
    # transaction. Like Django's test client, keep the start and end of a request from
    # closing the database connection (on PostgreSQL it would close the test's transaction with it).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_schema_describes_every_endpoint_of_the_api(api_schema):
    operations = {
        (operation.ok().method.upper(), operation.ok().path)
        for operation in api_schema.get_all_operations()
    }
    assert operations == OPERATIONS


def _check(strategy, examples) -> list[int]:
    """Run EXAMPLES cases of STRATEGY with every check; return the status codes answered."""
    statuses: list[int] = []

    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_described(case):
        statuses.append(case.call_and_validate().status_code)

    answers_as_described()
    return statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_the_api_answers_as_its_schema_says(api_schema, method, path, mode):
    operation = api_schema[path][method]
    statuses = _check(operation.as_strategy(generation_mode=mode), examples=25)
    if mode == GenerationMode.POSITIVE:  # and the schema's own examples (a known referral)
        for strategy in operation.get_strategies_from_examples():
            statuses += _check(strategy, examples=1)
        # A success was checked against the schema too, not only refusals (401, 404).
        assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))


def _one_of_with_blank(node) -> list:
    """The oneOf lists of NODE (a schema) that offer the blank string as an alternative."""
    found = []
    if isinstance(node, dict):
        if {"type": "string", "maxLength": 0} in node.get("oneOf", []):
            found.append(node["oneOf"])
        for value in node.values():
            found += _one_of_with_blank(value)
    elif isinstance(node, list):
        for value in node:
            found += _one_of_with_blank(value)
    return found


def test_a_text_that_may_be_blank_admits_the_empty_string_in_the_schema(client, db):
    # drf-spectacular's oneOf [text, blank] refused "" when the text's pattern admits it too.
    import json

    import jsonschema  # type: ignore[import-untyped]

    schema = json.loads(
        client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    address = schema["components"]["schemas"]["PersonRequest"]["properties"]["address"]
    assert _one_of_with_blank(schema) == []
    jsonschema.validate("", address)
    jsonschema.validate("Mannerheimintie 1", address)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("x" * 1001, address)
