"""Tokens: one per organisation's client, stored as a keyed hash, revocable, their use recorded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from nas.api.models import ApiToken
from nas.api.services import token_hash
from nas.api.tests.conftest import SUBMISSION, Api, make_token
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.referrals.models import Referral

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"
PROTECTED = (
    URL,
    f"{URL}NAS-2025-000001/",
    "/api/v1/statistics/2024/",
    "/api/v1/statistics/2024/h1/",
)


def _create(organisation: str, name: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token_create", organisation=organisation, name=name, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_create_command_prints_the_token_once_and_stores_only_its_keyed_hash(
    police_department,
):
    token, note = _create("Helsinki Police Department", "case system")

    assert token.startswith("nas_") and len(token) > 40
    assert "shown only this once" in note
    stored = ApiToken.objects.get()
    assert (stored.organisation, stored.name, stored.revoked) == (
        police_department,
        "case system",
        None,
    )
    assert stored.token_hash == token_hash(token) != token
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert token not in str(row)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor_label.startswith("api_token_create (")
    assert token not in str(event.changes)
    assert Api(token).get(URL).status_code == 200


def test_the_create_command_refuses_an_unknown_organisation_and_a_name_in_use(police_department):
    with pytest.raises(CommandError, match="No organisation is called 'Nobody'"):
        _create("Nobody", "x")
    _create("Helsinki Police Department", "case system")
    with pytest.raises(CommandError, match="already has a token called case system"):
        _create("Helsinki Police Department", "case system")
    assert ApiToken.objects.count() == 1


def test_the_token_of_an_organisation_no_longer_active_is_refused(police_department):
    token, _note = _create("Helsinki Police Department", "case system")
    api = Api(token)
    assert api.get(URL).status_code == 200

    police_department.active = False
    police_department.save(update_fields=["active"])

    response = api.get(URL, **{"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json() == {"message": "The token is not valid or has been revoked."}


def test_a_revoked_token_is_refused_at_once(police_department):
    token, _note = _create("Helsinki Police Department", "case system")
    api = Api(token)
    assert api.get(URL).status_code == 200

    out = io.StringIO()
    call_command(
        "api_token_revoke",
        organisation="Helsinki Police Department",
        name="case system",
        stdout=out,
    )

    assert "revoked" in out.getvalue()
    response = api.get(URL, **{"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json() == {"message": "The token is not valid or has been revoked."}
    assert ApiToken.objects.get().revoked is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    with pytest.raises(CommandError, match="no active token"):
        call_command(
            "api_token_revoke", organisation="Helsinki Police Department", name="case system"
        )
    # The name is free again for a new token.
    assert _create("Helsinki Police Department", "case system")[0] != token


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer nas_not-a-token",
        "Bearer",
        "Bearer two parts",
        "Bearer " + "x" * 500,
        "Token nas_abc",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_without_a_valid_token_every_protected_endpoint_answers_401_json(
    police_department, authorization
):
    client = Client()
    headers = {"Authorization": authorization} if authorization else {}
    for url in PROTECTED:
        response = client.get(url, headers=headers)
        assert response.status_code == 401, (url, authorization)
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert set(response.json()) == {"message"}
    response = client.post(URL, SUBMISSION, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert not Referral.objects.exists()


def test_a_signed_in_user_without_a_token_is_not_an_organisation(caseworker_helsinki):
    client = Client()
    testing.sign_in_verified(client, caseworker_helsinki)
    response = client.get(URL)
    assert response.status_code == 401
    response = client.post(URL, SUBMISSION, content_type="application/json")
    assert response.status_code == 401
    assert not Referral.objects.exists()


def test_the_use_of_a_token_is_recorded_at_most_once_a_minute(police_department):
    api = Api(make_token(police_department))
    assert ApiToken.objects.get().last_used is None

    api.get(URL)
    first = ApiToken.objects.get().last_used
    assert first is not None
    api.get(URL)
    assert ApiToken.objects.get().last_used == first
    ApiToken.objects.update(last_used=timezone.now() - dt.timedelta(minutes=2))
    api.get(URL)
    later = ApiToken.objects.get().last_used
    assert later is not None and later > first


def test_requests_beyond_the_rate_limit_are_refused_with_429(police_department, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_token": "3/minute",
        },
    }
    api = Api(make_token(police_department))
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(URL)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == {"message"}
    # Each token counts on its own.
    assert Api(make_token(police_department, "other")).get(URL).status_code == 200


def test_without_a_token_requests_are_limited_per_address_and_a_forged_header_does_not_help(
    db, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_anonymous": "2/minute",
        },
    }
    url = "/api/v1/reference/genders/"
    client = Client()
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    assert client.get(url, headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    # Behind a proxy that sets the header, the site names it, and each client counts alone.
    settings.NAS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client.get(url, headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200
