"""Generate realistic, reproducible synthetic records for demonstrations and benchmarks.

Two passes. The *plan* decides, year by year, who is referred when, which referrals are
decided how and when, who is admitted with which children and when each client relationship
ends, so that the yearly volumes and year-end stocks follow the published figures
(nas.common.demo.profile). The *materialisation* then walks the referrals in the order they
were received and writes every row of each one (person, referral, decision, client period,
exploitation, residence, reflection periods, identification, services, children, notes,
tasks) with BulkWriter, obeying the domain rules of DOMAIN.md.

All randomness comes from one random.Random(seed), consumed in a fixed order; nothing
depends on the clock except the ceiling "today" (no date after it, apart from the planned
end of a running reflection period and the due date of an open task).

When the years reach the current one, it is generated up to today at the profile's daily
rate (a year without a published profile follows the last published one), and the data
look like a working day: the referrals of the last weeks are still open (the newest ones
received and unassigned, the others under assessment), clients admitted this year follow
the profile in proportion to the elapsed part of the year, and open tasks fall due in the
coming weeks. Years that end before today are generated exactly as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import json
import random
from bisect import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection, transaction

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.assistance.models import Service
from nas.casework.choices import IN_FINLAND
from nas.casework.copies import (
    DECISION_COPIES,
    FORM_COPIES,
    PERSON_COPIES,
    REFERRER_TYPE_COPY,
)
from nas.casework.models import (
    CaseNote,
    ClientPeriod,
    Exploitation,
    Identification,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.common import crypto
from nas.common.dates import add_years
from nas.common.demo import names
from nas.common.demo import profile as P
from nas.common.demo.writer import BulkWriter
from nas.common.models import Office
from nas.people.models import Person, PersonNameToken
from nas.referrals.models import (
    AdmissionDecision,
    AnonymousConsultation,
    HelplineContact,
    Organisation,
    Referral,
    TrainingEvent,
)

IDENTIFICATION_FROM = dt.date(2015, 7, 1).toordinal()
ADMISSION_IS_IDENTIFICATION_FROM = dt.date(2023, 1, 1).toordinal()
OLD_RULE_UNTIL = dt.date(2022, 12, 31).toordinal()
TEMPORARY_PROTECTION_FROM = dt.date(2022, 3, 4).toordinal()
REFLECTION_DAYS = ((30, 2), (60, 3), (90, 4), (120, 2), (150, 1), (180, 3))
# When the generated years reach today ("live" data, a demo's working day):
OPEN_WINDOW_DAYS = 56  # referrals received within it may still be open; older ones are decided
RECEIVED_DAYS = 10  # open referrals younger than this are not yet assigned ("received")
DECISION_TASK_AFTER_DAYS = 21  # an open referral older than this has a decision_pending task
DECISION_TASK_DUE_DAYS = 42  # ... due this many days after the referral was received


class Choice:
    """A fast weighted choice over fixed weights."""

    def __init__(self, weights: Mapping[Any, float] | Iterable[tuple[Any, float]]):
        items = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.keys = [k for k, w in items if w > 0]
        self.cum = list(itertools.accumulate(w for _k, w in items if w > 0))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.keys[bisect(self.cum, rng.random() * self.total)]


class Plan:
    """A planned referral."""

    __slots__ = (
        "received",
        "year",
        "referrer",
        "office",
        "nat",
        "kind",
        "form",
        "gender",
        "age",
        "rereferral",
        "decided",
        "outcome",
        "client",
        "withdrawn",
        "history",
    )

    received: int
    year: int
    referrer: str
    office: str
    nat: str
    kind: str
    form: str
    gender: str
    age: int
    history: bool

    def __init__(self) -> None:
        self.decided: int | None = None
        self.outcome: str | None = None  # "positive", "negative:<reason>", "withdrawn", None
        self.client: Client | None = None
        self.withdrawn: int | None = None
        self.rereferral = False


class Client:
    """A planned client period of a victim or a witness."""

    __slots__ = ("plan", "ctype", "admitted", "ended", "end_reason", "min_end", "children")

    def __init__(self, plan: Plan, ctype: str, admitted: int) -> None:
        self.plan = plan
        self.ctype = ctype
        self.admitted = admitted
        self.ended: int | None = None
        self.end_reason: str | None = None
        self.min_end = admitted
        self.children: list[Child] = []


class Child:
    """A planned client period of a client's child."""

    __slots__ = ("parent", "admitted", "dob", "gender", "ended", "end_reason")

    def __init__(self, parent: Client, admitted: int, dob: int, gender: str) -> None:
        self.parent = parent
        self.admitted = admitted
        self.dob = dob
        self.gender = gender
        self.ended: int | None = None
        self.end_reason: str | None = None


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# SQLite settings for the duration of a bulk load, restored afterwards: no waiting for the
# disk (a failed load is rolled back or the demo database is thrown away), temporary
# structures in memory and a large page cache. (journal_mode=MEMORY or OFF measured slower
# than the configured WAL, and cannot be changed inside a transaction anyway.)
_SQLITE_BULK_PRAGMAS = {"synchronous": "OFF", "temp_store": "MEMORY", "cache_size": "-262144"}


@contextmanager
def bulk_load_settings() -> Iterator[None]:
    """Set the SQLite bulk load PRAGMAs for the connection while the block runs.

    Not inside a transaction (a test's, a caller's): SQLite refuses to change the safety
    level there, and the caller's settings stay the caller's.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        saved = {}
        for name, value in _SQLITE_BULK_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            saved[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name} = {value}")


def _kind(nat: str) -> str:
    if nat == "FI":
        return "finnish"
    if nat in P.LABOUR_NATIONALITIES:
        return "labour"
    if nat in P.MARRIAGE_NATIONALITIES:
        return "marriage"
    if nat in P.WEST_AFRICAN:
        return "west_african"
    return "other"


def _d(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


class DemoDataGenerator:
    """Plan and write the demo data. Use generate(); the database must have no persons."""

    def __init__(
        self,
        *,
        seed: int,
        first_year: int,
        last_year: int,
        scale: float = 1.0,
        today: dt.date,
        batch_size: int = 20_000,
        progress: Any = None,
    ) -> None:
        if first_year > last_year:
            raise ValueError("the first year is after the last")
        if first_year < P.FIRST_YEAR + 1:
            raise ValueError(f"the years must start in {P.FIRST_YEAR + 1} or later")
        if last_year > today.year:
            raise ValueError(f"the years must not be in the future (after {today.year})")
        self.rng = random.Random(seed)
        self.first_year = first_year
        self.last_year = last_year
        self.scale = scale
        self.today = today.toordinal()
        # The generated years reach today: the current year is generated up to today, with
        # the referrals of the last weeks still open, as on a working day.
        self.live = last_year >= today.year
        self.batch_size = batch_size
        self.progress = progress
        self.result = Result()
        # ISO strings of dates, the form in which they are written
        base = dt.date(1920, 1, 1).toordinal()
        top = today.toordinal() + 800
        self._iso_base = base
        self._iso = [_d(o).isoformat() for o in range(base, top)]
        self._stamp = [s + " 09:00:00" for s in self._iso]
        # Names come from small pools: each is encrypted once and its token reused. In
        # this synthetic data that shows which rows share a name, which the names already
        # do; a quarter of the generation time went to encrypting the same names again.
        self._names: dict[str, str] = {}
        # whether a running reflection period has been made to end within 14 days
        self._ending_soon = False

    # ----------------------------------------------------------------- helpers

    def iso(self, ordinal: int | None) -> str | None:
        return None if ordinal is None else self._iso[ordinal - self._iso_base]

    def name_token(self, name: str) -> str:
        """Return NAME encrypted, the same token for the same name."""
        token = self._names.get(name)
        if token is None:
            token = self._names[name] = crypto.encrypt_value(name)
        return token

    def stamp(self, ordinal: int) -> str:
        return self._stamp[min(ordinal, self.today) - self._iso_base]

    def n(self, value: float) -> int:
        return int(round(value * self.scale))

    def year_end(self, year: int) -> int:
        return min(dt.date(year, 12, 31).toordinal(), self.today)

    def year_fraction(self, year: int) -> float:
        start = dt.date(year, 1, 1).toordinal()
        end = dt.date(year, 12, 31).toordinal()
        return max(0.0, min(1.0, (self.year_end(year) - start + 1) / (end - start + 1)))

    def complete(self, year: int) -> bool:
        return dt.date(year, 12, 31).toordinal() < self.today

    def _day_choice(self, year: int) -> Choice:
        start = dt.date(year, 1, 1).toordinal()
        last = self.year_end(year)
        return Choice((o, P.MONTH_WEIGHTS[_d(o).month - 1]) for o in range(start, last + 1))

    def _delay(self) -> int:
        return min(400, int(self.rng.lognormvariate(3.3, 0.85)))

    # ------------------------------------------------------------------ public

    def generate(self) -> Result:
        if Person.objects.exists():
            raise RuntimeError("the database already has persons")
        with bulk_load_settings(), transaction.atomic():
            self._setup()
            plans = self._plan()
            self._write(plans)
        return self.result

    # ------------------------------------------------------------------- setup

    def _setup(self) -> None:
        offices = list(Office.objects.filter(active=True).order_by("position", "code"))
        if not offices:
            raise RuntimeError("there are no active offices")
        self.offices = [o.code for o in offices]
        self.office_choice = Choice({o: P.OFFICE_WEIGHTS.get(o, 20) for o in self.offices})
        self.caseworkers: dict[str, list[int]] = {}
        self.decision_makers: list[int] = []
        self._make_staff()
        self.organisations: dict[str, list[tuple[int, str]]] = {}
        for rtype, orgs in P.ORGANISATIONS.items():
            for name in orgs:
                org, _created = Organisation.objects.get_or_create(
                    name=name, defaults={"referrer_type_id": rtype}
                )
                self.organisations.setdefault(rtype, []).append((org.pk, org.name))

    def _make_staff(self) -> None:
        """Create (once) the synthetic staff who handle the synthetic cases."""
        groups = {}
        for role in (Role.CASEWORKER, Role.DECISION_MAKER):
            groups[role], _created = Group.objects.get_or_create(name=str(role))
        staff_names = itertools.cycle(names.STAFF_NAMES)
        specs: list[tuple[str, str, Role]] = []
        for office in self.offices:
            for i in (1, 2, 3):
                specs.append((f"staff.{office}.{i}", office, Role.CASEWORKER))
        specs.append(("staff.decisions.1", self.offices[0], Role.DECISION_MAKER))
        specs.append(("staff.decisions.2", self.offices[-1], Role.DECISION_MAKER))
        for username, office, role in specs:
            given, family = next(staff_names)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=given, last_name=family, office_id=office)
                user.set_unusable_password()
                user.save()
                user.groups.add(groups[role])
            if role == Role.CASEWORKER:
                self.caseworkers.setdefault(office, []).append(user.pk)
            else:
                self.decision_makers.append(user.pk)

    # -------------------------------------------------------------------- plan

    def _plan(self) -> list[Plan]:
        rng = self.rng
        plans: list[Plan] = []
        for year in range(P.FIRST_YEAR, self.last_year + 1):
            history = year < self.first_year
            target = P.year_targets(year)
            days = self._day_choice(year)
            referrer = Choice(P.referrer_weights(year))
            nationality = Choice(P.nationality_weights(year))
            if history:
                # The opening stock: admitted clients only, decided within the year.
                count = self.n(target.victims + target.witnesses)
                witnesses = set(rng.sample(range(count), min(count, self.n(target.witnesses))))
            else:
                count = self.n(target.referrals * self.year_fraction(year))
            for i in range(count):
                plan = self._new_plan(rng, year, days(rng), referrer, nationality)
                plan.history = history
                if history:
                    delay = self._delay()
                    plan.decided = plan.received
                    plan.received -= delay
                    plan.outcome = "positive"
                    ctype = "witness" if i in witnesses and plan.age >= 18 else "victim"
                    plan.client = Client(plan, ctype, plan.decided)
                else:
                    plan.decided = plan.received + self._delay()
                    if rng.random() < 0.02:
                        plan.outcome = "withdrawn"
                        plan.withdrawn = plan.received + (plan.decided - plan.received) // 2
                        plan.decided = None
                    plan.rereferral = rng.random() < 0.04
                plans.append(plan)
        if self.live:
            self._open_today(plans)
        self._decide(plans)
        clients = [p.client for p in plans if p.client is not None]
        clients.sort(key=lambda c: c.admitted)
        self._children(clients)
        self._ends(clients)
        plans.sort(key=lambda p: p.received)
        return plans

    def _new_plan(
        self, rng: random.Random, year: int, received: int, referrer: Choice, nationality: Choice
    ) -> Plan:
        plan = Plan()
        plan.received = received
        plan.year = year
        plan.referrer = referrer(rng)
        plan.office = self.office_choice(rng)
        plan.nat = nationality(rng)
        plan.kind = _kind(plan.nat)
        plan.form = self._form_choice[plan.kind](rng)
        female = P.FEMALE_SHARE[plan.form]
        r = rng.random()
        plan.gender = "female" if r < female else ("male" if r < 0.993 else "other")
        low, high = self._age_band(rng)
        plan.age = rng.randint(low, high)
        return plan

    _form_choice = {kind: Choice(weights) for kind, weights in P.FORMS.items()}
    _age_band = Choice(((low, high), w) for low, high, w in P.AGE_BANDS)

    def _open_today(self, plans: list[Plan]) -> None:
        """Leave open today only the referrals of the last weeks, as in a working office.

        A referral whose planned decision or withdrawal falls after today is still open;
        one received before the open window is decided within the last three weeks instead,
        so that the inbox holds recent referrals and not a long tail of forgotten ones.
        """
        rng = self.rng
        today = self.today
        oldest_open = today - OPEN_WINDOW_DAYS
        for plan in plans:
            if plan.history:
                continue
            if plan.withdrawn is not None and plan.withdrawn > today:
                plan.withdrawn = None
                plan.outcome = None
                plan.decided = today + 1
            if plan.decided is not None and plan.decided > today and plan.received < oldest_open:
                plan.decided = rng.randint(today - 20, today - 1)

    def _decide(self, plans: list[Plan]) -> None:
        """Give each referral of the generated years its outcome, per decision year."""
        rng = self.rng
        by_year: dict[int, list[Plan]] = {}
        for plan in plans:
            if plan.history or plan.decided is None:
                continue
            if plan.decided > self.today:
                plan.decided = None  # still pending
                continue
            by_year.setdefault(_d(plan.decided).year, []).append(plan)
        reasons = Choice(P.NEGATIVE_REASONS)
        for year in sorted(by_year):
            candidates = by_year[year]
            target = P.year_targets(year)
            n = len(candidates)
            witnesses = self.n(target.witnesses) if year in P.YEARS else 0
            if self.complete(year) and year in P.YEARS and year >= self.first_year:
                positive = self.n(target.victims + target.witnesses)
                if target.negative is not None:
                    negative = self.n(target.negative)
                else:
                    negative = max(0, int(n * 0.95) - positive)
            elif self.live and self.first_year <= year <= self.last_year:
                # the current year, up to today: the profile's year (or the last published
                # one) in proportion to the elapsed part of the year
                basis = P.basis(year)
                fraction = self.year_fraction(year)
                positive = self.n((basis.victims + basis.witnesses) * fraction)
                if basis.negative is not None:
                    negative = self.n(basis.negative * fraction)
                else:
                    negative = int(round(n * 0.35))
                witnesses = self.n(basis.witnesses * fraction)
            else:
                positive = int(round(n * 0.62))
                negative = int(round(n * 0.35))
            if positive + negative > n:
                self.result.warnings.append(
                    f"{year}: {n} referrals to decide, fewer than the {positive} positive and "
                    f"{negative} negative decisions wanted"
                )
                factor = n / (positive + negative)
                positive = int(positive * factor)
                negative = n - positive
            # weighted ranking without replacement (Efraimidis-Spirakis keys)
            keyed = sorted(
                candidates,
                key=lambda p: rng.random() ** (1.0 / P.ADMISSION_WEIGHT.get(p.referrer, 1.0)),
                reverse=True,
            )
            for index, plan in enumerate(keyed):
                decided = plan.decided
                assert decided is not None
                if index < positive:
                    plan.outcome = "positive"
                    ctype = "victim"
                    if witnesses and plan.age >= 18 and rng.random() < 0.05:
                        ctype = "witness"
                        witnesses -= 1
                    plan.client = Client(plan, ctype, decided)
                elif index < positive + negative:
                    plan.outcome = "negative:" + reasons(rng)
                else:
                    plan.outcome = "withdrawn"
                    plan.withdrawn = decided
                    plan.decided = None

    def _children(self, clients: list[Client]) -> None:
        """Admit the children of clients, per year of admission of their parents."""
        rng = self.rng
        for year, group in itertools.groupby(clients, key=lambda c: _d(c.admitted).year):
            admitted = [c for c in group if c.ctype == "victim"]
            parents = [c for c in admitted if c.plan.age >= 20]
            target = P.year_targets(year)
            if year in P.YEARS and self.complete(year):
                wanted = self.n(target.children)
            else:
                wanted = int(round(len(admitted) * target.children / target.victims))
            if not parents or not wanted:
                continue
            keyed = sorted(
                parents,
                key=lambda c: rng.random() ** (1.0 / (3.0 if c.plan.gender == "female" else 1.0)),
                reverse=True,
            )
            for parent in keyed:
                if wanted <= 0:
                    break
                k = min(wanted, 1 + (rng.random() < 0.45) + (rng.random() < 0.2))
                for _ in range(k):
                    day = parent.admitted
                    if rng.random() < 0.12:
                        day = min(self.today, day + rng.randint(20, 300))
                    oldest = min(17, parent.plan.age - 17)
                    age = int((max(0, oldest) + 1) * rng.random() ** 1.6)
                    dob = day - int(age * 365.25) - rng.randint(1, 360)
                    gender = "female" if rng.random() < 0.5 else "male"
                    parent.children.append(Child(parent, day, dob, gender))
                    parent.min_end = max(parent.min_end, day)
                    wanted -= 1

    def _ends(self, clients: list[Client]) -> None:
        """End client relationships year by year so that the year-end stocks match."""
        rng = self.rng
        reasons = Choice(P.END_REASONS)
        child_reasons = Choice(
            {"no_need": 60, "left_finland": 25, "client_request": 10, "other": 5}
        )
        active: list[Client] = []
        active_children: list[Child] = []
        position = 0
        last = _d(self.today).year
        for year in range(P.FIRST_YEAR, last + 1):
            start = dt.date(year, 1, 1).toordinal()
            end = self.year_end(year)
            new: list[Client] = []
            while position < len(clients) and clients[position].admitted <= end:
                new.append(clients[position])
                position += 1
            new_children = [c for client in new for c in client.children if c.admitted <= end]
            # children admitted later than their parent, in a later year
            pending_children = [
                c for client in active for c in client.children if start <= c.admitted <= end
            ]
            target = P.year_targets(year)
            if target.stock_victims is not None and self.complete(year):
                ends = len(active) + len(new) - self.n(target.stock_victims)
            else:
                hazard = P.EARLY_END_HAZARD if year < 2018 else P.DEFAULT_END_HAZARD
                hazard *= self.year_fraction(year)
                ends = int(round(hazard * (len(active) + 0.5 * len(new))))
            ends = max(0, min(ends, len(active) + len(new)))
            weight_new = 0.5 * len(new)
            k_new = int(round(ends * weight_new / (len(active) + weight_new or 1)))
            k_new = min(k_new, len(new))
            k_old = min(ends - k_new, len(active))
            ended: list[Client] = []
            for pool, k in ((active, k_old), (new, k_new)):
                eligible = [c for c in pool if c.min_end <= end]
                # families with children tend to need assistance for longer
                chosen = heapq.nlargest(
                    k,
                    eligible,
                    key=lambda c: rng.random() ** (1.0 / (0.3 if c.children else 1.0)),
                )
                for client in chosen:
                    low = max(start, client.admitted, client.min_end)
                    client.ended = rng.randint(low, end)
                    client.end_reason = reasons(rng)
                    ended.append(client)
            active = [c for c in itertools.chain(active, new) if c.ended is None]
            # children: with their parent, at 18, or by the year's target
            children = active_children + [c for c in new_children] + pending_children
            remaining: list[Child] = []
            for child in children:
                if child.ended is not None:
                    continue
                adult = add_years(_d(child.dob), 18).toordinal()
                parent_end = child.parent.ended
                if adult <= end and (parent_end is None or adult < parent_end):
                    child.ended = max(adult, child.admitted)
                    child.end_reason = "no_need"
                elif parent_end is not None:
                    child.ended = max(parent_end, child.admitted)
                    child.end_reason = child.parent.end_reason
                else:
                    remaining.append(child)
            stock_children = target.stock_children
            if stock_children is not None and self.complete(year):
                extra = len(remaining) - self.n(stock_children)
            else:
                hazard = P.EARLY_END_HAZARD if year < 2018 else P.DEFAULT_END_HAZARD
                extra = int(round(hazard * self.year_fraction(year) * len(remaining) * 0.5))
            if extra > 0:
                for child in rng.sample(remaining, min(extra, len(remaining))):
                    child.ended = rng.randint(max(start, child.admitted), end)
                    child.end_reason = child_reasons(rng)
            active_children = [c for c in remaining if c.ended is None]

    # ------------------------------------------------------------------- write

    def _write(self, plans: list[Plan]) -> None:
        w = BulkWriter(self.batch_size)
        self.t_person = w.table(
            Person,
            [
                "id",
                "ref",
                "given_names",
                "family_name",
                "aliases",
                "date_of_birth",
                "birth_year",
                "age_assessment",
                "gender",
                "nationalities",
                "primary_nationality",
                "languages",
                "interpreter_needed",
                "phone",
                "email",
                "personal_identity_code",
                "municipality_of_residence",
                "created_at",
                "updated_at",
                "name_hash",
                "name_tokens",
            ],
        )
        self.t_name_token = w.table(PersonNameToken, ["person_id", "token"])
        self.t_referral = w.table(
            Referral,
            [
                "id",
                "ref",
                "person_id",
                "received",
                "channel",
                "referrer_type_id",
                "organisation_id",
                "organisation_name",
                "office_id",
                "assigned_to_id",
                "account",
                "urgency",
                "safety_concerns",
                "consent",
                "status",
                "withdrawn_on",
                "withdrawal_reason",
                "created_at",
                "updated_at",
            ],
        )
        self.t_decision = w.table(
            AdmissionDecision,
            [
                "referral_id",
                "date",
                "outcome",
                "client_type",
                "negative_reason_id",
                "reason_text",
                "consent_given",
                "trafficking_definition_met",
                "need_for_help",
                "decided_by_id",
                "created_at",
                "updated_at",
                *DECISION_COPIES,
            ],
        )
        self.t_client = w.table(
            ClientPeriod,
            [
                "id",
                "person_id",
                "referral_id",
                "parent_id",
                "client_type",
                "admitted",
                "admitted_as_minor",
                "office_id",
                "caseworker_id",
                "status",
                "ended_on",
                "end_reason_id",
                "created_at",
                "updated_at",
                *PERSON_COPIES,
                REFERRER_TYPE_COPY,
                *FORM_COPIES,
            ],
        )
        self.t_exploitation = w.table(
            Exploitation,
            [
                "id",
                "client_id",
                "form_id",
                "is_primary",
                "place",
                "country",
                "sector_id",
                "exploiter_relation",
                "exploiter_safety_risk",
                "minor_when_exploited",
                "start",
                "end",
                "created_at",
                "updated_at",
            ],
        )
        self.t_means = w.table(
            Exploitation.means_of_control.through, ["exploitation_id", "meansofcontrol_id"]
        )
        self.t_residence = w.table(
            ResidenceStatus,
            [
                "client_id",
                "valid_from",
                "category_id",
                "permit_type_id",
                "created_at",
                "updated_at",
            ],
        )
        self.t_reflection = w.table(
            ReflectionPeriod,
            [
                "client_id",
                "granted",
                "start",
                "end",
                "granted_by",
                "decided_by_id",
                "created_at",
                "updated_at",
            ],
        )
        self.t_identification = w.table(
            Identification,
            [
                "client_id",
                "date",
                "ground",
                "justification",
                "decided_by_id",
                "created_at",
                "updated_at",
            ],
        )
        self.t_service = w.table(
            Service,
            [
                "client_id",
                "service_type_id",
                "provider",
                "provider_name",
                "start",
                "end",
                "created_at",
                "updated_at",
            ],
        )
        self.t_note = w.table(
            CaseNote, ["client_id", "date", "text", "author_id", "created_at", "updated_at"]
        )
        self.t_task = w.table(
            Task,
            [
                "client_id",
                "referral_id",
                "kind",
                "title",
                "due",
                "assigned_to_id",
                "status",
                "created_at",
                "updated_at",
            ],
        )
        self.t_helpline = w.table(
            HelplineContact,
            [
                "date",
                "caller_type_id",
                "language",
                "topic",
                "outcome",
                "referral_id",
                "recorded_by_id",
                "created_at",
                "updated_at",
            ],
        )
        self.t_consultation = w.table(
            AnonymousConsultation,
            [
                "date",
                "office_id",
                "contact_type_id",
                "channel",
                "topic",
                "adult_declined_referral",
                "referral_id",
                "recorded_by_id",
                "created_at",
                "updated_at",
            ],
        )
        self.t_training = w.table(
            TrainingEvent,
            [
                "date",
                "title",
                "audience",
                "participants",
                "office_id",
                "recorded_by_id",
                "created_at",
                "updated_at",
            ],
        )
        self._prepare_choices()
        self.person_seq = 0
        self.child_seq = 0
        self.referral_seq: dict[int, int] = {}
        self.free_persons: list[tuple[int, int, tuple[Any, ...]]] = []  # heap: (free from, id, p)
        self.available: list[tuple[Any, ...]] = []
        progress = self.progress
        if progress is not None:
            progress.total = len(plans)
            progress.refresh()
        step = 0
        for plan in plans:
            self._write_referral(plan)
            step += 1
            if step == 5000 and progress is not None:
                progress.update(step)
                step = 0
        if progress is not None and step:
            progress.update(step)
        self._write_contacts()
        w.close()
        self.result.counts = w.counts()

    def _prepare_choices(self) -> None:
        self.channel_default = Choice(P.CHANNELS_DEFAULT)
        self.channel_by_referrer = {k: Choice(v) for k, v in P.CHANNELS_BY_REFERRER.items()}
        self.place_choice = {
            k: Choice(dict(zip(("finland", "abroad", "finland_and_abroad"), v, strict=True)))
            for k, v in P.PLACES.items()
        }
        self.secondary_choice = {k: Choice(v) for k, v in P.SECONDARY_FORMS.items()}
        self.sector_base = Choice(P.SECTORS_BASE)
        self.sector_by_nat = {k: Choice(v) for k, v in P.SECTORS_BY_NATIONALITY.items()}
        self.means_choice = {k: Choice(v) for k, v in P.MEANS.items()}
        self.means_default = Choice(P.MEANS_DEFAULT)
        self.exploiter_choice = {k: Choice(v) for k, v in P.EXPLOITERS.items()}
        self.exploiter_default = Choice(P.EXPLOITERS_DEFAULT)
        self.residence_finland = Choice(P.RESIDENCE_FINLAND)
        self.residence_abroad = Choice(P.RESIDENCE_ABROAD)
        self.permit_finland = Choice(P.PERMITS_FINLAND)
        self.permit_abroad = Choice(P.PERMITS_ABROAD)
        self.transit = Choice(dict.fromkeys(P.TRANSIT_COUNTRIES, 1.0))
        self.reflection_days = Choice(REFLECTION_DAYS)
        self.granted_by = Choice({"nas": 85, "police": 10, "border_guard": 5})
        self.urgency = Choice({"normal": 85, "urgent": 12, "immediate_danger": 3})

    # a person as a tuple: (id, gender, nationality, dob ordinal or None, family name,
    #                       group, languages json, age assessment,
    #                       (stored date of birth ISO or None, stored year of birth or None))

    def _take_known_person(self, received: int) -> tuple[Any, ...] | None:
        heap = self.free_persons
        while heap and heap[0][0] < received:
            self.available.append(heappop(heap)[2])
        if not self.available:
            return None
        index = self.rng.randrange(len(self.available))
        self.available[index], self.available[-1] = self.available[-1], self.available[index]
        return self.available.pop()

    def _new_person(self, plan: Plan, residence: str | None, municipality: str) -> tuple[Any, ...]:
        rng = self.rng
        table = self.t_person
        pid = table.new_id()
        self.person_seq += 1
        group_name = names.NATIONALITY_GROUP.get(plan.nat, "european")
        group = names.GROUPS[group_name]
        female = plan.gender == "female" or (plan.gender == "other" and rng.random() < 0.5)
        given = rng.choice(group.female if female else group.male)
        if rng.random() < 0.3:
            given += " " + rng.choice(group.female if female else group.male)
        family = rng.choice(group.family)
        dob: int | None = plan.received - int(plan.age * 365.25) - rng.randint(0, 364)
        r = rng.random()
        date_of_birth = birth_year = None
        assessment = ""
        if r < 0.8:
            date_of_birth = dob
        elif r < 0.92:
            assert dob is not None
            birth_year = _d(dob).year
            dob = dt.date(birth_year, 7, 1).toordinal()
        else:
            assessment = (
                "minor" if plan.age < 18 else ("adult" if rng.random() < 0.9 else "unknown")
            )
            dob = None
        nationalities = [plan.nat]
        if plan.nat not in ("FI", "unknown", "stateless") and rng.random() < 0.03:
            nationalities.append(rng.choice(("FI", "SE", "GB", "US", "IT")))
        languages = list(group.languages[: 1 + (rng.random() < 0.4)])
        interpreter = plan.nat != "FI" and rng.random() < 0.8
        phone = f"+358 4{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}" if r < 0.6 else ""
        email = ""
        if rng.random() < 0.2:
            email = f"{_ascii(given.split()[0])}.{_ascii(family)}{rng.randint(1, 99)}@example.com"
        pic = ""
        if date_of_birth is not None and (
            residence == "finnish_citizen" or (residence == "residence_permit" and r < 0.4)
        ):
            pic = _personal_identity_code(_d(date_of_birth), rng.randint(900, 999))
        aliases: list[str] = []
        if rng.random() < 0.05:
            aliases = [rng.choice(group.female if female else group.male)]
        name_hash, name_tokens = crypto.person_search_hashes(given, family, aliases)
        table.add(
            (
                pid,
                f"P-{self.person_seq:06d}",
                self.name_token(given),
                self.name_token(family),
                crypto.encrypt_json(aliases),
                self.iso(date_of_birth),
                birth_year,
                assessment,
                plan.gender,
                _json_list(tuple(nationalities)),
                plan.nat,
                _json_list(tuple(languages)),
                interpreter,
                crypto.encrypt_value(phone),
                crypto.encrypt_value(email),
                crypto.encrypt_value(pic),
                municipality,
                self.stamp(plan.received),
                self.stamp(plan.received),
                name_hash,
                name_tokens,
            )
        )
        for token in name_tokens.split():
            self.t_name_token.add((pid, token))
        born = (self.iso(date_of_birth), birth_year)
        return (pid, plan.gender, plan.nat, dob, family, group_name, languages, assessment, born)

    def _write_referral(self, plan: Plan) -> None:
        rng = self.rng
        person = self._take_known_person(plan.received) if plan.rereferral else None
        client = plan.client
        nat = plan.nat
        places: list[str] = []
        residence = permit = None
        if client is not None:
            kind = plan.kind
            if person is not None:
                nat = person[2]
                kind = _kind(nat)
            primary_place = self._place(kind, plan.form)
            places.append(primary_place)
            residence, permit = self._residence(nat, primary_place, client.admitted)
        municipality = ""
        if residence in ("finnish_citizen", "residence_permit", "temporary_protection"):
            municipality = rng.choice(names.MUNICIPALITIES)
        if person is None:
            person = self._new_person(plan, residence, municipality)
        pid, gender, nat, dob, family, group_name, languages, assessment, _born = person
        # the referral
        year = _d(plan.received).year
        seq = self.referral_seq.get(year, 0) + 1
        self.referral_seq[year] = seq
        rid = self.t_referral.new_id()
        chooser = self.channel_by_referrer.get(plan.referrer, self.channel_default)
        channel = chooser(rng)
        orgs = self.organisations.get(plan.referrer)
        org_id, org_name = rng.choice(orgs) if orgs else (None, "")
        office = plan.office
        caseworker = rng.choice(self.caseworkers[office])
        outcome = plan.outcome or ""
        minor_at_decision = False
        if plan.decided is not None and dob is not None:
            minor_at_decision = add_years(_d(dob), 18).toordinal() > plan.decided
        elif plan.decided is not None:
            minor_at_decision = assessment == "minor"
        if outcome == "positive" or (
            outcome.startswith("negative") and "no_consent" not in outcome
        ):
            consent = "given"
        elif outcome.startswith("negative"):
            consent = "not_given"
        elif outcome == "withdrawn":
            consent = "given" if rng.random() < 0.5 else "not_asked"
        else:
            consent = "given" if rng.random() < 0.6 else "not_asked"
        if outcome == "positive" and minor_at_decision and rng.random() < 0.5:
            consent = "not_asked"  # irrelevant for a minor
        if plan.decided is not None:
            status = "decided"
        elif plan.withdrawn is not None:
            status = "withdrawn"
        elif self.today - plan.received < (RECEIVED_DAYS if self.live else 5):
            status = "received"
        else:
            status = "under_assessment"
        urgency = self.urgency(rng)
        safety = ""
        if urgency != "normal" and rng.random() < 0.5:
            safety = rng.choice(_SAFETY)
        self.t_referral.add(
            (
                rid,
                f"R-{year}-{seq:04d}",
                pid,
                self.iso(plan.received),
                channel,
                plan.referrer,
                org_id,
                org_name,
                office,
                None if status == "received" else caseworker,  # not yet assigned
                rng.choice(_ACCOUNTS[plan.form]),
                urgency,
                safety,
                consent,
                status,
                self.iso(plan.withdrawn),
                rng.choice(_WITHDRAWALS) if plan.withdrawn is not None else "",
                self.stamp(plan.received),
                self.stamp(plan.decided or plan.withdrawn or plan.received),
            )
        )
        if channel == "helpline":
            self.t_helpline.add(
                (
                    self.iso(plan.received),
                    plan.referrer,
                    languages[0],
                    "Wants to be referred to the assistance system",
                    "referral_made",
                    rid,
                    caseworker,
                    self.stamp(plan.received),
                    self.stamp(plan.received),
                )
            )
        if not plan.history and rng.random() < 0.04:
            day = plan.received - rng.randint(1, 30)
            self.t_consultation.add(
                (
                    self.iso(day),
                    office,
                    plan.referrer,
                    "phone",
                    rng.choice(_CONSULTATIONS),
                    False,
                    rid,
                    caseworker,
                    self.stamp(day),
                    self.stamp(day),
                )
            )
        # the decision
        if plan.decided is not None:
            decided = plan.decided
            positive = outcome == "positive"
            reason = None if positive else outcome.split(":", 1)[1]
            self.t_decision.add(
                (
                    rid,
                    self.iso(decided),
                    "positive" if positive else "negative",
                    client.ctype if client is not None else "",
                    reason,
                    "" if positive else _NEGATIVE_TEXT[reason or "other"],
                    None if positive and minor_at_decision else (reason != "no_consent"),
                    True if positive else (False if reason == "not_trafficking" else None),
                    True if positive else (False if reason == "no_need" else None),
                    rng.choice(self.decision_makers),
                    self.stamp(decided),
                    self.stamp(decided),
                    # the statistical copies (nas/casework/copies.py)
                    self.iso(plan.received),
                    plan.referrer,
                )
            )
            free_from = decided
        elif plan.withdrawn is not None:
            free_from = plan.withdrawn
        else:
            free_from = None
            if not self.live:
                self.t_task.add(
                    (
                        None,
                        rid,
                        "decision_pending",
                        "Decide on the referral",
                        self.iso(plan.received + 30),
                        caseworker,
                        "open",
                        self.stamp(plan.received),
                        self.stamp(plan.received),
                    )
                )
            elif self.today - plan.received > DECISION_TASK_AFTER_DAYS:
                # pending too long: a task for the caseworker, some of them overdue
                created = plan.received + DECISION_TASK_AFTER_DAYS
                self.t_task.add(
                    (
                        None,
                        rid,
                        "decision_pending",
                        "Decide on the referral",
                        self.iso(plan.received + DECISION_TASK_DUE_DAYS),
                        caseworker,
                        "open",
                        self.stamp(created),
                        self.stamp(created),
                    )
                )
        if client is not None:
            self._write_client(plan, client, rid, person, places, residence, permit, caseworker)
            free_from = client.ended
        if free_from is not None and not plan.history:
            heappush(self.free_persons, (free_from, pid, person))

    def _place(self, kind: str, form: str) -> str:
        chooser = self.place_choice.get(f"{kind}/{form}") or self.place_choice.get(kind)
        return (chooser or self.place_choice["other"])(self.rng)

    def _residence(self, nat: str, place: str, admitted: int) -> tuple[str, str | None]:
        rng = self.rng
        if nat == "FI":
            return "finnish_citizen", None
        if nat in P.EU_COUNTRIES:
            return "eu_citizen", None
        if nat == "UA" and admitted >= TEMPORARY_PROTECTION_FROM and rng.random() < 0.7:
            return "temporary_protection", None
        if place == "abroad":
            category = self.residence_abroad(rng)
            permit = self.permit_abroad(rng) if category == "residence_permit" else None
        else:
            category = self.residence_finland(rng)
            permit = self.permit_finland(rng) if category == "residence_permit" else None
        return category, permit

    def _write_client(
        self,
        plan: Plan,
        client: Client,
        rid: int,
        person: tuple[Any, ...],
        places: list[str],
        residence: str | None,
        permit: str | None,
        caseworker: int,
    ) -> None:
        rng = self.rng
        pid, gender, nat, dob, family, group_name, languages, assessment, born = person
        admitted = client.admitted
        if dob is not None:
            minor = add_years(_d(dob), 18).toordinal() > admitted
        else:
            minor = assessment == "minor"
        cid = self.t_client.new_id()
        ended = client.ended
        stamp = self.stamp(admitted)
        limit = min(ended if ended is not None else self.today, self.today)
        # exploitation: one primary form, sometimes secondary ones
        forms = [plan.form]
        r = rng.random()
        if r < 0.15:
            secondary = self.secondary_choice[plan.form](rng)
            forms.append(secondary)
            if r < 0.012:
                third = self.secondary_choice[secondary](rng)
                if third not in forms:
                    forms.append(third)
        first_place = places[0]
        abroad_country = None
        form_places: list[str] = []
        for index, form in enumerate(forms):
            place = first_place if index == 0 or rng.random() < 0.8 else self._place("other", form)
            if place == "finland":
                country = "FI"
            else:
                if abroad_country is None:
                    abroad_country = self._abroad_country(nat, form)
                country = abroad_country
            if index:
                places.append(place)
            form_places.append(place)
            self._write_exploitation(cid, form, index == 0, place, country, nat, dob, plan)
        # The client's row, with the copies of its forms (the tables flush in any order).
        self.t_client.add(
            (
                cid,
                pid,
                rid,
                None,
                client.ctype,
                self.iso(admitted),
                minor,
                plan.office,
                caseworker,
                "ended" if ended is not None else "active",
                self.iso(ended),
                client.end_reason,
                stamp,
                self.stamp(ended or admitted),
                # the statistical copies (nas/casework/copies.py)
                gender,
                nat,
                *born,
                assessment,
                plan.referrer,
                sum(1 for place in form_places if place in IN_FINLAND),
                forms[0],
            )
        )
        # right of residence at admission, reflection periods, later permits
        if residence is not None:
            self.t_residence.add((cid, self.iso(admitted), residence, permit, stamp, stamp))
        last_reflection = admitted
        if residence == "no_right_of_residence" and rng.random() < 0.85:
            start = admitted + rng.randint(0, 21)
            periods = 1 + (rng.random() < 0.3)
            for _ in range(periods):
                if start > limit:
                    break
                end = start + self.reflection_days(rng)
                if (
                    self.live
                    and not self._ending_soon
                    and client.ctype == "victim"
                    and start <= self.today <= end
                    and self.today - start <= 150
                    and self.today + 13 - start >= 30
                ):
                    # On the working day of the demo one running reflection period ends
                    # within the fortnight the dashboard warns about, whatever the date;
                    # the length comes from the start, not a draw, so nothing else moves.
                    end = max(start + 30, self.today + start % 14)
                    self._ending_soon = True
                by = self.granted_by(rng)
                signer = rng.choice(self.decision_makers) if by == "nas" else None
                if by == "nas" and start < IDENTIFICATION_FROM:
                    # The assistance system grants reflection periods only from July 2015.
                    by, signer = "police", None
                # The random draws above are made for witnesses too, so that the data of
                # everyone else stays the same; only victims get a reflection period.
                if client.ctype == "victim":
                    self.t_reflection.add(
                        (
                            cid,
                            self.iso(start),
                            self.iso(start),
                            self.iso(end),
                            by,
                            signer,
                            self.stamp(start),
                            self.stamp(start),
                        )
                    )
                last_reflection = end
                start = end + 1
        if residence in ("no_right_of_residence", "asylum_seeker") and rng.random() < 0.4:
            valid_from = last_reflection + rng.randint(30, 400)
            if valid_from <= limit:
                self.t_residence.add(
                    (
                        cid,
                        self.iso(valid_from),
                        "residence_permit",
                        rng.choice(("trafficking_victim", "international_protection")),
                        self.stamp(valid_from),
                        self.stamp(valid_from),
                    )
                )
        # identification under the rule in force on the decision date
        if client.ctype == "victim" and admitted >= IDENTIFICATION_FROM:
            if admitted >= ADMISSION_IS_IDENTIFICATION_FROM:
                self.t_identification.add(
                    (cid, self.iso(admitted), "admission", "", None, stamp, stamp)
                )
            else:
                ground = None
                if "abroad" in places and rng.random() < 0.4:
                    ground = "exploited_abroad"
                elif rng.random() < 0.03:
                    ground = "suspect_dead_or_missing"
                day = min(admitted + rng.randint(14, 240), OLD_RULE_UNTIL, limit)
                if ground is not None and day >= admitted:
                    self.t_identification.add(
                        (
                            cid,
                            self.iso(day),
                            ground,
                            _IDENTIFICATION_TEXT[ground],
                            rng.choice(self.decision_makers),
                            self.stamp(day),
                            self.stamp(day),
                        )
                    )
        self._write_services(cid, client, residence, nat, limit)
        # notes and open tasks for the clients of the generated years
        if not plan.history:
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                day = rng.randint(admitted, limit)
                self.t_note.add(
                    (
                        cid,
                        self.iso(day),
                        rng.choice(_NOTES),
                        caseworker,
                        self.stamp(day),
                        self.stamp(day),
                    )
                )
        if ended is None and rng.random() < 0.08:
            due = self.today + rng.randint(-20, 60)
            self.t_task.add(
                (
                    cid,
                    None,
                    "need_review",
                    "Review the need for assistance",
                    self.iso(due),
                    caseworker,
                    "open",
                    stamp,
                    stamp,
                )
            )
        if residence == "no_right_of_residence" and ended is None and last_reflection >= self.today:
            self.t_task.add(
                (
                    cid,
                    None,
                    "reflection_ending",
                    "The reflection period is ending",
                    self.iso(last_reflection - 14),
                    caseworker,
                    "open",
                    stamp,
                    stamp,
                )
            )
        for child in client.children:
            self._write_child(child, cid, plan, family, group_name, nat, languages, caseworker)

    def _abroad_country(self, nat: str, form: str) -> str:
        rng = self.rng
        own = nat not in ("FI", "unknown", "stateless")
        if form == "forced_marriage" and own and rng.random() < 0.85:
            return nat
        if form == "sexual_exploitation" and nat in P.WEST_AFRICAN:
            return self.transit(rng)
        if own and rng.random() < 0.5:
            return nat
        country = self.transit(rng)
        return country if country != "FI" else "SE"

    def _write_exploitation(
        self,
        cid: int,
        form: str,
        primary: bool,
        place: str,
        country: str,
        nat: str,
        dob: int | None,
        plan: Plan,
    ) -> None:
        rng = self.rng
        eid = self.t_exploitation.new_id()
        received = plan.received
        r = rng.random()
        if r < 0.35:
            lag = rng.randint(1, 90)
        elif r < 0.7:
            lag = rng.randint(91, 730)
        else:
            lag = rng.randint(731, 3650)
        end = received - lag
        start = end - rng.randint(14, 1500)
        birth = dob if dob is not None else received - int(plan.age * 365.25)
        start = max(start, birth + 3650)
        end = min(max(end, start), received - 1)
        start = min(start, end)
        minor = add_years(_d(birth), 18).toordinal() > start if dob is not None else None
        sector = None
        if form == "forced_labour":
            chooser = self.sector_by_nat.get(nat, self.sector_base)
            sector = chooser(rng) if place != "abroad" or rng.random() < 0.5 else "unknown"
        relation = self.exploiter_choice.get(form, self.exploiter_default)(rng)
        risk = rng.random()
        self.t_exploitation.add(
            (
                eid,
                cid,
                form,
                primary,
                place,
                country,
                sector,
                relation,
                True if risk < 0.3 else (False if risk < 0.8 else None),
                minor,
                self.iso(start) if rng.random() < 0.9 else None,
                self.iso(end) if rng.random() < 0.9 else None,
                self.stamp(received),
                self.stamp(received),
            )
        )
        means = self.means_choice.get(form, self.means_default)
        chosen = {means(rng) for _ in range(rng.randint(1, 3))}
        for code in sorted(chosen):
            self.t_means.add((eid, code))

    def _write_services(
        self, cid: int, client: Client, residence: str | None, nat: str, limit: int
    ) -> None:
        rng = self.rng
        admitted = client.admitted
        ended = client.ended
        services: list[tuple[str, str, str]] = [("advice_guidance", "nas", "")]
        if residence == "asylum_seeker":
            services.append(("reception_allowance", "reception_centre", "Reception centre"))
        elif residence in ("finnish_citizen", "residence_permit", "temporary_protection"):
            if rng.random() < 0.6:
                services.append(
                    ("social_services", "wellbeing_services_county", "Wellbeing services county")
                )
        else:
            services.append(("social_assistance", "nas", ""))
            if rng.random() < 0.5:
                services.append(("safe_housing", "ngo", rng.choice(_SHELTERS)))
        r = rng.random()
        if r < 0.3:
            services.append(("legal_aid", "company", "Law office"))
        if nat != "FI" and r < 0.5:
            services.append(("interpretation_translation", "company", "Interpreting service"))
        if rng.random() < 0.2:
            services.append(("psychological_care", "company", "Psychotherapy practice"))
        for code, provider, provider_name in services:
            start = min(admitted + rng.randint(0, 30), limit)
            end = ended
            if code in ("interpretation_translation", "legal_aid") and rng.random() < 0.5:
                short = start + rng.randint(20, 200)
                if short < limit:
                    end = short
            self.t_service.add(
                (
                    cid,
                    code,
                    provider,
                    provider_name,
                    self.iso(start),
                    self.iso(end),
                    self.stamp(start),
                    self.stamp(end or start),
                )
            )
        if client.end_reason == "assisted_return" and ended is not None:
            start = max(admitted, ended - rng.randint(10, 60))
            self.t_service.add(
                (
                    cid,
                    "assisted_voluntary_return",
                    "nas",
                    "",
                    self.iso(start),
                    self.iso(ended),
                    self.stamp(start),
                    self.stamp(ended),
                )
            )

    def _write_child(
        self,
        child: Child,
        parent_id: int,
        plan: Plan,
        family: str,
        group_name: str,
        nat: str,
        languages: list[str],
        caseworker: int,
    ) -> None:
        rng = self.rng
        group = names.GROUPS[group_name]
        pid = self.t_person.new_id()
        self.child_seq += 1
        given = rng.choice(group.female if child.gender == "female" else group.male)
        exact = rng.random() < 0.9
        stamp = self.stamp(child.admitted)
        name_hash, name_tokens = crypto.person_search_hashes(given, family)
        self.t_person.add(
            (
                pid,
                f"C-{self.child_seq:06d}",
                self.name_token(given),
                self.name_token(family),
                "",
                self.iso(child.dob) if exact else None,
                None if exact else _d(child.dob).year,
                "",
                child.gender,
                _json_list((nat,)),
                nat,
                _json_list(tuple(languages[:1])),
                False,
                "",
                "",
                "",
                "",
                stamp,
                stamp,
                name_hash,
                name_tokens,
            )
        )
        for token in name_tokens.split():
            self.t_name_token.add((pid, token))
        cid = self.t_client.new_id()
        self.t_client.add(
            (
                cid,
                pid,
                None,
                parent_id,
                "child",
                self.iso(child.admitted),
                True,
                plan.office,
                caseworker,
                "ended" if child.ended is not None else "active",
                self.iso(child.ended),
                child.end_reason,
                stamp,
                self.stamp(child.ended or child.admitted),
                child.gender,
                nat,
                self.iso(child.dob) if exact else None,
                None if exact else _d(child.dob).year,
                "",
                "",
                0,
                "",
            )
        )

    def _write_contacts(self) -> None:
        """Helpline contacts, anonymous consultations and trainings of the generated years."""
        rng = self.rng
        callers = Choice(
            {
                "self": 45,
                "private_person": 20,
                "ngo": 10,
                "other_authority": 8,
                "police": 5,
                "wellbeing_services_county": 5,
                "other": 7,
            }
        )
        languages = Choice(
            {"fi": 35, "en": 35, "ru": 8, "ne": 5, "th": 4, "ar": 5, "so": 4, "uk": 4}
        )
        outcomes = Choice({"advice": 82, "other": 18})
        audiences = Choice(
            {
                "authorities": 30,
                "ngos": 20,
                "health_social": 25,
                "employers": 10,
                "education": 8,
                "international": 4,
                "other": 3,
            }
        )
        contact_types = Choice(P.REFERRERS_2023)
        staff = [u for office in self.offices for u in self.caseworkers[office]]
        for year in range(self.first_year, self.last_year + 1):
            days = self._day_choice(year)
            fraction = self.year_fraction(year)
            for _ in range(self.n(P.HELPLINE_PER_YEAR * fraction)):
                day = days(rng)
                self.t_helpline.add(
                    (
                        self.iso(day),
                        callers(rng),
                        languages(rng),
                        rng.choice(_HELPLINE_TOPICS),
                        outcomes(rng),
                        None,
                        rng.choice(staff),
                        self.stamp(day),
                        self.stamp(day),
                    )
                )
            for _ in range(self.n(P.CONSULTATIONS_PER_YEAR * fraction)):
                day = days(rng)
                self.t_consultation.add(
                    (
                        self.iso(day),
                        self.office_choice(rng),
                        contact_types(rng),
                        rng.choice(("phone", "email", "phone", "in_person")),
                        rng.choice(_CONSULTATIONS),
                        rng.random() < 0.2,
                        None,
                        rng.choice(staff),
                        self.stamp(day),
                        self.stamp(day),
                    )
                )
            for _ in range(self.n(P.TRAININGS_PER_YEAR * fraction)):
                day = days(rng)
                audience = audiences(rng)
                self.t_training.add(
                    (
                        self.iso(day),
                        rng.choice(_TRAININGS[audience]),
                        audience,
                        rng.randint(8, 120),
                        self.office_choice(rng),
                        rng.choice(staff),
                        self.stamp(day),
                        self.stamp(day),
                    )
                )


@functools.cache
def _json_list(items: tuple[str, ...]) -> str:
    """The JSON of a short list of codes; the same few lists recur on every row."""
    return json.dumps(list(items))


def _ascii(text: str) -> str:
    table = str.maketrans("äöåÄÖÅéü", "aoaAOAeu")
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum() or ch == "-")


def _personal_identity_code(birth: dt.date, individual: int) -> str:
    """A personal identity code in the range 900-999 used for test and temporary codes."""
    sign = "-" if birth.year < 2000 else "A"
    digits = f"{birth:%d%m%y}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits + f"{individual:03d}") % 31]
    return f"{digits}{sign}{individual:03d}{check}"


_ACCOUNTS: dict[str, Sequence[str]] = {
    "forced_labour": (
        "Recruited abroad with a recruitment fee; worked long days for little or no pay.",
        "Worked in seasonal picking; the employer kept the passport and deducted a debt.",
        "Worked seven days a week; wages much below what was promised; housing controlled "
        "by the employer.",
        "Came on a work permit; the employer threatened to report them to the authorities.",
    ),
    "sexual_exploitation": (
        "Was made to sell sex; the partner took the money and made threats.",
        "Brought to Europe with false promises of work and forced into prostitution.",
        "Controlled by a group; had to repay a travel debt through prostitution.",
    ),
    "forced_marriage": (
        "Was married against their will and kept under the control of the spouse's family.",
        "Forced into marriage as a young person; violence and restricted movement.",
    ),
    "forced_criminality": (
        "Made to sell drugs and commit thefts to repay a debt.",
        "Exploited in criminal activity by acquaintances; threatened with violence.",
    ),
    "benefit_fraud": (
        "The partner took out loans and benefits in the person's name.",
        "Relatives controlled the person's money and benefits; lived in poor conditions.",
    ),
}
for _form in ("forced_begging", "degrading_conditions", "organ_removal", "other"):
    _ACCOUNTS[_form] = (
        "Lived and worked in conditions degrading to human dignity under another's control.",
        "Was controlled and exploited by others; details recorded in the assessment.",
    )
_SAFETY = (
    "The exploiter knows where the person lives.",
    "The person has received threats by phone.",
    "Needs safe housing at once.",
)
_WITHDRAWALS = (
    "The person did not wish to continue with the referral.",
    "The referrer withdrew the referral.",
    "The person could not be reached.",
)
_NEGATIVE_TEXT = {
    "not_trafficking": "The definition of human trafficking is not met on the facts given.",
    "no_need": "The person's needs are met by other services.",
    "no_consent": "The person did not consent to becoming a client.",
    "other": "Other grounds, see the decision letter.",
}
_IDENTIFICATION_TEXT = {
    "exploited_abroad": "The exploitation took place outside Finland.",
    "suspect_dead_or_missing": "No charges can be brought: the suspect has disappeared.",
}
_NOTES = (
    "Meeting with the client; needs assessed and services discussed.",
    "Phone call with the client; the situation is stable.",
    "Accompanied the client to the police interview.",
    "Discussed the residence permit application with the client and the solicitor.",
    "Arranged interpretation for the health care appointment.",
    "The client moved to new housing.",
    "Contact with the wellbeing services county about social services.",
    "Reviewed the need for assistance; assistance continues.",
)
_SHELTERS = ("Victim Support Finland", "Pro-tukipiste", "Monika Women's Association", "Shelter")
_CONSULTATIONS = (
    "A seasonal worker whose wages are withheld; is this forced labour?",
    "A young woman whose family plans her marriage abroad.",
    "A client of a shelter who may have been sold for sex; what are the criteria?",
    "An employer asked about signs of labour exploitation among subcontractors.",
    "A reception centre asked whether a resident could be referred.",
    "An adult who does not consent to a referral; advice given on the services.",
)
_HELPLINE_TOPICS = (
    "Wages not paid",
    "Question about the assistance system",
    "Worried about a friend",
    "Forced marriage",
    "Sexual exploitation",
    "Residence permit and exploitation",
    "Debt to a recruiter",
    "Information for a professional",
)
_TRAININGS = {
    "authorities": ("Identifying victims of trafficking", "Referral to the assistance system"),
    "ngos": ("Working with victims of trafficking", "Forced marriage"),
    "health_social": ("Signs of trafficking in health care", "Trafficking and social services"),
    "employers": ("Labour exploitation in supply chains",),
    "education": ("Trafficking awareness for students",),
    "international": ("The Finnish assistance system",),
    "other": ("Introduction to human trafficking",),
}


def parse_years(text: str) -> tuple[int, int]:
    """Parse "2020-2025" or "2025"."""
    first, _sep, last = text.partition("-")
    return int(first), int(last or first)


def default_years(today: dt.date) -> str:
    """From 2020 to the current year, which is generated up to today."""
    return f"2020-{today.year}"
