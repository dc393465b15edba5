"""The vocabulary of the access matrix (see test_access_matrix), shared with the apps.

An app adds the entries for its own URLs in `nas/<app>/tests/access_entries*.py`, a module with

    ENTRIES: dict[str, list[Case]]          # URL pattern key -> cases
    def add_objects(objects) -> None: ...   # optional: make the rows its URLs need

so that apps built side by side do not edit one file. The same module lists its form
endpoints for the malformed-input test (test_malformed_input):

    FORM_ENDPOINTS: dict[str, Endpoint]     # URL pattern key -> who posts what fields

 `objects` (a SimpleNamespace) holds
`users` (persona name -> User), `helsinki_client`, `tampere_client`, `restricted_client`
(a Helsinki client restricted to another caseworker) and what other apps added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from nas.common import testing

ANONYMOUS = "anonymous"
WHO = (*testing.PERSONAS, ANONYMOUS)
CASEWORK = ("caseworker_helsinki", "caseworker_tampere", "decision_maker")


def status(default: int, **overrides: int) -> dict[str, int]:
    """Return DEFAULT for every persona and anonymous, except OVERRIDES."""
    expected = dict.fromkeys(WHO, default)
    expected.update(overrides)
    return expected


SIGNED_IN = status(200, anonymous=302)
EVERYONE = status(200)
AUDITOR_ONLY = status(403, anonymous=302, auditor=200)
CASEWORK_ONLY = status(403, anonymous=302, **dict.fromkeys(CASEWORK, 200))


def admin_only(administrator: int) -> dict[str, int]:
    """The admin lets in only staff (the administrator) and redirects everyone else."""
    return status(302, administrator=administrator)


@dataclass(frozen=True)
class Case:
    label: str
    url: Callable[[Any], str]
    expected: dict[str, int]


def case(url: Callable[[Any], str], expected: dict[str, int], label: str = "") -> list[Case]:
    return [Case(label, url, expected)]


def named(name: str, *args: Callable[[Any], Any]) -> Callable[[Any], str]:
    """Return a URL maker reversing NAME with arguments taken from the test's objects."""
    return lambda o: reverse(name, args=[arg(o) for arg in args])


@dataclass(frozen=True)
class Endpoint:
    persona: str
    url: Callable[[Any], str]
    fields: tuple[str, ...]
    # Tables a refused request still writes: the record of the refusal.
    refusal_writes: tuple[str, ...] = ()
    examples: int = 25
    # The request signs the persona out, who signs in again after each example.
    signs_out: bool = False
