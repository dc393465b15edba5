"""A de-identified, k-anonymised case-level file after IOM's Human Trafficking Case Data Standard.

One row per victim admitted in the period, under the field names of the HTCDS as the
Counter-Trafficking Data Collaborative (CTDC) publishes them:

- `yearOfRegistration`: the year of admission (dates are generalised to years);
- `Datasource`: "Case Management";
- `gender`: Female, Male, Transgender/NonConforming (the record's "other"), Unknown;
- `ageBroad`: the age at admission in bands 0--17, 18--29, 30--39, 40--49, 50+, or Unknown;
- `majorityStatus`: Minor, Adult, Unknown (an assessed adult of unknown age is an Adult);
- `citizenship`: the primary nationality generalised to its UN M49 region (Africa, Americas,
  Asia, Europe, Oceania), Stateless or Unknown; Finnish citizens stay FI, as the national
  statistics publish them;
- `CountryOfExploitation`: where the primary form took place, generalised the same way (FI
  when in Finland);
- `isForcedLabour`, `isSexualExploit`, `isForcedMarriage`, `isOtherExploit` (1/0, all forms,
  primary and secondary) and `typeOfExploitConcatenated`;
- `meansOfControl<Name>` (1/0) for each means of control of the HTCDS (`MethodsOfControl...`
  there), from the means recorded with any form.

No identifier, name, date or free text leaves the system. The quasi-identifiers are the year,
gender, age band, majority status, citizenship, country of exploitation and the forms; a row
whose combination of them occurs fewer than K times (default 11, as CTDC's k-anonymised data)
is left out (record suppression). Rows are sorted by their values, so their order tells
nothing of the records they came from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nas.audit.exports import csv_text
from nas.casework.models import Exploitation
from nas.common.database import with_parallel_queries
from nas.common.dates import Period
from nas.people.choices import STATELESS, UNKNOWN_NATIONALITY
from nas.reporting.figures.ages import COPIES, UNDER_18, UNKNOWN, age_band_expression
from nas.reporting.figures.clients import new_victims
from nas.reporting.regions import region

K_ANONYMITY = 11
REPORTING_COUNTRY = "FI"
GENDERS = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming"}
AGES = {
    UNDER_18: "0--17",
    "18_29": "18--29",
    "30_39": "30--39",
    "40_49": "40--49",
    "50_59": "50+",
    "60_plus": "50+",
}
# (field, form codes it stands for, the form's name in typeOfExploitConcatenated)
FORMS = (
    ("isForcedLabour", ("forced_labour",), "Forced labour"),
    ("isSexualExploit", ("sexual_exploitation",), "Sexual exploitation"),
    ("isForcedMarriage", ("forced_marriage",), "Forced marriage"),
)
OTHER_FORM = ("isOtherExploit", "Other")
MEANS_OF_CONTROL = (
    "debt_bondage",
    "takes_earnings",
    "restricts_financial_access",
    "threats",
    "psychological_abuse",
    "physical_abuse",
    "sexual_abuse",
    "false_promises",
    "psychoactive_substances",
    "restricts_movement",
    "restricts_medical_care",
    "excessive_working_hours",
    "uses_children",
    "threat_of_law_enforcement",
    "withholds_necessities",
    "withholds_documents",
    "other",
)


def means_field(code: str) -> str:
    """Return the HTCDS field of a means of control: debt_bondage -> meansOfControlDebtBondage."""
    return "meansOfControl" + "".join(part.capitalize() for part in code.split("_"))


QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *(field for field, _codes, _name in FORMS),
    OTHER_FORM[0],
    "typeOfExploitConcatenated",
)
FIELDS = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *(field for field, _codes, _name in FORMS),
    OTHER_FORM[0],
    "typeOfExploitConcatenated",
    *(means_field(code) for code in MEANS_OF_CONTROL),
)

Record = dict[str, str | int]


@dataclass(frozen=True)
class HtcdsFile:
    """The rows kept, and how many were left out for k-anonymity."""

    records: list[Record]
    suppressed: int
    k: int

    def csv(self) -> str:
        return csv_text(FIELDS, [[record[field] for field in FIELDS] for record in self.records])


def generalised_country(code: str | None) -> str:
    """The reporting country as it is; any other country as its region."""
    if code in (None, "", UNKNOWN_NATIONALITY):
        return "Unknown"
    if code == STATELESS:
        return "Stateless"
    if code == REPORTING_COUNTRY:
        return REPORTING_COUNTRY
    return region(code)


def _majority(band: str | None) -> str:
    if band == UNDER_18:
        return "Minor"
    if band in (None, UNKNOWN):
        return "Unknown"
    return "Adult"


@with_parallel_queries
def records(period: Period) -> list[Record]:
    """Return the generalised record of every victim admitted in PERIOD (three queries)."""
    fields = ("pk", "admitted", "person_gender", "band", "person_primary_nationality")
    annotated = new_victims(period).annotate(band=age_band_expression(COPIES, "admitted"))
    victims = list(annotated.values_list(*fields))
    ids = [row[0] for row in victims]
    forms: dict[int, list[tuple[str, bool, str, str]]] = {}
    for client, form, primary, place, country in Exploitation.objects.filter(
        client__in=ids
    ).values_list("client_id", "form_id", "is_primary", "place", "country"):
        forms.setdefault(client, []).append((form, primary, place, country))
    means: dict[int, set[str]] = {}
    through = Exploitation.means_of_control.through.objects.filter(exploitation__client__in=ids)
    for client, code in through.values_list("exploitation__client_id", "meansofcontrol_id"):
        means.setdefault(client, set()).add(code)
    result = []
    for pk, admitted, gender, band, nationality in victims:
        result.append(_record(admitted.year, gender, band, nationality, forms.get(pk, [])))
        for code in MEANS_OF_CONTROL:
            result[-1][means_field(code)] = int(code in means.get(pk, set()))
    return result


def _record(
    year: int,
    gender: str | None,
    band: str | None,
    nationality: str | None,
    forms: list[tuple[str, bool, str, str]],
) -> Record:
    codes = {form for form, _primary, _place, _country in forms}
    primary = next((f for f in forms if f[1]), forms[0] if forms else None)
    exploited_in: str | None = None
    if primary is not None:
        _form, _is_primary, place, country = primary
        exploited_in = REPORTING_COUNTRY if place == "finland" else country
    record: Record = {
        "yearOfRegistration": year,
        "Datasource": "Case Management",
        "gender": GENDERS.get(gender or "", "Unknown"),
        "ageBroad": AGES.get(band or "", "Unknown"),
        "majorityStatus": _majority(band),
        "citizenship": generalised_country(nationality),
        "CountryOfExploitation": generalised_country(exploited_in),
    }
    named: list[str] = []
    known: set[str] = set()
    for field, form_codes, name in FORMS:
        record[field] = int(bool(codes & set(form_codes)))
        known |= set(form_codes)
        if record[field]:
            named.append(name)
    other_field, other_name = OTHER_FORM
    record[other_field] = int(bool(codes - known))
    if record[other_field]:
        named.append(other_name)
    record["typeOfExploitConcatenated"] = ";".join(named)
    return record


def quasi_identifier(record: Record) -> tuple[str | int, ...]:
    return tuple(record[field] for field in QUASI_IDENTIFIERS)


def k_anonymous(rows: list[Record], k: int = K_ANONYMITY) -> HtcdsFile:
    """Keep the rows whose quasi-identifiers occur at least K times; sort them by value."""
    counts = Counter(quasi_identifier(row) for row in rows)
    kept = [row for row in rows if counts[quasi_identifier(row)] >= k]
    kept.sort(key=lambda row: tuple(str(row.get(field, "")) for field in FIELDS))
    return HtcdsFile(kept, len(rows) - len(kept), k)


def htcds_file(period: Period, k: int = K_ANONYMITY) -> HtcdsFile:
    """Return the k-anonymised HTCDS file of the victims admitted in PERIOD."""
    return k_anonymous(records(period), k)
