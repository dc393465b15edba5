"""The figures on the demo generator's data are of the size the 2025 publication reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from nas.common.dates import Period
from nas.reporting import figures
from nas.reporting.disclosure import exposed
from nas.reporting.keys import disclosed, equations, figure_values, statistics_json

YEAR = Period.year(2025)


@pytest.fixture
def demo_data(db):
    call_command("generate_demo_data", "--seed", "1", "--years", "2020-2025", "--no-progress")


def test_the_2025_figures_of_the_demo_data_are_near_the_publications(demo_data):
    # Sanity only: the generator is tuned to the 2025 publication (467, 271, 1,634).
    assert figures.referrals(YEAR).total == pytest.approx(467, rel=0.1)
    assert figures.new_clients(YEAR).victims == pytest.approx(271, rel=0.1)
    assert figures.clients_on_last_day(YEAR).total == pytest.approx(1634, rel=0.1)


def test_the_published_2025_figures_of_the_demo_data_give_nothing_away(demo_data):
    values = figure_values(YEAR)
    published = statistics_json(YEAR, internal=False)
    folded, withheld = disclosed(values, 5)

    assert published["referrals.total"] == values["referrals.total"]
    assert published["new_clients.by_nationality.NP"] == values["new_clients.by_nationality.NP"]
    assert published["new_clients.by_nationality.other"] > 0
    assert withheld and published["suppressed"] == sorted(withheld)
    for equation in equations(folded):
        if equation.holds(folded):
            assert len([key for key in equation.members() if key in withheld]) != 1, equation
    assert exposed(folded, equations(folded), withheld) == set()


def test_the_generator_writes_the_statistical_copies_of_every_client_period(demo_data):
    # The figures count the client periods by their copies of their person's and referral's
    # attributes (nas/casework/copies.py); the generator writes its rows directly.
    from nas.casework.copies import copies_stale
    from nas.casework.models import ClientPeriod

    clients = ClientPeriod.objects.all()
    assert clients.count() > 1000 and not copies_stale().exists()
    assert clients.filter(person_date_of_birth__isnull=False).exists()
    assert clients.filter(person_birth_year__isnull=False).exists()
    assert clients.exclude(person_age_assessment="").exists()
    assert clients.filter(client_type="child").exclude(referral_referrer_type="").count() == 0


def test_the_pending_referrals_counted_by_status_are_those_of_the_definition(demo_data):
    # `pending_parts` reads the pending referrals by their status now; on every kind of day
    # (a year's end, a day in the middle, the first day, today) they are the definition's.
    from nas.common.dates import today
    from nas.referrals.models import Referral
    from nas.reporting.figures.referrals import _pending_on, oldest_pending, pending_parts

    days = [dt.date(year, 12, 31) for year in range(2020, 2026)]
    days += [dt.date(2023, 6, 14), dt.date(2020, 1, 1), today()]
    for day in days:
        expected = set(Referral.objects.filter(_pending_on(day)).values_list("pk", flat=True))
        parts = [{pk for _received, pk in part} for part in pending_parts(day)]
        assert sum(len(part) for part in parts) == len(set().union(*parts)), day  # disjoint
        assert set().union(*parts) == expected, day
        oldest = Referral.objects.filter(_pending_on(day)).order_by("received", "pk")
        assert oldest_pending(day, 5) == list(oldest.values_list("received", flat=True)[:5])
    assert any(Referral.objects.filter(_pending_on(day)).exists() for day in days)
