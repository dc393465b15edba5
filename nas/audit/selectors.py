"""Read the audit log for the auditor: who accessed a person's data, what a user accessed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from nas.accounts.models import User
from nas.audit.models import AuditEvent, AuditEventPerson
from nas.people.models import Person

VIEW_PERMISSION = "audit.view_auditevent"
_LARGEST_ID = 2**63 - 1  # a 64-bit id column


@dataclass(frozen=True)
class PersonKey:
    """A person as the auditor names them: the number and, when still held, the reference."""

    id: int
    ref: str


@dataclass(frozen=True)
class EventFilter:
    """Narrow a list of events: a date range (inclusive, local dates), an action, a kind."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    kind: str = ""

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """Return EVENTS narrowed by this filter."""
        if self.date_from is not None:
            events = events.filter(occurred_at__gte=_start_of(self.date_from))
        if self.date_to is not None:
            events = events.filter(occurred_at__lt=_start_of(self.date_to + dt.timedelta(days=1)))
        if self.action:
            events = events.filter(action=self.action)
        if self.kind:
            events = events.filter(kind=self.kind)
        return events

    def as_record(self) -> dict[str, Any]:
        """Return the filter as JSON-ready values, to record in the audit log."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "action": self.action,
            "kind": self.kind,
        }


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _events_for(user: Any) -> QuerySet[AuditEvent]:
    """Return the events USER may read: all of them for an auditor, none otherwise."""
    if not user.has_perm(VIEW_PERMISSION):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def person_key_find(*, text: str) -> PersonKey | None:
    """Return the person named by TEXT: a person number or a person reference.

    A number is accepted even when no person has it any more, so that the history of a
    removed person can still be read.
    """
    text = text.strip()
    if text.isascii() and text.isdigit():
        if int(text) > _LARGEST_ID:
            return None
        ref = Person.objects.filter(pk=int(text)).values_list("ref", flat=True).first()
        return PersonKey(int(text), ref or "")
    found = Person.objects.filter(ref__iexact=text).values_list("pk", "ref").first()
    return PersonKey(*found) if found else None


def user_find(*, username: str) -> User | None:
    """Return the user with USERNAME (any letter case), or None."""
    return User.objects.filter(username__iexact=username.strip()).first()


def events_about_person(*, user: Any, person_id: int, filters: EventFilter) -> QuerySet[AuditEvent]:
    """Return the events about PERSON_ID that USER may read, newest first."""
    events = _events_for(user).filter(person_links__person_id=person_id)
    return filters.apply(events).order_by("-id")


def events_by_actor(*, user: Any, actor: User, filters: EventFilter) -> QuerySet[AuditEvent]:
    """Return the events written by ACTOR that USER may read, newest first, with their persons."""
    events = _events_for(user).filter(actor=actor)
    persons = Prefetch("person_links", queryset=AuditEventPerson.objects.order_by("person_id"))
    return filters.apply(events).prefetch_related(persons).order_by("-id")
