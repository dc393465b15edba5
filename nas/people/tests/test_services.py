"""Persons: age and nationality rules, the identity code, and concurrent edits."""

from __future__ import annotations

import datetime as dt

import pytest

from nas.common.dates import today
from nas.common.errors import ConcurrentEditError
from nas.common.testing import assert_audited, db_row, make_person, refused, reload, row_counts
from nas.people.models import Person
from nas.people.services import person_create, person_update

pytestmark = pytest.mark.django_db

CONCURRENT = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see the current version, then make them again."
)


def create(user, **fields):
    return person_create(acting_user=user, given_names="Ana", family_name="Example", **fields)


def test_it_creates_a_person_and_audits_who_did_it(caseworker):
    person = create(
        caseworker,
        date_of_birth=dt.date(1990, 1, 2),
        nationalities=["UA", "RU"],
        primary_nationality="UA",
        personal_identity_code="131052-308T",
    )

    person = reload(person)
    assert person.version == 1
    assert person.ref.startswith("P-")
    assert person.nationalities == ["UA", "RU"]
    event = assert_audited("person.create", caseworker, person)
    assert event.person_id == person.pk
    assert event.changes["primary_nationality"] == "UA"


def test_a_person_without_nationalities_has_an_unknown_one(caseworker):
    person = create(caseworker)

    assert (person.nationalities, person.primary_nationality) == (["unknown"], "unknown")


def test_the_first_nationality_is_primary_unless_told(caseworker):
    person = create(caseworker, nationalities=["VN", "CN"], primary_nationality="")

    assert person.primary_nationality == "VN"


@pytest.mark.parametrize("code", ["stateless", "unknown", "FI"])
def test_it_accepts_stateless_unknown_and_iso_codes(caseworker, code):
    assert create(caseworker, nationalities=[code], primary_nationality=code).nationalities == [
        code
    ]


@pytest.mark.parametrize("code", ["XX", "fi", "Finland", "FIN"])
def test_it_refuses_an_unknown_nationality_code(caseworker, code):
    with refused(f"Unknown nationality code: {code}."):
        create(caseworker, nationalities=["SE", code], primary_nationality="SE")


def test_the_primary_nationality_is_one_of_the_persons_nationalities(caseworker):
    message = "The primary nationality must be one of the person's nationalities."
    with refused(message):
        create(caseworker, nationalities=["SE"], primary_nationality="NO")


@pytest.mark.parametrize("code", ["131052-308T", "010101+123N", "010100A123D"])
def test_it_accepts_a_valid_personal_identity_code(caseworker, code):
    assert create(caseworker, personal_identity_code=code).personal_identity_code == code


@pytest.mark.parametrize("code", ["131052-308U", "131052308T", "1310520-308T", "131052?308T"])
def test_it_refuses_an_invalid_personal_identity_code(caseworker, code):
    with refused("The personal identity code is not valid."):
        create(caseworker, personal_identity_code=code)


def test_it_refuses_both_a_date_and_a_year_of_birth(caseworker):
    with refused("Give either the date of birth or the year of birth, not both."):
        create(caseworker, date_of_birth=dt.date(1990, 1, 2), birth_year=1990)


def test_it_refuses_a_date_of_birth_in_the_future(caseworker):
    with refused("The date of birth cannot be in the future."):
        create(caseworker, date_of_birth=today() + dt.timedelta(days=1))


@pytest.mark.parametrize("year", [1899, today().year + 1])
def test_it_refuses_an_implausible_year_of_birth(caseworker, year):
    with refused("The year of birth is not plausible."):
        create(caseworker, birth_year=year)


def test_an_age_is_assessed_only_when_the_birth_is_unknown(caseworker):
    message = "An age assessment is recorded only when the date and year of birth are unknown."
    with refused(message):
        create(caseworker, birth_year=2008, age_assessment="minor")
    assert create(caseworker, age_assessment="minor").age_assessment == "minor"


def test_it_updates_a_person_and_audits_the_difference(caseworker):
    person = make_person(acting_user=caseworker, family_name="Old")

    person_update(acting_user=caseworker, person=person, expected_version=1, family_name="New")

    stored = reload(person)
    assert (stored.family_name, stored.version) == ("New", 2)
    event = assert_audited("person.update", caseworker, person)
    # The audit log records that the name changed, never the name (it outlives retention).
    assert event.changes == {"family_name": ["[redacted]", "[redacted]"]}


def test_a_refused_update_changes_nothing(caseworker):
    person = make_person(acting_user=caseworker, nationalities=["SE"], primary_nationality="SE")

    with refused("Unknown nationality code: XX.", person):
        person_update(
            acting_user=caseworker, person=person, expected_version=1, nationalities=["XX"]
        )


def test_a_stale_copy_of_a_person_does_not_overwrite_a_newer_change(
    caseworker_helsinki, caseworker_tampere
):
    person = make_person(acting_user=caseworker_helsinki, family_name="Original")
    mine = Person.objects.get(pk=person.pk)
    theirs = Person.objects.get(pk=person.pk)
    person_update(
        acting_user=caseworker_helsinki, person=mine, expected_version=1, family_name="First"
    )
    counts = row_counts()
    before = db_row(person)

    with pytest.raises(ConcurrentEditError) as refusal:
        person_update(
            acting_user=caseworker_tampere,
            person=theirs,
            expected_version=1,
            family_name="Second",
        )

    assert str(refusal.value) == CONCURRENT
    assert refusal.value.code == "concurrent_edit"
    assert db_row(person) == before
    assert (reload(person).family_name, reload(person).version) == ("First", 2)
    assert row_counts() == counts
