"""A record-level dataset from which the 2025 annual statistics give the published figures.

`build_fixture_2025()` writes, deterministically (fixed tables and one seeded `random.Random`),
persons, referrals, admission decisions, client periods (victims and their children, admitted
from 2016 on so that the stock on 31 December 2025 is that of the publication), forms of
exploitation, rights of residence, reflection periods, identifications and ends of assistance.
The figures it reproduces are those of `reference/004` ("The NAS Annual Statistics 2025"),
checked in `nas/reporting/tests/test_publication_2025.py`.

The rows go in with `bulk_create` (some ten thousand rows: the services, with their audit
events and per-row checks, would take minutes), but each row keeps the rules the services
enforce: a positive decision admits a victim the same day (with consent, the definition met and
a need for help), an identification from 2023; one primary form per client period, a sector for
forced labour only, a country for each place; a reflection period of 30 days to 6 months only
for a victim without a right of residence on its start; children under 18 at admission, with an
active parent, admitted no earlier than the parent; an ended client period has its date and
reason (details for "other"). No names or other identifiers: every person is a bare reference.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction

from nas.casework.choices import ClientStatus, ClientType, GrantedBy, IdentificationGround, Place
from nas.casework.copies import (
    copies_refresh,
    decision_copies_refresh,
)
from nas.casework.models import (
    ClientPeriod,
    Exploitation,
    Identification,
    ReflectionPeriod,
    ResidenceStatus,
)
from nas.common.dates import add_years
from nas.people.models import Person
from nas.referrals.choices import Channel, Consent, Outcome, ReferralStatus
from nas.referrals.models import AdmissionDecision, Referral

D = dt.date
SEED = 2025
YEAR_END = D(2025, 12, 31)
IDENTIFICATION_FROM = D(2023, 1, 1)
OFFICES = ("helsinki", "tampere", "lappeenranta")
EU = frozenset({"BG"})

# --- New victims of 2025 (271): nationality -> (all, of whom exploited in Finland) ---------
# 50 nationalities; Nepal and Somalia the most common; 18 Finns, 17 of them exploited in
# Finland; 31 nationalities among the 141 exploited in Finland (59 Nepalese, 17 Finns); the
# nationalities of fewer than 5 new victims ("Other") are 70 victims, 26%.
NEW_NATIONALITIES: dict[str, tuple[int, int]] = {
    "NP": (62, 59),
    "SO": (30, 0),
    "FI": (18, 17),
    "NG": (14, 2),
    "TH": (10, 8),
    "VN": (10, 6),
    "UA": (8, 6),
    "IQ": (8, 1),
    "AF": (7, 1),
    "CN": (7, 3),
    "PH": (7, 4),
    "MA": (7, 2),
    "ER": (7, 0),
    "UZ": (6, 5),
    "RU": (4, 2),
    "IR": (4, 1),
    "TR": (3, 2),
    "CM": (3, 0),
    "KG": (3, 2),
    "BR": (3, 1),
    "SY": (3, 1),
    "BD": (3, 2),
    "GM": (2, 0),
    "UG": (2, 1),
    "CO": (2, 1),
    "PK": (2, 2),
    "KE": (2, 0),
    "SD": (2, 0),
    "BG": (2, 2),
    "ET": (2, 0),
    "AO": (2, 0),
    "EG": (2, 0),
    "SL": (2, 0),
    "LK": (2, 2),
    "IN": (2, 2),
    "VE": (2, 1),
    "SN": (2, 0),
    "GH": (2, 0),
    "AL": (1, 1),
    "AM": (1, 0),
    "AZ": (1, 1),
    "BY": (1, 1),
    "CD": (1, 0),
    "CI": (1, 0),
    "CU": (1, 0),
    "DO": (1, 0),
    "GE": (1, 1),
    "GN": (1, 0),
    "HT": (1, 0),
    "ID": (1, 1),
}

# Exploited in Finland (141): 86 men, 55 women; their primary forms, all in Finland.
FINLAND_PRIMARY = {
    "male": {"forced_labour": 80, "forced_criminality": 6},
    "female": {
        "forced_labour": 21,
        "sexual_exploitation": 24,
        "forced_marriage": 4,
        "forced_criminality": 2,
        "benefit_fraud": 2,
        "degrading_conditions": 2,
    },
}
# Eight women, all forced labour victims, with a second form in Finland: 149 forms there.
FINLAND_SECOND_FORMS = (
    "sexual_exploitation",
    "sexual_exploitation",
    "sexual_exploitation",
    "forced_criminality",
    "forced_criminality",
    "benefit_fraud",
    "benefit_fraud",
    "forced_begging",
)
# Forced labour in Finland (101) by sector.
FINLAND_SECTORS = {
    "forestry": 30,
    "agriculture": 22,
    "horticulture": 12,
    "restaurant_catering": 20,
    "construction": 12,
    "cleaning": 5,
}
# Exploited only abroad (130): 20 men, 110 women; primary forms abroad.
ABROAD_PRIMARY = {
    "male": {"forced_labour": 16, "forced_criminality": 4},
    "female": {
        "sexual_exploitation": 55,
        "forced_marriage": 40,
        "forced_labour": 8,
        "forced_criminality": 4,
        "other": 3,
    },
}
# 35 second forms abroad (271 primary + 8 + 35 = 314 forms): (primary form, second form, n).
ABROAD_SECOND_FORMS = (
    ("forced_marriage", "sexual_exploitation", 20),
    ("sexual_exploitation", "forced_labour", 10),
    ("sexual_exploitation", "degrading_conditions", 5),
)
ABROAD_COUNTRIES = ("IT", "ES", "GR", "LY", "TR", "SE", "DE", "AE")

# Right of residence on the admission day of those exploited in Finland other than the Finns:
# 96 with a residence permit (68%), 9 asylum seekers (6%), 14 without a right of residence.
FINLAND_RESIDENCE: tuple[tuple[str, str | None, int], ...] = (
    ("residence_permit", "seasonal_work", 50),
    ("residence_permit", "work", 21),
    ("residence_permit", "family_ties", 13),
    ("residence_permit", "international_protection", 5),
    ("residence_permit", "study", 4),
    ("residence_permit", "other", 3),
    ("asylum_seeker", None, 9),
    ("no_right_of_residence", None, 14),
    ("visa", None, 3),
)
# Of the 129 foreigners exploited only abroad, 116 have a right of residence recorded (13 none:
# unknown); the 21 without one get the other 21 reflection periods.
ABROAD_RESIDENCE: tuple[tuple[str, str | None, int], ...] = (
    ("no_right_of_residence", None, 21),
    ("asylum_seeker", None, 60),
    ("residence_permit", "international_protection", 25),
    ("residence_permit", "family_ties", 10),
)
# Reflection periods granted in 2025: 35, to the 35 new victims without a right of residence.
REFLECTION_BY_POLICE = 5

# Ages at admission of the new victims: 10 minors (4%), 42 / 35 / 15 / 3% and three over 59.
AGE_BANDS: tuple[tuple[int, int, int], ...] = (
    (14, 17, 10),
    (18, 29, 114),
    (30, 39, 95),
    (40, 49, 41),
    (50, 59, 8),
    (60, 66, 3),
)

# Referrals received in 2025 (467) by referrer type: immigration service and reception
# centres 234 (50%), the persons themselves 93 (20%); wellbeing services counties 24, twice
# the 12 of 2024.
REFERRERS_2025 = {
    "immigration_service": 150,
    "reception_centre": 84,
    "self": 93,
    "police": 40,
    "ngo": 30,
    "wellbeing_services_county": 24,
    "border_guard": 10,
    "other_authority": 10,
    "shelter": 10,
    "private_person": 6,
    "te_office": 5,
    "solicitor": 5,
}
WELLBEING_2024 = 12
OTHER_REFERRERS = ("police", "immigration_service", "reception_centre", "ngo", "self", "shelter")

# Decisions dated 2025: 271 positive (20 on referrals of 2024), 154 negative (10 on referrals
# of 2024): no need 75 (49%), not trafficking 62 (40%).
POSITIVE_FROM_2024 = 20
NEGATIVE_REASONS = {"no_need": 75, "not_trafficking": 62, "no_consent": 10, "other": 7}
NEGATIVE_FROM_2024 = 10
WITHDRAWN_2025 = 32
PENDING_2025 = 40  # received in 2025, undecided at its end (467 = 251 + 144 + 32 + 40)

# Assistance ended in 2025 (169): no need 98 (58%), left Finland or missing 56 (a third).
END_REASONS = {
    "no_need": 98,
    "left_finland": 40,
    "missing": 16,
    "client_request": 10,
    "assisted_return": 3,
    "other": 2,
}
NEW_VICTIMS_ENDED = 15  # of the 169, new victims of 2025 (exploited abroad, adults)

# Children admitted in 2025 with 20 new victims: 12 with two, 8 with one: 32.
NEW_PARENTS = ((2, 12), (1, 8))
OLDER_CHILDREN = 178  # children in the stock admitted before 2025 (210 in all)

# --- The stock on 31 December 2025: 1,424 victims (61% women: 869), 210 children. ---------
STOCK_VICTIMS = 1424
STOCK_WOMEN = 869
STOCK_ADMITTED_AS_MINORS = 85
STOCK_UNKNOWN_NATIONALITY = 9
# 81 nationalities: 15 of at least 20 victims, the 11 of 10 to 19 and the 12 of fewer than 10
# that the publication names, and 43 of fewer than 4.
STOCK_NATIONALITIES: dict[str, int] = {
    "NG": 227,
    "NP": 190,
    "TH": 120,
    "VN": 95,
    "SO": 80,
    "IQ": 70,
    "FI": 65,
    "AF": 50,
    "RU": 45,
    "UZ": 35,
    "IR": 30,
    "TR": 26,
    "CM": 22,
    "KG": 20,
    "BR": 20,
    **{
        "SY": 19,
        "MA": 18,
        "BD": 17,
        "CN": 16,
        "ER": 15,
        "GM": 14,
        "PH": 13,
        "UG": 12,
        "CO": 11,
        "PK": 10,
        "UA": 10,
    },
    **{
        "KE": 9,
        "SD": 9,
        "BG": 8,
        "ET": 8,
        "AO": 7,
        "EG": 7,
        "SL": 6,
        "LK": 6,
        "IN": 5,
        "VE": 5,
        "SN": 4,
        "GH": 4,
    },
}
FEW = (
    "AL AM AZ BY CD CI CU DO GE GN HT ID JM JO KH KZ LB LR LY MD ML MM MN MX MY NE PE PS PY RW "
    "SA SS TG TJ TM TN TZ UY YE ZA ZW BJ BI"
).split()
# 43 nationalities of fewer than 4: 14 of three, 15 of two, 14 of one.
for _index, _code in enumerate(FEW):
    STOCK_NATIONALITIES[_code] = 3 if _index % 3 == 0 else 2 if _index % 3 == 1 else 1
OLDER_FORMS = ("forced_labour", "sexual_exploitation", "forced_marriage", "forced_criminality")
ENDED_NATIONALITIES = ("NG", "NP", "TH", "VN", "SO", "IQ", "FI", "RU", "CN", "UA")


@dataclass
class _Victim:
    """A new victim of 2025 as planned, before the rows are made."""

    nationality: str
    gender: str
    in_finland: bool
    forms: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    residence: tuple[str, str | None] | None = None
    age: int = 30
    admitted: dt.date = D(2025, 1, 1)
    received: dt.date = D(2025, 1, 1)
    ended: bool = False
    children: int = 0


def _expand(counts: dict[str, int]) -> list[str]:
    return [code for code, n in counts.items() for _ in range(n)]


def _forms(rng: random.Random, victims: list[_Victim], finland: bool) -> None:
    """Give VICTIMS (all men first, then women) their primary forms, and the second ones."""
    table = FINLAND_PRIMARY if finland else ABROAD_PRIMARY
    sectors = _expand(FINLAND_SECTORS) if finland else []
    by_gender = {g: [v for v in victims if v.gender == g] for g in ("male", "female")}
    for gender, people in by_gender.items():
        forms = _expand(table[gender])
        assert len(forms) == len(people), (gender, len(forms), len(people))
        rng.shuffle(forms)
        for victim, form in zip(people, forms, strict=True):
            victim.forms.append(_form(rng, victim, form, finland, sectors))
    women = by_gender["female"]
    if finland:
        labour = [v for v in women if v.forms[0][0] == "forced_labour"]
        for victim, second in zip(labour, FINLAND_SECOND_FORMS, strict=False):
            victim.forms.append((second, Place.FINLAND, "FI", None))
        return
    for primary, second, n in ABROAD_SECOND_FORMS:
        eligible = [v for v in women if v.forms[0][0] == primary and len(v.forms) == 1]
        for victim in eligible[:n]:
            victim.forms.append(_form(rng, victim, second, False, []))


def _form(
    rng: random.Random, victim: _Victim, form: str, finland: bool, sectors: list[str]
) -> tuple[str, str, str, str | None]:
    sector = None
    if form == "forced_labour":
        sector = sectors.pop() if finland else rng.choice(("agriculture", "domestic_work"))
    if finland:
        return (form, Place.FINLAND, "FI", sector)
    country = victim.nationality if victim.nationality != "FI" else "SE"
    if victim.nationality != "FI" and rng.random() < 0.4:
        country = rng.choice(ABROAD_COUNTRIES)
    return (form, Place.ABROAD, country, sector)


def _plan_new_victims(rng: random.Random) -> list[_Victim]:
    finland: list[_Victim] = []
    abroad: list[_Victim] = []
    for code, (total, in_finland) in NEW_NATIONALITIES.items():
        finland += [_Victim(code, "", True) for _ in range(in_finland)]
        abroad += [_Victim(code, "", False) for _ in range(total - in_finland)]
    for group, women in ((finland, 55), (abroad, 110)):
        for index in rng.sample(range(len(group)), women):
            group[index].gender = "female"
        for victim in group:
            victim.gender = victim.gender or "male"
    _forms(rng, finland, True)
    _forms(rng, abroad, False)
    # Residence on the admission day.
    others = [v for v in finland if v.nationality != "FI"]
    eu = [v for v in others if v.nationality in EU]
    non_eu = [v for v in others if v.nationality not in EU]
    for victim in eu:
        victim.residence = ("eu_citizen", None)
    rng.shuffle(non_eu)
    rows = [(c, p) for c, p, n in FINLAND_RESIDENCE for _ in range(n)]
    assert len(rows) == len(non_eu), (len(rows), len(non_eu))
    for victim, residence in zip(non_eu, rows, strict=True):
        victim.residence = residence
    for victim in finland + abroad:
        if victim.nationality == "FI":
            victim.residence = ("finnish_citizen", None)
    foreign_abroad = [v for v in abroad if v.nationality != "FI"]
    rng.shuffle(foreign_abroad)
    rows = [(c, p) for c, p, n in ABROAD_RESIDENCE for _ in range(n)]
    for victim, residence in zip(foreign_abroad, rows, strict=False):
        victim.residence = residence
    victims = finland + abroad
    # Ages at admission.
    ages = [rng.randint(low, high) for low, high, n in AGE_BANDS for _ in range(n)]
    rng.shuffle(ages)
    for victim, age in zip(victims, ages, strict=True):
        victim.age = age
    # Admission dates from 8 January to mid-December, in a shuffled order; the first
    # POSITIVE_FROM_2024 were referred in 2024.
    rng.shuffle(victims)
    for index, victim in enumerate(victims):
        victim.admitted = D(2025, 1, 8) + dt.timedelta(days=index * 338 // len(victims))
        if index < POSITIVE_FROM_2024:
            victim.received = D(2024, 12, 1) - dt.timedelta(days=index)
        else:
            delay = dt.timedelta(days=10 + rng.randrange(40))
            victim.received = max(D(2025, 1, 2), victim.admitted - delay)
    # Fifteen adults exploited abroad, without a reflection period, end in 2025.
    ending = [
        v
        for v in victims
        if not v.in_finland
        and v.age >= 18
        and v.residence
        and v.residence[0] != "no_right_of_residence"
        and v.admitted <= D(2025, 9, 30)
    ]
    for victim in ending[:NEW_VICTIMS_ENDED]:
        victim.ended = True
    parents = [v for v in victims if v.gender == "female" and v.age >= 20 and not v.ended]
    index = 0
    for children, n in NEW_PARENTS:
        for victim in parents[index : index + n]:
            victim.children = children
        index += n
    return victims


class _Rows:
    """The rows to insert, with the running references."""

    def __init__(self) -> None:
        self.persons: list[Person] = []
        self.referrals: list[Referral] = []
        self.decisions: list[AdmissionDecision] = []
        self.counter = 0

    def person(self, nationality: str, gender: str, born: dt.date | None) -> Person:
        self.counter += 1
        person = Person(
            ref=f"FX25-{self.counter:06d}",
            gender=gender,
            date_of_birth=born,
            nationalities=[] if nationality == "unknown" else [nationality],
            primary_nationality=nationality,
        )
        self.persons.append(person)
        return person

    def referral(
        self, person: Person, received: dt.date, referrer: str, office: str, status: str
    ) -> Referral:
        referral = Referral(
            ref=f"FX25-R{len(self.referrals) + 1:06d}",
            person=person,
            received=received,
            channel=Channel.EMAIL if referrer != "self" else Channel.HELPLINE,
            referrer_type_id=referrer,
            office_id=office,
            consent=Consent.GIVEN,
            status=status,
        )
        self.referrals.append(referral)
        return referral

    def decide(
        self, referral: Referral, date: dt.date, outcome: str, reason: str | None = None
    ) -> None:
        positive = outcome == Outcome.POSITIVE
        self.decisions.append(
            AdmissionDecision(
                referral=referral,
                date=date,
                outcome=outcome,
                client_type=ClientType.VICTIM if positive else "",
                negative_reason_id=reason,
                reason_text="Other grounds." if reason == "other" else "",
                consent_given=True if positive else reason != "no_consent",
                trafficking_definition_met=True if positive else reason != "not_trafficking",
                need_for_help=True if positive else reason != "no_need",
            )
        )


def _born(rng: random.Random, age: int, on: dt.date) -> dt.date:
    """Return a date of birth that makes someone AGE on ON (born in the year ON.year - AGE)."""
    first = D(on.year - age, 1, 1)
    return first + dt.timedelta(days=rng.randrange((on - D(on.year, 1, 1)).days + 1))


@transaction.atomic
def build_fixture_2025() -> dict[str, int]:
    """Write the 2025 publication's dataset; return the number of rows written per model."""
    rng = random.Random(SEED)
    victims = _plan_new_victims(rng)
    rows = _Rows()
    offices = iter(lambda: rng.choice(OFFICES), None)

    # --- Referrals received in 2025 and their referrer types -----------------------------
    referrers = _expand(REFERRERS_2025)
    rng.shuffle(referrers)
    referrers_2025 = iter(referrers)

    def referrer_for(received: dt.date) -> str:
        if received.year == 2025:
            return next(referrers_2025)
        return rng.choice(OTHER_REFERRERS)

    # New victims: person, referral, positive decision, client period.
    clients: list[ClientPeriod] = []
    new_clients: list[tuple[_Victim, ClientPeriod]] = []
    for victim in victims:
        person = rows.person(
            victim.nationality, victim.gender, _born(rng, victim.age, victim.admitted)
        )
        referral = rows.referral(
            person, victim.received, referrer_for(victim.received), next(offices), "decided"
        )
        rows.decide(referral, victim.admitted, Outcome.POSITIVE)
        client = ClientPeriod(
            person=person,
            referral=referral,
            client_type=ClientType.VICTIM,
            admitted=victim.admitted,
            admitted_as_minor=victim.age < 18,
            office_id=referral.office_id,
        )
        if victim.ended:
            client.status = ClientStatus.ENDED
            client.ended_on = victim.admitted + dt.timedelta(days=60 + rng.randrange(30))
        clients.append(client)
        new_clients.append((victim, client))

    # Negative decisions of 2025, withdrawn and pending referrals.
    reasons = _expand(NEGATIVE_REASONS)
    rng.shuffle(reasons)
    for index, reason in enumerate(reasons):
        if index < NEGATIVE_FROM_2024:
            received = D(2024, 12, 2) + dt.timedelta(days=index)
            decided = D(2025, 1, 7) + dt.timedelta(days=index)
        else:
            received = D(2025, 1, 3) + dt.timedelta(days=(index * 330) // len(reasons))
            decided = received + dt.timedelta(days=14 + rng.randrange(14))
        person = rows.person(rng.choice(ENDED_NATIONALITIES), rng.choice(("male", "female")), None)
        person.age_assessment = "adult"
        referral = rows.referral(person, received, referrer_for(received), next(offices), "decided")
        rows.decide(referral, decided, Outcome.NEGATIVE, reason)
    for index in range(WITHDRAWN_2025 + PENDING_2025):
        person = rows.person(rng.choice(ENDED_NATIONALITIES), rng.choice(("male", "female")), None)
        person.age_assessment = "adult"
        if index < WITHDRAWN_2025:
            received = D(2025, 1, 15) + dt.timedelta(days=index * 10)
            referral = rows.referral(
                person, received, referrer_for(received), next(offices), ReferralStatus.WITHDRAWN
            )
            referral.withdrawn_on = received + dt.timedelta(days=12)
            referral.withdrawal_reason = "The person withdrew."
        else:
            received = D(2025, 10, 1) + dt.timedelta(days=(index - WITHDRAWN_2025) * 2)
            referral = rows.referral(
                person,
                received,
                referrer_for(received),
                next(offices),
                ReferralStatus.UNDER_ASSESSMENT,
            )
    assert next(referrers_2025, None) is None, "every referral of 2025 has its referrer"

    # --- Victims admitted before 2025: 1,424 in the stock with the new ones, 154 ended ----
    new_active = [(v, c) for v, c in new_clients if not v.ended]
    needed = Counter(STOCK_NATIONALITIES)
    needed.subtract(Counter(v.nationality for v, _ in new_active))
    assert min(needed.values()) >= 0, needed
    older_nationalities = _expand(dict(needed)) + ["unknown"] * STOCK_UNKNOWN_NATIONALITY
    rng.shuffle(older_nationalities)
    older_women = STOCK_WOMEN - sum(1 for v, _ in new_active if v.gender == "female")
    older_minors = STOCK_ADMITTED_AS_MINORS - sum(1 for v, _ in new_active if v.age < 18)
    assert len(older_nationalities) == STOCK_VICTIMS - len(new_active)
    older: list[tuple[ClientPeriod, bool]] = []
    for index, nationality in enumerate(older_nationalities):
        as_minor = index < older_minors
        if as_minor:  # admitted at 14 to 17 in 2016-2021: adults by the end of 2025
            admitted = D(2016 + index % 6, 1 + index % 12, 1 + index % 28)
            age = rng.randint(14, 17)
        else:
            admitted = D(2016, 3, 1) + dt.timedelta(days=rng.randrange(8 * 365 + 250))
            age = rng.randint(18, 55)
        gender = "female" if index < older_women else "male"
        client = _older_victim(rows, rng, nationality, gender, age, admitted, next(offices))
        older.append((client, gender == "female" and not as_minor))
        clients.append(client)
    end_reasons = _expand(END_REASONS)
    rng.shuffle(end_reasons)
    for victim, client in new_clients:
        if victim.ended:
            client.end_reason_id = end_reasons.pop()
    for index, reason in enumerate(end_reasons):
        admitted = D(2020, 1, 10) + dt.timedelta(days=index * 10)
        client = _older_victim(
            rows,
            rng,
            ENDED_NATIONALITIES[index % len(ENDED_NATIONALITIES)],
            "female" if index % 5 < 3 else "male",
            rng.randint(18, 50),
            admitted,
            next(offices),
        )
        client.status = ClientStatus.ENDED
        client.ended_on = D(2025, 1, 20) + dt.timedelta(days=index * 2)
        client.end_reason_id = reason
        clients.append(client)
    for client in clients:
        if client.end_reason_id == "other":
            client.end_reason_text = "The client moved to another programme."

    Person.objects.bulk_create(rows.persons)
    for referral in rows.referrals:
        referral.person_id = referral.person.pk
    Referral.objects.bulk_create(rows.referrals)
    for decision in rows.decisions:
        decision.referral_id = decision.referral.pk
    AdmissionDecision.objects.bulk_create(rows.decisions)
    for client in clients:
        client.person_id = client.person.pk
        client.referral_id = client.referral.pk if client.referral else None
    ClientPeriod.objects.bulk_create(clients)

    # --- Children: 32 admitted with new victims in 2025, 178 before with older victims ---
    children: list[ClientPeriod] = []
    parents: list[tuple[ClientPeriod, int]] = [
        (c, v.children) for v, c in new_clients if v.children
    ]
    mothers = [c for c, adult_woman in older if adult_woman][:OLDER_CHILDREN]
    parents += [(c, 1) for c in mothers]
    child_persons: list[Person] = []
    for parent, n in parents:
        for _ in range(n):
            born = _born(rng, rng.randint(0, 15), parent.admitted)
            person = rows.person(
                parent.person.primary_nationality, rng.choice(("male", "female")), born
            )
            child_persons.append(person)
            children.append(
                ClientPeriod(
                    person=person,
                    parent=parent,
                    client_type=ClientType.CHILD,
                    admitted=parent.admitted,
                    admitted_as_minor=True,
                    office_id=parent.office_id,
                )
            )
    Person.objects.bulk_create(child_persons)
    for child in children:
        child.person_id = child.person.pk
        child.parent_id = child.parent.pk if child.parent else None
    ClientPeriod.objects.bulk_create(children)

    # --- Forms, residence, reflection periods, identifications ---------------------------
    exploitation: list[Exploitation] = []
    residence: list[ResidenceStatus] = []
    reflection: list[ReflectionPeriod] = []
    police = REFLECTION_BY_POLICE
    for victim, client in new_clients:
        for index, (form, place, country, sector) in enumerate(victim.forms):
            exploitation.append(
                Exploitation(
                    client=client,
                    form_id=form,
                    is_primary=index == 0,
                    place=place,
                    country=country,
                    sector_id=sector,
                    minor_when_exploited=victim.age < 18 or None,
                )
            )
        if victim.residence is None:
            continue
        category, permit = victim.residence
        residence.append(
            ResidenceStatus(
                client=client,
                valid_from=victim.admitted,
                category_id=category,
                permit_type_id=permit,
            )
        )
        if category == "no_right_of_residence":
            start = victim.admitted + dt.timedelta(days=7)
            by = GrantedBy.POLICE if police > 0 else GrantedBy.NAS
            police -= 1
            reflection.append(
                ReflectionPeriod(
                    client=client,
                    granted=start,
                    start=start,
                    end=start + dt.timedelta(days=90),
                    granted_by=by,
                )
            )
    for client in (c for c in clients if c.admitted.year < 2025):
        form = rng.choice(OLDER_FORMS)
        in_finland = rng.random() < 0.5
        country = "FI" if in_finland else rng.choice(ABROAD_COUNTRIES)
        exploitation.append(
            Exploitation(
                client=client,
                form_id=form,
                is_primary=True,
                place=Place.FINLAND if in_finland else Place.ABROAD,
                country=country,
                sector_id="unknown" if form == "forced_labour" else None,
            )
        )
    identification = [
        Identification(
            client=client,
            date=client.admitted,
            ground=IdentificationGround.ADMISSION,
        )
        for client in clients
        if client.client_type == ClientType.VICTIM and client.admitted >= IDENTIFICATION_FROM
    ]
    Exploitation.objects.bulk_create(exploitation)
    ResidenceStatus.objects.bulk_create(residence)
    ReflectionPeriod.objects.bulk_create(reflection)
    Identification.objects.bulk_create(identification)
    _wellbeing_2024(rows.referrals)
    # The statistical copies (nas/casework/copies.py) of everything loaded, once at the end.
    copies_refresh()
    decision_copies_refresh()
    if connection.vendor == "postgresql":
        # After a bulk load the planner has no statistics until autovacuum gets to the
        # tables; give it them now, as an operator would after an import.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "persons": len(rows.persons),
        "referrals": len(rows.referrals),
        "decisions": len(rows.decisions),
        "clients": len(clients) + len(children),
        "exploitation": len(exploitation),
        "residence": len(residence),
        "reflection_periods": len(reflection),
        "identifications": len(identification),
    }


def _older_victim(
    rows: _Rows,
    rng: random.Random,
    nationality: str,
    gender: str,
    age: int,
    admitted: dt.date,
    office: str,
) -> ClientPeriod:
    """Plan a victim admitted before 2025 at AGE, with a referral and a positive decision."""
    born = _born(rng, age, admitted)
    person = rows.person(nationality, gender, born)
    received = admitted - dt.timedelta(days=10 + rng.randrange(40))
    referral = rows.referral(person, received, rng.choice(OTHER_REFERRERS), office, "decided")
    rows.decide(referral, admitted, Outcome.POSITIVE)
    return ClientPeriod(
        person=person,
        referral=referral,
        client_type=ClientType.VICTIM,
        admitted=admitted,
        admitted_as_minor=add_years(born, 18) > admitted,
        office_id=office,
    )


def _wellbeing_2024(referrals: list[Referral]) -> None:
    """Make WELLBEING_2024 of the referrals received in 2024 ones from wellbeing counties."""
    of_2024 = sorted(
        (r for r in referrals if r.received.year == 2024), key=lambda r: (r.received, r.ref)
    )
    chosen = [r.pk for r in of_2024[:: max(1, len(of_2024) // WELLBEING_2024)][:WELLBEING_2024]]
    Referral.objects.filter(pk__in=chosen).update(referrer_type_id="wellbeing_services_county")
