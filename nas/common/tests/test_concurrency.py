"""Optimistic concurrency: a row is saved only at the version it was read at."""

from __future__ import annotations

import pytest

from nas.common.concurrency import save_versioned
from nas.common.errors import ConcurrentEditError, DomainError
from nas.common.testing import make_person, reload
from nas.people.models import Person

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see the current version, then make them again."
)


def test_it_saves_the_fields_and_moves_the_version_on(caseworker):
    person = make_person(acting_user=caseworker, family_name="Before")
    opened = person.updated_at
    person.family_name = "After"

    save_versioned(person, expected_version=1, update_fields=["family_name"])

    stored = reload(person)
    assert (stored.family_name, stored.version) == ("After", 2)
    assert person.version == 2
    assert stored.updated_at >= opened
    assert person.updated_at == stored.updated_at


def test_it_saves_only_the_fields_it_is_given(caseworker):
    person = make_person(acting_user=caseworker, family_name="Before", given_names="Ana")
    person.family_name = "After"
    person.given_names = "Not saved"

    save_versioned(person, expected_version=None, update_fields=["family_name"])

    assert reload(person).given_names == "Ana"


def test_the_second_of_two_copies_is_refused_and_the_first_kept(caseworker):
    person = make_person(acting_user=caseworker, family_name="Original")
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    first.family_name = "First"
    save_versioned(first, expected_version=None, update_fields=["family_name"])
    second.family_name = "Second"

    with pytest.raises(ConcurrentEditError) as refusal:
        save_versioned(second, expected_version=None, update_fields=["family_name"])

    assert str(refusal.value) == MESSAGE
    assert isinstance(refusal.value, DomainError)
    assert refusal.value.code == "concurrent_edit"
    assert second.version == 1
    stored = reload(person)
    assert (stored.family_name, stored.version) == ("First", 2)


def test_a_form_opened_at_an_older_version_is_refused(caseworker):
    person = make_person(acting_user=caseworker)
    person.family_name = "One"
    save_versioned(person, expected_version=1, update_fields=["family_name"])
    person.family_name = "Two"

    with pytest.raises(ConcurrentEditError):
        save_versioned(person, expected_version=1, update_fields=["family_name"])

    assert reload(person).family_name == "One"
