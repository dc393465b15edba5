"""Retention: identifiers anonymised N years after the last event; the statistics unchanged."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from nas.audit.models import AuditEvent
from nas.casework.models import ClientPeriod, EndReason
from nas.casework.services import assistance_end
from nas.common.dates import Period, add_years, age_on, today
from nas.common.testing import (
    db_row,
    make_child,
    make_client,
    make_person,
    make_referral,
    reload,
    row_counts,
)
from nas.people.ages import person_birthday_estimate
from nas.people.models import Person
from nas.people.selectors import persons_matching_name
from nas.people.services import IDENTIFIER_FIELDS
from nas.referrals.models import AdmissionDecision, NegativeReason, Referral
from nas.referrals.services import admission_decide, referral_withdraw
from nas.reporting.data import publication_figures
from nas.reporting.services import statistics_object

pytestmark = pytest.mark.django_db

YEARS = 5
RECENT = add_years(today(), -1)  # within the retention period: kept


def identified(**fields):
    """A person with every identifier set."""
    fields.setdefault("gender", "female")
    if "nationalities" in fields:
        fields["primary_nationality"] = fields["nationalities"][0]
    return make_person(
        given_names="Secret Given",
        aliases=["Secret Alias"],
        phone="+358 40 1111111",
        email="secret@example.org",
        address="Secret street 1",
        municipality_of_residence="Helsinki",
        **fields,
    )


def end(client: ClientPeriod, on: dt.date, decision_maker) -> None:
    reason = EndReason.objects.get(code="no_need")
    assistance_end(acting_user=decision_maker, client=client, date=on, reason=reason)


def decide_negative(referral: Referral, on: dt.date, decision_maker) -> None:
    admission_decide(
        acting_user=decision_maker,
        referral=referral,
        date=on,
        outcome="negative",
        negative_reason=NegativeReason.objects.get(code="no_need"),
    )


def client(person, year: int, decision_maker, caseworker) -> ClientPeriod:
    return make_client(
        person,
        received=dt.date(year, 3, 1),
        decided=dt.date(year, 3, 15),
        caseworker=caseworker,
        decision_maker=decision_maker,
    )


@pytest.fixture
def people(caseworker, decision_maker):
    """Persons due and not due for anonymisation, of several genders, nationalities, ages."""
    cw, dm = caseworker, decision_maker
    due, kept = {}, {}

    ended_long_ago = client(identified(family_name="Ended", nationalities=["UA"]), 2015, dm, cw)
    child = make_child(ended_long_ago, acting_user=cw, date_of_birth=dt.date(2012, 6, 1))
    end(ended_long_ago, dt.date(2017, 6, 30), dm)
    due["ended"] = ended_long_ago.person
    due["child"] = child.person

    minor = client(
        identified(
            family_name="Minor",
            gender="male",
            date_of_birth=dt.date(2000, 1, 10),
            nationalities=["NG"],
        ),
        2016,
        dm,
        cw,
    )
    end(minor, dt.date(2018, 2, 1), dm)
    due["minor"] = minor.person

    year_only = client(identified(family_name="Year", birth_year=1985), 2016, dm, cw)
    end(year_only, dt.date(2017, 1, 31), dm)
    due["year_only"] = year_only.person

    unknown_age = client(identified(family_name="Unknown", age_assessment="adult"), 2016, dm, cw)
    end(unknown_age, dt.date(2017, 2, 28), dm)
    due["unknown_age"] = unknown_age.person

    negative = make_referral(
        identified(family_name="Negative"), received=dt.date(2016, 1, 4), assess=True
    )
    decide_negative(negative, dt.date(2016, 2, 1), dm)
    due["negative"] = negative.person

    withdrawn = make_referral(identified(family_name="Withdrawn"), received=dt.date(2016, 1, 4))
    referral_withdraw(acting_user=cw, referral=withdrawn, date=dt.date(2016, 1, 20))
    due["withdrawn"] = withdrawn.person

    ended_recently = client(identified(family_name="Recent", gender="male"), 2019, dm, cw)
    end(ended_recently, RECENT, dm)
    kept["ended_recently"] = ended_recently.person

    active = client(identified(family_name="Active", nationalities=["TH"]), 2016, dm, cw)
    kept["active"] = active.person

    rereferred = make_referral(
        identified(family_name="Rereferred"), received=dt.date(2016, 1, 4), assess=True
    )
    decide_negative(rereferred, dt.date(2016, 2, 1), dm)
    make_referral(rereferred.person, received=RECENT)  # open: the person is back
    kept["rereferred"] = rereferred.person

    # Ended long ago, then a new client period that ended recently: the latest end counts.
    returned = client(identified(family_name="Returned"), 2015, dm, cw)
    end(returned, dt.date(2016, 6, 30), dm)
    end(client(returned.person, 2022, dm, cw), RECENT, dm)
    kept["returned"] = returned.person

    return due, kept


def age_band(birth: dt.date | None, assessment: str, admitted: dt.date) -> str:
    if birth is None:
        return {"minor": "under_18", "adult": "adult_unknown_age"}.get(assessment, "unknown")
    age = age_on(birth, admitted)
    if age < 18:
        return "under_18"
    if age >= 60:
        return "60_plus"
    low = 18 if age < 30 else age // 10 * 10
    return f"{low}_{low + 9 if low != 18 else 29}"


def figures() -> dict[str, Any]:
    """Aggregate figures of every year, as the statistics compute them from the records."""
    clients = ClientPeriod.objects.select_related("person")
    bands = Counter(
        (
            c.admitted.year,
            c.client_type,
            age_band(person_birthday_estimate(c.person), c.person.age_assessment, c.admitted),
        )
        for c in clients
    )
    return {
        "new_clients": sorted(
            clients.values_list(
                "admitted__year", "client_type", "person__gender", "person__primary_nationality"
            ).annotate(n=Count("id"))
        ),
        "age_bands": sorted(bands.items()),
        "minors": sorted(
            clients.filter(admitted_as_minor=True)
            .values_list("admitted__year")
            .annotate(n=Count("id"))
        ),
        "ended": sorted(
            clients.filter(ended_on__isnull=False)
            .values_list("ended_on__year", "end_reason")
            .annotate(n=Count("id"))
        ),
        "referrals": sorted(
            Referral.objects.values_list("received__year", "status", "person__gender").annotate(
                n=Count("id")
            )
        ),
        "decisions": sorted(
            AdmissionDecision.objects.values_list(
                "date__year", "outcome", "negative_reason"
            ).annotate(n=Count("id"))
        ),
        "nationalities": sorted(
            Counter(code for p in Person.objects.all() for code in p.nationalities).items()
        ),
    }


def apply(*args: str) -> str:
    out = io.StringIO()
    call_command("retention_apply", *args, years=YEARS, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_the_persons_due_and_changes_nothing(people):
    due, kept = people
    counts = row_counts()
    rows = [db_row(person) for person in Person.objects.all()]

    output = apply("--dry-run")

    assert "7 persons would be anonymised" in output
    assert "5 after their last client relationship ended, 2 after a negative decision" in output
    for person in due.values():
        assert person.ref in output
    for person in kept.values():
        assert person.ref not in output
    assert "Secret" not in output and "Ended" not in output  # references, never names
    assert row_counts() == counts
    assert [db_row(person) for person in Person.objects.all()] == rows


def test_it_anonymises_the_persons_due_and_only_them(people):
    due, kept = people
    kept_rows = {key: db_row(person) for key, person in kept.items()}

    output = apply()

    assert "Anonymised 7 persons" in output
    for person in due.values():
        stored = reload(person)
        for name in IDENTIFIER_FIELDS:
            assert getattr(stored, name) in ("", []), name
        assert (stored.name_hash, stored.name_tokens, stored.municipality_of_residence) == (
            "",
            "",
            "",
        )
        assert stored.anonymised_on == today()
    assert {key: db_row(person) for key, person in kept.items()} == kept_rows


def test_each_anonymisation_is_audited_without_the_identifiers(people):
    due, _ = people

    apply()

    events = AuditEvent.objects.filter(action="person.anonymise")
    assert sorted(e.person_id or 0 for e in events) == sorted(p.pk for p in due.values())
    event = events.get(person_id=due["negative"].pk)
    assert event.actor_label == "retention_apply"
    assert event.changes["family_name"] == ["[redacted]", ""]
    assert event.reason == (
        "Retention: 5 years after a negative decision or a withdrawal (2016-02-01)."
    )
    assert "Negative" not in str(event.changes)
    ended = events.get(person_id=due["ended"].pk)
    assert ended.reason == (
        "Retention: 5 years after the last client relationship ended (2017-06-30)."
    )


def test_the_statistics_of_every_past_period_are_the_same_after_retention(people):
    before = figures()

    apply()

    assert figures() == before
    assert before["age_bands"]  # the figures are not trivially empty
    assert {band for (_, _, band), _ in before["age_bands"]} >= {
        "under_18",
        "adult_unknown_age",
        "30_39",
    }


def published_statistics() -> dict[tuple[dt.date, bool], Any]:
    """Every figure the statistics pages and files give, of every year and half-year since
    2014, as computed now: the internal, unsuppressed ones and the published ones."""
    periods = [
        period
        for year in range(2014, today().year)
        for period in (Period.year(year), Period.half_year(year, 1), Period.half_year(year, 2))
    ]
    return {
        (period.start, internal): statistics_object(publication_figures(period, internal=internal))
        for period in periods
        for internal in (True, False)
    }


def test_the_published_statistics_of_every_past_period_are_the_same_after_retention(people):
    before = published_statistics()

    assert "Anonymised" in apply()

    assert published_statistics() == before
    totals = [  # of the internal and the published figures
        data.get(key) or 0
        for data in before.values()
        for key in ("referrals.total", "new_clients.victims", "ended.total", "stock.total")
    ]
    assert any(totals), "the statistics are not trivially empty"


def test_anonymised_persons_are_no_longer_found_by_name(people, caseworker):
    assert persons_matching_name(user=caseworker, query="Negative").exists()

    apply()

    assert not persons_matching_name(user=caseworker, query="Negative").exists()
    assert not persons_matching_name(user=caseworker, query="Secret").filter(
        pk__in=[p.pk for p in people[0].values()]
    )


def test_a_second_run_has_nothing_left_to_do(people):
    apply()
    counts = row_counts()

    assert "Anonymised 0 persons" in apply()
    assert row_counts() == counts


def test_the_retention_period_comes_from_the_settings(people, settings):
    settings.NAS_RETENTION_YEARS = 50
    out = io.StringIO()

    call_command("retention_apply", "--dry-run", stdout=out)

    assert "0 persons would be anonymised (retention 50 years)" in out.getvalue()
