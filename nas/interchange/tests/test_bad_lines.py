"""A file of good and bad lines: each bad line is rejected whole with its own reason."""

from __future__ import annotations

from nas.audit.models import AuditEvent
from nas.common import testing
from nas.interchange.tests.helpers import DATA, export, import_file
from nas.people.models import Person
from nas.referrals.models import Referral

BAD_LINES = DATA / "bad_lines.jsonl"

GOOD = {1: "P-GOOD-01", 2: "P-GOOD-02", 3: "P-GOOD-03", 4: "P-GOOD-04", 5: "P-GOOD-05"}

# line -> (status, reason): every kind of bad line with the reason that names it.
EXPECTED = {
    6: ("rejected", "referrals[0].referrer_type: unknown code: fax_machine"),
    7: (
        "rejected",
        "client_periods[0].reflection_periods[0]: A reflection period lasts at most 6 months.",
    ),
    8: (
        "rejected",
        "client_periods[0].reflection_periods[0]: A reflection period is granted only to a "
        "person without a right of residence; this client has: Finnish citizen.",
    ),
    9: (
        "rejected",
        "client_periods[0].children[0]: A child of a client must be under 18 on admission.",
    ),
    10: (
        "rejected",
        "client_periods[0].exploitation[1]: This client already has a primary form of "
        "exploitation; make this one primary instead.",
    ),
    11: (
        "rejected",
        "referrals[0].decision: The decision date (2025-02-20) cannot be before the date the "
        "referral was received (2025-03-02).",
    ),
    12: (
        "rejected",
        "client_periods[0].ended: The end date (2025-03-01) cannot be before the admission "
        "(2025-03-10).",
    ),
    13: ("rejected", "referrals[0]: The date received cannot be in the future."),
    14: ("rejected", "not valid JSON: Unterminated string starting at (column 191)"),
    15: ("rejected", "referrals[0].received: missing required field"),
    16: (
        "rejected",
        "not valid JSON: Expecting property name enclosed in double quotes (column 2)",
    ),
    17: ("rejected", "person: Unknown nationality code: XX."),
    18: ("rejected", "referrals[0].decision: A negative decision needs a reason."),
    19: (
        "rejected",
        "referrals[0].decision: A positive decision needs the person's consent (consent is not "
        "required for a minor).",
    ),
    20: (
        "rejected",
        "client_periods[0].services[1]: An ended client takes no new services until re-admitted.",
    ),
    21: (
        "rejected",
        "client_periods[0].identification: From 1 January 2023 the positive admission decision "
        "is the identification; no separate identification decision is made.",
    ),
    22: (
        "rejected",
        "client_periods[0].exploitation[0]: A sector is recorded only for forced labour.",
    ),
    23: ("rejected", "client_periods[0].residence[0]: Give the type of the residence permit."),
    24: ("rejected", "referrals[0].received: no such date: 2025-02-30"),
    25: ("rejected", "person.nationality: unknown field"),
    26: ("rejected", "client_periods[0].referral_ref: no referral R-NOWHERE in this dossier"),
    27: (
        "rejected",
        "referrals[0].decision: a positive decision begins a client period, and none is given "
        "for R-BAD-22",
    ),
    28: (
        "rejected",
        "person: The primary nationality must be one of the person's nationalities.",
    ),
    29: (
        "rejected",
        "client_periods[0].exploitation[0]: Record the primary form of exploitation first.",
    ),
    30: ("rejected", "referrals[0]: Referral with this Reference number already exists."),
    31: (
        "conflict",
        "P-GOOD-01 is already recorded with other data; the recorded data is kept and this "
        "line is not imported",
    ),
    32: ("rejected", "expected a JSON object"),
    33: ("rejected", "referrals[0].channel: unknown code: fax"),
    34: (
        "rejected",
        "client_periods[0].children[0]: A person cannot be admitted as their own child.",
    ),
    # The example of INTERCHANGE.md section 2 itself: a reflection period for a person who
    # holds a residence permit, which the rules refuse.
    35: (
        "rejected",
        "client_periods[0].reflection_periods[0]: A reflection period is granted only to a "
        "person without a right of residence; this client has: Residence permit.",
    ),
}


def test_each_bad_line_is_rejected_with_its_own_reason_and_every_good_line_loads(db, tmp_path):
    report = import_file(BAD_LINES, tmp_path / "report.json")

    problems = {p["line"]: (p["status"], p["reason"]) for p in report["problems"]}
    assert problems == EXPECTED
    assert len(set(problems.values())) == len(EXPECTED), "each bad line has its own reason"
    assert report["loaded"] == len(GOOD)
    assert report["unchanged"] == 1  # the last line repeats the first one exactly
    assert report["lines"] == 36
    recorded = set(Person.objects.filter(referrals__isnull=False).values_list("ref", flat=True))
    assert recorded == set(GOOD.values())
    # Nothing of a rejected line is kept: not its person, its child nor its referral.
    assert not Person.objects.filter(ref__contains="BAD").exists()
    assert not Referral.objects.filter(ref__contains="BAD").exists()
    assert Person.objects.get(ref="P-GOOD-01").family_name == "Example"  # the conflict kept it


def test_a_second_import_of_the_same_file_changes_nothing(db, tmp_path):
    import_file(BAD_LINES, tmp_path / "first.json")
    counts = testing.row_counts()
    before = export(tmp_path / "before.jsonl")
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    report = import_file(BAD_LINES, tmp_path / "second.json")

    assert report["loaded"] == 0
    assert report["unchanged"] == len(GOOD) + 1
    assert {p["line"]: (p["status"], p["reason"]) for p in report["problems"]} == EXPECTED
    after_counts = testing.row_counts()
    audit = "audit.AuditEvent"
    # The import is itself recorded in the audit log (and so is the export above); no record
    # changed.
    new_events = list(AuditEvent.objects.filter(id__gt=last_event).values_list("action", flat=True))
    assert "dossiers.import" in new_events
    assert not [a for a in new_events if a not in ("dossiers.import",)]
    assert {k: v for k, v in after_counts.items() if k != audit} == {
        k: v for k, v in counts.items() if k != audit
    }
    assert export(tmp_path / "after.jsonl") == before
