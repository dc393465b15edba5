"""No identifier is stored in clear text: not in the person table, not anywhere in the database.

The checks read the database directly, as someone holding a copy of it would: raw SQL over
every table on SQLite and PostgreSQL, and on SQLite the bytes of a database file too (the
test database is in memory, so it is copied to a file with SQLite's backup API first).
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from nas.api.tests.conftest import SUBMISSION, Api, make_organisation, make_token
from nas.audit.models import AuditEvent
from nas.common.testing import add_service, decide_positive, make_person, make_referral
from nas.people.models import Person
from nas.people.services import person_update
from nas.portal.tests.factories import make_member, submit_for
from nas.portal.tests.test_views_self_referral import form

pytestmark = pytest.mark.django_db

IDENTIFIERS = {
    "given_names": "Zarathustra Anneliese",
    "family_name": "Quixotebloom",
    "aliases": ["Mirabelle Oakshade"],
    "phone": "+358 40 7654321",
    "email": "hidden.person@example.org",
    "address": "Salaisentie 13 B 7, 00100 Helsinki",
    "personal_identity_code": "131052-308T",
}
# Every piece someone could search a dump for, also the pieces of the names and the number
# without spaces; the renamed family name from the update below.
NEEDLES = [
    "Zarathustra",
    "Anneliese",
    "Quixotebloom",
    "Mirabelle",
    "Oakshade",
    "7654321",
    "hidden.person",
    "Salaisentie",
    "131052-308T",
    "Renamedfamily",
    # The values every identifier was changed to (so the audit log's before and after hold both).
    "Ottoline",
    "Wolfsbane",
    "1122334",
    "moved.person",
    "Turvakuja",
    "131052-946C",
]
CHANGED = {
    "given_names": "Ottoline",
    "aliases": ["Mirabelle Oakshade", "Wolfsbane"],
    "phone": "+358 50 1122334",
    "email": "moved.person@example.org",
    # The safe-housing address a client is moved to.
    "address": "Turvakuja 2, 33100 Tampere",
    "personal_identity_code": "131052-946C",
}
# Identifiers that arrive from outside: the API (whose idempotency record keeps the answer
# given), the referral portal and the public self-referral form.
SUBMITTED = {
    "api": {"given_names": "Apiolinda", "family_name": "Tokenbridge", "phone": "+358 45 5550101"},
    "portal": {
        "given_names": "Portalwyn",
        "family_name": "Formhaven",
        "email": "po.rt@example.org",
    },
    "self": {"name": "Selfridgea Lonecall", "phone": "+358 44 5550202"},
}
SUBMITTED_NEEDLES = [
    "Apiolinda",
    "Tokenbridge",
    "5550101",
    "Portalwyn",
    "Formhaven",
    "po.rt@",
    "Selfridgea",
    "Lonecall",
    "5550202",
]


@pytest.fixture
def recorded(caseworker, decision_maker):
    """A person with every identifier, referred, admitted, served, renamed, then every
    identifier changed (the safe-housing address too)."""
    person = make_person(acting_user=caseworker, **IDENTIFIERS, date_of_birth=dt.date(1952, 10, 13))
    referral = make_referral(person, acting_user=caseworker, assess=True, assigned_to=caseworker)
    decide_positive(referral, decision_maker=decision_maker)
    add_service(referral.client_period, acting_user=caseworker)
    person_update(
        acting_user=caseworker,
        person=person,
        expected_version=person.version,
        family_name="Renamedfamily",
    )
    person.refresh_from_db()
    person_update(acting_user=caseworker, person=person, expected_version=person.version, **CHANGED)
    return person


@pytest.fixture
def submitted(db, caseworker_helsinki):
    """Referrals with identifiers sent through the API, the portal and the self-referral form."""

    cache.clear()
    police = make_organisation()
    api_body = {**SUBMISSION, "person": {**SUBMISSION["person"], **SUBMITTED["api"]}}
    answer = Api(make_token(police)).post(
        "/api/v1/referrals/", api_body, **{"Idempotency-Key": "encryption-at-rest-1"}
    )
    assert answer.status_code == 201, answer.content
    ngo = make_organisation("Portal NGO", "ngo")
    submit_for(ngo, make_member(ngo, "portal_member"), person=SUBMITTED["portal"])
    response = Client().post(reverse("self_referral:form"), form(**SUBMITTED["self"]))
    assert response.status_code == 302
    cache.clear()


def sqlite_file_bytes(tmp_path) -> bytes:
    """Return the bytes of the test database as SQLite would write it to a file.

    (The backup API and VACUUM INTO wait for the test's open transaction; serialize gives
    the connection's own view, uncommitted rows included.)
    """
    path = tmp_path / "copy.sqlite3"
    path.write_bytes(connection.connection.serialize())
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("SELECT count(*) FROM people_person").fetchone()[0] >= 1
    finally:
        copy.close()
    return path.read_bytes()


def every_stored_value() -> list[str]:
    """Return every value of every table, as text, read with raw SQL."""
    quote = connection.ops.quote_name
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values.extend(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                    if v is not None
                )
    return values


def test_the_person_row_holds_no_identifier_in_clear(recorded):
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [recorded.pk])  # noqa: S608
        row = " ".join(str(value) for value in cursor.fetchone())

    for needle in NEEDLES:
        assert needle.casefold() not in row.casefold(), needle


def test_no_table_holds_an_identifier_in_clear(recorded):
    dump = "\n".join(every_stored_value()).casefold()

    for needle in NEEDLES:
        assert needle.casefold() not in dump, needle


def test_the_audit_log_holds_each_change_of_an_identifier_without_its_values(recorded):
    update = AuditEvent.objects.filter(action="person.update", object_id=str(recorded.pk))
    changed = set().union(*(event.changes for event in update))
    assert set(CHANGED) | {"family_name"} <= changed
    stored = "\n".join(str(event.changes) for event in update).casefold()
    for needle in NEEDLES:
        assert needle.casefold() not in stored, needle


def test_identifiers_sent_by_the_api_the_portal_and_the_self_referral_form_are_encrypted(
    submitted, tmp_path
):
    names = {(p.given_names, p.family_name) for p in Person.objects.all()}
    assert {("Apiolinda", "Tokenbridge"), ("Portalwyn", "Formhaven")} <= names
    dump = "\n".join(every_stored_value()).casefold()
    data = sqlite_file_bytes(tmp_path) if connection.vendor == "sqlite" else b""
    for needle in SUBMITTED_NEEDLES:
        assert needle.casefold() not in dump, needle
        assert needle.encode() not in data, needle


def test_the_identifiers_are_still_there_for_those_who_hold_the_key(recorded):
    person = Person.objects.get(pk=recorded.pk)

    assert (person.given_names, person.family_name) == ("Ottoline", "Renamedfamily")
    assert person.aliases == ["Mirabelle Oakshade", "Wolfsbane"]
    assert person.personal_identity_code == "131052-946C"
    assert person.address == "Turvakuja 2, 33100 Tampere"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a file-level check on SQLite")
def test_the_database_file_holds_no_identifier_in_clear(recorded, tmp_path):
    data = sqlite_file_bytes(tmp_path)

    assert recorded.ref.encode() in data  # the copy does hold the person's row
    for needle in NEEDLES:
        for encoded in {needle.encode("utf-8"), needle.lower().encode("utf-8")}:
            assert encoded not in data, needle
            assert needle.encode("utf-16-le") not in data, needle


def test_the_checks_would_find_an_identifier_stored_in_clear(recorded, tmp_path):
    """The checks above can fail: a name written to a clear-text column is found."""
    Person.objects.filter(pk=recorded.pk).update(municipality_of_residence="Quixotebloom")

    assert any("Quixotebloom" in value for value in every_stored_value())
    if connection.vendor == "sqlite":
        assert b"Quixotebloom" in sqlite_file_bytes(tmp_path)
