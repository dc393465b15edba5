"""Interchange exports: Eurostat's registered victims and the k-anonymised HTCDS case file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_countries.data import COUNTRIES

from nas.audit.models import AuditEvent
from nas.casework.models import MeansOfControl
from nas.common import testing
from nas.common.dates import Period
from nas.reporting import eurostat, htcds
from nas.reporting.disclosure import exposed
from nas.reporting.regions import OTHER_REGION, region

YEAR = Period.year(2024)


def victim(
    nationality,
    *,
    gender="female",
    born=dt.date(1990, 5, 17),
    form="sexual_exploitation",
    place="finland",
    country="FI",
    means=(),
):
    """Admit a victim in 2024 (through the services) with a primary form of exploitation."""
    person = testing.make_person(
        gender=gender,
        date_of_birth=born,
        nationalities=[nationality],
        primary_nationality=nationality,
    )
    client = testing.make_client(person)
    testing.add_exploitation(
        client,
        form=form,
        place=place,
        country=country,
        means_of_control=[MeansOfControl.objects.get(code=code) for code in means],
    )
    return client


@pytest.fixture
def victims_2024(db):
    """Twelve Nepalese men in forced labour in Finland; a Swede, a Finnish girl, a stateless
    woman exploited abroad."""
    for _ in range(12):
        victim("NP", gender="male", form="forced_labour", means=["debt_bondage"])
    victim("SE")
    victim("FI", born=dt.date(2008, 1, 1))
    victim("stateless", form="forced_marriage", place="abroad", country="TR")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def cell(rows_, sex, age, citizen, exploit):
    return next(
        r
        for r in rows_
        if (r["sex"], r["age"], r["citizen"], r["exploit"]) == (sex, age, citizen, exploit)
    )


def test_the_eurostat_breakdown_counts_registered_victims(victims_2024):
    table = rows(eurostat.eurostat_csv(YEAR, internal=True))

    assert list(table[0]) == list(eurostat.COLUMNS)
    assert len(table) == 4 * 4 * 5 * 5  # every combination and every total
    assert {(r["freq"], r["unit"], r["geo"], r["TIME_PERIOD"]) for r in table} == {
        ("A", "NR", "FI", "2024")
    }
    assert cell(table, "T", "TOTAL", "TOTAL", "TOTAL")["OBS_VALUE"] == "15"
    assert cell(table, "M", "Y_GE18", "NEU27_2020_FOR", "LAB")["OBS_VALUE"] == "12"
    assert cell(table, "F", "Y_GE18", "EU27_2020_FOR", "SEX")["OBS_VALUE"] == "1"
    assert cell(table, "F", "Y_LT18", "NAT", "SEX")["OBS_VALUE"] == "1"
    assert cell(table, "F", "Y_GE18", "NEU27_2020_FOR", "OTH")["OBS_VALUE"] == "1"  # stateless
    assert cell(table, "F", "TOTAL", "TOTAL", "TOTAL")["OBS_VALUE"] == "3"
    assert all(r["OBS_FLAG"] == "" for r in table)


def test_the_published_breakdown_withholds_small_cells_and_gives_none_away(victims_2024):
    table = rows(eurostat.eurostat_csv(YEAR, internal=False))

    withheld = {
        ".".join((r["sex"], r["age"], r["citizen"], r["exploit"]))
        for r in table
        if r["OBS_FLAG"] == eurostat.CONFIDENTIAL
    }
    assert all(r["OBS_VALUE"] == "" for r in table if r["OBS_FLAG"])
    assert "F.TOTAL.TOTAL.TOTAL" in withheld  # three women
    assert cell(table, "T", "TOTAL", "TOTAL", "TOTAL")["OBS_VALUE"] == "15"
    values = eurostat.cube(eurostat.counted(YEAR))
    assert exposed(values, eurostat.equations(), withheld) == set()


def test_the_eurostat_command_is_audited(victims_2024, tmp_path):
    out = tmp_path / "eurostat.csv"

    call_command("export_eurostat", "--year", "2024", "--out", str(out), stderr=io.StringIO())

    assert rows(out.read_text())[0]["TIME_PERIOD"] == "2024"
    event = AuditEvent.objects.get(action="statistics.export_eurostat")
    assert event.kind == AuditEvent.Kind.EXPORT and event.changes["internal"] is False
    with pytest.raises(CommandError, match="purpose"):
        call_command(
            "export_eurostat",
            "--year",
            "2024",
            "--internal",
            "--out",
            str(out),
            stderr=io.StringIO(),
        )


def test_the_htcds_record_generalises_every_quasi_identifier(victims_2024):
    records = {r["citizenship"]: r for r in htcds.records(YEAR)}

    nepalese = records["Asia"]
    assert nepalese["yearOfRegistration"] == 2024
    assert nepalese["Datasource"] == "Case Management"
    assert (nepalese["gender"], nepalese["ageBroad"], nepalese["majorityStatus"]) == (
        "Male",
        "30--39",
        "Adult",
    )
    assert nepalese["CountryOfExploitation"] == "FI"
    assert (nepalese["isForcedLabour"], nepalese["isSexualExploit"]) == (1, 0)
    assert nepalese["typeOfExploitConcatenated"] == "Forced labour"
    assert nepalese["meansOfControlDebtBondage"] == 1
    assert nepalese["meansOfControlThreats"] == 0
    assert records["FI"]["ageBroad"] == "0--17" and records["FI"]["majorityStatus"] == "Minor"
    assert records["Europe"]["citizenship"] == "Europe"  # the Swede
    stateless = records["Stateless"]
    assert stateless["CountryOfExploitation"] == "Asia"  # Türkiye
    assert (stateless["isForcedMarriage"], stateless["isOtherExploit"]) == (1, 0)
    assert set(nepalese) == set(htcds.FIELDS)


def test_the_htcds_file_keeps_only_combinations_of_at_least_k(victims_2024, tmp_path):
    out = tmp_path / "htcds.csv"
    stderr = io.StringIO()

    call_command(
        "export_htcds", "--year", "2024", "--out", str(out), "--purpose", "CTDC", stderr=stderr
    )

    table = rows(out.read_text())
    assert list(table[0]) == list(htcds.FIELDS)
    assert len(table) == 12  # the twelve alike; the three others are left out
    assert "12 rows, 3 left out (k = 11)" in stderr.getvalue()
    combinations = Counter(tuple(r[f] for f in htcds.QUASI_IDENTIFIERS) for r in table)
    assert min(combinations.values()) >= 11
    event = AuditEvent.objects.get(action="statistics.export_htcds")
    assert (event.changes["rows"], event.changes["suppressed"], event.reason) == (12, 3, "CTDC")


def test_the_htcds_file_needs_a_purpose_and_a_sensible_k(victims_2024, tmp_path):
    out = tmp_path / "htcds.csv"
    with pytest.raises(CommandError, match="purpose"):
        call_command("export_htcds", "--year", "2024", "--out", str(out), stderr=io.StringIO())
    with pytest.raises(CommandError, match="at least 2"):
        call_command(
            "export_htcds",
            "--year",
            "2024",
            "--out",
            str(out),
            "--purpose",
            "x",
            "--k",
            "1",
            stderr=io.StringIO(),
        )
    assert not out.exists()


@pytest.mark.parametrize("k", [2, 5, 11])
def test_k_anonymity_holds_for_any_records(k):
    rng = random.Random(k)
    choices: dict[str, list[str | int]] = {
        "yearOfRegistration": [2023, 2024],
        "gender": ["Female", "Male"],
        "ageBroad": ["18--29", "30--39"],
        "majorityStatus": ["Adult"],
        "citizenship": ["Asia", "Africa", "FI"],
        "CountryOfExploitation": ["FI", "Europe"],
        "isForcedLabour": [0, 1],
        "isSexualExploit": [0],
        "isForcedMarriage": [0],
        "isOtherExploit": [0],
        "typeOfExploitConcatenated": ["Forced labour"],
    }
    records = [{field: rng.choice(values) for field, values in choices.items()} for _ in range(300)]

    made = htcds.k_anonymous(records, k)

    counts = Counter(htcds.quasi_identifier(r) for r in made.records)
    assert all(n >= k for n in counts.values())
    assert made.suppressed + len(made.records) == 300
    everything = Counter(htcds.quasi_identifier(r) for r in records)
    assert len(made.records) == sum(n for n in everything.values() if n >= k)


def test_every_country_has_a_region():
    assert {code for code in COUNTRIES if region(code) == OTHER_REGION} == {"AQ"}
