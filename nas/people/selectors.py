"""Read persons: search by name with access checked, and the persons due for anonymisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from nas.casework.choices import ClientStatus
from nas.casework.models import ClientPeriod
from nas.casework.selectors import client_scope
from nas.common.crypto import name_token_hashes, search_hash
from nas.common.dates import add_years
from nas.people.models import Person, PersonNameToken
from nas.referrals.choices import Outcome, ReferralStatus
from nas.referrals.models import AdmissionDecision, Referral
from nas.referrals.selectors import referral_scope

# Stands for "no such event" where SQL's GREATEST would otherwise meet a NULL.
_NO_EVENT = dt.date(1900, 1, 1)
OPEN_REFERRAL_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.UNDER_ASSESSMENT)


def persons_visible_to(*, user: Any) -> QuerySet[Person]:
    """Return the persons USER may see: those of a referral or client period USER may see."""
    referred = Referral.objects.filter(referral_scope(user), person_id=OuterRef("pk"))
    clients = ClientPeriod.objects.filter(client_scope(user), person_id=OuterRef("pk"))
    return Person.objects.filter(Exists(referred) | Exists(clients))


def name_condition(query: str, *, exact: bool = False, prefix: str = "") -> Q:
    """Return the condition that the person (at PREFIX, e.g. "person__") is named QUERY.

    As `persons_matching_name` compares names, without any access rule: the caller's
    queryset must already hold only what its user may see.
    """
    if exact:
        full = search_hash(query)
        return Q(**{f"{prefix}name_hash": full}) if full else Q(pk__in=[])
    tokens = name_token_hashes(query)
    matches = Q(pk__in=[]) if not tokens else Q()
    for token in tokens:
        rows = PersonNameToken.objects.filter(token=token).values("person_id")
        matches &= Q(**{f"{prefix}pk__in": rows})
    return matches


def persons_matching_name(*, user: Any, query: str, exact: bool = False) -> QuerySet[Person]:
    """Return the persons USER may see whose names or aliases contain every word of QUERY.

    Words are compared normalised (case, accents and punctuation ignored) and whole: "anna"
    finds "Anna-Maria Example", "ann" does not. EXACT compares the full name (given names,
    then family name) through its indexed hash. Callers that show the names must audit
    the read.
    """
    matches = name_condition(query, exact=exact)
    return persons_visible_to(user=user).filter(matches).order_by("ref")


def persons_due_for_anonymisation(*, on: dt.date, years: int) -> QuerySet[Person]:
    """Return the persons whose identifiers the retention rule anonymises on ON.

    Due: not yet anonymised, no active client period and no open referral, and YEARS have
    passed since the latest of their client periods' ends, negative decisions and
    withdrawals. Each row carries `retention_from` (that date) and `retention_rule`
    ("client" if the person was ever a client, else "not_admitted"). For the retention
    command: no user's access applies.
    """
    periods = ClientPeriod.objects.filter(person=OuterRef("pk"))
    referrals = Referral.objects.filter(person=OuterRef("pk"))
    last_end = periods.filter(ended_on__isnull=False).order_by("-ended_on").values("ended_on")
    last_negative = (
        AdmissionDecision.objects.filter(referral__person=OuterRef("pk"), outcome=Outcome.NEGATIVE)
        .order_by("-date")
        .values("date")
    )
    last_withdrawal = (
        referrals.filter(withdrawn_on__isnull=False)
        .order_by("-withdrawn_on")
        .values("withdrawn_on")
    )
    no_event = Value(_NO_EVENT, output_field=DateField())
    return (
        Person.objects.filter(anonymised_on__isnull=True)
        .annotate(
            retention_from=Greatest(
                *(
                    Coalesce(Subquery(events[:1]), no_event)
                    for events in (last_end, last_negative, last_withdrawal)
                ),
                output_field=DateField(),
            ),
            retention_rule=Case(
                When(Exists(periods), then=Value("client")), default=Value("not_admitted")
            ),
        )
        .filter(retention_from__gt=_NO_EVENT, retention_from__lte=add_years(on, -years))
        .exclude(Exists(periods.filter(status=ClientStatus.ACTIVE)))
        .exclude(Exists(referrals.filter(status__in=OPEN_REFERRAL_STATUSES)))
        .order_by("pk")
    )
