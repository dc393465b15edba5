"""The figures on the demo generator's data are of the size the 2025 publication reports."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nas.common.dates import Period
from nas.reporting import figures


@pytest.fixture
def demo_data(db):
    call_command("generate_demo_data", "--seed", "1", "--years", "2020-2025", "--no-progress")


def test_the_2025_figures_of_the_demo_data_are_near_the_publications(demo_data):
    year = Period.year(2025)

    referrals = figures.referrals(year)
    new = figures.new_clients(year)
    stock = figures.clients_on_last_day(year)

    print(referrals, new, stock, figures.decisions(year), figures.timeliness(year))
    print(figures.exploitation_in_finland(year), figures.reflection_periods(year))
    print(figures.exploitation_forms(year), figures.exploited_where(year))
    print(figures.assistance_ended(year), figures.referrals_by_year(2020, 2025))
    assert referrals.total == pytest.approx(467, rel=0.1)
    assert new.victims == pytest.approx(271, rel=0.1)
    assert stock.total == pytest.approx(1634, rel=0.1)
