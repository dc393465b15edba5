"""No identifier is stored in clear text: not in the person table, not anywhere in the database.

The checks read the database directly, as someone holding a copy of it would: raw SQL over
every table on SQLite and PostgreSQL, and on SQLite the bytes of a database file too (the
test database is in memory, so it is copied to a file with SQLite's backup API first).
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.db import connection

from nas.common.testing import add_service, decide_positive, make_person, make_referral
from nas.people.models import Person
from nas.people.services import person_update

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
]


@pytest.fixture
def recorded(caseworker, decision_maker):
    """A person with every identifier, referred, admitted, served, and renamed once."""
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
    return person


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


def test_the_identifiers_are_still_there_for_those_who_hold_the_key(recorded):
    person = Person.objects.get(pk=recorded.pk)

    assert (person.given_names, person.family_name) == ("Zarathustra Anneliese", "Renamedfamily")
    assert person.aliases == ["Mirabelle Oakshade"]
    assert person.personal_identity_code == "131052-308T"


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
