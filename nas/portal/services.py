"""Write the portal's accounts: invitations, their acceptance, deactivation of members.

An organisation's administrator (User.organisation_admin) invites colleagues by e-mail; the
one-time link lets the colleague choose a username and a password, which makes them a
referrer of the organisation with a window to set up two-factor sign-in, exactly as an
administrator opens it for a new account (nas.accounts.two_factor). Every invitation,
acceptance and deactivation is audited. Referrals themselves are submitted through
nas.referrals.external.referral_submit.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.two_factor import ENROLMENT_DAYS
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.validation import full_clean, refuse
from nas.portal.models import Invitation
from nas.portal.selectors import invitation_for_token, is_organisation_admin, token_hash

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7
INVITATION_INVALID = gettext_lazy(
    "This invitation link is not valid: it has expired or has already been used. "
    "Ask your organisation's administrator for a new invitation."
)


def _check_organisation_admin(user: Any) -> None:
    if not is_organisation_admin(user):
        raise refuse(_("Only an administrator of the organisation can invite or remove its users."))


@transaction.atomic
def invitation_send(*, acting_user: Any, email: str) -> tuple[Invitation, str]:
    """Invite EMAIL to ACTING_USER's organisation; return the invitation and its token.

    The token is returned once, for the e-mail (invitation_mail_send); only its hash is
    stored. An earlier open invitation of the same address stops working.
    """
    _check_organisation_admin(acting_user)
    email = User.objects.normalize_email(email.strip())
    organisation = acting_user.organisation
    if User.objects.filter(organisation=organisation, is_active=True, email__iexact=email).exists():
        raise refuse(
            _("%(email)s already has an account in your organisation.") % {"email": email},
            field="email",
        )
    now = timezone.now()
    replaced = Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        invited_by=acting_user,
    )
    full_clean(invitation)
    invitation.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="portal.invitation_send",
        target=invitation,
        changes={
            "email": email,
            "organisation": organisation.pk,
            "expires_at": invitation.expires_at,
            "invitations_replaced": replaced,
        },
    )
    return invitation, token


def invitation_url(token: str) -> str:
    """Return the address of the page that accepts the invitation of TOKEN."""
    return settings.NAS_SITE_URL.rstrip("/") + reverse("portal:accept", args=[token])


def invitation_mail_send(invitation: Invitation, token: str) -> bool:
    """E-mail the invitation's one-time link; return whether it was sent.

    Never raises: the invitation is stored, and the administrator can invite again.
    """
    context = {
        "invitation": invitation,
        "url": invitation_url(token),
        "days": INVITATION_DAYS,
        "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username(),
    }
    subject = _("Invitation to the referral portal of the assistance system")
    body = render_to_string("portal/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception:
        logger.exception("Could not send invitation %s", invitation.pk)
        return False
    return True


@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, first_name: str, last_name: str
) -> User:
    """Create the invited user: a referrer of the organisation who may now set up two factors.

    The link works once and until it expires; a refusal creates nothing and keeps the link.
    """
    invitation = invitation_for_token(token)
    if invitation is not None:
        # Lock the row: two concurrent acceptances of one link create one account.
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, accepted_at__isnull=True)
            .select_related("organisation")
            .first()
        )
    if invitation is None:
        raise refuse(INVITATION_INVALID)
    now = timezone.now()
    user = User(
        username=username,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        organisation=invitation.organisation,
        two_factor_enrol_until=now + dt.timedelta(days=ENROLMENT_DAYS),
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise refuse(" ".join(error.messages), field="password") from None
    user.set_password(password)
    full_clean(user)
    user.save()
    user.groups.add(Group.objects.get(name=Role.REFERRER))
    invitation.accepted_at, invitation.user = now, user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_log(
        actor=user,
        kind=AuditEvent.Kind.CREATE,
        action="portal.invitation_accept",
        target=invitation,
        changes={
            "user": user.pk,
            "username": user.username,
            "organisation": invitation.organisation_id,
            "roles": [Role.REFERRER],
            "enrol_until": user.two_factor_enrol_until,
        },
    )
    return user


@transaction.atomic
def member_deactivate(*, acting_user: Any, member: User) -> User:
    """Close MEMBER's account: they can no longer sign in. Only their organisation's
    administrator may, and not for their own account."""
    _check_organisation_admin(acting_user)
    if member.organisation_id != acting_user.organisation_id:
        raise refuse(_("This user is not a member of your organisation."))
    if member.pk == acting_user.pk:
        raise refuse(_("You cannot deactivate your own account."))
    if not member.is_active:
        raise refuse(_("This account is already deactivated."))
    member.is_active = False
    member.save(update_fields=["is_active"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="portal.member_deactivate",
        target=member,
        changes={"is_active": [True, False], "organisation": member.organisation_id},
    )
    return member
