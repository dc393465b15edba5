"""Record a canonical dossier through the application's services, in the order it happened.

Every record goes through the same service as in the application, so every rule holds. The
replay follows the dates: a person's referrals are received, assessed and decided, and each
client period's reflection periods, services, children and end come in date order (one
period's events before the next period's admission on the same day). An event is never replayed
before the record it follows (a decision dated before its referral is replayed right after the
referral, so that the service itself refuses it with its own reason).

The format does not carry some things the model holds; the import records:

- as the signer of decisions, reflection periods and identifications: the import account
  (`nas-import`), which marks them as taken over from a register whose signer is unknown;
- a positive decision's findings (definition of trafficking met, need for help) as met, since
  a positive decision needs them; a negative decision's as unstated;
- free text required by a rule (the grounds of a negative decision, the details of an end or
  the justification of an identification whose code is "other" or needs one): IMPORTED_DETAILS;
- every referral as under assessment unless it was decided or withdrawn; no caseworker, no
  contact details, no provider names, no notes and no tasks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from nas.assistance.services import service_start
from nas.casework.choices import IdentificationGround
from nas.casework.models import ClientPeriod, Identification
from nas.casework.services import (
    assistance_end,
    child_admit,
    exploitation_record,
    reflection_period_grant,
    residence_record,
    victim_identify,
)
from nas.common.errors import DomainError
from nas.common.validation import refuse
from nas.interchange.dossiers import Dossier
from nas.interchange.reference import ReferenceLists
from nas.interchange.validation import parse_date
from nas.people.models import Person
from nas.people.services import person_create
from nas.referrals.choices import Outcome
from nas.referrals.models import Referral
from nas.referrals.services import (
    admission_decide,
    referral_receive,
    referral_start_assessment,
    referral_withdraw,
)

# Recorded where a rule needs free text that the dossier format does not carry.
IMPORTED_DETAILS = "Imported from a register that records no details."

OTHER = "other"


class LineRejected(Exception):
    """A rule refused part of a dossier; the whole line is rolled back."""


def _date(value: str | None) -> Any:
    return parse_date(value) if value is not None else None


def record_dossier(dossier: Dossier, *, refs: ReferenceLists, acting_user: Any) -> Person:
    """Record a new person and everything about them; raise LineRejected on a broken rule."""
    return _Replay(dossier, refs, acting_user).run()


class _Replay:
    def __init__(self, dossier: Dossier, refs: ReferenceLists, acting_user: Any) -> None:
        self.dossier = dossier
        self.refs = refs
        self.user = acting_user
        self.referrals: dict[str, Referral] = {}
        self.clients: dict[int, ClientPeriod] = {}
        self.children: dict[tuple[int, str], ClientPeriod] = {}
        self.child_persons: dict[str, Person] = {}
        self.events: list[tuple[tuple[Any, ...], str, Callable[[], object]]] = []
        self.sequence = itertools.count()

    @contextmanager
    def step(self, path: str) -> Iterator[None]:
        """Name the part of the dossier a refusal concerns."""
        try:
            yield
        except DomainError as error:
            raise LineRejected(f"{path}: {error}") from error

    def add(
        self, day: str, group: int, order: int, path: str, action: Callable[[], object]
    ) -> None:
        self.events.append(((day, group, order, next(self.sequence)), path, action))

    def run(self) -> Person:
        with self.step("person"):
            self.person = self._person()
        periods = {p["referral_ref"]: (k, p) for k, p in enumerate(self.dossier["client_periods"])}
        for index, referral in enumerate(self.dossier["referrals"]):
            self._plan_referral(f"referrals[{index}]", referral, periods)
        for k, period in enumerate(self.dossier["client_periods"]):
            self._plan_period(f"client_periods[{k}]", k, period)
        self.events.sort(key=lambda event: event[0])
        for _key, path, action in self.events:
            with self.step(path):
                action()
        return self.person

    # ----------------------------------------------------------------- planning

    def _plan_referral(
        self, path: str, referral: dict[str, Any], periods: dict[str, tuple[int, dict[str, Any]]]
    ) -> None:
        received = referral["received"]
        self.add(received, -1, 0, path, partial(self._receive, referral))
        if referral["withdrawn"] is not None:
            day = max(referral["withdrawn"], received)
            self.add(day, -1, 1, f"{path}.withdrawn", partial(self._withdraw, referral))
        decision = referral["decision"]
        if decision is None:
            return
        day = max(decision["date"], received)
        if decision["outcome"] == Outcome.POSITIVE:
            k, period = periods[referral["ref"]]
            self.add(day, k, 0, f"{path}.decision", partial(self._admit, referral, k, period))
        else:
            self.add(day, -1, 1, f"{path}.decision", partial(self._decide_negative, referral))

    def _plan_period(self, path: str, k: int, period: dict[str, Any]) -> None:
        admitted = period["admitted"]
        for i, item in enumerate(period["reflection_periods"]):
            day = max(item["granted"], admitted)
            self.add(day, k, 2, f"{path}.reflection_periods[{i}]", partial(self._reflect, k, item))
        for i, item in enumerate(period["services"]):
            day = max(item["start"], admitted)
            self.add(day, k, 3, f"{path}.services[{i}]", partial(self._serve, k, item))
        for i, child in enumerate(period["children"]):
            child_path = f"{path}.children[{i}]"
            day = max(child["admitted"], admitted)
            self.add(day, k, 4, child_path, partial(self._admit_child, k, child))
            ended = child["ended"]
            if ended is not None and ended != period["ended"]:
                day = max(ended["date"], day)
                self.add(day, k, 6, f"{child_path}.ended", partial(self._end_child, k, child))
        if period["ended"] is not None:
            day = max(period["ended"]["date"], admitted)
            self.add(day, k, 9, f"{path}.ended", partial(self._end, self.clients, k, period))

    # ----------------------------------------------------------------- actions

    def _person(self) -> Person:
        p = self.dossier["person"]
        return person_create(
            acting_user=self.user,
            ref=self.dossier["ref"],
            given_names=p["given_names"],
            family_name=p["family_name"],
            aliases=p["aliases"],
            date_of_birth=_date(p["date_of_birth"]),
            birth_year=p["birth_year"],
            age_assessment=p["age_assessment"] or "",
            gender=p["gender"],
            nationalities=p["nationalities"],
            primary_nationality=p["primary_nationality"],
            personal_identity_code=p["personal_identity_code"] or "",
            languages=p["languages"],
            municipality_of_residence=p["municipality_of_residence"] or "",
        )

    def _receive(self, referral: dict[str, Any]) -> None:
        name = referral["organisation"]
        received = referral_receive(
            acting_user=self.user,
            person=self.person,
            received=parse_date(referral["received"]),
            channel=referral["channel"],
            referrer_type=self.refs.referrer_types[referral["referrer_type"]],
            office=self.refs.offices[referral["office"]],
            organisation=self.refs.organisations.get(name) if name else None,
            organisation_name=name or "",
            ref=referral["ref"],
            historical=True,
        )
        referral_start_assessment(acting_user=self.user, referral=received)
        self.referrals[referral["ref"]] = received

    def _withdraw(self, referral: dict[str, Any]) -> None:
        referral_withdraw(
            acting_user=self.user,
            referral=self.referrals[referral["ref"]],
            date=parse_date(referral["withdrawn"]),
        )

    def _decide_negative(self, referral: dict[str, Any]) -> None:
        decision = referral["decision"]
        reason = decision["reason"]
        admission_decide(
            acting_user=self.user,
            referral=self.referrals[referral["ref"]],
            date=parse_date(decision["date"]),
            outcome=decision["outcome"],
            negative_reason=self.refs.negative_reasons[reason] if reason else None,
            reason_text=IMPORTED_DETAILS if reason == OTHER else "",
            consent_given=decision["consent_given"],
        )

    def _admit(self, referral: dict[str, Any], k: int, period: dict[str, Any]) -> None:
        decision = referral["decision"]
        made = admission_decide(
            acting_user=self.user,
            referral=self.referrals[referral["ref"]],
            date=parse_date(decision["date"]),
            outcome=Outcome.POSITIVE,
            client_type=decision["client_type"],
            consent_given=decision["consent_given"],
            trafficking_definition_met=True,
            need_for_help=True,
        )
        # The client period the decision began (cached on the referral when it was created).
        client = made.referral.client_period
        self.clients[k] = client
        path = f"client_periods[{k}]"
        # Residence and exploitation describe the situation at admission: recorded at once.
        for i, item in enumerate(period["residence"]):
            with self.step(f"{path}.residence[{i}]"):
                self._reside(client, item)
        for i, item in enumerate(period["exploitation"]):
            with self.step(f"{path}.exploitation[{i}]"):
                self._exploited(client, item)
        if period["identification"] is not None:
            with self.step(f"{path}.identification"):
                self._identify(client, period["identification"])

    def _reside(self, client: ClientPeriod, item: dict[str, Any]) -> None:
        permit = item["permit_type"]
        residence_record(
            acting_user=self.user,
            client=client,
            valid_from=parse_date(item["from"]),
            category=self.refs.residence_categories[item["category"]],
            permit_type=self.refs.permit_types[permit] if permit else None,
        )

    def _exploited(self, client: ClientPeriod, item: dict[str, Any]) -> None:
        sector = item["sector"]
        exploitation_record(
            acting_user=self.user,
            client=client,
            form=self.refs.forms[item["form"]],
            is_primary=item["primary"],
            place=item["place"],
            country=item["country"] or "",
            sector=self.refs.sectors[sector] if sector else None,
            means_of_control=[self.refs.means_of_control[c] for c in item["means_of_control"]],
            exploiter_relation=item["exploiter_relation"],
            minor_when_exploited=item["minor_when_exploited"],
            start=_date(item["start"]),
            end=_date(item["end"]),
        )

    def _identify(self, client: ClientPeriod, item: dict[str, Any]) -> None:
        ground = item["ground"]
        if ground == IdentificationGround.ADMISSION:
            # From 2023 the positive decision made it already: the dossier must agree.
            existing = Identification.objects.filter(client=client).first()
            if existing is not None:
                if existing.date.isoformat() != item["date"]:
                    raise refuse(
                        _(
                            "An identification by the admission decision is dated on the "
                            "decision date (%(date)s)."
                        )
                        % {"date": existing.date.isoformat()}
                    )
                return
        victim_identify(
            acting_user=self.user,
            client=client,
            date=parse_date(item["date"]),
            ground=ground,
            justification=IMPORTED_DETAILS
            if ground == IdentificationGround.SUSPECT_DEAD_OR_MISSING
            else "",
        )

    def _reflect(self, k: int, item: dict[str, Any]) -> None:
        reflection_period_grant(
            acting_user=self.user,
            client=self.clients[k],
            granted=parse_date(item["granted"]),
            start=parse_date(item["start"]),
            end=parse_date(item["end"]),
            granted_by=item["granted_by"],
        )

    def _serve(self, k: int, item: dict[str, Any]) -> None:
        service_start(
            acting_user=self.user,
            client=self.clients[k],
            service_type=self.refs.service_types[item["service"]],
            provider=item["provider"],
            start=parse_date(item["start"]),
            end=_date(item["end"]),
        )

    def _child_person(self, child: dict[str, Any]) -> Person:
        """Return the child's person: the one already recorded under the ref, or a new one."""
        ref = child["ref"]
        if ref == self.person.ref:
            return self.person
        if ref in self.child_persons:
            return self.child_persons[ref]
        details = {
            "gender": child["gender"],
            "date_of_birth": _date(child["date_of_birth"]),
            "birth_year": child["birth_year"],
            "age_assessment": child["age_assessment"] or "",
        }
        person = Person.objects.filter(ref=ref).first()
        if person is None:
            person = person_create(acting_user=self.user, ref=ref, **details)
        elif any(getattr(person, name) != value for name, value in details.items()):
            raise refuse(
                _(
                    "The person %(ref)s is already recorded with another gender or birth; "
                    "the existing record is kept."
                )
                % {"ref": ref}
            )
        self.child_persons[ref] = person
        return person

    def _admit_child(self, k: int, child: dict[str, Any]) -> None:
        self.children[(k, child["ref"])] = child_admit(
            acting_user=self.user,
            parent=self.clients[k],
            person=self._child_person(child),
            admitted=parse_date(child["admitted"]),
        )

    def _end_child(self, k: int, child: dict[str, Any]) -> None:
        self._end(self.children, (k, child["ref"]), child)

    def _end(self, clients: dict[Any, ClientPeriod], key: Any, item: dict[str, Any]) -> None:
        ended = item["ended"]
        reason = ended["reason"]
        assistance_end(
            acting_user=self.user,
            client=clients[key],
            date=parse_date(ended["date"]),
            reason=self.refs.end_reasons[reason],
            details=IMPORTED_DETAILS if reason == OTHER else "",
        )
