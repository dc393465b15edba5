"""Test helpers: the personas in one place, and state set up through the services.

Personas are users in the Django group of their role (the groups and their permissions
come from `nas.accounts.services.ensure_roles`). Domain state is always made by calling
the services, never by saving models directly, so that tests exercise the real rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import Group
from django.db import models

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.services import ensure_roles
from nas.assistance.models import Service, ServiceType
from nas.assistance.services import service_start
from nas.audit.models import AuditEvent
from nas.casework.models import (
    CaseNote,
    ClientPeriod,
    EndReason,
    Exploitation,
    ExploitationForm,
    Identification,
    LabourSector,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.casework.services import child_admit, exploitation_record, residence_record
from nas.common.errors import DomainError
from nas.common.models import Office
from nas.people.models import PermitType, Person, ResidenceCategory
from nas.people.services import person_create
from nas.referrals.models import AdmissionDecision, NegativeReason, Referral, ReferrerType
from nas.referrals.services import admission_decide, referral_receive, referral_start_assessment

# Dates safely in the past: the tests never depend on the day they run.
RECEIVED = dt.date(2024, 3, 1)
DECIDED = dt.date(2024, 3, 15)

# ---------------------------------------------------------------------------------------
# Personas
# ---------------------------------------------------------------------------------------

PERSONAS = (
    "caseworker_helsinki",
    "caseworker_tampere",
    "decision_maker",
    "statistician",
    "auditor",
    "administrator",
    "referrer",
    "outsider",
)

_counter = itertools.count(1)


def role_group(role: str) -> Group:
    """Return the group of ROLE, creating the roles' groups if migrate has not."""
    group = Group.objects.filter(name=role).first()
    if group is None:
        ensure_roles()
        group = Group.objects.get(name=role)
    return group


def make_user(
    username: str | None = None,
    *,
    role: str | None = None,
    office: str | None = None,
    **fields: Any,
) -> User:
    """Create a user, in the group of ROLE when given, at the office with code OFFICE."""
    username = username or f"user{next(_counter)}"
    user = User.objects.create_user(
        username=username,
        password="test-password-1234",
        email=f"{username}@example.org",
        office=Office.objects.get(code=office) if office else None,
        **fields,
    )
    if role is not None:
        user.groups.add(role_group(role))
    return user


def _persona(username: str, role: str | None, office: str | None = None) -> User:
    """Return the persona USERNAME, creating it the first time (personas are shared)."""
    existing = User.objects.filter(username=username).first()
    return existing or make_user(username, role=role, office=office)


def make_caseworker(office: str = "helsinki", username: str | None = None) -> User:
    return _persona(username or f"caseworker_{office}", Role.CASEWORKER, office)


def make_decision_maker(office: str = "helsinki", username: str | None = None) -> User:
    return _persona(username or "decision_maker", Role.DECISION_MAKER, office)


def make_statistician() -> User:
    return _persona("statistician", Role.STATISTICIAN)


def make_auditor() -> User:
    return _persona("auditor", Role.AUDITOR)


def make_administrator() -> User:
    """The administrator works in the Django admin, so the account is staff."""
    existing = User.objects.filter(username="administrator").first()
    return existing or make_user("administrator", role=Role.ADMINISTRATOR, is_staff=True)


def make_referrer() -> User:
    return _persona("referrer", Role.REFERRER)


def make_outsider() -> User:
    """A signed-in user in no group: sees and changes nothing."""
    return _persona("outsider", None)


def make_persona(name: str) -> User:
    """Create the persona called NAME (one of PERSONAS)."""
    makers = {
        "caseworker_helsinki": lambda: make_caseworker("helsinki"),
        "caseworker_tampere": lambda: make_caseworker("tampere"),
        "decision_maker": lambda: make_decision_maker("helsinki"),
        "statistician": make_statistician,
        "auditor": make_auditor,
        "administrator": make_administrator,
        "referrer": make_referrer,
        "outsider": make_outsider,
    }
    return makers[name]()


def _system_user() -> User:
    """Return the decision-maker who acts when a helper is not told who does."""
    return make_decision_maker()


# ---------------------------------------------------------------------------------------
# Reference rows (loaded by the data migrations)
# ---------------------------------------------------------------------------------------


def office(code: str = "helsinki") -> Office:
    return Office.objects.get(code=code)


def referrer_type(code: str = "police") -> ReferrerType:
    return ReferrerType.objects.get(code=code)


def negative_reason(code: str = "not_trafficking") -> NegativeReason:
    return NegativeReason.objects.get(code=code)


def end_reason(code: str = "no_need") -> EndReason:
    return EndReason.objects.get(code=code)


def exploitation_form(code: str = "sexual_exploitation") -> ExploitationForm:
    return ExploitationForm.objects.get(code=code)


def labour_sector(code: str = "construction") -> LabourSector:
    return LabourSector.objects.get(code=code)


def residence_category(code: str = "no_right_of_residence") -> ResidenceCategory:
    return ResidenceCategory.objects.get(code=code)


def permit_type(code: str = "work") -> PermitType:
    return PermitType.objects.get(code=code)


def service_type(code: str = "advice_guidance") -> ServiceType:
    return ServiceType.objects.get(code=code)


# ---------------------------------------------------------------------------------------
# State, made through the services
# ---------------------------------------------------------------------------------------


def make_person(*, acting_user: User | None = None, **fields: Any) -> Person:
    """Create an adult person (born 1990) unless FIELDS say otherwise."""
    if not {"date_of_birth", "birth_year", "age_assessment"} & set(fields):
        fields["date_of_birth"] = dt.date(1990, 5, 17)
    fields.setdefault("given_names", "Test")
    fields.setdefault("family_name", f"Person{next(_counter)}")
    fields.setdefault("gender", "female")
    return person_create(acting_user=acting_user or _system_user(), **fields)


def make_referral(
    person: Person | None = None,
    *,
    acting_user: User | None = None,
    received: dt.date = RECEIVED,
    office_code: str = "helsinki",
    referrer: str = "police",
    channel: str = "email",
    assess: bool = False,
    assigned_to: User | None = None,
    **fields: Any,
) -> Referral:
    """Receive a referral (of a new adult person unless PERSON); ASSESS starts the assessment."""
    actor = acting_user or assigned_to or _system_user()
    referral = referral_receive(
        acting_user=actor,
        person=person or make_person(acting_user=actor),
        received=received,
        channel=channel,
        referrer_type=referrer_type(referrer),
        office=office(office_code),
        assigned_to=assigned_to,
        **fields,
    )
    if assess:
        referral_start_assessment(acting_user=actor, referral=referral)
    return referral


def decide_positive(
    referral: Referral,
    *,
    decision_maker: User | None = None,
    date: dt.date = DECIDED,
    client_type: str = "victim",
    consent_given: bool | None = True,
) -> AdmissionDecision:
    """Decide a referral under assessment positively (all conditions met)."""
    return admission_decide(
        acting_user=decision_maker or _system_user(),
        referral=referral,
        date=date,
        outcome="positive",
        client_type=client_type,
        consent_given=consent_given,
        trafficking_definition_met=True,
        need_for_help=True,
    )


def make_client(
    person: Person | None = None,
    *,
    received: dt.date = RECEIVED,
    decided: dt.date = DECIDED,
    client_type: str = "victim",
    office_code: str = "helsinki",
    caseworker: User | None = None,
    decision_maker: User | None = None,
) -> ClientPeriod:
    """Admit a client: referral received -> assessment -> positive decision."""
    decision_maker = decision_maker or _system_user()
    referral = make_referral(
        person,
        acting_user=caseworker or decision_maker,
        received=received,
        office_code=office_code,
        assess=True,
        assigned_to=caseworker,
    )
    decide_positive(referral, decision_maker=decision_maker, date=decided, client_type=client_type)
    return ClientPeriod.objects.get(referral=referral)


def make_child(
    parent: ClientPeriod,
    *,
    acting_user: User | None = None,
    admitted: dt.date | None = None,
    date_of_birth: dt.date = dt.date(2015, 6, 1),
) -> ClientPeriod:
    """Admit a child (born 2015 unless told) with PARENT, on the parent's admission day."""
    actor = acting_user or _system_user()
    child = make_person(acting_user=actor, date_of_birth=date_of_birth)
    return child_admit(
        acting_user=actor, parent=parent, person=child, admitted=admitted or parent.admitted
    )


def add_exploitation(
    client: ClientPeriod,
    *,
    acting_user: User | None = None,
    form: str = "sexual_exploitation",
    is_primary: bool = True,
    place: str = "finland",
    **fields: Any,
) -> Exploitation:
    if form == "forced_labour":
        fields.setdefault("sector", labour_sector())
    return exploitation_record(
        acting_user=acting_user or _system_user(),
        client=client,
        form=exploitation_form(form),
        is_primary=is_primary,
        place=place,
        **fields,
    )


def add_residence(
    client: ClientPeriod,
    category: str = "no_right_of_residence",
    *,
    acting_user: User | None = None,
    valid_from: dt.date | None = None,
    permit: str | None = None,
) -> ResidenceStatus:
    return residence_record(
        acting_user=acting_user or _system_user(),
        client=client,
        valid_from=valid_from or client.admitted,
        category=residence_category(category),
        permit_type=permit_type(permit) if permit else None,
    )


def add_service(
    client: ClientPeriod,
    *,
    acting_user: User | None = None,
    code: str = "advice_guidance",
    start: dt.date | None = None,
    provider: str = "nas",
) -> Service:
    return service_start(
        acting_user=acting_user or _system_user(),
        client=client,
        service_type=service_type(code),
        provider=provider,
        start=start or client.admitted,
    )


# ---------------------------------------------------------------------------------------
# Assertions
# ---------------------------------------------------------------------------------------

# Every table a service writes: a refused action changes none of them.
WRITTEN_MODELS: tuple[type[models.Model], ...] = (
    Person,
    Referral,
    AdmissionDecision,
    ClientPeriod,
    Exploitation,
    ResidenceStatus,
    ReflectionPeriod,
    Identification,
    CaseNote,
    Task,
    Service,
    AuditEvent,
)


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table the services write."""
    return {model._meta.label: model._default_manager.count() for model in WRITTEN_MODELS}


def db_row(instance: models.Model) -> dict[str, Any]:
    """Return the row of INSTANCE as stored now (status, version and every other column)."""
    return type(instance)._default_manager.filter(pk=instance.pk).values().get()


def audit_events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def assert_audited(action: str, actor: User, target: models.Model | None = None) -> AuditEvent:
    """Assert that the last event of ACTION was written by ACTOR (about TARGET) and return it."""
    filters: dict[str, Any] = {}
    if target is not None:
        filters = {"object_type": target._meta.label_lower, "object_id": str(target.pk)}
    event = AuditEvent.objects.filter(action=action, **filters).order_by("-id").first()
    assert event is not None, f"no audit event {action!r}"
    assert event.actor_id == actor.pk, f"{action!r} was written by {event.actor_label}"
    assert event.actor_label == actor.get_username()
    assert event.occurred_at is not None
    return event


@contextmanager
def refused(message: str, *unchanged: models.Model) -> Iterator[None]:
    """Assert that the block raises DomainError with MESSAGE and changes nothing.

    Nothing changed means: no table the services write gained or lost a row (the audit log
    included), and each of UNCHANGED still has exactly the row it had before.
    """
    counts = row_counts()
    rows = [db_row(instance) for instance in unchanged]
    try:
        yield
    except DomainError as error:
        assert str(error) == message, f"refused with {str(error)!r}, expected {message!r}"
    else:
        raise AssertionError(f"not refused; expected {message!r}")
    assert row_counts() == counts, "a refused action changed the number of rows"
    assert [db_row(instance) for instance in unchanged] == rows, "a refused action changed a row"


def reload(instance: models.Model) -> Any:
    """Return a fresh copy of INSTANCE from the database."""
    return type(instance)._default_manager.get(pk=instance.pk)


def queries_for(http_client: Any, url: str) -> int:
    """Return how many SQL queries a GET of URL issues (the page must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A first request renews the session (at most once a minute: IdleTimeoutMiddleware);
    # the counted one then issues only the page's own queries.
    http_client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = http_client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_constant_queries(
    http_client: Any, url: str, add_rows: Callable[[int], None], few: int = 10, many: int = 200
) -> None:
    """Assert that URL issues as many queries with MANY rows as with FEW.

    ADD_ROWS(n) adds n more rows of what the page lists; it is called with FEW, then with
    MANY - FEW.
    """
    add_rows(few)
    with_few = queries_for(http_client, url)
    add_rows(many - few)
    with_many = queries_for(http_client, url)
    assert with_few == with_many, (
        f"{url}: {with_few} queries with {few} rows but {with_many} with {many}"
    )


def sign_in_verified(client: Any, user: User) -> None:
    """Sign USER in as if they had given their password and a two-factor code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def inbox_cells(user: User, ref: str) -> list[str]:
    """Return the text of the cells of open referral REF's row in USER's referral inbox, as
    the page shows them; fail when the row is not there."""
    import re

    from django.test import Client
    from django.urls import reverse
    from django.utils.html import strip_tags

    browser = Client()
    sign_in_verified(browser, user)
    page = browser.get(reverse("referrals:inbox")).content.decode()
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.DOTALL) if ref in row]
    assert len(rows) == 1, f"{ref} is not in the inbox of {user}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], flags=re.DOTALL)
    return [" ".join(strip_tags(cell).split()) for cell in cells]
