"""Write referrals, admission decisions and the contacts that do not name anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, snapshot
from nas.casework.choices import ClientStatus, ClientType, IdentificationGround
from nas.casework.copies import copies_of, decision_copies_of
from nas.casework.models import ClientPeriod, Identification
from nas.casework.selectors import check_may_assign, works_on_cases
from nas.common.concurrency import save_versioned
from nas.common.models import Office
from nas.common.validation import (
    check_event_date,
    check_since_system_start,
    full_clean,
    refuse,
)
from nas.people.ages import person_is_minor_on
from nas.people.models import Person
from nas.referrals.choices import Channel, Consent, Outcome, ReferralStatus, Urgency
from nas.referrals.models import (
    AdmissionDecision,
    AnonymousConsultation,
    HelplineContact,
    NegativeReason,
    Organisation,
    Referral,
    ReferrerType,
    TrainingEvent,
)
from nas.referrals.selectors import referrals_visible_to

# From this date a positive admission decision is the legal identification of a victim.
ADMISSION_IS_IDENTIFICATION_FROM = dt.date(2023, 1, 1)

OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.UNDER_ASSESSMENT)


def _next_ref(year: int) -> str:
    """Return the next free reference number of YEAR (NAS-2025-000042)."""
    prefix = f"NAS-{year}-"
    year_refs = Referral.objects.filter(ref__startswith=prefix)
    if connection.vendor == "sqlite":
        # SQLite's LIKE, which startswith becomes, is case-insensitive and cannot use the
        # unique index on ref: it read every reference (68 ms of saving a referral at
        # 1,000,000 referrals, docs/benchmarks.md). The same rows as a range of that index
        # ("." is the character after "-"; SQLite compares text byte by byte). Not on
        # PostgreSQL: its LIKE has an index of its own, and a range follows the database's
        # collation, which may not order punctuation by its code.
        year_refs = year_refs.filter(ref__gte=prefix, ref__lt=f"NAS-{year}.")
    last = year_refs.order_by("-ref").values_list("ref", flat=True).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _check_actor_may(acting_user: Any, permission: str, message: str) -> None:
    if not acting_user.has_perm(permission):
        raise refuse(message)


def _check_consent(person: Person, received: dt.date, consent: str) -> None:
    # Consent is irrelevant only for a minor: an adult's consent is given, refused or asked.
    if consent == Consent.NOT_NEEDED and person_is_minor_on(person, received) is False:
        raise refuse(
            _("Consent can be left out only for a minor, and the person's age says adult."),
            field="consent",
        )


@transaction.atomic
def referral_receive(
    *,
    acting_user: Any,
    person: Person,
    received: dt.date,
    channel: str,
    referrer_type: ReferrerType,
    office: Office,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    account: str = "",
    urgency: str = Urgency.NORMAL,
    safety_concerns: str = "",
    consent: str = Consent.NOT_ASKED,
    assigned_to: Any = None,
    ref: str | None = None,
    historical: bool = False,
) -> Referral:
    """Record a referral of a person to the assistance system.

    HISTORICAL marks a record taken in from an earlier register: it may name an office
    that has since closed (Oulu). Consent "not needed" is refused for a person whose age
    says adult on the day received.
    """
    check_since_system_start(received, field="received", label=_("The date received"))
    if person.date_of_birth and person.date_of_birth > received:
        raise refuse(
            _("The referral cannot be received before the person was born."),
            field="received",
        )
    if channel not in Channel.values:
        raise refuse(_("Unknown channel: %(code)s.") % {"code": channel}, field="channel")
    if assigned_to is not None and not works_on_cases(assigned_to):
        raise refuse(
            _("Only a caseworker or a decision-maker can be responsible for a case."),
            field="assigned_to",
        )
    if not office.active and not historical:
        raise refuse(
            _("The office %(office)s no longer receives referrals.") % {"office": office},
            field="office",
        )
    _check_consent(person, received, consent)
    referral = Referral(
        ref=ref or _next_ref(received.year),
        person=person,
        received=received,
        channel=channel,
        referrer_type=referrer_type,
        organisation=organisation,
        organisation_name=organisation_name or (organisation.name if organisation else ""),
        office=office,
        account=account,
        urgency=urgency,
        safety_concerns=safety_concerns,
        consent=consent,
        assigned_to=assigned_to,
    )
    full_clean(referral, exclude=["ref"] if ref is None else None)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError:
            if ref is not None:
                raise refuse(
                    _("A referral with this reference number already exists."),
                    field="ref",
                ) from None
            referral.ref = _next_ref(received.year)
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="referral.receive",
        target=referral,
        person_id=person.pk,
        changes=snapshot(referral),
    )
    return referral


def _transition(
    acting_user: Any,
    referral: Referral,
    expected_version: int | None,
    action: str,
    fields: list[str],
    before_status: str,
) -> None:
    save_versioned(referral, expected_version=expected_version, update_fields=fields)
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action=action,
        target=referral,
        person_id=referral.person_id,
        changes={"status": [before_status, referral.status]}
        | {f: getattr(referral, f) for f in fields if f != "status"},
    )


def _check_open(referral: Referral) -> None:
    if referral.status == ReferralStatus.DECIDED:
        raise refuse(_("This referral has already been decided; a referral is decided only once."))
    if referral.status == ReferralStatus.WITHDRAWN:
        raise refuse(_("This referral was withdrawn; a withdrawn referral takes no decision."))


@transaction.atomic
def referral_start_assessment(
    *,
    acting_user: Any,
    referral: Referral,
    expected_version: int | None = None,
    assigned_to: Any = None,
) -> Referral:
    """Move a received referral under assessment, optionally assigning a caseworker."""
    _check_open(referral)
    if referral.status != ReferralStatus.RECEIVED:
        raise refuse(_("The assessment of this referral has already started."))
    referral.status = ReferralStatus.UNDER_ASSESSMENT
    fields = ["status"]
    if assigned_to is not None:
        check_may_assign(acting_user, referrals_visible_to(user=acting_user), referral, assigned_to)
        referral.assigned_to = assigned_to
        fields.append("assigned_to")
    _transition(
        acting_user,
        referral,
        expected_version,
        "referral.start_assessment",
        fields,
        ReferralStatus.RECEIVED,
    )
    return referral


@transaction.atomic
def referral_assign(
    *, acting_user: Any, referral: Referral, assigned_to: Any, expected_version: int | None = None
) -> Referral:
    """Make a caseworker or decision-maker responsible for a referral."""
    check_may_assign(acting_user, referrals_visible_to(user=acting_user), referral, assigned_to)
    before = referral.assigned_to_id
    referral.assigned_to = assigned_to
    save_versioned(referral, expected_version=expected_version, update_fields=["assigned_to"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="referral.assign",
        target=referral,
        person_id=referral.person_id,
        changes={"assigned_to": [before, assigned_to.pk if assigned_to else None]},
    )
    return referral


@transaction.atomic
def referral_withdraw(
    *,
    acting_user: Any,
    referral: Referral,
    date: dt.date,
    reason: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Record that a referral was withdrawn before it was decided."""
    _check_open(referral)
    check_event_date(
        date,
        earliest=referral.received,
        earliest_label=_("the date the referral was received"),
        field="date",
        label=_("The date of withdrawal"),
    )
    before = referral.status
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawn_on = date
    referral.withdrawal_reason = reason
    _transition(
        acting_user,
        referral,
        expected_version,
        "referral.withdraw",
        ["status", "withdrawn_on", "withdrawal_reason"],
        before,
    )
    return referral


def _check_positive(
    referral: Referral,
    date: dt.date,
    client_type: str,
    consent_given: bool | None,
    trafficking_definition_met: bool | None,
    need_for_help: bool | None,
) -> bool:
    """Apply the conditions of a positive decision; return whether the person is a minor."""
    if client_type not in (ClientType.VICTIM, ClientType.WITNESS):
        raise refuse(
            _(
                "A positive decision admits a victim or a witness; "
                "children are admitted with their parent."
            ),
            field="client_type",
        )
    minor = person_is_minor_on(referral.person, date) is True
    if not minor and consent_given is not True:
        raise refuse(
            _(
                "A positive decision needs the person's consent "
                "(consent is not required for a minor)."
            ),
            field="consent_given",
        )
    if trafficking_definition_met is not True:
        raise refuse(
            _("A positive decision needs the definition of human trafficking to be met."),
            field="trafficking_definition_met",
        )
    if need_for_help is not True:
        raise refuse(
            _("A positive decision needs a need for help through the assistance system."),
            field="need_for_help",
        )
    if ClientPeriod.objects.filter(person=referral.person, status=ClientStatus.ACTIVE).exists():
        raise refuse(
            _("This person is already an active client; end that client relationship first.")
        )
    return minor


@transaction.atomic
def admission_decide(
    *,
    acting_user: Any,
    referral: Referral,
    date: dt.date,
    outcome: str,
    client_type: str = ClientType.VICTIM,
    negative_reason: NegativeReason | None = None,
    reason_text: str = "",
    consent_given: bool | None = None,
    trafficking_definition_met: bool | None = None,
    need_for_help: bool | None = None,
    decided_by: Any = None,
    expected_version: int | None = None,
) -> AdmissionDecision:
    """Decide a referral; a positive decision admits the person as a client."""
    _check_actor_may(
        acting_user,
        "referrals.decide_admission",
        _("Only a decision-maker can sign an admission decision."),
    )
    signer = decided_by or (acting_user if getattr(acting_user, "pk", None) else None)
    if signer is not None and not signer.has_perm("referrals.decide_admission"):
        raise refuse(_("Only a decision-maker can sign an admission decision."), field="decided_by")
    _check_open(referral)
    if referral.status != ReferralStatus.UNDER_ASSESSMENT:
        raise refuse(_("Start the assessment of the referral before deciding it."))
    check_event_date(
        date,
        earliest=referral.received,
        earliest_label=_("the date the referral was received"),
        field="date",
        label=_("The decision date"),
    )
    minor = False
    if outcome == Outcome.POSITIVE:
        minor = _check_positive(
            referral,
            date,
            client_type,
            consent_given,
            trafficking_definition_met,
            need_for_help,
        )
        negative_reason, reason_text_kept = None, reason_text
    elif outcome == Outcome.NEGATIVE:
        if negative_reason is None:
            raise refuse(_("A negative decision needs a reason."), field="negative_reason")
        if negative_reason.code == "other" and not reason_text.strip():
            raise refuse(_("Describe the reason when it is “other”."), field="reason_text")
        client_type, reason_text_kept = "", reason_text
    else:
        raise refuse(_("The outcome must be positive or negative."), field="outcome")
    decision = AdmissionDecision(
        referral=referral,
        date=date,
        outcome=outcome,
        client_type=client_type,
        negative_reason=negative_reason,
        reason_text=reason_text_kept,
        consent_given=consent_given,
        trafficking_definition_met=trafficking_definition_met,
        need_for_help=need_for_help,
        decided_by=signer,
        **decision_copies_of(referral),
    )
    # The three findings may be left unstated (None), e.g. consent for a minor. The referral's
    # one decision is guarded by its version: a stale copy is refused as a concurrent edit
    # before the decision is written (not by the unique check, whose message misleads).
    full_clean(
        decision,
        exclude=["referral"],
    )
    referral.status = ReferralStatus.DECIDED
    _transition(
        acting_user,
        referral,
        expected_version,
        "referral.decide",
        ["status"],
        ReferralStatus.UNDER_ASSESSMENT,
    )
    decision.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="admission.decide",
        target=decision,
        person_id=referral.person_id,
        changes=snapshot(decision),
    )
    if outcome == Outcome.POSITIVE:
        _admit(acting_user, decision, minor)
    return decision


def _admit(acting_user: Any, decision: AdmissionDecision, minor: bool) -> ClientPeriod:
    """Begin the client relationship that a positive decision grants."""
    referral = decision.referral
    client = ClientPeriod.objects.create(
        person=referral.person,
        referral=referral,
        client_type=decision.client_type,
        admitted=decision.date,
        admitted_as_minor=minor,
        office=referral.office,
        caseworker=referral.assigned_to,
        **copies_of(referral.person, referral),
    )
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="client.admit",
        target=client,
        person_id=client.person_id,
        changes=snapshot(client),
    )
    if (
        client.client_type == ClientType.VICTIM
        and decision.date >= ADMISSION_IS_IDENTIFICATION_FROM
    ):
        identification = Identification.objects.create(
            client=client,
            date=decision.date,
            ground=IdentificationGround.ADMISSION,
            decided_by=decision.decided_by,
        )
        audit_log(
            actor=acting_user,
            kind=AuditEvent.Kind.CREATE,
            action="client.identify",
            target=identification,
            person_id=client.person_id,
            changes=snapshot(identification),
        )
    return client


def _record_new(
    acting_user: Any,
    instance: models.Model,
    action: str,
    *,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Validate and save a new record and write its audit event.

    Free text (a consultation's situation, a helpline topic) stays out of the log, which
    outlives retention; callers pass CHANGES only for fields that never name anyone.
    """
    full_clean(instance)
    instance.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action=action,
        target=instance,
        person_id=person_id,
        changes=changes,
    )


@transaction.atomic
def anonymous_consultation_record(
    *,
    acting_user: Any,
    date: dt.date,
    office: Office,
    contact_type: ReferrerType,
    channel: str,
    topic: str,
    adult_declined_referral: bool = False,
) -> AnonymousConsultation:
    """Record a consultation in which nobody is identified."""
    check_since_system_start(date)
    consultation = AnonymousConsultation(
        date=date,
        office=office,
        contact_type=contact_type,
        channel=channel,
        topic=topic,
        adult_declined_referral=adult_declined_referral,
        recorded_by=acting_user,
    )
    _record_new(acting_user, consultation, "consultation.record")
    return consultation


@transaction.atomic
def anonymous_consultation_link(
    *, acting_user: Any, consultation: AnonymousConsultation, referral: Referral
) -> AnonymousConsultation:
    """Link a consultation to the referral that later came of it."""
    if referral.received < consultation.date:
        raise refuse(
            _("The referral was received before the consultation took place."),
            field="referral",
        )
    consultation.referral = referral
    consultation.save(update_fields=["referral", "updated_at"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="consultation.link",
        target=consultation,
        person_id=referral.person_id,
        changes={"referral": referral.pk},
    )
    return consultation


@transaction.atomic
def helpline_contact_record(
    *,
    acting_user: Any,
    date: dt.date,
    caller_type: ReferrerType,
    language: str,
    topic: str,
    outcome: str,
    referral: Referral | None = None,
) -> HelplineContact:
    """Record a contact to the 24/7 helpline."""
    check_since_system_start(date)
    if outcome == "referral_made" and referral is None:
        raise refuse(_("Link the referral that was made."), field="referral")
    contact = HelplineContact(
        date=date,
        caller_type=caller_type,
        language=language,
        topic=topic,
        outcome=outcome,
        referral=referral,
        recorded_by=acting_user,
    )
    _record_new(
        acting_user, contact, "helpline.record", person_id=referral.person_id if referral else None
    )
    return contact


@transaction.atomic
def training_event_record(
    *,
    acting_user: Any,
    date: dt.date,
    title: str,
    audience: str,
    participants: int,
    office: Office,
) -> TrainingEvent:
    """Record a training event held for stakeholders."""
    check_since_system_start(date)
    if participants < 1:
        raise refuse(_("A training event has at least one participant."), field="participants")
    event = TrainingEvent(
        date=date,
        title=title,
        audience=audience,
        participants=participants,
        office=office,
        recorded_by=acting_user,
    )
    _record_new(acting_user, event, "training.record", changes=snapshot(event))
    return event
