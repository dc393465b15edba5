"""Every figure of the 2025 annual statistics (reference/004), from a record-level dataset.

The dataset is `nas.reporting.fixture2025.build_fixture_2025()`; the figures are those of
`statistics_json(Period.year(2025), internal=True)` (INTERCHANGE.md section 3) and, where the
publication states a figure that is not a key, of the figure functions or of the keys
combined as the publication combines them. Shares are the publication's rounded percentages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from nas.casework.choices import ClientType
from nas.casework.copies import copies_stale
from nas.casework.models import (
    ClientPeriod,
    Exploitation,
    Identification,
    ReflectionPeriod,
    ResidenceStatus,
)
from nas.common.dates import Period, add_months, add_years
from nas.people.models import Person
from nas.referrals.models import AdmissionDecision, Referral
from nas.reporting import figures
from nas.reporting.fixture2025 import build_fixture_2025
from nas.reporting.keys import statistics_json

YEAR = Period.year(2025)
# The module's data is built once, in the test database (the marker makes pytest-django set
# it up), and rolled back after the figures are computed.
pytestmark = pytest.mark.django_db


def share(part: int, whole: int) -> int:
    """Return PART of WHOLE as a whole percentage, rounded half up as the publication does."""
    return int(100 * part / whole + 0.5)


def family(values: dict, prefix: str) -> dict[str, int]:
    """Return {code: n} of the keys one level under PREFIX."""
    depth = prefix.count(".") + 1
    return {
        key.rsplit(".", 1)[1]: n
        for key, n in values.items()
        if key.startswith(prefix + ".") and key.count(".") == depth
    }


def broken_rules() -> list[str]:
    """Return the rules of the services that a row of the fixture breaks (none, we hope)."""
    broken: list[str] = []
    for model in (
        Person,
        Referral,
        AdmissionDecision,
        ClientPeriod,
        Exploitation,
        ResidenceStatus,
        ReflectionPeriod,
        Identification,
    ):
        for row in model.objects.all():
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                broken.append(f"{model.__name__} {row.pk}: {error}")
    clients = {c.pk: c for c in ClientPeriod.objects.select_related("person", "referral__decision")}
    identified = set(Identification.objects.values_list("client_id", flat=True))
    primaries = Counter(
        Exploitation.objects.filter(is_primary=True).values_list("client_id", flat=True)
    )
    for client in clients.values():
        if client.client_type == ClientType.CHILD:
            assert client.parent_id is not None
            parent = clients[client.parent_id]
            born = client.person.date_of_birth
            if not (born and add_years(born, 18) > client.admitted >= parent.admitted):
                broken.append(f"child {client.pk}: not a minor, or admitted before the parent")
            if parent.ended_on and parent.ended_on < client.admitted:
                broken.append(f"child {client.pk}: admitted with an ended parent")
            continue
        assert client.referral is not None
        decision = client.referral.decision
        if (decision.outcome, decision.date) != ("positive", client.admitted):
            broken.append(f"client {client.pk}: not admitted by a positive decision that day")
        if client.client_type == ClientType.VICTIM and primaries[client.pk] != 1:
            broken.append(f"client {client.pk}: {primaries[client.pk]} primary forms")
        if (client.pk in identified) != (client.admitted >= dt.date(2023, 1, 1)):
            broken.append(f"client {client.pk}: identification against the rule of its date")
        if client.end_reason_id == "other" and not client.end_reason_text:
            broken.append(f"client {client.pk}: ended for an unexplained other reason")
    for item in Exploitation.objects.all():
        if (item.form_id == "forced_labour") != (item.sector_id is not None):
            broken.append(f"exploitation {item.pk}: a sector only and always for forced labour")
        if (item.place == "finland") != (item.country == "FI"):
            broken.append(f"exploitation {item.pk}: place and country disagree")
    for period in ReflectionPeriod.objects.select_related("client__referral"):  # 35
        client = period.client
        assert client.referral is not None
        residence = (
            client.residence_history.filter(valid_from__lte=period.start)
            .order_by("-valid_from")
            .first()
        )
        if residence is None or residence.category_id != "no_right_of_residence":
            broken.append(f"reflection period {period.pk}: the client has a right of residence")
        if not (period.start + dt.timedelta(days=30) <= period.end <= add_months(period.start, 6)):
            broken.append(f"reflection period {period.pk}: not 30 days to 6 months")
        if period.start < client.referral.received or client.client_type != ClientType.VICTIM:
            broken.append(f"reflection period {period.pk}: before the referral or not a victim")
    active = Counter(
        ClientPeriod.objects.filter(status="active").values_list("person_id", flat=True)
    )
    broken += [f"person {pk}: two active client periods" for pk, n in active.items() if n > 1]
    return broken


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """The 2025 statistics of the fixture, computed once for the module's tests."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        with transaction.atomic():
            build_fixture_2025()
            result = {
                "values": statistics_json(YEAR, internal=True),
                "in_finland": figures.exploitation_in_finland(YEAR),
                "where": figures.exploited_where(YEAR),
                "previous_year": figures.referrals(YEAR.previous_year()),
                "broken_rules": broken_rules(),
                "stale_copies": copies_stale().count(),
                "copies": ClientPeriod.objects.exclude(person_gender="").count(),
            }
            transaction.set_rollback(True)
    return result


def test_the_fixture_writes_the_statistical_copies_of_every_client_period(published):
    # The figures count the copies (nas/casework/copies.py); the fixture's bulk load writes
    # them, and corrects those of the referrals it re-types afterwards.
    assert published["stale_copies"] == 0
    assert published["copies"] > 1600


@pytest.fixture
def values(published):
    return published["values"]


def test_referrals(values):
    # 467 referrals; half from the immigration service and reception centres, a fifth from
    # the persons themselves; wellbeing services counties doubled from the previous year.
    by_type = family(values, "referrals.by_referrer_type")
    total = values["referrals.total"]
    assert total == 467
    assert share(by_type["immigration_service"] + by_type["reception_centre"], total) == 50
    assert share(by_type["self"], total) == 20


def test_wellbeing_services_county_referrals_doubled(values, published):
    last_year = published["previous_year"].by_referrer_type["wellbeing_services_county"]
    assert values["referrals.by_referrer_type.wellbeing_services_county"] == 2 * last_year


def test_decisions(values):
    # 271 positive, 154 negative: no need 49%, not a case of trafficking 40%.
    assert values["decisions.positive"] == 271
    assert values["decisions.negative"] == 154
    reasons = family(values, "decisions.negative_by_reason")
    assert share(reasons["no_need"], 154) == 49
    assert share(reasons["not_trafficking"], 154) == 40
    assert max(reasons, key=lambda code: reasons[code]) == "no_need"


def test_ended(values):
    # 169 ended: no need 58%, about a third left Finland or missing.
    total = values["ended.total"]
    reasons = family(values, "ended.by_reason")
    assert total == 169
    assert share(reasons["no_need"], total) == 58
    assert share(reasons["left_finland"] + reasons["missing"], total) == 33
    assert max(reasons, key=lambda code: reasons[code]) == "no_need"


def test_new_clients(values):
    # 271 victims and 32 children; 261 adults, 10 minors; 61% women and girls.
    victims = values["new_clients.victims"]
    assert victims == 271
    assert values["new_clients.children"] == 32
    assert values["new_clients.witnesses"] == 0
    assert values["new_clients.minors"] == 10
    assert victims - values["new_clients.minors"] == 261
    assert share(values["new_clients.by_gender.female"], victims) == 61


def test_new_clients_by_age_band(values):
    # About 4% minors, 42% 18-29, 35% 30-39, 15% 40-49, 3% 50-59; three older than this.
    bands = family(values, "new_clients.by_age_band")
    victims = values["new_clients.victims"]
    assert [share(bands[b], victims) for b in ("under_18", "18_29", "30_39", "40_49", "50_59")] == [
        4,
        42,
        35,
        15,
        3,
    ]
    assert bands["60_plus"] == 3
    assert bands["adult_unknown_age"] == bands["unknown"] == 0


def test_new_clients_by_nationality(values, published):
    # 50 nationalities, Nepal and Somalia the most common; "Other" (under 5 each) 26%; 18
    # Finns (7%), one exploited abroad, the others in Finland.
    by_nationality = family(values, "new_clients.by_nationality")
    victims = values["new_clients.victims"]
    assert values["new_clients.nationalities"] == 50
    assert sorted(by_nationality, key=lambda code: -by_nationality[code])[:2] == ["NP", "SO"]
    other = sum(n for n in by_nationality.values() if n < 5)
    assert share(other, victims) == 26
    assert by_nationality["FI"] == 18
    assert share(by_nationality["FI"], victims) == 7
    where = published["where"]
    assert where.finns_abroad_only == 1
    assert where.finns_in_finland == 17


def test_forms_of_exploitation(values):
    # 271 victims, 314 forms; sexual exploitation and forced marriage mostly women, forced
    # labour mostly men.
    assert values["exploitation.forms"] == 314
    assert sum(family(values, "exploitation.primary_by_form").values()) == 271
    by_gender = {
        form: family(values, f"exploitation.by_form_gender.{form}")
        for form in ("forced_labour", "sexual_exploitation", "forced_marriage")
    }
    assert by_gender["sexual_exploitation"]["female"] > by_gender["sexual_exploitation"].get(
        "male", 0
    )
    assert by_gender["forced_marriage"].get("male", 0) < by_gender["forced_marriage"]["female"]
    assert by_gender["forced_labour"]["male"] > by_gender["forced_labour"]["female"]


def test_exploited_in_finland(values, published):
    # 141 persons (86 men, 55 women), 31 nationalities, 149 cases; 8 with more than one
    # form, all female; forced labour 101 (68%); 59 Nepalese (42%), 17 Finns (12%).
    persons = values["finland.persons"]
    assert persons == 141
    assert values["new_clients.exploited_in_finland"] == 141
    assert values["finland.by_gender.male"] == 86
    assert values["finland.by_gender.female"] == 55
    assert values["finland.nationalities"] == 31
    assert values["finland.forms"] == 149
    assert values["finland.persons_multiple_forms"] == 8
    assert published["in_finland"].multiple_forms_by_gender == {"female": 8}
    assert values["finland.by_form.forced_labour"] == 101
    assert share(values["finland.by_form.forced_labour"], values["finland.forms"]) == 68
    assert values["finland.by_nationality.NP"] == 59
    assert share(59, persons) == 42
    assert values["finland.by_nationality.FI"] == 17
    assert share(17, persons) == 12
    sectors = family(values, "finland.forced_labour_by_sector")
    assert {"forestry", "agriculture", "horticulture", "restaurant_catering", "construction"} <= (
        set(sectors)
    )


def test_reflection_periods(values):
    assert values["reflection_periods.granted"] == 35


def test_exploited_in_finland_by_right_of_residence(values):
    # 68% with a residence permit (seasonal work 50, work 21, family ties 13), nine asylum
    # seekers (6%), 14 without a legal right of residence.
    persons = values["finland.persons"]
    assert share(values["finland.by_residence.residence_permit"], persons) == 68
    assert values["finland.by_permit_type.seasonal_work"] == 50
    assert values["finland.by_permit_type.work"] == 21
    assert values["finland.by_permit_type.family_ties"] == 13
    assert values["finland.by_residence.asylum_seeker"] == 9
    assert share(9, persons) == 6
    assert values["finland.by_residence.no_right_of_residence"] == 14


def test_all_clients_on_31_december(values):
    # 1,634 clients: 1,424 victims, 210 children; 10 minors among the victims, 85 admitted
    # as minors; 61% women; 81 nationalities.
    assert values["period_end"] == "2025-12-31"
    assert values["stock.total"] == 1634
    assert values["stock.victims"] == 1424
    assert values["stock.children"] == 210
    assert values["stock.witnesses"] == 0
    assert values["stock.minor_victims"] == 10
    assert values["stock.admitted_as_minors"] == 85
    assert share(values["stock.by_gender.female"], values["stock.victims"]) == 61
    assert values["stock.nationalities"] == 81


def test_all_clients_by_nationality_band(values):
    # The bands the publication lists: the named nationalities of 10 to 19 and of fewer than
    # 10 (4 to 9), 43 nationalities of fewer than 4, nine of unknown nationality.
    by_nationality = family(values, "stock.by_nationality")
    tens = {code for code, n in by_nationality.items() if 10 <= n <= 19}
    fours = {code for code, n in by_nationality.items() if 4 <= n <= 9 and code != "unknown"}
    few = {code for code, n in by_nationality.items() if n < 4 and code != "unknown"}
    assert tens == {"SY", "MA", "BD", "CN", "ER", "GM", "PH", "UG", "CO", "PK", "UA"}
    assert fours == {"KE", "SD", "BG", "ET", "AO", "EG", "SL", "LK", "IN", "VE", "SN", "GH"}
    assert len(few) == 43
    assert by_nationality["unknown"] == 9
    assert values["stock.nationalities"] == 81


def test_the_records_keep_the_rules_of_the_services(published):
    assert published["broken_rules"] == []
