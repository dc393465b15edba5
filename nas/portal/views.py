"""The referral portal of referring organisations: their referrals, a new referral, members.

A referrer sees their organisation's referrals with the status only (no personal data, so
the list is not an audited read), sends a referral through referral_submit, and an
organisation's administrator invites and deactivates its users. Accepting an invitation is
the one page here without sign-in: its one-time link is the credential.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.views import run_service
from nas.portal.decorators import organisation_admin_required, referrer_required
from nas.portal.forms import AcceptForm, ConfirmForm, InviteForm, PortalReferralForm
from nas.portal.helpline import HELPLINE
from nas.portal.selectors import (
    invitation_for_token,
    organisation_member_get,
    organisation_members,
    pending_invitations,
    portal_referral_get,
    portal_referrals,
)
from nas.portal.services import (
    INVITATION_DAYS,
    invitation_accept,
    invitation_mail_send,
    invitation_send,
    member_deactivate,
)
from nas.referrals.choices import Channel
from nas.referrals.external import referral_submit
from nas.referrals.models import Referral

PAGE_SIZE = 25


@referrer_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisation's referrals, newest first: reference, date, status, admitted or not."""
    user: Any = request.user
    page = Paginator(portal_referrals(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/home.html",
        {"page": page, "organisation": user.organisation, "helpline": HELPLINE},
    )


@referrer_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """The guided referral form; the referral is stored before the office is told."""
    user: Any = request.user
    organisation = user.organisation
    form = PortalReferralForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        referral = run_service(
            form,
            lambda: referral_submit(
                actor=user,
                channel=Channel.PORTAL,
                referrer_type=organisation.referrer_type,
                organisation=organisation,
                **form.submission(),
            ),
        )
        if referral is not None:
            messages.success(
                request,
                _("Referral sent. Its reference number is %(ref)s.") % {"ref": referral.ref},
            )
            return redirect("portal:referral", referral_id=referral.pk)
    return render(request, "portal/referral_new.html", {"form": form, "helpline": HELPLINE})


@referrer_required
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """A referral's receipt and status: reference number, dates, what happens next."""
    try:
        found = portal_referral_get(user=request.user, referral_id=referral_id)
    except Referral.DoesNotExist:
        # Another organisation's referral looks missing; the attempt is on record.
        person_id = (
            Referral.objects.filter(pk=referral_id).values_list("person_id", flat=True).first()
        )
        with transaction.atomic():
            audit_log(
                actor=request.user,
                kind=AuditEvent.Kind.READ,
                action="portal.referral_denied",
                target=Referral(pk=referral_id),
                person_id=person_id,
            )
        raise Http404 from None
    return render(request, "portal/referral.html", {"referral": found, "helpline": HELPLINE})


# --- the organisation's users ---------------------------------------------------------------


@organisation_admin_required
def members(request: HttpRequest) -> HttpResponse:
    """The organisation's active users and the invitations not yet accepted."""
    user: Any = request.user
    return render(
        request,
        "portal/members.html",
        {
            "organisation": user.organisation,
            "members": organisation_members(user=user),
            "invitations": pending_invitations(user=user).select_related("invited_by"),
        },
    )


@organisation_admin_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a colleague by e-mail to the organisation's portal."""
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        result = run_service(form, lambda: invitation_send(acting_user=request.user, email=email))
        if result is not None:
            invitation, token = result
            if invitation_mail_send(invitation, token):
                messages.success(
                    request,
                    _("Invitation sent to %(email)s. The link in it works once, for %(days)d days.")
                    % {"email": invitation.email, "days": INVITATION_DAYS},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "The invitation to %(email)s is saved, but the e-mail could not be "
                        "sent. Invite them again later."
                    )
                    % {"email": invitation.email},
                )
            return redirect("portal:members")
    return render(request, "portal/invite.html", {"form": form})


@organisation_admin_required
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, member_id: int) -> HttpResponse:
    """Confirm, then close the account of a user of the organisation."""
    try:
        member = organisation_member_get(user=request.user, member_id=member_id)
    except User.DoesNotExist:
        raise Http404 from None
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        done = run_service(form, lambda: member_deactivate(acting_user=request.user, member=member))
        if done is not None:
            messages.success(
                request,
                _("The account of %(name)s is deactivated.")
                % {"name": member.get_full_name() or member.get_username()},
            )
            return redirect("portal:members")
    return render(request, "portal/deactivate.html", {"form": form, "member": member})


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: choose a username and a password, then set up two factors."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = run_service(form, lambda: invitation_accept(token=token, **form.account()))
        if user is not None:
            messages.success(
                request,
                _(
                    "Your account is ready. Sign in with your username and password, leave "
                    "the code empty, and set up your authenticator app."
                ),
            )
            return redirect("accounts:sign_in")
    return render(request, "portal/accept.html", {"form": form, "invitation": invitation})
