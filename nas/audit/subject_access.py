"""A person's data on request (GDPR art. 15): everything held about them and who accessed it.

The record part starts from the person's canonical dossier (`nas.interchange.exporting`) and
adds what a dossier leaves out because it is not interchanged: contact details, the texts of
referrals and decisions, case notes, tasks, helpline contacts and consultations. The access log
is every audit event the person index (`AuditEventPerson`) lists for the person. Everything is
read in a constant number of queries, however long the file or the log.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone

from nas.audit.models import AuditEvent
from nas.audit.selectors import VIEW_PERMISSION, EventFilter, events_about_person
from nas.casework.models import CaseNote, ClientPeriod, Task
from nas.interchange.dossiers import iso
from nas.interchange.exporting import iter_person_dossiers
from nas.people.models import Person
from nas.referrals.models import AnonymousConsultation, HelplineContact, Referral

FORMAT = "nas.subject_access/1"


def person_for_subject_access(*, user: Any, ref: str) -> Person | None:
    """Return the person with the reference REF (any letter case) for an auditor, or None."""
    if not user.has_perm(VIEW_PERMISSION):
        return None
    return Person.objects.filter(ref__iexact=ref.strip()).first()


def subject_access_package(*, acting_user: Any, person: Person) -> dict[str, Any]:
    """Return everything held about PERSON and the log of who accessed it, as JSON-ready data."""
    if not acting_user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    dossier: dict[str, Any] = next(
        (d for _pk, d in iter_person_dossiers(Person.objects.filter(pk=person.pk))),
        {"person": {}, "referrals": [], "client_periods": []},
    )
    person = Person.objects.get(pk=person.pk)  # fresh, with its identifiers decrypted
    extra = _extra_records(person)
    return {
        "format": FORMAT,
        "generated_at": _time(timezone.now()),
        "generated_by": acting_user.get_username(),
        "person": {"ref": person.ref, **dossier["person"], **_contact(person)},
        "referrals": [_referral(r, extra) for r in dossier["referrals"]],
        "client_periods": [_period(p, extra) for p in dossier["client_periods"]],
        "periods_as_a_child": extra["child_periods"],
        "access_log": access_log(acting_user=acting_user, person_id=person.pk),
    }


def access_log(*, acting_user: Any, person_id: int) -> list[dict[str, Any]]:
    """Return every audit event about PERSON_ID, oldest first."""
    events = events_about_person(user=acting_user, person_id=person_id, filters=EventFilter())
    return [_event(event) for event in events.order_by("id").iterator(chunk_size=2000)]


# --- what a dossier leaves out -----------------------------------------------------------


def _contact(person: Person) -> dict[str, Any]:
    return {
        "interpreter_needed": person.interpreter_needed,
        "phone": person.phone or None,
        "email": person.email or None,
        "address": person.address or None,
        "anonymised_on": iso(person.anonymised_on),
    }


def _extra_records(person: Person) -> dict[str, Any]:
    """Fetch the records a dossier leaves out, keyed by referral ref, in constant queries."""
    referrals = (
        Referral.objects.filter(person=person)
        .select_related("decision__decided_by", "assigned_to")
        .prefetch_related(
            Prefetch("helpline_contacts", queryset=HelplineContact.objects.order_by("date", "id")),
            Prefetch(
                "consultations",
                queryset=AnonymousConsultation.objects.select_related("office").order_by(
                    "date", "id"
                ),
            ),
            Prefetch(
                "client_period",
                queryset=ClientPeriod.objects.select_related(
                    "caseworker", "identification", "end_reason"
                ).prefetch_related(
                    Prefetch(
                        "notes",
                        queryset=CaseNote.objects.select_related("author").order_by("date", "id"),
                    )
                ),
            ),
        )
    )
    tasks = Task.objects.filter(Q(client__person=person) | Q(referral__person=person)).order_by(
        "due", "id"
    )
    by_client: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_referral: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task in tasks:
        row = _task(task)
        if task.client_id is not None:
            by_client[task.client_id].append(row)
        else:
            by_referral[task.referral_id].append(row)  # type: ignore[index]
    children = ClientPeriod.objects.filter(person=person, parent__isnull=False).select_related(
        "office"
    )
    return {
        "referrals": {r.ref: r for r in referrals},
        "tasks_by_client": by_client,
        "tasks_by_referral": by_referral,
        "child_periods": [_child_period(child) for child in children.order_by("admitted", "id")],
    }


def _referral(record: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    referral: Referral = extra["referrals"][record["ref"]]
    decision = getattr(referral, "decision", None)
    result = {
        **record,
        "status": referral.status,
        "urgency": referral.urgency,
        "consent": referral.consent,
        "account": referral.account or None,
        "safety_concerns": referral.safety_concerns or None,
        "withdrawal_reason": referral.withdrawal_reason or None,
        "caseworker": _username(referral.assigned_to),
        "tasks": extra["tasks_by_referral"].get(referral.pk, []),
        "helpline_contacts": [_helpline(h) for h in referral.helpline_contacts.all()],
        "consultations": [_consultation(c) for c in referral.consultations.all()],
    }
    if decision is not None and result.get("decision") is not None:
        result["decision"] = {
            **result["decision"],
            "grounds": decision.reason_text or None,
            "trafficking_definition_met": decision.trafficking_definition_met,
            "need_for_help": decision.need_for_help,
            "decided_by": _username(decision.decided_by),
        }
    return result


def _period(record: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    client: ClientPeriod = extra["referrals"][record["referral_ref"]].client_period
    identification = getattr(client, "identification", None)
    result = {
        **record,
        "status": client.status,
        "admitted_as_minor": client.admitted_as_minor,
        "caseworker": _username(client.caseworker),
        "restricted": client.restricted,
        "end_details": client.end_reason_text or None,
        "case_notes": [
            {"date": iso(n.date), "author": _username(n.author), "text": n.text}
            for n in client.notes.all()
        ],
        "tasks": extra["tasks_by_client"].get(client.pk, []),
    }
    if identification is not None and result.get("identification") is not None:
        result["identification"] = {
            **result["identification"],
            "justification": identification.justification or None,
        }
    return result


def _child_period(child: ClientPeriod) -> dict[str, Any]:
    """A period in which the person was admitted as a client's child (no data of the parent)."""
    return {
        "client_type": child.client_type,
        "admitted": iso(child.admitted),
        "office": child.office_id,
        "status": child.status,
        "ended": iso(child.ended_on),
        "end_reason": child.end_reason_id,
    }


def _task(task: Task) -> dict[str, Any]:
    return {
        "kind": task.kind,
        "title": task.title,
        "due": iso(task.due),
        "status": task.status,
        "closed_on": iso(task.closed_on),
    }


def _helpline(contact: HelplineContact) -> dict[str, Any]:
    return {
        "date": iso(contact.date),
        "caller_type": contact.caller_type_id,
        "language": contact.language,
        "topic": contact.topic,
        "outcome": contact.outcome,
    }


def _consultation(consultation: AnonymousConsultation) -> dict[str, Any]:
    return {
        "date": iso(consultation.date),
        "office": consultation.office_id,
        "contact_type": consultation.contact_type_id,
        "channel": consultation.channel,
        "topic": consultation.topic,
    }


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


# --- the access log ----------------------------------------------------------------------


def _time(moment: Any) -> str:
    return str(timezone.localtime(moment).isoformat(timespec="seconds"))


def _event(event: AuditEvent) -> dict[str, Any]:
    return {
        "time": _time(event.occurred_at),
        "user": event.actor_label,
        "kind": event.kind,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason or None,
    }
