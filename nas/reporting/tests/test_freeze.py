"""Freezing: the published figures of a period stay as published; corrections are listed."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.casework.services import assistance_end
from nas.common import testing
from nas.common.dates import Period, today
from nas.common.testing import sign_in_verified
from nas.reporting.data import Difference, publication_figures
from nas.reporting.models import PublishedStatistics
from nas.reporting.services import statistics_file, statistics_freeze

YEAR = Period.year(2024)


def end_one(clients):
    """Correct the records through a service: one client's assistance ended in June 2024."""
    assistance_end(
        acting_user=testing.make_decision_maker(),
        client=clients[0],
        date=dt.date(2024, 6, 1),
        reason=testing.end_reason("no_need"),
    )


def test_the_published_figures_stay_and_the_corrections_are_listed(year_2024):
    statistician = testing.make_statistician()
    frozen = statistics_freeze(actor=statistician, period=YEAR)
    assert frozen.figures["stock.victims"] == 6
    assert frozen.threshold == 5

    end_one(year_2024)

    figures = publication_figures(YEAR)
    assert figures.frozen == frozen
    assert figures.get("stock.victims") == 6  # as published
    assert figures.get("ended.total") == 0
    assert Difference("stock.victims", 6, 5) in figures.differences
    # One ending is fewer than five: the fresh published figure is withheld, and so shown.
    assert Difference("ended.total", 0, None) in figures.differences
    assert publication_figures(YEAR, internal=True).get("stock.victims") == 5  # internal: now


def test_the_signs_of_the_withheld_figures_are_frozen_with_them(year_2024):
    testing.make_client(client_type="witness")  # one witness: a count under five
    frozen = statistics_freeze(actor=testing.make_statistician(), period=YEAR)
    assert "new_clients.witnesses" in frozen.small
    assert all(frozen.figures[key] is None for key in frozen.small)

    end_one(year_2024)
    figures = publication_figures(YEAR)

    assert figures.small == frozenset(frozen.small)
    for key in frozen.small:
        assert figures.is_small(key) and figures.get(key) is None


def test_the_page_and_the_files_show_the_frozen_figures(client, year_2024):
    statistician = testing.make_statistician()
    statistics_freeze(actor=statistician, period=YEAR)
    end_one(year_2024)
    sign_in_verified(client, statistician)

    response = client.get(reverse("reporting:statistics") + "?kind=year&year=2024")

    page = response.content.decode()
    assert "Published and frozen on" in page and "by statistician" in page
    assert "On 31 December 2024, the NAS had 6 clients." in page
    assert (
        'Clients on the last day: victims <code class="figure-key">stock.victims</code></th>'
        '<td class="numeric">6</td><td class="numeric">5'
    ) in page
    assert not response.context["may_publish"]
    data = json.loads(
        statistics_file(actor=statistician, period=YEAR, output_format="json").content
    )
    assert data["stock.victims"] == 6
    assert {"key": "stock.victims", "published": 6, "now": 5} in data["corrections"]
    assert data["published_at"] == PublishedStatistics.objects.get().published_at.isoformat()
    csv = statistics_file(actor=statistician, period=YEAR, output_format="csv").content.decode()
    assert "stock.victims,6" in csv and "stock.victims 6->5" in csv


def test_a_period_is_frozen_once(year_2024):
    statistician = testing.make_statistician()
    statistics_freeze(actor=statistician, period=YEAR)

    with testing.refused(
        f"The statistics of 2024 were already published on {today().isoformat()}."
    ):
        statistics_freeze(actor=statistician, period=YEAR)
    assert PublishedStatistics.objects.count() == 1


def test_a_period_not_yet_over_cannot_be_published(db):
    period = Period(today() - dt.timedelta(days=30), today())

    with testing.refused("The statistics of a period can be published once the period has ended."):
        statistics_freeze(actor=testing.make_statistician(), period=period)


def test_only_those_allowed_publish(year_2024):
    with testing.refused("You may not do this with the statistics."):
        statistics_freeze(actor=testing.make_decision_maker(), period=YEAR)
    assert not PublishedStatistics.objects.exists()


def test_the_freeze_is_audited(year_2024):
    statistician = testing.make_statistician()

    frozen = statistics_freeze(actor=statistician, period=YEAR)

    event = testing.assert_audited("statistics.freeze", statistician, frozen)
    assert event.kind == AuditEvent.Kind.CREATE
    assert event.changes["period_start"] == "2024-01-01"


def test_the_command_freezes_and_writes_the_frozen_figures(year_2024, tmp_path):
    out = tmp_path / "2024.json"
    stderr = io.StringIO()

    call_command(
        "publish_statistics",
        "--year",
        "2024",
        "--format",
        "json",
        "--freeze",
        "--out",
        str(out),
        stderr=stderr,
    )

    frozen = PublishedStatistics.objects.get()
    assert frozen.published_by is None
    assert frozen.published_by_label.startswith("publish_statistics (")
    assert json.loads(out.read_text())["published_at"] == frozen.published_at.isoformat()
    assert "Froze the published figures" in stderr.getvalue()
    with pytest.raises(CommandError, match="already published"):
        call_command(
            "publish_statistics",
            "--year",
            "2024",
            "--format",
            "json",
            "--freeze",
            "--out",
            str(out),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="Only published figures are frozen"):
        call_command(
            "publish_statistics",
            "--year",
            "2023",
            "--format",
            "json",
            "--freeze",
            "--internal",
            "--purpose",
            "x",
            "--out",
            str(out),
            stderr=io.StringIO(),
        )
