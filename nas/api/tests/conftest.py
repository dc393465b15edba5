"""Fixtures of the API tests: referring organisations, their tokens, and a client for each."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from nas.api.services import api_token_create
from nas.common import testing
from nas.referrals.models import Organisation

PERSON: dict[str, Any] = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "birth_year": 1994,
    "gender": "female",
    "nationalities": ["SO", "KE"],
    "primary_nationality": "SO",
    "languages": ["so", "en"],
    "interpreter_needed": True,
    "phone": "+358 40 123 4567",
}
SUBMISSION: dict[str, Any] = {
    "person": PERSON,
    "account": "Worked on a berry farm; the passport was taken by the employer.",
    "urgency": "urgent",
    "safety_concerns": "The employer knows where she stays.",
    "consent": "given",
}


class Api:
    """A client of the API that sends TOKEN (when given) as a bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, headers: dict[str, str]) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**auth, **headers}

    def get(self, url: str, **headers: str) -> Any:
        return self.client.get(url, headers=self._headers(headers))

    def post(self, url: str, data: Any, **headers: str) -> Any:
        return self.client.post(
            url, data, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts live in the cache: each test starts, and leaves, with none."""
    cache.clear()
    yield
    cache.clear()


def make_organisation(name: str = "Helsinki Police Department", referrer: str = "police"):
    return Organisation.objects.create(name=name, referrer_type=testing.referrer_type(referrer))


def make_token(organisation: Organisation, name: str = "case system") -> str:
    return api_token_create(actor="test", organisation=organisation, name=name)[1]


@pytest.fixture
def police_department(db):
    return make_organisation()


@pytest.fixture
def shelter(db):
    return make_organisation("Shelter for Victims", "shelter")


@pytest.fixture
def api(police_department):
    """The police department's client, with its token."""
    return Api(make_token(police_department))


@pytest.fixture
def shelter_api(shelter):
    return Api(make_token(shelter))
