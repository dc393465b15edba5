"""Fixtures shared by the statistics tests."""

from __future__ import annotations

import datetime as dt

import pytest

from nas.common import testing


@pytest.fixture
def year_2025(db):
    """Six victims admitted in 2025, one of them referred by the police, five by themselves."""
    for day in range(1, 7):
        referral = testing.make_referral(
            received=dt.date(2025, 3, day), referrer="police" if day == 1 else "self", assess=True
        )
        testing.decide_positive(referral, date=dt.date(2025, 4, day))


@pytest.fixture
def year_2024(db):
    """Six victims admitted on 15 March 2024 (a period safely over, to be published)."""
    return [testing.make_client() for _ in range(6)]
