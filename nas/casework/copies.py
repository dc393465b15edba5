"""The statistical copies: a client period's and a decision's copies of what the statistics count.

The statistics count client periods by their person's gender, nationality and age and by the
type of referrer of the referral that led to admission, and admission decisions by their
referral's type of referrer and date received. Each client period carries a copy of those
attributes (`ClientPeriod.person_*`, `referral_referrer_type`), and each decision of its
referral's (`AdmissionDecision.referral_*`), so that the statistics read the periods and the
decisions alone, from indexes that hold every column they count.

A client period also carries copies of its forms of exploitation: how many took place in
Finland and which is primary (`forms_in_finland`, `primary_form`).

The copies are written when a client period is created (`copies_of`) or a decision made
(`decision_copies_of`), whenever the person's attributes change (`person_copies_update`,
called by `nas.people.services.person_update`) and whenever a form is recorded, made primary
or removed (`forms_copies_update`); a referral's date received and referrer type never
change once it is received. Bulk loads (the demo data, the 2025 fixture, the
migrations) write them directly or in one UPDATE (`copies_refresh`,
`decision_copies_refresh`). `copies_stale` and `decision_copies_stale` find any copy that
differs from its source: `manage.py statistical_copies` reports them and, with `--repair`,
rewrites them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.choices import IN_FINLAND
from nas.casework.models import ClientPeriod, Exploitation
from nas.people.models import Person
from nas.referrals.models import AdmissionDecision, Referral

# The copy on the client period -> the field of the person it copies.
PERSON_COPIES: dict[str, str] = {
    "person_gender": "gender",
    "person_primary_nationality": "primary_nationality",
    "person_date_of_birth": "date_of_birth",
    "person_birth_year": "birth_year",
    "person_age_assessment": "age_assessment",
}
REFERRER_TYPE_COPY = "referral_referrer_type"
COPIED_PERSON_FIELDS = frozenset(PERSON_COPIES.values())
# The copies of the client period's forms of exploitation (`forms_copies_update`).
FORM_COPIES = ("forms_in_finland", "primary_form")
# The copy on an admission decision -> the field of its referral it copies.
DECISION_COPIES: dict[str, str] = {
    "referral_received": "received",
    "referral_referrer_type": "referrer_type_id",
}


def copies_of(person: Person, referral: Referral | None = None) -> dict[str, Any]:
    """Return the copies for a new client period of PERSON admitted on REFERRAL (None: a child)."""
    copies = {copy: getattr(person, field) for copy, field in PERSON_COPIES.items()}
    copies[REFERRER_TYPE_COPY] = referral.referrer_type_id if referral is not None else ""
    return copies


def decision_copies_of(referral: Referral) -> dict[str, Any]:
    """Return the copies for a new admission decision on REFERRAL."""
    return {copy: getattr(referral, field) for copy, field in DECISION_COPIES.items()}


def decision_copies_refresh(decisions: QuerySet[AdmissionDecision] | None = None) -> int:
    """Rewrite the copies of DECISIONS (default: every decision) from their referrals."""
    decisions = AdmissionDecision.objects.all() if decisions is None else decisions
    referral = Referral.objects.filter(pk=OuterRef("referral_id"))
    return decisions.update(
        **{copy: Subquery(referral.values(field)[:1]) for copy, field in DECISION_COPIES.items()}
    )


def _form_sources() -> dict[str, Any]:
    forms = Exploitation.objects.filter(client=OuterRef("pk"))
    in_finland = (
        forms.filter(place__in=IN_FINLAND)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    primary = forms.filter(is_primary=True).values("form_id")[:1]
    return {
        "forms_in_finland": Coalesce(Subquery(in_finland), Value(0), output_field=IntegerField()),
        "primary_form": Coalesce(Subquery(primary), Value(""), output_field=CharField()),
    }


def forms_copies_update(client: ClientPeriod) -> None:
    """Rewrite the copies of CLIENT's forms of exploitation, after one was added or changed."""
    ClientPeriod.objects.filter(pk=client.pk).update(**_form_sources())


def person_copies_update(person: Person) -> int:
    """Write PERSON's attributes into the copies of their client periods; return how many."""
    values = {copy: getattr(person, field) for copy, field in PERSON_COPIES.items()}
    return ClientPeriod.objects.filter(person_id=person.pk).update(**values)


def _sources() -> dict[str, Any]:
    person = Person.objects.filter(pk=OuterRef("person_id"))
    referral = Referral.objects.filter(pk=OuterRef("referral_id"))
    sources: dict[str, Any] = {
        copy: Subquery(person.values(field)[:1]) for copy, field in PERSON_COPIES.items()
    }
    # A child has no referral: its copy is empty, as `copies_of` makes it.
    sources[REFERRER_TYPE_COPY] = Coalesce(
        Subquery(referral.values("referrer_type_id")[:1]), Value(""), output_field=CharField()
    )
    return sources


def copies_refresh(clients: QuerySet[ClientPeriod] | None = None) -> int:
    """Rewrite the copies of CLIENTS (default: every client period) from their sources.

    One UPDATE with a correlated look-up per copy (about 4 s for 856,000 client periods on
    SQLite).
    """
    clients = ClientPeriod.objects.all() if clients is None else clients
    return clients.update(**_sources(), **_form_sources())


def copies_stale() -> QuerySet[ClientPeriod]:
    """Return the client periods any of whose copies differs from its source."""
    stale = Q()
    for copy, field in PERSON_COPIES.items():
        source = f"person__{field}"
        stale |= Q(**{f"{copy}__isnull": True}, **{f"{source}__isnull": False})
        stale |= Q(**{f"{copy}__isnull": False}, **{f"{source}__isnull": True})
        stale |= ~Q(**{copy: F(source)}) & Q(
            **{f"{copy}__isnull": False}, **{f"{source}__isnull": False}
        )
    sources = _form_sources()
    stale |= ~Q(forms_in_finland=sources["forms_in_finland"])
    stale |= ~Q(primary_form=sources["primary_form"])
    admitted = Q(referral__isnull=False)
    stale |= admitted & ~Q(**{REFERRER_TYPE_COPY: F("referral__referrer_type_id")})
    stale |= Q(referral__isnull=True) & ~Q(**{REFERRER_TYPE_COPY: ""})
    return ClientPeriod.objects.filter(stale)


def decision_copies_stale() -> QuerySet[AdmissionDecision]:
    """Return the admission decisions any of whose copies differs from its referral."""
    stale = Q(referral_received__isnull=True)
    for copy, field in DECISION_COPIES.items():
        stale |= ~Q(**{copy: F(f"referral__{field}")})
    return AdmissionDecision.objects.filter(stale)


@transaction.atomic
def copies_repair(*, actor: Any) -> int:
    """Rewrite the copies of every stale client period from their sources; return how many.

    For an operator after a change made outside the services (a manual correction in the
    database, a restore of a partial dump). Audited, with the number of periods repaired.
    """
    stale = list(copies_stale().values_list("pk", flat=True))
    if stale:
        copies_refresh(ClientPeriod.objects.filter(pk__in=stale))
    decisions = list(decision_copies_stale().values_list("pk", flat=True))
    if decisions:
        decision_copies_refresh(AdmissionDecision.objects.filter(pk__in=decisions))
    audit_log(
        actor=actor,
        kind=AuditEvent.Kind.UPDATE,
        action="client.statistical_copies_repair",
        changes={"client_periods": len(stale), "admission_decisions": len(decisions)},
    )
    return len(stale) + len(decisions)
