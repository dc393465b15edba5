"""Referrals from outside: the referral portal, the public self-referral form and the API.

All three submit through `referral_submit`, which stores the person and the referral in one
transaction and only after the commit tells the receiving office's duty caseworker. The
submission is therefore never lost to a failing notification: a mail server that is down
costs a log line, not the referral. The message holds no personal data (not even the
reference number): it says that something arrived, how urgent it is, and where to look.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from nas.accounts.roles import CASEWORK_ROLES
from nas.common.dates import today
from nas.common.errors import DomainError
from nas.common.models import Office
from nas.people.services import person_create
from nas.referrals.choices import Channel, Consent, Urgency
from nas.referrals.models import Organisation, Referral, ReferrerType
from nas.referrals.services import referral_receive

logger = logging.getLogger(__name__)

# The channels through which a referral arrives without a caseworker typing it in.
EXTERNAL_CHANNELS = (Channel.PORTAL, Channel.WEB_FORM, Channel.API)
SELF_REFERRAL = "self"  # the referrer type of a person who refers themself


def intake_office() -> Office:
    """Return the office that receives referrals whose sender chose none."""
    office = Office.objects.filter(code=settings.NAS_INTAKE_OFFICE, active=True).first()
    if office is None:
        office = Office.objects.filter(active=True).order_by("position", "code").first()
    if office is None:
        raise DomainError(_("No office receives referrals at the moment."))
    return office


@transaction.atomic
def referral_submit(
    *,
    actor: Any,
    channel: str,
    referrer_type: ReferrerType,
    person: dict[str, Any],
    office: Office | None = None,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    account: str = "",
    urgency: str = Urgency.NORMAL,
    safety_concerns: str = "",
    consent: str = Consent.NOT_ASKED,
) -> Referral:
    """Store a referral that arrived from outside, and tell the office once it is stored.

    ACTOR is the signed-in referrer, or a text naming the channel for the public form and
    the API (e.g. "self-referral form"); PERSON holds the fields of the referred person
    (nas.people.services.PERSON_FIELDS). Refuses with a DomainError and stores nothing when
    a rule is broken.
    """
    if channel not in EXTERNAL_CHANNELS:
        raise DomainError(_("Unknown channel: %(code)s.") % {"code": channel}, field="channel")
    if organisation is not None and not organisation.active:
        raise DomainError(
            _("The organisation %(name)s may no longer submit referrals.")
            % {"name": organisation.name}
        )
    referred = person_create(acting_user=actor, **person)
    referral = referral_receive(
        acting_user=actor,
        person=referred,
        received=today(),
        channel=channel,
        referrer_type=referrer_type,
        office=office or intake_office(),
        organisation=organisation,
        organisation_name=organisation_name,
        account=account,
        urgency=urgency,
        safety_concerns=safety_concerns,
        consent=consent,
    )
    referral_id = referral.pk
    transaction.on_commit(lambda: notify_new_referral(referral_id))
    return referral


def duty_addresses(office: Office) -> list[str]:
    """Return who is told of a new referral to OFFICE: its duty address, else its caseworkers."""
    if office.duty_email:
        return [office.duty_email]
    from nas.accounts.models import User

    return sorted(
        set(
            User.objects.filter(
                office=office, is_active=True, groups__name__in=[str(r) for r in CASEWORK_ROLES]
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def notify_new_referral(referral_id: int) -> bool:
    """Tell the receiving office of referral REFERRAL_ID; return whether a message was sent.

    Never raises: the referral is already stored, and a failure is logged for the operators.
    """
    try:
        referral = Referral.objects.select_related("office").get(pk=referral_id)
        recipients = duty_addresses(referral.office)
        if not recipients:
            logger.warning("No one to tell of a new referral at office %s", referral.office_id)
            return False
        with override(settings.LANGUAGE_CODE):
            urgency = referral.get_urgency_display()
            channel = referral.get_channel_display()
            subject = _("New referral (%(urgency)s)") % {"urgency": urgency}
            body = _(
                "A new referral arrived at %(office)s through the %(channel)s. "
                "Urgency: %(urgency)s.\n\nSign in to see it in the referral inbox:\n%(url)s\n\n"
                "This message holds no personal data. Do not answer it."
            ) % {
                "office": referral.office.label,
                "channel": channel.lower(),
                "urgency": urgency.lower(),
                "url": settings.NAS_SITE_URL.rstrip("/") + reverse("home"),
            }
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not notify the office of new referral %s", referral_id)
        return False
    return True
