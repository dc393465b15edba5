"""Write client records: children, exploitation, residence, reflection, identification, end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nas.assistance.models import Service
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, snapshot
from nas.casework.choices import (
    FORCED_LABOUR,
    NO_RIGHT_OF_RESIDENCE,
    RESIDENCE_PERMIT,
    ClientStatus,
    ClientType,
    ExploiterRelation,
    GrantedBy,
    IdentificationGround,
    Place,
    TaskKind,
    TaskStatus,
)
from nas.casework.copies import copies_of, forms_copies_update
from nas.casework.models import (
    CaseNote,
    ClientPeriod,
    EndReason,
    Exploitation,
    ExploitationForm,
    Identification,
    LabourSector,
    MeansOfControl,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.casework.selectors import check_may_assign, clients_visible_to
from nas.common.concurrency import check_version, concurrent_edit, save_versioned
from nas.common.dates import add_months
from nas.common.validation import (
    check_event_date,
    check_not_future,
    check_range,
    full_clean,
    refuse,
)
from nas.people.ages import person_is_minor_on
from nas.people.models import PermitType, Person, ResidenceCategory
from nas.people.nationalities import is_valid_nationality

# The law of July 2015 gave the assistance system reflection periods and identification.
FORMAL_IDENTIFICATION_FROM = dt.date(2015, 7, 1)
ADMISSION_IS_IDENTIFICATION_FROM = dt.date(2023, 1, 1)
REFLECTION_MIN_DAYS = 30
REFLECTION_MAX_MONTHS = 6


def client_start_date(client: ClientPeriod) -> dt.date:
    """Return the earliest date a record of this client may carry (the referral's receipt)."""
    if client.referral_id is not None:
        return client.referral.received  # type: ignore[union-attr]
    return client.admitted


def _audit(
    acting_user: Any,
    action: str,
    target: Any,
    client: ClientPeriod,
    kind: str = AuditEvent.Kind.CREATE,
    changes: dict[str, Any] | None = None,
) -> None:
    audit_log(
        actor=acting_user,
        kind=kind,
        action=action,
        target=target,
        person_id=client.person_id,
        changes=changes if changes is not None else snapshot(target),
    )


def _check_active(client: ClientPeriod, message: str | None = None) -> None:
    if client.status != ClientStatus.ACTIVE:
        raise refuse(message or _("This client relationship has ended; re-admit the client first."))


def _check_not_child(client: ClientPeriod) -> None:
    if client.client_type == ClientType.CHILD:
        raise refuse(_("No data on exploitation or residence is collected on children of clients."))


def _check_may(acting_user: Any, permission: str, message: str) -> None:
    if not acting_user.has_perm(permission):
        raise refuse(message)


@transaction.atomic
def child_admit(
    *, acting_user: Any, parent: ClientPeriod, person: Person, admitted: dt.date
) -> ClientPeriod:
    """Admit an underage child who accompanies a victim or witness, linked to the parent."""
    if parent.client_type not in (ClientType.VICTIM, ClientType.WITNESS):
        raise refuse(_("A child is admitted with a victim or a witness."), field="parent")
    _check_active(
        parent, _("The parent's client relationship has ended; a child cannot be admitted with it.")
    )
    check_event_date(
        admitted,
        earliest=parent.admitted,
        earliest_label=_("the parent's admission"),
        field="admitted",
        label=_("The admission date"),
    )
    if person.date_of_birth and admitted < person.date_of_birth:
        raise refuse(_("A child cannot be admitted before they were born."), field="admitted")
    minor = person_is_minor_on(person, admitted)
    if minor is None:
        raise refuse(
            _("Record the child's date or year of birth, or assess them as a minor."),
            field="admitted",
        )
    if not minor:
        raise refuse(_("A child of a client must be under 18 on admission."), field="admitted")
    if person.pk == parent.person_id:
        raise refuse(_("A person cannot be admitted as their own child."))
    if ClientPeriod.objects.filter(person=person, status=ClientStatus.ACTIVE).exists():
        raise refuse(_("This person is already an active client."))
    child = ClientPeriod(
        person=person,
        parent=parent,
        client_type=ClientType.CHILD,
        admitted=admitted,
        admitted_as_minor=True,
        office=parent.office,
        caseworker=parent.caseworker,
        restricted=parent.restricted,
        **copies_of(person),
    )
    full_clean(child)
    child.save()
    _audit(acting_user, "client.admit_child", child, child)
    return child


def _validate_exploitation(item: Exploitation, client: ClientPeriod) -> None:
    form_code = item.form_id
    if form_code == FORCED_LABOUR and item.sector_id is None:
        raise refuse(
            _("Give the sector of forced labour (“unknown” if it is not known)."), field="sector"
        )
    if form_code != FORCED_LABOUR and item.sector_id is not None:
        raise refuse(_("A sector is recorded only for forced labour."), field="sector")
    if item.place == Place.FINLAND and not item.country:
        item.country = "FI"
    if item.country and (
        item.country in ("stateless", "unknown") or not is_valid_nationality(item.country)
    ):
        raise refuse(_("Unknown country code: %(code)s.") % {"code": item.country}, field="country")
    if item.place == Place.FINLAND and item.country != "FI":
        raise refuse(_("Exploitation in Finland has Finland as its country."), field="country")
    if item.place == Place.ABROAD and (not item.country or item.country == "FI"):
        raise refuse(
            _("Give the country abroad where the exploitation took place."), field="country"
        )
    if item.exploiter_relation not in ExploiterRelation.values:
        raise refuse(_("Unknown exploiter relation."), field="exploiter_relation")
    # Exploitation precedes the referral, often by years: its dates only may not lie ahead.
    check_not_future(item.start, field="start", label=_("The start of the exploitation"))
    check_not_future(item.end, field="end", label=_("The end of the exploitation"))
    check_range(item.start, item.end)
    # The two flags may be left unknown (None).
    full_clean(
        item,
        exclude=["client", "means_of_control"],
    )


@transaction.atomic
def exploitation_record(
    *,
    acting_user: Any,
    client: ClientPeriod,
    form: ExploitationForm,
    is_primary: bool,
    place: str,
    country: str = "",
    sector: LabourSector | None = None,
    means_of_control: list[MeansOfControl] | None = None,
    exploiter_relation: str = ExploiterRelation.UNKNOWN,
    exploiter_safety_risk: bool | None = None,
    minor_when_exploited: bool | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Exploitation:
    """Record a form of exploitation; a client period has exactly one primary form."""
    _check_not_child(client)
    has_primary = client.exploitations.filter(is_primary=True).exists()
    if is_primary and has_primary:
        raise refuse(
            _(
                "This client already has a primary form of exploitation; "
                "make this one primary instead."
            ),
            field="is_primary",
        )
    if not is_primary and not has_primary:
        raise refuse(_("Record the primary form of exploitation first."), field="is_primary")
    item = Exploitation(
        client=client,
        form=form,
        is_primary=is_primary,
        place=place,
        country=country,
        sector=sector,
        exploiter_relation=exploiter_relation,
        exploiter_safety_risk=exploiter_safety_risk,
        minor_when_exploited=minor_when_exploited,
        start=start,
        end=end,
    )
    _validate_exploitation(item, client)
    item.save()
    forms_copies_update(client)
    if means_of_control:
        item.means_of_control.set(means_of_control)
    _audit(
        acting_user,
        "exploitation.record",
        item,
        client,
        changes=snapshot(item)
        | {"means_of_control": sorted(m.code for m in means_of_control or [])},
    )
    return item


@transaction.atomic
def exploitation_make_primary(
    *, acting_user: Any, exploitation: Exploitation, expected_version: int | None = None
) -> Exploitation:
    """Make a secondary form the primary one; the former primary becomes secondary.

    EXPECTED_VERSION is the version of EXPLOITATION the user saw: changed since (made
    primary or demoted by someone else), the change is refused.
    """
    check_version(exploitation, expected_version=expected_version)
    if exploitation.is_primary:
        return exploitation
    client = exploitation.client
    previous = client.exploitations.filter(is_primary=True).first()
    if previous is not None:
        previous.is_primary = False
        save_versioned(previous, expected_version=None, update_fields=["is_primary"])
    exploitation.is_primary = True
    save_versioned(exploitation, expected_version=expected_version, update_fields=["is_primary"])
    forms_copies_update(client)
    _audit(
        acting_user,
        "exploitation.make_primary",
        exploitation,
        client,
        kind=AuditEvent.Kind.UPDATE,
        changes={"is_primary": [previous.pk if previous else None, exploitation.pk]},
    )
    return exploitation


@transaction.atomic
def exploitation_remove(
    *, acting_user: Any, exploitation: Exploitation, expected_version: int | None = None
) -> None:
    """Remove a form recorded by mistake; the primary form goes last.

    A form changed since the user saw it (EXPECTED_VERSION) is not removed.
    """
    check_version(exploitation, expected_version=expected_version)
    client = exploitation.client
    if exploitation.is_primary and client.exploitations.count() > 1:
        raise refuse(_("Make another form primary before removing the primary form."))
    _audit(acting_user, "exploitation.remove", exploitation, client, kind=AuditEvent.Kind.DELETE)
    version = exploitation.version if expected_version is None else expected_version
    deleted, _rows = Exploitation.objects.filter(pk=exploitation.pk, version=version).delete()
    if not deleted:
        raise concurrent_edit()
    forms_copies_update(client)


@transaction.atomic
def residence_record(
    *,
    acting_user: Any,
    client: ClientPeriod,
    valid_from: dt.date,
    category: ResidenceCategory,
    permit_type: PermitType | None = None,
) -> ResidenceStatus:
    """Record the client's right of residence from a date on (the history is kept)."""
    _check_not_child(client)
    check_event_date(
        valid_from,
        earliest=client_start_date(client),
        earliest_label=_("the referral"),
        field="valid_from",
        label=_("The start of the right of residence"),
    )
    if category.code == RESIDENCE_PERMIT and permit_type is None:
        raise refuse(_("Give the type of the residence permit."), field="permit_type")
    if category.code != RESIDENCE_PERMIT and permit_type is not None:
        raise refuse(
            _("A permit type is recorded only with a residence permit."), field="permit_type"
        )
    if client.residence_history.filter(valid_from=valid_from).exists():
        raise refuse(
            _("A right of residence is already recorded from this date."), field="valid_from"
        )
    status = ResidenceStatus(
        client=client, valid_from=valid_from, category=category, permit_type=permit_type
    )
    full_clean(status, exclude=["client"])
    status.save()
    _audit(acting_user, "residence.record", status, client)
    return status


def residence_on(client: ClientPeriod, day: dt.date) -> ResidenceStatus | None:
    """Return the right of residence in force on DAY."""
    return client.residence_history.filter(valid_from__lte=day).order_by("-valid_from").first()


@transaction.atomic
def reflection_period_grant(
    *,
    acting_user: Any,
    client: ClientPeriod,
    granted: dt.date,
    start: dt.date,
    end: dt.date,
    granted_by: str = GrantedBy.NAS,
) -> ReflectionPeriod:
    """Grant (or record another authority's grant of) a reflection period of 30 days to 6 months."""
    if granted_by == GrantedBy.NAS:
        _check_may(
            acting_user,
            "casework.grant_reflection_period",
            _("Only a decision-maker can grant a reflection period."),
        )
    if client.client_type != ClientType.VICTIM:
        raise refuse(_("A reflection period is granted to a victim."))
    _check_active(client)
    earliest = client_start_date(client)
    check_event_date(
        granted,
        earliest=earliest,
        earliest_label=_("the referral"),
        field="granted",
        label=_("The decision date"),
    )
    check_not_future(start, field="start", label=_("The start of the reflection period"))
    if start < earliest:
        raise refuse(_("The reflection period cannot start before the referral."), field="start")
    if granted_by == GrantedBy.NAS and granted < FORMAL_IDENTIFICATION_FROM:
        raise refuse(
            _("The assistance system grants reflection periods only from 1 July 2015."),
            field="granted",
        )
    if end < start + dt.timedelta(days=REFLECTION_MIN_DAYS):
        raise refuse(_("A reflection period lasts at least 30 days."), field="end")
    if end > add_months(start, REFLECTION_MAX_MONTHS):
        raise refuse(_("A reflection period lasts at most 6 months."), field="end")
    residence = residence_on(client, start)
    if residence is None:
        raise refuse(
            _("Record the client's right of residence before granting a reflection period.")
        )
    if residence.category_id != NO_RIGHT_OF_RESIDENCE:
        raise refuse(
            _(
                "A reflection period is granted only to a person without a right of residence; "
                "this client has: %(category)s."
            )
            % {"category": residence.category}
        )
    if client.reflection_periods.filter(start__lte=end, end__gte=start).exists():
        raise refuse(_("The client already has a reflection period in these dates."), field="start")
    period = ReflectionPeriod(
        client=client,
        granted=granted,
        start=start,
        end=end,
        granted_by=granted_by,
        decided_by=acting_user if granted_by == GrantedBy.NAS else None,
    )
    full_clean(period, exclude=["client"])
    period.save()
    _audit(acting_user, "reflection_period.grant", period, client)
    return period


def _check_identification_ground(
    client: ClientPeriod, date: dt.date, ground: str, justification: str
) -> None:
    """Apply the rule in force on the decision date (the law changed in 2015 and in 2023)."""
    if date < FORMAL_IDENTIFICATION_FROM:
        raise refuse(
            _("The assistance system could formally identify victims only from 1 July 2015."),
            field="date",
        )
    if date >= ADMISSION_IS_IDENTIFICATION_FROM:
        raise refuse(
            _(
                "From 1 January 2023 the positive admission decision is the identification; "
                "no separate identification decision is made."
            ),
            field="date",
        )
    if ground == IdentificationGround.EXPLOITED_ABROAD:
        if not client.exploitations.filter(place=Place.ABROAD).exists():
            raise refuse(
                _(
                    "Between July 2015 and 2022 this ground needs exploitation that took place "
                    "outside Finland."
                ),
                field="ground",
            )
    elif ground == IdentificationGround.SUSPECT_DEAD_OR_MISSING:
        if not justification.strip():
            raise refuse(
                _("Explain why no charges can be brought (the suspect died or disappeared)."),
                field="justification",
            )
    else:
        raise refuse(
            _(
                "Between July 2015 and 2022 a victim could be identified only when exploited "
                "outside "
                "Finland or when the suspect had died or disappeared."
            ),
            field="ground",
        )


@transaction.atomic
def victim_identify(
    *, acting_user: Any, client: ClientPeriod, date: dt.date, ground: str, justification: str = ""
) -> Identification:
    """Formally identify a victim under the 2015-2022 rule."""
    _check_may(
        acting_user, "casework.identify_victim", _("Only a decision-maker can identify a victim.")
    )
    if client.client_type != ClientType.VICTIM:
        raise refuse(_("Only a victim is identified."))
    if Identification.objects.filter(client=client).exists():
        raise refuse(_("This client has already been identified."))
    check_event_date(
        date,
        earliest=client.admitted,
        earliest_label=_("the admission"),
        field="date",
        label=_("The identification date"),
    )
    _check_identification_ground(client, date, ground, justification)
    identification = Identification(
        client=client, date=date, ground=ground, justification=justification, decided_by=acting_user
    )
    full_clean(identification, exclude=["client"])
    identification.save()
    _audit(acting_user, "client.identify", identification, client)
    return identification


def _close_open_items(acting_user: Any, client: ClientPeriod, date: dt.date) -> None:
    """Close the client's open services and tasks as of the end date."""
    # A service that starts after the end date cannot be cut at it: end it the day it started.
    services = list(Service.objects.filter(client=client, end__isnull=True))
    now = timezone.now()
    for service in services:
        service.end = max(date, service.start)
        service.version += 1  # a form opened on the running service is now out of date
        service.updated_at = now
    Service.objects.bulk_update(services, ["end", "version", "updated_at"])
    tasks = Task.objects.filter(client=client, status=TaskStatus.OPEN)
    closed_tasks = list(tasks.values_list("pk", flat=True))
    if closed_tasks:
        tasks.filter(pk__in=closed_tasks).update(
            status=TaskStatus.CANCELLED, closed_on=date, version=F("version") + 1, updated_at=now
        )
    if services or closed_tasks:
        audit_log(
            actor=acting_user,
            kind=AuditEvent.Kind.UPDATE,
            action="client.close_open_items",
            target=client,
            person_id=client.person_id,
            changes={"services_ended": [s.pk for s in services], "tasks_cancelled": closed_tasks},
        )


@transaction.atomic
def assistance_end(
    *,
    acting_user: Any,
    client: ClientPeriod,
    date: dt.date,
    reason: EndReason | None,
    details: str = "",
    expected_version: int | None = None,
) -> ClientPeriod:
    """End a client relationship; open services and tasks close as of that date."""
    _check_may(
        acting_user, "casework.end_assistance", _("Only a decision-maker can end assistance.")
    )
    _check_active(client, _("This client relationship has already ended."))
    if reason is None:
        raise refuse(_("Ending assistance needs a reason."), field="reason")
    if reason.code == "other" and not details.strip():
        raise refuse(_("Describe the reason when it is “other”."), field="details")
    check_event_date(
        date,
        earliest=client.admitted,
        earliest_label=_("the admission"),
        field="date",
        label=_("The end date"),
    )
    children = list(client.children.filter(status=ClientStatus.ACTIVE))
    if any(child.admitted > date for child in children):
        raise refuse(
            _("The end date is before the admission of the client's child; check the date."),
            field="date",
        )
    _end(acting_user, client, date, reason, details, expected_version)
    for child in children:
        _end(acting_user, child, date, reason, details, None)
    return client


def _end(
    acting_user: Any,
    client: ClientPeriod,
    date: dt.date,
    reason: EndReason,
    details: str,
    expected_version: int | None,
) -> None:
    client.status = ClientStatus.ENDED
    client.ended_on = date
    client.end_reason = reason
    client.end_reason_text = details
    save_versioned(
        client,
        expected_version=expected_version,
        update_fields=["status", "ended_on", "end_reason", "end_reason_text"],
    )
    _close_open_items(acting_user, client, date)
    _audit(
        acting_user,
        "client.end",
        client,
        client,
        kind=AuditEvent.Kind.UPDATE,
        changes={
            "status": ClientStatus.ENDED,
            "ended_on": date,
            "end_reason": reason.code,
            "details": details,
        },
    )


@transaction.atomic
def client_assign(
    *, acting_user: Any, client: ClientPeriod, caseworker: Any, expected_version: int | None = None
) -> ClientPeriod:
    """Make a caseworker responsible for a client."""
    check_may_assign(acting_user, clients_visible_to(user=acting_user), client, caseworker)
    if caseworker is None and client.restricted:
        raise refuse(
            _(
                "A restricted client must have a caseworker: only they can see the file. "
                "Remove the restriction first."
            ),
            field="caseworker",
        )
    before = client.caseworker_id
    client.caseworker = caseworker
    save_versioned(client, expected_version=expected_version, update_fields=["caseworker"])
    _audit(
        acting_user,
        "client.assign",
        client,
        client,
        kind=AuditEvent.Kind.UPDATE,
        changes={"caseworker": [before, caseworker.pk if caseworker else None]},
    )
    return client


@transaction.atomic
def client_set_restricted(
    *,
    acting_user: Any,
    client: ClientPeriod,
    restricted: bool,
    expected_version: int | None = None,
) -> ClientPeriod:
    """Restrict a client's file to the people assigned (e.g. with security arrangements)."""
    check_may_assign(acting_user, clients_visible_to(user=acting_user), client, None)
    if restricted and client.caseworker_id is None:
        raise refuse(_("Assign a caseworker before restricting access: nobody else will see it."))
    before = client.restricted
    client.restricted = restricted
    save_versioned(client, expected_version=expected_version, update_fields=["restricted"])
    # A child's file tells where the parent is: it follows the parent's restriction.
    client.children.update(restricted=restricted)
    _audit(
        acting_user,
        "client.restrict" if restricted else "client.unrestrict",
        client,
        client,
        kind=AuditEvent.Kind.UPDATE,
        changes={"restricted": [before, restricted]},
    )
    return client


@transaction.atomic
def note_add(*, acting_user: Any, client: ClientPeriod, date: dt.date, text: str) -> CaseNote:
    """Add a dated entry to the client's journal."""
    if not text.strip():
        raise refuse(_("A note cannot be empty."), field="text")
    check_event_date(
        date,
        earliest=client_start_date(client),
        earliest_label=_("the referral"),
        field="date",
        label=_("The date of the note"),
    )
    note = CaseNote(client=client, date=date, text=text, author=acting_user)
    full_clean(note, exclude=["client", "author"])
    note.save()
    _audit(acting_user, "note.add", note, client, changes={"date": date})
    return note


@transaction.atomic
def task_create(
    *,
    acting_user: Any,
    title: str,
    due: dt.date,
    kind: str = TaskKind.OTHER,
    client: ClientPeriod | None = None,
    referral: Any = None,
    assigned_to: Any = None,
) -> Task:
    """Create a task with a deadline about a client or a referral."""
    if client is None and referral is None:
        raise refuse(_("A task concerns a client or a referral."))
    if client is not None:
        _check_active(client)
    task = Task(
        title=title,
        due=due,
        kind=kind,
        client=client,
        referral=referral,
        assigned_to=assigned_to or acting_user,
    )
    full_clean(task, exclude=["client", "referral", "assigned_to"])
    task.save()
    person_id = client.person_id if client else referral.person_id
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="task.create",
        target=task,
        person_id=person_id,
        changes=snapshot(task),
    )
    return task


@transaction.atomic
def task_complete(
    *, acting_user: Any, task: Task, date: dt.date, expected_version: int | None = None
) -> Task:
    """Mark an open task done; a task changed since the user saw it (EXPECTED_VERSION), e.g.
    completed by someone else, is refused."""
    check_version(task, expected_version=expected_version)
    if task.status != TaskStatus.OPEN:
        raise refuse(_("This task is already closed."))
    check_not_future(date, field="date", label=_("The completion date"))
    task.status = TaskStatus.DONE
    task.closed_on = date
    save_versioned(task, expected_version=expected_version, update_fields=["status", "closed_on"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="task.complete",
        target=task,
        changes={"status": TaskStatus.DONE, "closed_on": date},
    )
    return task


@transaction.atomic
def client_readmit(
    *,
    acting_user: Any,
    previous: ClientPeriod,
    received: dt.date,
    channel: str,
    referrer_type: Any,
    date: dt.date,
    consent_given: bool | None,
    trafficking_definition_met: bool | None,
    need_for_help: bool | None,
    client_type: str | None = None,
    account: str = "",
) -> ClientPeriod:
    """Re-admit a former client: record the re-referral and decide it positively."""
    from nas.referrals.services import admission_decide, referral_receive, referral_start_assessment

    if previous.status != ClientStatus.ENDED:
        raise refuse(_("This client relationship is still active; re-admission follows its end."))
    if previous.client_type == ClientType.CHILD:
        raise refuse(_("A child of a client is re-admitted with their parent."))
    assert previous.ended_on is not None
    if date < previous.ended_on:
        raise refuse(
            _("The re-admission cannot precede the end of the previous client relationship."),
            field="date",
        )
    referral = referral_receive(
        acting_user=acting_user,
        person=previous.person,
        received=received,
        channel=channel,
        referrer_type=referrer_type,
        office=previous.office,
        account=account,
        assigned_to=previous.caseworker,
    )
    referral_start_assessment(acting_user=acting_user, referral=referral)
    decision = admission_decide(
        acting_user=acting_user,
        referral=referral,
        date=date,
        outcome="positive",
        client_type=client_type or previous.client_type,
        consent_given=consent_given,
        trafficking_definition_met=trafficking_definition_met,
        need_for_help=need_for_help,
    )
    return decision.referral.client_period
