"""The statistical copies on a client period stay equal to its person and referral."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from nas.casework.copies import (
    copies_of,
    copies_refresh,
    copies_stale,
    decision_copies_refresh,
    decision_copies_stale,
)
from nas.casework.models import ClientPeriod, Exploitation
from nas.casework.services import (
    assistance_end,
    exploitation_make_primary,
    exploitation_remove,
)
from nas.common import testing
from nas.people.models import Person
from nas.people.services import person_anonymise, person_update
from nas.referrals.models import AdmissionDecision
from nas.referrals.services import admission_decide

pytestmark = pytest.mark.django_db


def copies(client: ClientPeriod) -> dict[str, object]:
    row = testing.db_row(client)
    return {name: row[name] for name in copies_of(client.person)}


def decision_of(client: ClientPeriod) -> AdmissionDecision:
    return AdmissionDecision.objects.get(referral__client_period=client)


def test_admission_copies_the_person_and_the_referrer_type():
    person = testing.make_person(gender="male", primary_nationality="NP", birth_year=1988)
    client = testing.make_client(person)

    assert copies(client) == {
        "person_gender": "male",
        "person_primary_nationality": "NP",
        "person_date_of_birth": None,
        "person_birth_year": 1988,
        "person_age_assessment": "",
        "referral_referrer_type": "police",
    }
    decision = testing.db_row(decision_of(client))
    assert decision["referral_received"] == testing.RECEIVED
    assert decision["referral_referrer_type"] == "police"
    assert not copies_stale().exists() and not decision_copies_stale().exists()


def test_a_negative_decision_copies_its_referral_too():
    referral = testing.make_referral(referrer="self", assess=True, received=dt.date(2025, 3, 1))
    admission_decide(
        acting_user=testing.make_decision_maker(),
        referral=referral,
        date=dt.date(2025, 3, 20),
        outcome="negative",
        negative_reason=testing.negative_reason(),
    )

    decision = AdmissionDecision.objects.get(referral=referral)
    assert (decision.referral_received, decision.referral_referrer_type) == (
        dt.date(2025, 3, 1),
        "self",
    )


def test_a_child_has_its_own_persons_copies_and_no_referrer_type():
    parent = testing.make_client()
    child = testing.make_child(parent, date_of_birth=dt.date(2016, 2, 29))

    assert copies(child)["person_date_of_birth"] == dt.date(2016, 2, 29)
    assert copies(child)["referral_referrer_type"] == ""
    assert not copies_stale().exists()


def test_changing_the_person_changes_the_copies_of_all_their_client_periods():
    actor = testing.make_decision_maker()
    person = testing.make_person(gender="female", primary_nationality="SO")
    earlier = testing.make_client(person)
    assistance_end(
        acting_user=actor, client=earlier, date=dt.date(2025, 1, 5), reason=testing.end_reason()
    )
    later = testing.make_client(person, received=dt.date(2025, 2, 1), decided=dt.date(2025, 2, 3))

    person = person_update(
        acting_user=actor,
        person=Person.objects.get(pk=person.pk),
        expected_version=None,
        gender="male",
        primary_nationality="NP",
        nationalities=["NP"],
        date_of_birth=None,
        age_assessment="adult",
    )

    for client in (earlier, later):
        assert copies(client)["person_gender"] == "male"
        assert copies(client)["person_primary_nationality"] == "NP"
        assert copies(client)["person_date_of_birth"] is None
        assert copies(client)["person_age_assessment"] == "adult"
    assert not copies_stale().exists()


def test_a_refused_change_of_the_person_leaves_the_copies_as_they_were():
    person = testing.make_person()
    client = testing.make_client(person)

    with testing.refused("The date of birth cannot be in the future.", client):
        person_update(
            acting_user=testing.make_caseworker(),
            person=person,
            expected_version=None,
            gender="male",
            date_of_birth=dt.date(2100, 1, 1),
        )
    assert copies(client)["person_gender"] == "female"


def test_anonymising_the_person_keeps_the_copies_the_statistics_count():
    person = testing.make_person(gender="female", primary_nationality="VN")
    client = testing.make_client(person)
    before = copies(client)

    person_anonymise(acting_user="retention", person=person, reason="retention: test")

    assert copies(client) == before
    assert not copies_stale().exists()


def test_a_copy_changed_behind_the_services_is_found_reported_and_repaired(capsys):
    person = testing.make_person(birth_year=None, date_of_birth=dt.date(1991, 3, 3))
    client = testing.make_client(person)
    other = testing.make_client()
    # Changes made outside the services: a value, a value to NULL, NULL to a value.
    Person.objects.filter(pk=person.pk).update(gender="other")
    assert list(copies_stale()) == [client]
    Person.objects.filter(pk=person.pk).update(date_of_birth=None, birth_year=1991)
    ClientPeriod.objects.filter(pk=other.pk).update(referral_referrer_type="ngo")
    assert set(copies_stale()) == {client, other}
    AdmissionDecision.objects.filter(pk=decision_of(other).pk).update(referral_received=None)
    assert list(decision_copies_stale()) == [decision_of(other)]

    with pytest.raises(CommandError, match="2 client periods and 1 admission decisions have"):
        call_command("statistical_copies")
    call_command("statistical_copies", "--repair")

    assert "3 copies repaired." in capsys.readouterr().out
    assert copies(client)["person_gender"] == "other"
    assert copies(client)["person_date_of_birth"] is None
    assert copies(client)["person_birth_year"] == 1991
    assert copies(other)["referral_referrer_type"] == "police"
    event = testing.audit_events("client.statistical_copies_repair")[-1]
    assert event.changes == {"client_periods": 2, "admission_decisions": 1}
    assert testing.db_row(decision_of(other))["referral_received"] == testing.RECEIVED
    call_command("statistical_copies")
    assert "up to date" in capsys.readouterr().out


def test_the_migration_fills_the_copies_of_existing_client_periods():
    parent = testing.make_client(
        testing.make_person(gender="male", primary_nationality="IQ", age_assessment="minor")
    )
    child = testing.make_child(parent)
    expected = {client.pk: copies(client) for client in (parent, child)}
    blank = {"person_gender": "", "person_primary_nationality": "", "person_date_of_birth": None}
    ClientPeriod.objects.update(**blank, person_age_assessment="", referral_referrer_type="")
    assert copies_stale().count() == 2

    migration = importlib.import_module("nas.casework.migrations.0006_statistical_copies")
    migration.fill_copies(apps, None)

    assert {client.pk: copies(client) for client in (parent, child)} == expected
    assert copies_refresh() == 2 and not copies_stale().exists()


def test_the_migration_fills_the_copies_of_existing_decisions():
    client = testing.make_client()
    AdmissionDecision.objects.update(referral_received=None, referral_referrer_type="")
    assert decision_copies_stale().count() == 1

    migration = importlib.import_module("nas.referrals.migrations.0006_decision_statistical_copies")
    migration.fill_copies(apps, None)

    assert not decision_copies_stale().exists()
    assert testing.db_row(decision_of(client))["referral_referrer_type"] == "police"
    assert decision_copies_refresh() == 1


def forms_copies(client: ClientPeriod) -> tuple[int, str]:
    row = testing.db_row(client)
    return row["forms_in_finland"], row["primary_form"]


def test_recording_promoting_and_removing_forms_keeps_their_copies():
    client = testing.make_client()
    assert forms_copies(client) == (0, "")

    first = testing.add_exploitation(client, form="sexual_exploitation", place="finland")
    second = testing.add_exploitation(
        client, form="forced_labour", is_primary=False, place="abroad", country="EE"
    )
    testing.add_exploitation(
        client, form="forced_criminality", is_primary=False, place="finland_and_abroad"
    )
    assert forms_copies(client) == (2, "sexual_exploitation")

    actor = testing.make_caseworker()
    exploitation_make_primary(acting_user=actor, exploitation=second)
    assert forms_copies(client) == (2, "forced_labour")
    exploitation_remove(acting_user=actor, exploitation=Exploitation.objects.get(pk=first.pk))
    assert forms_copies(client) == (1, "forced_labour")
    assert not copies_stale().exists()


def test_a_refused_form_leaves_the_copies_as_they_were():
    client = testing.make_client()
    testing.add_exploitation(client, place="finland")

    with testing.refused(
        "This client already has a primary form of exploitation; make this one primary instead.",
        client,
    ):
        testing.add_exploitation(client, form="forced_labour", place="finland")
    assert forms_copies(client) == (1, "sexual_exploitation")


def test_a_forms_copy_changed_behind_the_services_is_found_and_repaired():
    client = testing.make_client()
    testing.add_exploitation(client, place="finland")
    ClientPeriod.objects.filter(pk=client.pk).update(forms_in_finland=0)
    assert list(copies_stale()) == [client]
    ClientPeriod.objects.filter(pk=client.pk).update(forms_in_finland=1, primary_form="")
    assert list(copies_stale()) == [client]

    call_command("statistical_copies", "--repair")

    assert forms_copies(client) == (1, "sexual_exploitation")
    assert not copies_stale().exists()


def test_the_migration_fills_the_copies_of_existing_forms():
    client = testing.make_client()
    testing.add_exploitation(client, form="forced_marriage", place="finland")
    ClientPeriod.objects.update(forms_in_finland=0, primary_form="")

    migration = importlib.import_module("nas.casework.migrations.0008_forms_copies")
    migration.fill_copies(apps, None)

    assert forms_copies(client) == (1, "forced_marriage")
