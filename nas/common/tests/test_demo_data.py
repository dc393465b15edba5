"""The demo data generator: reproducible, close to the published figures, within the rules."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from nas.accounts.models import User
from nas.assistance.models import Service
from nas.casework.models import (
    ClientPeriod,
    Exploitation,
    Identification,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.common.dates import add_months, add_years, today
from nas.people.models import Person, PersonNameToken
from nas.referrals.models import AdmissionDecision, Referral
from nas.referrals.selectors import referrals_visible_to

YEAR_START = dt.date(2025, 1, 1)
YEAR_END = dt.date(2025, 12, 31)


def generate(scale: float = 1.0, seed: int = 1, years: str = "2020-2025") -> None:
    call_command(
        "generate_demo_data",
        seed=seed,
        years=years,
        scale=scale,
        no_progress=True,
        verbosity=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def dump() -> dict[str, list[tuple]]:
    """Key fields of every generated table, in id order."""
    return {
        "persons": list(
            Person.objects.order_by("id").values_list(
                "id",
                "ref",
                "given_names",
                "family_name",
                "date_of_birth",
                "birth_year",
                "age_assessment",
                "gender",
                "nationalities",
                "primary_nationality",
            )
        ),
        "referrals": list(
            Referral.objects.order_by("id").values_list(
                "id",
                "ref",
                "person_id",
                "received",
                "channel",
                "referrer_type_id",
                "office_id",
                "assigned_to__username",
                "status",
                "consent",
                "withdrawn_on",
            )
        ),
        "decisions": list(
            AdmissionDecision.objects.order_by("id").values_list(
                "id",
                "referral_id",
                "date",
                "outcome",
                "client_type",
                "negative_reason_id",
                "consent_given",
                "decided_by__username",
            )
        ),
        "clients": list(
            ClientPeriod.objects.order_by("id").values_list(
                "id",
                "person_id",
                "referral_id",
                "parent_id",
                "client_type",
                "admitted",
                "admitted_as_minor",
                "office_id",
                "status",
                "ended_on",
                "end_reason_id",
            )
        ),
        "exploitation": list(
            Exploitation.objects.order_by("id").values_list(
                "id",
                "client_id",
                "form_id",
                "is_primary",
                "place",
                "country",
                "sector_id",
                "exploiter_relation",
                "start",
                "end",
            )
        ),
        "means": list(
            Exploitation.means_of_control.through.objects.order_by("id").values_list(
                "exploitation_id", "meansofcontrol_id"
            )
        ),
        "residence": list(
            ResidenceStatus.objects.order_by("id").values_list(
                "client_id", "valid_from", "category_id", "permit_type_id"
            )
        ),
        "reflection": list(
            ReflectionPeriod.objects.order_by("id").values_list("client_id", "start", "end")
        ),
        "identification": list(
            Identification.objects.order_by("id").values_list("client_id", "date", "ground")
        ),
        "services": list(
            Service.objects.order_by("id").values_list(
                "client_id", "service_type_id", "start", "end"
            )
        ),
    }


@pytest.mark.django_db(transaction=False)
def test_same_seed_gives_identical_data():
    savepoint = transaction.savepoint()
    generate(scale=0.1, seed=7)
    first = dump()
    transaction.savepoint_rollback(savepoint)
    assert not Person.objects.exists()
    generate(scale=0.1, seed=7)
    second = dump()
    assert first["referrals"], "nothing was generated"
    # Row ids drawn from a PostgreSQL sequence are not given back by a rollback, so the
    # comparison leaves out the ids of rows the generator does not number itself.
    for table in first:
        assert _without_sequence_ids(first[table]) == _without_sequence_ids(second[table]), table


def _without_sequence_ids(rows: list[tuple]) -> list[tuple]:
    return [row[1:] for row in rows]


@pytest.mark.django_db
def test_refuses_a_database_with_persons():
    Person.objects.create(ref="P-1")
    with pytest.raises(CommandError, match="already has persons"):
        generate(scale=0.1)


def within(value: int, published: int) -> bool:
    return abs(value - published) <= 0.1 * published


@pytest.mark.django_db
def test_2025_volumes_and_rules():
    generate(scale=1.0)
    # -- the published figures of 2025, within 10%
    referrals = Referral.objects.filter(received__range=(YEAR_START, YEAR_END)).count()
    new = ClientPeriod.objects.filter(admitted__range=(YEAR_START, YEAR_END))
    victims = new.filter(client_type="victim").count()
    children = new.filter(client_type="child").count()
    decisions = AdmissionDecision.objects.filter(date__range=(YEAR_START, YEAR_END))
    negative = decisions.filter(outcome="negative").count()
    ended = (
        ClientPeriod.objects.filter(ended_on__range=(YEAR_START, YEAR_END))
        .exclude(client_type="child")
        .count()
    )
    stock = ClientPeriod.objects.filter(admitted__lte=YEAR_END).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=YEAR_END)
    )
    figures = {
        "referrals": (referrals, 467),
        "victims": (victims, 271),
        "children": (children, 32),
        "negative": (negative, 154),
        "ended": (ended, 169),
        "stock": (stock.count(), 1634),
        "stock victims": (stock.filter(client_type="victim").count(), 1424),
    }
    for name, (value, published) in figures.items():
        assert within(value, published), (name, value, published)
    for year, published in ((2020, 916), (2023, 1563)):
        end = dt.date(year, 12, 31)
        count = (
            ClientPeriod.objects.filter(admitted__lte=end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
            .count()
        )
        assert within(count, published), (year, count)
    reasons = Counter(
        decisions.filter(outcome="negative").values_list("negative_reason", flat=True)
    )
    assert 0.4 < reasons["no_need"] / negative < 0.6

    check_rules()


def check_rules() -> None:
    now = today()
    persons = {p.id: p for p in Person.objects.all()}
    # The name search index holds each person's name parts, as the services keep it.
    indexed: dict[int, set[str]] = {}
    for person_id, token in PersonNameToken.objects.values_list("person_id", "token"):
        indexed.setdefault(person_id, set()).add(token)
    assert all(indexed.get(p.id, set()) == set(p.name_tokens.split()) for p in persons.values())
    clients = {c.id: c for c in ClientPeriod.objects.all()}
    referrals = {r.id: r for r in Referral.objects.all()}
    decisions = {d.referral_id: d for d in AdmissionDecision.objects.all()}
    primaries = Counter(
        Exploitation.objects.filter(is_primary=True).values_list("client_id", flat=True)
    )

    # referrals: status consistent with the decision or the withdrawal
    for referral in referrals.values():
        decision = decisions.get(referral.id)
        assert referral.received <= now
        if decision is not None:
            assert referral.status == "decided" and referral.withdrawn_on is None
            assert decision.date >= referral.received
            assert decision.date <= now
            if decision.outcome == "negative":
                assert decision.negative_reason_id
        elif referral.withdrawn_on is not None:
            assert referral.status == "withdrawn"
            assert referral.received <= referral.withdrawn_on <= now
        else:
            assert referral.status in ("received", "under_assessment")
    positive = {r for r, d in decisions.items() if d.outcome == "positive"}
    assert {c.referral_id for c in clients.values() if c.referral_id} == positive

    for client in clients.values():
        person = persons[client.person_id]
        assert client.admitted <= now
        if client.ended_on is not None:
            assert client.status == "ended" and client.end_reason_id
            assert client.admitted <= client.ended_on <= now
        else:
            assert client.status == "active"
        if client.client_type == "child":
            assert client.parent_id is not None and client.referral_id is None
            parent = clients[client.parent_id]
            assert parent.client_type in ("victim", "witness")
            assert client.admitted >= parent.admitted
            birth = person.date_of_birth or dt.date(person.birth_year or 0, 7, 1)
            assert add_years(birth, 18) > client.admitted
            if parent.ended_on is not None:
                assert client.ended_on is not None and client.ended_on <= parent.ended_on
            continue
        # victims and witnesses
        assert client.referral_id is not None
        decision = decisions[client.referral_id]
        assert decision.date == client.admitted
        assert decision.client_type == client.client_type
        assert client.admitted >= referrals[client.referral_id].received
        assert primaries[client.id] == 1, client.id
        if not client.admitted_as_minor:
            assert decision.consent_given is True

    for exploitation in Exploitation.objects.all():
        referral_id = clients[exploitation.client_id].referral_id
        assert referral_id is not None
        received = referrals[referral_id].received
        for day in (exploitation.start, exploitation.end):
            assert day is None or day < received
        assert (exploitation.sector_id is not None) == (exploitation.form_id == "forced_labour")
        if exploitation.place == "finland":
            assert exploitation.country == "FI"
        else:
            assert exploitation.country and exploitation.country != "FI"

    first_residence: dict[int, ResidenceStatus] = {}
    for residence in ResidenceStatus.objects.order_by("valid_from", "id"):
        first_residence.setdefault(residence.client_id, residence)
        assert (residence.permit_type_id is not None) == (
            residence.category_id == "residence_permit"
        )
        assert residence.valid_from <= now
    for client_id, residence in first_residence.items():
        client = clients[client_id]
        assert residence.valid_from == client.admitted
        if persons[client.person_id].primary_nationality == "FI":
            assert residence.category_id == "finnish_citizen"

    for period in ReflectionPeriod.objects.all():
        client = clients[period.client_id]
        assert first_residence[client.id].category_id == "no_right_of_residence"
        assert period.start >= client.admitted and period.granted <= now
        assert period.end - period.start >= dt.timedelta(days=30)
        assert period.end <= add_months(period.start, 6)

    identified = {}
    for identification in Identification.objects.all():
        client = clients[identification.client_id]
        identified[client.id] = identification
        assert client.client_type == "victim"
        assert identification.date >= client.admitted and identification.date <= now
        if identification.ground == "admission":
            assert identification.date == client.admitted >= dt.date(2023, 1, 1)
        else:
            assert dt.date(2015, 7, 1) <= identification.date <= dt.date(2022, 12, 31)
        if identification.ground == "exploited_abroad":
            places = Exploitation.objects.filter(client=client).values_list("place", flat=True)
            assert "abroad" in places
    for client in clients.values():
        if client.client_type == "victim" and client.admitted >= dt.date(2023, 1, 1):
            assert client.id in identified

    for service in Service.objects.all():
        client = clients[service.client_id]
        assert client.admitted <= service.start <= now
        if client.ended_on is not None:
            assert service.end is not None and service.end <= client.ended_on
        if service.end is not None:
            assert service.start <= service.end <= now

    for person in persons.values():
        if person.date_of_birth:
            assert person.date_of_birth <= now
        assert person.primary_nationality in person.nationalities
    assert len({p.ref for p in persons.values()}) == len(persons)
    # only open tasks may be due in the future
    assert not Task.objects.exclude(status="open").filter(due__gt=now).exists()


OPEN = ("received", "under_assessment")


@pytest.mark.django_db
def test_the_current_year_is_generated_up_to_today_like_a_working_day():
    now = today()
    generate(scale=1.0, years=f"2020-{now.year}")
    check_rules()
    window = now - dt.timedelta(weeks=8)
    open_referrals = list(Referral.objects.filter(status__in=OPEN).select_related("assigned_to"))
    statuses = Counter(r.status for r in open_referrals)
    assert statuses["received"] >= 3 and statuses["under_assessment"] >= 10, statuses
    assert 25 <= len(open_referrals) <= 80, len(open_referrals)
    assert not AdmissionDecision.objects.filter(referral__status__in=OPEN).exists()
    for referral in open_referrals:
        assert window <= referral.received <= now, referral.received
        assert referral.withdrawn_on is None
        assert referral.account
        if referral.status == "received":
            assert referral.assigned_to is None
            assert (now - referral.received).days < 14
        else:
            assert referral.assigned_to is not None
            assert referral.assigned_to.office_id == referral.office_id
    assert any(r.urgency in ("urgent", "immediate_danger") for r in open_referrals)
    # the referrals of this year arrive at the profile's daily rate, up to today
    start = dt.date(now.year, 1, 1)
    fraction = ((now - start).days + 1) / ((dt.date(now.year, 12, 31) - start).days + 1)
    received = Referral.objects.filter(received__gte=start).count()
    assert abs(received - 467 * fraction) <= max(10, 0.1 * 467 * fraction), received
    admitted = ClientPeriod.objects.filter(admitted__gte=start, client_type="victim").count()
    assert abs(admitted - 271 * fraction) <= max(15, 0.15 * 271 * fraction), admitted
    # nothing after today but a running reflection period's end and open tasks' due dates
    for model, fields in (
        (Referral, ("received", "withdrawn_on", "created_at", "updated_at")),
        (AdmissionDecision, ("date", "created_at")),
        (ClientPeriod, ("admitted", "ended_on", "updated_at")),
        (ReflectionPeriod, ("granted", "start")),
        (ResidenceStatus, ("valid_from",)),
        (Identification, ("date",)),
        (Service, ("start", "end", "updated_at")),
        (Task, ("created_at",)),
    ):
        for name in fields:
            later = now + dt.timedelta(days=1)
            lookup = {f"{name}__date__gte" if name.endswith("_at") else f"{name}__gte": later}
            assert not model.objects.filter(**lookup).exists(), (model, name)
    tasks = Task.objects.filter(status="open")
    kinds = Counter(tasks.filter(due__gt=now).values_list("kind", flat=True))
    assert kinds["decision_pending"] and kinds["need_review"], kinds
    for task in tasks.filter(kind="decision_pending").select_related("referral"):
        task_referral = task.referral
        assert task_referral is not None and task_referral.status in OPEN
        assert (now - task_referral.received).days > 21
    assert ReflectionPeriod.objects.filter(
        start__lte=now, end__gte=now, end__lte=now + dt.timedelta(days=14)
    ).exists()


@pytest.mark.django_db
def test_years_after_the_current_one_are_refused():
    with pytest.raises(CommandError, match="future"):
        generate(scale=0.1, years=f"2020-{today().year + 1}")


@pytest.mark.django_db
def test_demo_setup_gives_the_demo_accounts_a_working_day(settings):
    settings.DEMO_MODE = True
    call_command("demo_setup", stdout=io.StringIO(), stderr=io.StringIO())
    now = today()
    assert Referral.objects.filter(received__year=now.year).exists()
    caseworker = User.objects.get(username="caseworker.helsinki")
    assessed = Referral.objects.filter(assigned_to=caseworker, status="under_assessment")
    assert 3 <= assessed.count() <= 6
    assert Task.objects.filter(assigned_to=caseworker, status="open").exists()
    assert ClientPeriod.objects.filter(caseworker=caseworker, status="active").exists()
    decision_maker = User.objects.get(username="decisionmaker")
    waiting = referrals_visible_to(user=decision_maker).filter(
        status="under_assessment", office_id="helsinki"
    )
    assert waiting.exists()
    referrer = User.objects.get(username="referrer")
    assert referrer.organisation is not None and referrer.organisation_admin
    assert Referral.objects.filter(organisation=referrer.organisation).count() == 15


@pytest.mark.django_db
def test_demo_setup_keeps_two_factor_keys_and_renews_passwords(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_setup", stdout=io.StringIO())
    settings.DEMO_MODE = True
    Person.objects.create(ref="P-1")  # not empty: no demo data is generated
    first, second = io.StringIO(), io.StringIO()
    call_command("demo_setup", stdout=first)
    call_command("demo_setup", stdout=second)

    def table(output: io.StringIO) -> dict[str, tuple[str, str]]:
        rows = [line.split() for line in output.getvalue().splitlines()]
        return {row[1]: (row[2], row[3]) for row in rows if len(row) == 4 and "." in row[1]}

    before, after = table(first), table(second)
    assert set(before) == {"caseworker.helsinki", "caseworker.tampere"}
    for username, (password, secret) in before.items():
        assert after[username][1] == secret
        assert after[username][0] != password
    code = io.StringIO()
    call_command("demo_totp", "caseworker.helsinki", stdout=code)
    assert len(code.getvalue().strip()) == 6
    assert "http://127.0.0.1:" in first.getvalue()
