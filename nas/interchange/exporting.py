"""Read persons and everything about them as canonical dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from nas.casework.models import ClientPeriod
from nas.interchange.dossiers import Dossier, iso, order_dossier
from nas.people.models import Person
from nas.referrals.choices import ReferralStatus
from nas.referrals.models import Referral

CHUNK = 1000


def persons_with_referrals() -> QuerySet[Person]:
    """Return the persons a dossier file holds (those referred at least once), by ref."""
    referred = Referral.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(referred)).order_by("ref")


def _with_records(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Fetch everything a dossier shows in a constant number of queries."""
    periods = (
        ClientPeriod.objects.filter(referral__isnull=False)
        .select_related("referral", "identification")
        .prefetch_related(
            "exploitations__means_of_control",
            "residence_history",
            "reflection_periods",
            "services",
            Prefetch("children", queryset=ClientPeriod.objects.select_related("person")),
        )
    )
    return persons.prefetch_related(
        Prefetch("referrals", queryset=Referral.objects.select_related("decision", "organisation")),
        Prefetch("client_periods", queryset=periods, to_attr="dossier_periods"),
    )


def iter_dossiers(persons: QuerySet[Person] | None = None) -> Iterator[Dossier]:
    """Yield the dossier of every person of PERSONS (default: all referred), by ref."""
    for _pk, dossier in iter_person_dossiers(persons):
        yield dossier


def iter_person_dossiers(
    persons: QuerySet[Person] | None = None,
) -> Iterator[tuple[int, Dossier]]:
    """Yield (person id, dossier) for every person of PERSONS, by ref, a chunk at a time."""
    queryset = persons if persons is not None else persons_with_referrals()
    refs = list(queryset.order_by("ref").values_list("ref", flat=True))
    for start in range(0, len(refs), CHUNK):
        chunk = _with_records(Person.objects.filter(ref__in=refs[start : start + CHUNK]))
        for person in sorted(chunk, key=lambda p: p.ref):
            yield person.pk, person_dossier(person)


def person_dossier(person: Person) -> Dossier:
    """Return the dossier of a person fetched with `_with_records`."""
    if hasattr(person, "dossier_periods"):
        periods: list[ClientPeriod] = person.dossier_periods
    else:
        periods = list(person.client_periods.filter(referral__isnull=False))
    return order_dossier(
        {
            "ref": person.ref,
            "person": _person(person),
            "referrals": [_referral(r) for r in person.referrals.all()],
            "client_periods": [_period(p) for p in periods],
        }
    )


def _person(person: Person) -> dict[str, Any]:
    return {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "aliases": list(person.aliases),
        "date_of_birth": iso(person.date_of_birth),
        "birth_year": person.birth_year,
        "age_assessment": person.age_assessment or None,
        "gender": person.gender,
        "nationalities": list(person.nationalities),
        "primary_nationality": person.primary_nationality,
        "personal_identity_code": person.personal_identity_code or None,
        "languages": list(person.languages),
        "municipality_of_residence": person.municipality_of_residence or None,
    }


def _referral(referral: Referral) -> dict[str, Any]:
    decision = getattr(referral, "decision", None)
    organisation = referral.organisation_name or (
        referral.organisation.name if referral.organisation is not None else ""
    )
    withdrawn = referral.status == ReferralStatus.WITHDRAWN
    return {
        "ref": referral.ref,
        "received": iso(referral.received),
        "channel": referral.channel,
        "referrer_type": referral.referrer_type_id,
        "organisation": organisation or None,
        "office": referral.office_id,
        "withdrawn": iso(referral.withdrawn_on) if withdrawn else None,
        "decision": None
        if decision is None
        else {
            "date": iso(decision.date),
            "outcome": decision.outcome,
            "reason": decision.negative_reason_id,
            "client_type": decision.client_type or None,
            "consent_given": decision.consent_given,
        },
    }


def _period(client: ClientPeriod) -> dict[str, Any]:
    assert client.referral is not None
    identification = getattr(client, "identification", None)
    return {
        "referral_ref": client.referral.ref,
        "client_type": client.client_type,
        "admitted": iso(client.admitted),
        "office": client.office_id,
        "exploitation": [
            {
                "form": e.form_id,
                "primary": e.is_primary,
                "place": e.place,
                "country": e.country or None,
                "sector": e.sector_id,
                "means_of_control": sorted(m.code for m in e.means_of_control.all()),
                "exploiter_relation": e.exploiter_relation,
                "minor_when_exploited": e.minor_when_exploited,
                "start": iso(e.start),
                "end": iso(e.end),
            }
            for e in client.exploitations.all()
        ],
        "residence": [
            {"from": iso(r.valid_from), "category": r.category_id, "permit_type": r.permit_type_id}
            for r in client.residence_history.all()
        ],
        "reflection_periods": [
            {
                "granted": iso(r.granted),
                "start": iso(r.start),
                "end": iso(r.end),
                "granted_by": r.granted_by,
            }
            for r in client.reflection_periods.all()
        ],
        "identification": None
        if identification is None
        else {"date": iso(identification.date), "ground": identification.ground},
        "services": [
            {
                "service": s.service_type_id,
                "provider": s.provider,
                "start": iso(s.start),
                "end": iso(s.end),
            }
            for s in client.services.all()
        ],
        "children": [_child(child) for child in client.children.all()],
        "ended": _ended(client),
    }


def _child(child: ClientPeriod) -> dict[str, Any]:
    person = child.person
    return {
        "ref": person.ref,
        "gender": person.gender,
        "date_of_birth": iso(person.date_of_birth),
        "birth_year": person.birth_year,
        "age_assessment": person.age_assessment or None,
        "admitted": iso(child.admitted),
        "ended": _ended(child),
    }


def _ended(client: ClientPeriod) -> dict[str, Any] | None:
    if client.ended_on is None:
        return None
    return {"date": iso(client.ended_on), "reason": client.end_reason_id}
