"""Export -> import into an empty database -> export gives the same file, byte for byte."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from nas.casework.copies import copies_stale
from nas.casework.models import ClientPeriod
from nas.casework.services import (
    assistance_end,
    client_readmit,
    reflection_period_grant,
    victim_identify,
)
from nas.common import testing
from nas.interchange.tests.helpers import DATA, export, import_file, wipe_records
from nas.people.models import Person
from nas.referrals.services import admission_decide, referral_withdraw

D = dt.date


def build_dataset() -> None:
    """Records of every kind the format carries, made through the services."""
    dm = testing.make_decision_maker()
    # A victim of 2024: two forms, no right of residence, a reflection period, a service and
    # a child; assistance ended, then re-admitted in 2025.
    first = testing.make_client(received=D(2024, 3, 1), decided=D(2024, 3, 15))
    testing.add_exploitation(first, form="forced_labour", place="finland")
    testing.add_exploitation(
        first, form="sexual_exploitation", is_primary=False, place="abroad", country="EE"
    )
    testing.add_residence(first)
    reflection_period_grant(
        acting_user=dm,
        client=first,
        granted=D(2024, 3, 20),
        start=D(2024, 3, 20),
        end=D(2024, 6, 20),
    )
    testing.add_service(first, code="safe_housing")
    testing.make_child(first)
    assistance_end(
        acting_user=dm,
        client=first,
        date=D(2024, 12, 1),
        reason=testing.end_reason("left_finland"),
    )
    client_readmit(
        acting_user=dm,
        previous=first,
        received=D(2025, 1, 10),
        channel="phone",
        referrer_type=testing.referrer_type("ngo"),
        date=D(2025, 1, 20),
        consent_given=True,
        trafficking_definition_met=True,
        need_for_help=True,
    )
    # Identified in 2020 under the 2015-2022 rule.
    old = testing.make_client(received=D(2020, 2, 1), decided=D(2020, 2, 10), office_code="tampere")
    testing.add_exploitation(old, form="forced_marriage", place="abroad", country="TR")
    victim_identify(acting_user=dm, client=old, date=D(2020, 3, 1), ground="exploited_abroad")
    # A witness, a negative decision, a withdrawn and a pending referral.
    testing.make_client(received=D(2023, 5, 1), decided=D(2023, 5, 9), client_type="witness")
    refused = testing.make_referral(received=D(2025, 2, 1), assess=True)
    admission_decide(
        acting_user=dm,
        referral=refused,
        date=D(2025, 2, 10),
        outcome="negative",
        negative_reason=testing.negative_reason("no_consent"),
        consent_given=False,
    )
    withdrawn = testing.make_referral(received=D(2025, 3, 1))
    referral_withdraw(acting_user=dm, referral=withdrawn, date=D(2025, 3, 5))
    testing.make_referral(received=D(2025, 4, 1))


def round_trip(tmp_path) -> tuple[bytes, bytes, dict]:
    first = export(tmp_path / "a.jsonl")
    wipe_records()
    assert not Person.objects.exists()
    report = import_file(tmp_path / "a.jsonl", tmp_path / "report.json")
    return first, export(tmp_path / "b.jsonl"), report


def test_a_dataset_made_through_the_services_comes_back_identical(db, tmp_path):
    build_dataset()

    first, second, report = round_trip(tmp_path)

    assert report["problems"] == []
    assert report["loaded"] == len(first.splitlines()) == 6  # persons (one re-admitted)
    assert second == first
    again = import_file(tmp_path / "a.jsonl", tmp_path / "again.json")
    assert again["unchanged"] == 6 and again["loaded"] == 0


def test_the_good_lines_of_the_test_file_come_back_identical(db, tmp_path):
    import_file(DATA / "bad_lines.jsonl", tmp_path / "first.json")

    first, second, report = round_trip(tmp_path)

    assert report["problems"] == []
    assert second == first


def test_generated_demo_data_comes_back_identical(db, tmp_path):
    call_command(
        "generate_demo_data",
        seed=3,
        years="2024-2025",
        scale=0.05,
        no_progress=True,
        verbosity=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    first, second, report = round_trip(tmp_path)

    # The generator keeps every rule: each of its dossiers passes the services on import.
    assert report["problems"] == []
    # The import writes the client periods' statistical copies through the services.
    assert ClientPeriod.objects.exists() and not copies_stale().exists()
    assert second == first
