"""Search by name through the keyed hashes, with access checked."""

from __future__ import annotations

import pytest

from nas.common.testing import make_client, make_person, make_referral
from nas.people.models import PersonNameToken
from nas.people.selectors import persons_matching_name, persons_visible_to
from nas.people.services import person_anonymise, person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(caseworker):
    person = make_person(
        acting_user=caseworker,
        given_names="Anna-Maria",
        family_name="Exämple",
        aliases=["Ani Kova"],
    )
    make_referral(person, acting_user=caseworker)
    return person


@pytest.mark.parametrize(
    "query",
    ["Anna", "anna", "ÄNNA", "Example", "Anna Example", "example anna", "Maria", "Ani", "Kova"],
)
def test_it_finds_a_person_by_any_name_part_or_alias(caseworker, anna, query):
    assert list(persons_matching_name(user=caseworker, query=query)) == [anna]


@pytest.mark.parametrize("query", ["Ann", "Anna Smith", "Examples", "", "  ", "-"])
def test_it_finds_no_one_by_a_partial_or_other_name(caseworker, anna, query):
    assert list(persons_matching_name(user=caseworker, query=query)) == []


def test_an_exact_search_compares_the_full_name(caseworker, anna):
    assert list(persons_matching_name(user=caseworker, query="anna maria example", exact=True)) == [
        anna
    ]
    assert list(persons_matching_name(user=caseworker, query="Anna Example", exact=True)) == []


def test_it_finds_the_new_name_after_a_change(caseworker, anna):
    person_update(acting_user=caseworker, person=anna, expected_version=1, family_name="Newname")

    assert list(persons_matching_name(user=caseworker, query="Newname")) == [anna]
    assert list(persons_matching_name(user=caseworker, query="Example")) == []


def test_another_offices_caseworker_does_not_find_the_person(caseworker_tampere, anna):
    assert list(persons_matching_name(user=caseworker_tampere, query="Anna")) == []


def test_the_caseworker_assigned_to_a_client_finds_the_client(
    caseworker_tampere, caseworker, decision_maker
):
    client = make_client(
        make_person(acting_user=caseworker, given_names="Bea", family_name="Sample"),
        caseworker=caseworker_tampere,
        decision_maker=decision_maker,
    )

    assert list(persons_matching_name(user=caseworker_tampere, query="bea")) == [client.person]


@pytest.mark.parametrize("persona", ["statistician", "auditor", "administrator", "referrer"])
def test_roles_outside_casework_find_no_one(request, anna, persona):
    user = request.getfixturevalue(persona)

    assert list(persons_matching_name(user=user, query="Anna")) == []
    assert list(persons_visible_to(user=user)) == []


def test_the_number_of_queries_does_not_grow_with_the_results(caseworker, anna):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            list(persons_matching_name(user=caseworker, query="Anna"))
        return len(context)

    queries()  # reads the user's roles, kept on the user for the rest of the request
    one = queries()
    for i in range(3):
        make_referral(make_person(given_names="Anna", family_name=f"O{i}"), acting_user=caseworker)

    assert queries() == one


def test_the_search_index_holds_one_row_per_name_part_and_alias(anna):
    tokens = set(PersonNameToken.objects.filter(person=anna).values_list("token", flat=True))
    assert tokens == set(anna.name_tokens.split())
    assert len(tokens) == 5  # anna, maria, example, ani, kova


def test_an_anonymised_person_is_found_by_no_name(caseworker, anna):
    person_anonymise(acting_user=caseworker, person=anna, reason="retention")

    assert not PersonNameToken.objects.filter(person=anna).exists()
    assert list(persons_matching_name(user=caseworker, query="Anna")) == []
