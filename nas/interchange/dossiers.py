"""The dossier format of INTERCHANGE.md section 2: a line read into its canonical form.

A dossier is one JSON object per person. Reading a line checks its structure and codes and
returns the *canonical* dossier: every field present (null when empty), lists in a fixed order
decided by their content, and the values the system derives filled in, so that the canonical
form of a line equals the export of what importing it records. That equality is how a second
import of the same file recognises a line as unchanged.

What the canonical form fills in (each is what the services would record anyway):

- `nationalities` defaults to `[primary_nationality]` (or `["unknown"]`), the primary
  nationality to the first nationality; a personal identity code is trimmed and upper-cased;
- a client period's `client_type`, `admitted` and `office` default to its positive decision's
  type and date and its referral's office (when given they must agree);
- a positive decision's `client_type` defaults to the client period's; its `consent_given`
  defaults to true for a person who is not a minor on the decision date (a positive decision
  in a register is evidence that consent was given; for a minor it stays unstated);
- exploitation in Finland has the country `FI`;
- a victim admitted from 1 January 2023 is identified by the admission decision itself;
- when assistance ends, a child still in assistance ends with the parent, and a service still
  running ends on that date (or on its start, if later).

Extensions of the published example, all optional: a decision's `consent_given` (true, false or
null: the one finding of a decision that its outcome does not imply), and a child's
`birth_year` and `age_assessment` (when the exact date of birth is not known).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils.translation import gettext as _

from nas.casework.choices import ClientType, IdentificationGround, Place
from nas.casework.services import ADMISSION_IS_IDENTIFICATION_FROM
from nas.interchange import reference as codes
from nas.interchange.reference import ReferenceLists
from nas.interchange.validation import DossierError, Node, parse_date
from nas.people.ages import person_is_minor_on
from nas.people.choices import UNKNOWN_NATIONALITY
from nas.people.models import Person
from nas.referrals.choices import Outcome

Dossier = dict[str, Any]

PERSON_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "birth_year",
    "age_assessment",
    "gender",
    "nationalities",
    "primary_nationality",
    "personal_identity_code",
    "languages",
    "municipality_of_residence",
)


def dumps(dossier: Dossier) -> str:
    """Return the dossier as one line of JSON (UTF-8 text, keys in the format's order)."""
    return json.dumps(dossier, ensure_ascii=False)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _content_key(item: dict[str, Any]) -> str:
    return json.dumps(item, sort_keys=True)


def order_period(period: dict[str, Any]) -> dict[str, Any]:
    """Put the lists of a client period in the canonical order, decided by their content."""
    period["exploitation"].sort(key=lambda e: (not e["primary"], _content_key(e)))
    period["residence"].sort(key=lambda r: (r["from"], _content_key(r)))
    period["reflection_periods"].sort(key=lambda r: (r["start"], _content_key(r)))
    period["services"].sort(key=lambda s: (s["start"], _content_key(s)))
    period["children"].sort(key=lambda c: (c["admitted"], c["ref"]))
    return period


def order_dossier(dossier: Dossier) -> Dossier:
    """Put referrals and client periods in the canonical order."""
    dossier["referrals"].sort(key=lambda r: (r["received"], r["ref"]))
    dossier["client_periods"].sort(key=lambda p: (p["admitted"], p["referral_ref"]))
    for period in dossier["client_periods"]:
        order_period(period)
    return dossier


# --------------------------------------------------------------------------- reading


def parse_dossier(data: Any, refs: ReferenceLists) -> Dossier:
    """Check one line's structure and codes; return its canonical dossier."""
    root = Node(data, "")
    root.only(("ref", "person", "referrals", "client_periods"))
    ref = root.text("ref", required=True, max_length=40)
    person_node = root.node("person", required=True)
    assert person_node is not None and ref is not None
    person = _person(person_node)
    referrals = [_referral(node, refs) for node in root.nodes("referrals")]
    periods = [(node.path, _period(node, refs)) for node in root.nodes("client_periods")]
    _link(person, referrals, periods)
    dossier = {
        "ref": ref,
        "person": person,
        "referrals": referrals,
        "client_periods": [period for _path, period in periods],
    }
    return order_dossier(dossier)


def _person(node: Node) -> dict[str, Any]:
    node.only(PERSON_FIELDS)
    nationalities = node.texts("nationalities")
    primary = node.text("primary_nationality", max_length=10)
    if not nationalities:
        nationalities = [primary or UNKNOWN_NATIONALITY]
    pic = (node.text("personal_identity_code", max_length=20) or "").strip().upper()
    return {
        "given_names": node.text("given_names") or "",
        "family_name": node.text("family_name") or "",
        "aliases": node.texts("aliases"),
        "date_of_birth": node.date("date_of_birth"),
        "birth_year": node.integer("birth_year"),
        "age_assessment": node.code("age_assessment", codes.AGE_ASSESSMENTS),
        "gender": node.code("gender", codes.GENDERS) or "unknown",
        "nationalities": nationalities,
        "primary_nationality": primary or nationalities[0],
        "personal_identity_code": pic or None,
        "languages": node.texts("languages"),
        "municipality_of_residence": node.text("municipality_of_residence", max_length=100) or None,
    }


def _referral(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(
        (
            "ref",
            "received",
            "channel",
            "referrer_type",
            "organisation",
            "office",
            "withdrawn",
            "decision",
        )
    )
    decision = node.node("decision")
    return {
        "ref": node.text("ref", required=True, max_length=40),
        "received": node.date("received", required=True),
        "channel": node.code("channel", codes.CHANNELS, required=True),
        "referrer_type": node.code("referrer_type", refs.referrer_types, required=True),
        "organisation": node.text("organisation") or None,
        "office": node.code("office", refs.offices, required=True),
        "withdrawn": node.date("withdrawn"),
        "decision": _decision(decision, refs) if decision is not None else None,
    }


def _decision(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(("date", "outcome", "reason", "client_type", "consent_given"))
    decision = {
        "date": node.date("date", required=True),
        "outcome": node.code("outcome", codes.OUTCOMES, required=True),
        "reason": node.code("reason", refs.negative_reasons),
        "client_type": node.code("client_type", codes.CLIENT_TYPES),
        "consent_given": node.boolean("consent_given"),
    }
    if decision["outcome"] == Outcome.POSITIVE and decision["reason"] is not None:
        raise DossierError(node.at("reason"), _("a positive decision has no reason for refusal"))
    if decision["outcome"] == Outcome.NEGATIVE and decision["client_type"] is not None:
        raise DossierError(node.at("client_type"), _("a negative decision admits no client"))
    return decision


def _period(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(
        (
            "referral_ref",
            "client_type",
            "admitted",
            "office",
            "exploitation",
            "residence",
            "reflection_periods",
            "identification",
            "services",
            "children",
            "ended",
        )
    )
    identification = node.node("identification")
    ended = node.node("ended")
    return {
        "referral_ref": node.text("referral_ref", required=True, max_length=40),
        "client_type": node.code("client_type", codes.CLIENT_TYPES),
        "admitted": node.date("admitted"),
        "office": node.code("office", refs.offices),
        "exploitation": [_exploitation(n, refs) for n in node.nodes("exploitation")],
        "residence": [_residence(n, refs) for n in node.nodes("residence")],
        "reflection_periods": [_reflection(n) for n in node.nodes("reflection_periods")],
        "identification": _identification(identification) if identification else None,
        "services": [_service(n, refs) for n in node.nodes("services")],
        "children": [_child(n, refs) for n in node.nodes("children")],
        "ended": _ended(ended, refs) if ended else None,
    }


def _exploitation(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(
        (
            "form",
            "primary",
            "place",
            "country",
            "sector",
            "means_of_control",
            "exploiter_relation",
            "minor_when_exploited",
            "start",
            "end",
        )
    )
    place = node.code("place", codes.PLACES, required=True)
    country = node.text("country", max_length=10) or None
    if place == Place.FINLAND and country is None:
        country = "FI"
    return {
        "form": node.code("form", refs.forms, required=True),
        "primary": node.boolean("primary", required=True),
        "place": place,
        "country": country,
        "sector": node.code("sector", refs.sectors),
        "means_of_control": sorted(set(node.codes("means_of_control", refs.means_of_control))),
        "exploiter_relation": node.code("exploiter_relation", codes.EXPLOITER_RELATIONS)
        or "unknown",
        "minor_when_exploited": node.boolean("minor_when_exploited"),
        "start": node.date("start"),
        "end": node.date("end"),
    }


def _residence(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(("from", "category", "permit_type"))
    return {
        "from": node.date("from", required=True),
        "category": node.code("category", refs.residence_categories, required=True),
        "permit_type": node.code("permit_type", refs.permit_types),
    }


def _reflection(node: Node) -> dict[str, Any]:
    node.only(("granted", "start", "end", "granted_by"))
    return {
        "granted": node.date("granted", required=True),
        "start": node.date("start", required=True),
        "end": node.date("end", required=True),
        "granted_by": node.code("granted_by", codes.GRANTED_BY, required=True),
    }


def _identification(node: Node) -> dict[str, Any]:
    node.only(("date", "ground"))
    return {
        "date": node.date("date", required=True),
        "ground": node.code("ground", codes.IDENTIFICATION_GROUNDS, required=True),
    }


def _service(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(("service", "provider", "start", "end"))
    return {
        "service": node.code("service", refs.service_types, required=True),
        "provider": node.code("provider", codes.PROVIDERS, required=True),
        "start": node.date("start", required=True),
        "end": node.date("end"),
    }


def _child(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(
        ("ref", "gender", "date_of_birth", "birth_year", "age_assessment", "admitted", "ended")
    )
    ended = node.node("ended")
    return {
        "ref": node.text("ref", required=True, max_length=40),
        "gender": node.code("gender", codes.GENDERS) or "unknown",
        "date_of_birth": node.date("date_of_birth"),
        "birth_year": node.integer("birth_year"),
        "age_assessment": node.code("age_assessment", codes.AGE_ASSESSMENTS),
        "admitted": node.date("admitted", required=True),
        "ended": _ended(ended, refs) if ended else None,
    }


def _ended(node: Node, refs: ReferenceLists) -> dict[str, Any]:
    node.only(("date", "reason"))
    return {
        "date": node.date("date", required=True),
        "reason": node.code("reason", refs.end_reasons, required=True),
    }


# --------------------------------------------------------------------------- linking


def _is_minor(person: dict[str, Any], day: str) -> bool:
    dob = person["date_of_birth"]
    subject = Person(
        date_of_birth=parse_date(dob) if dob else None,
        birth_year=person["birth_year"],
        age_assessment=person["age_assessment"] or "",
    )
    return person_is_minor_on(subject, parse_date(day)) is True


def _link(
    person: dict[str, Any],
    referrals: list[dict[str, Any]],
    periods: list[tuple[str, dict[str, Any]]],
) -> None:
    """Tie each client period to its referral's positive decision; fill what they imply."""
    by_ref: dict[str, dict[str, Any]] = {}
    for index, referral in enumerate(referrals):
        if referral["ref"] in by_ref:
            raise DossierError(
                f"referrals[{index}].ref",
                _("the reference %(ref)s appears twice in this dossier") % {"ref": referral["ref"]},
            )
        by_ref[referral["ref"]] = referral
    admitted: set[str] = set()
    for path, period in periods:
        ref = period["referral_ref"]
        if ref not in by_ref:
            raise DossierError(
                f"{path}.referral_ref", _("no referral %(ref)s in this dossier") % {"ref": ref}
            )
        if ref in admitted:
            raise DossierError(
                f"{path}.referral_ref",
                _("a second client period for the referral %(ref)s") % {"ref": ref},
            )
        admitted.add(ref)
        _link_period(path, period, by_ref[ref])
    for index, referral in enumerate(referrals):
        decision = referral["decision"]
        if decision is None:
            continue
        positive = decision["outcome"] == Outcome.POSITIVE
        if positive and referral["ref"] not in admitted:
            raise DossierError(
                f"referrals[{index}].decision",
                _("a positive decision begins a client period, and none is given for %(ref)s")
                % {"ref": referral["ref"]},
            )
        if (
            positive
            and decision["consent_given"] is None
            and not _is_minor(person, decision["date"])
        ):
            decision["consent_given"] = True


def _link_period(path: str, period: dict[str, Any], referral: dict[str, Any]) -> None:
    decision = referral["decision"]
    if decision is None or decision["outcome"] != Outcome.POSITIVE:
        raise DossierError(
            f"{path}.referral_ref",
            _("the referral %(ref)s has no positive decision") % {"ref": referral["ref"]},
        )
    client_type = decision["client_type"] or period["client_type"] or ClientType.VICTIM
    agreeing = (
        ("client_type", client_type, _("the client type of the decision")),
        ("admitted", decision["date"], _("the date of the positive decision")),
        ("office", referral["office"], _("the office of the referral")),
    )
    for field, value, label in agreeing:
        if period[field] is not None and period[field] != value:
            raise DossierError(
                f"{path}.{field}",
                _("%(value)s differs from %(label)s (%(expected)s)")
                % {"value": period[field], "label": label, "expected": value},
            )
        period[field] = value
    decision["client_type"] = client_type
    if (
        period["identification"] is None
        and client_type == ClientType.VICTIM
        and parse_date(period["admitted"]) >= ADMISSION_IS_IDENTIFICATION_FROM
    ):
        period["identification"] = {
            "date": period["admitted"],
            "ground": str(IdentificationGround.ADMISSION),
        }
    ended = period["ended"]
    if ended is not None:
        for child in period["children"]:
            if child["ended"] is None:
                child["ended"] = dict(ended)
        for service in period["services"]:
            if service["end"] is None:
                service["end"] = max(ended["date"], service["start"])
