"""The client file: a client and every record about them, read with a fixed number of queries.

`client_file_load` reads each kind of record with one query (however many rows there are),
and `ClientFile.timeline` merges them into one dated history, newest first, without reading
anything more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from nas.assistance.models import Service
from nas.casework.choices import ClientType, TaskStatus
from nas.casework.models import (
    CaseNote,
    ClientPeriod,
    Exploitation,
    Identification,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.casework.selectors import clients_visible_to
from nas.common.dates import age_on, today
from nas.people.nationalities import nationality_name
from nas.referrals.models import AdmissionDecision

NOTE_EXCERPT_WORDS = 20


@dataclass(frozen=True)
class TimelineEvent:
    """One dated thing that happened in a client relationship."""

    date: dt.date
    kind: str
    text: str
    section: str
    url: str = ""


@dataclass
class ClientFile:
    """A client period with the records the client file shows."""

    client: ClientPeriod
    exploitations: list[Exploitation]
    residence_history: list[ResidenceStatus]
    services: list[Service]
    reflection_periods: list[ReflectionPeriod]
    identification: Identification | None
    children: list[ClientPeriod]
    notes: list[CaseNote]
    tasks: list[Task]
    # The same person's other client periods that the user may see (re-admissions).
    other_periods: list[ClientPeriod]
    on: dt.date = field(default_factory=today)

    @property
    def is_child(self) -> bool:
        return self.client.client_type == ClientType.CHILD

    @property
    def decision(self) -> AdmissionDecision | None:
        referral = self.client.referral
        return _related(referral, "decision") if referral is not None else None

    @property
    def person_ids(self) -> list[int]:
        """Return the persons whose data the file shows: the client, a parent, children."""
        ids = {self.client.person_id, *(child.person_id for child in self.children)}
        if self.client.parent is not None:
            ids.add(self.client.parent.person_id)
        return sorted(ids)

    @property
    def age(self) -> int | None:
        """Return the client's age today from the date or year of birth, if known."""
        person = self.client.person
        if person.date_of_birth:
            return age_on(person.date_of_birth, self.on)
        if person.birth_year:
            return self.on.year - person.birth_year
        return None

    @property
    def nationalities(self) -> str:
        person = self.client.person
        codes = [person.primary_nationality] + [
            code for code in person.nationalities if code != person.primary_nationality
        ]
        return ", ".join(nationality_name(code) for code in codes)

    @property
    def exploitation_rows(self) -> list[tuple[Exploitation, str]]:
        """Return each form of exploitation with the name of its country (if any)."""
        return [
            (item, nationality_name(item.country) if item.country else "")
            for item in self.exploitations
        ]

    @cached_property
    def current_residence(self) -> ResidenceStatus | None:
        """Return the right of residence in force today (the history is sorted by date)."""
        current = [item for item in self.residence_history if item.valid_from <= self.on]
        return current[-1] if current else None

    @cached_property
    def reflection_ending(self) -> ReflectionPeriod | None:
        """Return the reflection period running today or next, whose end matters now."""
        running = [item for item in self.reflection_periods if item.end >= self.on]
        return min(running, key=lambda item: item.end) if running else None

    @property
    def open_tasks(self) -> int:
        return sum(1 for task in self.tasks if task.status == TaskStatus.OPEN)

    @cached_property
    def timeline(self) -> list[TimelineEvent]:
        """Return everything that happened in this client relationship, newest first."""
        events = [
            *self._period_events(),
            *self._admission_events(),
            *self._exploitation_events(),
            *self._residence_events(),
            *self._service_events(),
            *self._reflection_events(),
            *self._identification_events(),
            *self._child_events(),
            *self._note_events(),
            *self._task_events(),
            *self._end_events(),
        ]
        order = {id(event): index for index, event in enumerate(events)}
        return sorted(events, key=lambda event: (event.date, order[id(event)]), reverse=True)

    def _admission_events(self) -> list[TimelineEvent]:
        client = self.client
        events = []
        if client.referral is not None:
            events.append(
                TimelineEvent(
                    client.referral.received,
                    _("Referral"),
                    _("Referral %(ref)s received") % {"ref": client.referral.ref},
                    "timeline",
                )
            )
        decision = self.decision
        if decision is not None:
            by = _user_name(decision.decided_by)
            text = _("%(outcome)s decision") % {"outcome": decision.get_outcome_display()}
            events.append(
                TimelineEvent(
                    decision.date,
                    _("Admission decision"),
                    f"{text} ({by})" if by else text,
                    "timeline",
                )
            )
        events.append(
            TimelineEvent(client.admitted, _("Admission"), self._admitted_as(), "timeline")
        )
        return events

    def _admitted_as(self) -> str:
        client = self.client
        kind = client.get_client_type_display()
        if client.parent is not None:
            return _("Admitted as the child of %(parent)s") % {"parent": client.parent.person}
        if any(period.admitted < client.admitted for period in self.other_periods):
            return _("Re-admitted as: %(type)s") % {"type": kind}
        return _("Admitted as: %(type)s") % {"type": kind}

    def _period_events(self) -> list[TimelineEvent]:
        """Return the end of the person's earlier client periods and their re-admissions."""
        events = []
        admitted = self.client.admitted
        for period in self.other_periods:
            address = reverse("client_detail", args=[period.pk])
            if period.admitted < admitted and period.ended_on is not None:
                text = _("Assistance ended (admitted %(admitted)s)") % {
                    "admitted": _short(period.admitted)
                }
                events.append(
                    TimelineEvent(
                        period.ended_on, _("Earlier client period"), text, "timeline", address
                    )
                )
            elif period.admitted > admitted:
                text = _("Re-admitted in a new client period")
                events.append(
                    TimelineEvent(period.admitted, _("Re-admission"), text, "timeline", address)
                )
        return events

    def _exploitation_events(self) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                timezone.localdate(item.created_at),
                _("Exploitation"),
                (_("Recorded: %(form)s (primary)") if item.is_primary else _("Recorded: %(form)s"))
                % {"form": item.form},
                "exploitation",
            )
            for item in self.exploitations
        ]

    def _residence_events(self) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                item.valid_from,
                _("Right of residence"),
                f"{item.category} ({item.permit_type})" if item.permit_type else str(item.category),
                "residence",
            )
            for item in self.residence_history
        ]

    def _service_events(self) -> list[TimelineEvent]:
        events = []
        for service in self.services:
            events.append(
                TimelineEvent(
                    service.start,
                    _("Service"),
                    _("Started: %(service)s (%(provider)s)")
                    % {"service": service.service_type, "provider": service.get_provider_display()},
                    "services",
                )
            )
            if service.end is not None:
                events.append(
                    TimelineEvent(
                        service.end,
                        _("Service"),
                        _("Ended: %(service)s") % {"service": service.service_type},
                        "services",
                    )
                )
        return events

    def _reflection_events(self) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                item.granted,
                _("Reflection period"),
                _("Granted by %(by)s: %(start)s – %(end)s")
                % {
                    "by": item.get_granted_by_display(),
                    "start": _short(item.start),
                    "end": _short(item.end),
                },
                "reflection",
            )
            for item in self.reflection_periods
        ]

    def _identification_events(self) -> list[TimelineEvent]:
        item = self.identification
        if item is None:
            return []
        return [
            TimelineEvent(
                item.date, _("Identification"), item.get_ground_display(), "identification"
            )
        ]

    def _child_events(self) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                child.admitted,
                _("Child admitted"),
                str(child.person),
                "children",
                reverse("client_detail", args=[child.pk]),
            )
            for child in self.children
        ]

    def _note_events(self) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                note.date,
                _("Note"),
                f"{_user_name(note.author)}: "
                f"{Truncator(note.text).words(NOTE_EXCERPT_WORDS, truncate=' …')}",
                f"note-{note.pk}",
            )
            for note in self.notes
        ]

    def _task_events(self) -> list[TimelineEvent]:
        events = []
        for task in self.tasks:
            events.append(
                TimelineEvent(
                    timezone.localdate(task.created_at),
                    _("Task"),
                    _("Created: %(title)s (due %(due)s)")
                    % {"title": task.title, "due": _short(task.due)},
                    "tasks",
                )
            )
            if task.closed_on is not None:
                events.append(
                    TimelineEvent(
                        task.closed_on,
                        _("Task"),
                        f"{task.get_status_display()}: {task.title}",
                        "tasks",
                    )
                )
        return events

    def _end_events(self) -> list[TimelineEvent]:
        client = self.client
        if client.ended_on is None:
            return []
        reason = str(client.end_reason)
        if client.end_reason_text:
            reason = f"{reason}: {client.end_reason_text}"
        text = _("Assistance ended: %(reason)s") % {"reason": reason}
        return [TimelineEvent(client.ended_on, _("End of assistance"), text, "timeline")]


def _related(instance: Any, name: str) -> Any:
    """Return a reverse one-to-one relation, or None when there is no such row."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def client_file_load(*, user: Any, client_id: int) -> ClientFile:
    """Return the file of client CLIENT_ID that USER may see (else ClientPeriod.DoesNotExist)."""
    client = (
        clients_visible_to(user=user)
        .select_related(
            "referral__decision__decided_by",
            "parent__person",
            "end_reason",
            "identification__decided_by",
        )
        .get(pk=client_id)
    )
    return ClientFile(
        client=client,
        exploitations=list(
            client.exploitations.select_related("form", "sector").prefetch_related(
                "means_of_control"
            )
        ),
        residence_history=list(
            client.residence_history.select_related("category", "permit_type").order_by(
                "valid_from", "id"
            )
        ),
        services=list(client.services.select_related("service_type")),
        reflection_periods=list(client.reflection_periods.select_related("decided_by")),
        identification=_related(client, "identification"),
        children=list(client.children.select_related("person").order_by("admitted", "id")),
        notes=list(client.notes.select_related("author")),
        tasks=list(client.tasks.select_related("assigned_to")),
        other_periods=list(
            clients_visible_to(user=user)
            .filter(person_id=client.person_id)
            .exclude(pk=client.pk)
            .order_by("admitted", "id")
        ),
    )
