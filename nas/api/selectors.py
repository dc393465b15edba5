"""Read what an organisation may see through the API: the status of its own referrals."""

from __future__ import annotations

from django.db.models import BooleanField, Case, QuerySet, Value, When

from nas.referrals.choices import Outcome, ReferralStatus
from nas.referrals.models import Organisation, Referral


def referrals_of_organisation(organisation: Organisation) -> QuerySet[Referral]:
    """Return ORGANISATION's own referrals, each with `admitted` (None until decided).

    Only the fields the API shows are loaded: the person is never touched.
    """
    admitted = Case(
        When(status=ReferralStatus.DECIDED, decision__outcome=Outcome.POSITIVE, then=Value(True)),
        When(status=ReferralStatus.DECIDED, then=Value(False)),
        default=Value(None),
        output_field=BooleanField(null=True),
    )
    return (
        Referral.objects.filter(organisation=organisation)
        .annotate(admitted=admitted)
        .only("ref", "received", "status")
        .order_by("-received", "-id")
    )
