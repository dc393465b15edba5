"""Read helpline contacts, anonymous consultations and training events, with access checked.

Helpline contacts and training events are national records that name nobody: whoever may
view them sees all of them. Anonymous consultations belong to an office and describe a
possible victim's situation, so they are need-to-know: a user sees those of their office and
those they recorded. A referral linked to any of them is shown only to those who may see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from nas.referrals.models import AnonymousConsultation, HelplineContact, Referral, TrainingEvent
from nas.referrals.selectors import referral_scope, referrals_visible_to


def helpline_contacts_visible_to(*, user: Any) -> QuerySet[HelplineContact]:
    """Return the helpline contacts USER may see: all of them, with the permission."""
    if not user.has_perm("referrals.view_helplinecontact"):
        return HelplineContact.objects.none()
    return HelplineContact.objects.select_related("caller_type")


def consultation_scope(user: Any) -> Q:
    """Return the condition on AnonymousConsultation of those USER may see.

    Those of the user's office and those they recorded themselves (so that a user without an
    office, or one recording for another office, still finds what they recorded).
    """
    if not user.has_perm("referrals.view_anonymousconsultation"):
        return Q(pk__in=[])
    scope = Q(recorded_by_id=user.pk)
    if user.office_id is not None:
        scope |= Q(office_id=user.office_id)
    return scope


def consultations_visible_to(*, user: Any) -> QuerySet[AnonymousConsultation]:
    """Return the anonymous consultations USER may see."""
    return AnonymousConsultation.objects.filter(consultation_scope(user)).select_related(
        "office", "contact_type"
    )


def consultation_get_for_user(*, user: Any, consultation_id: int) -> AnonymousConsultation:
    """Return one consultation USER may see; not found and not permitted look the same."""
    return consultations_visible_to(user=user).get(pk=consultation_id)


def training_events_visible_to(*, user: Any) -> QuerySet[TrainingEvent]:
    """Return the training events USER may see: all of them, with the permission."""
    if not user.has_perm("referrals.view_trainingevent"):
        return TrainingEvent.objects.none()
    return TrainingEvent.objects.select_related("office")


def referrals_among(*, user: Any, referral_ids: Iterable[int | None]) -> dict[int, Referral]:
    """Return, by id, those of REFERRAL_IDS that USER may see, with their keys only.

    A list shows a linked referral's reference number, never more of its person.
    """
    ids = {pk for pk in referral_ids if pk is not None}
    if not ids:
        return {}
    visible = Referral.objects.filter(referral_scope(user), pk__in=ids)
    return {r.pk: r for r in visible.only("pk", "ref", "person_id")}


def referral_find_for_user(*, user: Any, ref: str) -> Referral | None:
    """Return the referral with reference number REF if USER may see it, else None."""
    return referrals_visible_to(user=user).filter(ref=ref.strip().upper()).first()
