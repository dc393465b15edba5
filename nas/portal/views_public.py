"""The public self-referral and contact form: no account, the least a person needs to tell.

In the order that loses nothing: the rate limit and the spam checks refuse before anything
is stored (when the cache that counts the posts fails, nothing is limited); a form that
passes is stored by referral_submit (which tells the office only after the commit, so a
failing notification never loses it); then the receipt.

Rate limits, per address (django-ratelimit, in the default cache): SUBMISSION_RATE
referrals stored, and ATTEMPT_RATE posts of the form whatever their outcome, so that
neither a flood of referrals nor of refused forms gets through. A limited request gets a
friendly page with the helpline, status 429.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]

from nas.common.views import run_service
from nas.portal.forms import SelfReferralForm
from nas.portal.helpline import HELPLINE
from nas.portal.spam import HONEYPOT_FIELD
from nas.referrals.choices import Channel
from nas.referrals.external import SELF_REFERRAL, referral_submit
from nas.referrals.models import ReferrerType

logger = logging.getLogger(__name__)

SUBMISSION_RATE = "5/h"
ATTEMPT_RATE = "30/h"
_SUBMISSIONS = "nas.portal.self_referral.submissions"
_ATTEMPTS = "nas.portal.self_referral.attempts"
# The audit log's actor of a self-referral: nobody signed in.
ACTOR = "self-referral form"
# The reference number of the referral just sent, shown once on the receipt.
_RECEIPT_KEY = "nas_self_referral_receipt"


def _usage(request: HttpRequest, group: str, rate: str, *, increment: bool) -> dict[str, Any]:
    """Return django-ratelimit's count and limit of GROUP for the request's address.

    When the cache behind the counts fails (Redis down), the post is not limited: a person
    asking for help must never lose the request to a broken counter; spam checks still run.
    """
    try:
        usage = get_usage(
            request, group=group, key="ip", rate=rate, method="POST", increment=increment
        )
    except Exception:  # the cache backend's own errors (redis.ConnectionError, OSError, ...)
        logger.warning("Self-referral rate limit not checked: the cache failed", exc_info=True)
        return {"count": 0, "limit": 1}
    # None when rate limiting is switched off (RATELIMIT_ENABLE): nothing is ever limited.
    return usage or {"count": 0, "limit": 1}


def _rate_limited(request: HttpRequest) -> bool:
    """Count this post, and return whether the address has sent too many posts or referrals."""
    attempts = _usage(request, _ATTEMPTS, ATTEMPT_RATE, increment=True)
    submissions = _usage(request, _SUBMISSIONS, SUBMISSION_RATE, increment=False)
    return attempts["count"] > attempts["limit"] or submissions["count"] >= submissions["limit"]


def _context(form: SelfReferralForm) -> dict[str, Any]:
    return {"form": form, "helpline": HELPLINE, "honeypot": form[HONEYPOT_FIELD]}


@never_cache
@require_http_methods(["GET", "POST"])
def self_referral(request: HttpRequest) -> HttpResponse:
    """Ask the assistance system for help, or tell it about oneself."""
    if request.method == "POST" and _rate_limited(request):
        return render(request, "portal/rate_limited.html", {"helpline": HELPLINE}, status=429)
    form = SelfReferralForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        referral = run_service(
            form,
            lambda: referral_submit(
                actor=ACTOR,
                channel=Channel.WEB_FORM,
                referrer_type=ReferrerType.objects.get(code=SELF_REFERRAL),
                **form.submission(),
            ),
        )
        if referral is not None:
            _usage(request, _SUBMISSIONS, SUBMISSION_RATE, increment=True)
            request.session[_RECEIPT_KEY] = referral.ref
            return redirect("self_referral:receipt")
    status = 400 if form.is_bound and form.is_spam() else 200
    return render(request, "portal/self_referral.html", _context(form), status=status)


@never_cache
@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The reference number of the referral just sent, shown once, and what happens next.

    Shown once so that someone else using the same browser later does not find it.
    """
    ref = request.session.pop(_RECEIPT_KEY, None)
    if ref is None:
        return redirect("self_referral:form")
    return render(request, "portal/self_referral_receipt.html", {"ref": ref, "helpline": HELPLINE})
