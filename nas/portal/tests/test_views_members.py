"""An organisation's users: invitations by its administrator, acceptance, deactivation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.two_factor import enrolment_is_open
from nas.common import testing
from nas.portal import services
from nas.portal.models import Invitation
from nas.portal.selectors import token_hash
from nas.portal.tests.factories import make_member, signed_in

MEMBERS = reverse("portal:members")
INVITE = reverse("portal:invite")
NEW_USER = {
    "first_name": "Kaisa",
    "last_name": "Virtanen",
    "username": "kaisa.virtanen",
    "password": "a long and rare passphrase 42",
    "password_again": "a long and rare passphrase 42",
}


def _link_in(message):
    found = re.search(r"https?://\S+/portal/invitations/\S+/", message.body)
    assert found is not None, message.body
    return found.group(0)


def _path(url):
    return "/" + url.split("/", 3)[3]


def _invite(admin_client, email="kaisa@example.org"):
    response = admin_client.post(INVITE, {"email": email})
    assert response.status_code == 302, response.content.decode()
    return _path(_link_in(mail.outbox[-1]))


# --- the whole way: invitation, e-mail, acceptance, two-factor set-up -----------------------


def test_an_invited_colleague_becomes_a_referrer_of_the_organisation(
    org_admin, admin_client, organisation
):
    response = admin_client.post(INVITE, {"email": "Kaisa@Example.ORG"})

    assert response.status_code == 302 and response["Location"] == MEMBERS
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.invited_by) == (organisation, org_admin)
    assert invitation.email == "Kaisa@example.org"
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    testing.assert_audited("portal.invitation_send", org_admin, invitation)
    (message,) = mail.outbox
    assert message.to == ["Kaisa@example.org"]
    link = _link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert "Victim Support Test" in message.body
    listed = admin_client.get(MEMBERS).content.decode()
    assert "Kaisa@example.org" in listed

    visitor = Client()
    page = visitor.get(_path(link))
    assert page.status_code == 200 and "Victim Support Test" in page.content.decode()
    response = visitor.post(_path(link), NEW_USER)

    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    user = User.objects.get(username="kaisa.virtanen")
    assert (user.organisation, user.email, user.organisation_admin) == (
        organisation,
        "Kaisa@example.org",
        False,
    )
    assert user.has_role(Role.REFERRER) and user.check_password(NEW_USER["password"])
    assert enrolment_is_open(user)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    event = testing.assert_audited("portal.invitation_accept", user, invitation)
    assert event.changes["roles"] == ["referrer"]
    # Signing in with the password alone leads to setting up the authenticator app.
    sign_in = visitor.post(
        reverse("accounts:sign_in"),
        {"username": "kaisa.virtanen", "password": NEW_USER["password"]},
    )
    assert sign_in["Location"] == reverse("accounts:two_factor_setup")


def test_a_used_link_is_refused(admin_client):
    link = _invite(admin_client)
    Client().post(link, NEW_USER)

    again = Client().post(link, NEW_USER | {"username": "someone.else"})

    assert again.status_code == 404
    assert "not valid" in again.content.decode()
    assert not User.objects.filter(username="someone.else").exists()


def test_an_expired_link_is_refused(admin_client):
    link = _invite(admin_client)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert Client().get(link).status_code == 404
    assert Client().post(link, NEW_USER).status_code == 404
    assert not User.objects.filter(username=NEW_USER["username"]).exists()


def test_an_unknown_token_is_refused(db):
    response = Client().get(reverse("portal:accept", args=["not-a-token"]))

    assert response.status_code == 404


def test_inviting_again_makes_the_earlier_link_stop_working(admin_client):
    first = _invite(admin_client)
    second = _invite(admin_client)

    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_an_invitation_of_an_organisation_no_longer_active_is_refused(admin_client, organisation):
    link = _invite(admin_client)
    organisation.active = False
    organisation.save()

    assert Client().get(link).status_code == 404


# --- acceptance: errors keep what was typed ---------------------------------------------------


def test_a_weak_or_mistyped_password_is_refused_keeping_the_username(admin_client):
    link = _invite(admin_client)
    visitor = Client()

    mistyped = visitor.post(link, NEW_USER | {"password_again": "something else entirely"})
    weak = visitor.post(link, NEW_USER | {"password": "password", "password_again": "password"})

    assert mistyped.context["form"].errors["password_again"] == [
        "The two passwords are not the same."
    ]
    assert "This password is too short." in weak.context["form"].errors["password"][0]
    for response in (mistyped, weak):
        assert response.status_code == 200
        assert 'value="kaisa.virtanen"' in response.content.decode()
    assert not User.objects.filter(username="kaisa.virtanen").exists()
    assert Client().get(link).status_code == 200  # the link still works


def test_a_username_already_taken_is_refused_on_its_field(admin_client, member):
    link = _invite(admin_client)

    response = Client().post(link, NEW_USER | {"username": "member"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert Invitation.objects.get().accepted_at is None


# --- only the organisation's administrator invites -------------------------------------------


@pytest.mark.parametrize("url", [MEMBERS, INVITE])
def test_only_an_organisation_administrator_manages_its_users(
    url, member_client, caseworker_helsinki, administrator
):
    for client in (member_client, signed_in(caseworker_helsinki), signed_in(administrator)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"email": "x@example.org"}).status_code in (403, 405)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_an_invitation_by_a_member_who_is_not_an_administrator(member):
    message = "Only an administrator of the organisation can invite or remove its users."
    with testing.refused(message):
        services.invitation_send(acting_user=member, email="x@example.org")


def test_inviting_a_member_already_in_the_organisation_is_refused(admin_client, member):
    response = admin_client.post(INVITE, {"email": "MEMBER@example.org"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "MEMBER@example.org already has an account in your organisation."
    ]
    assert 'value="MEMBER@example.org"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invitation_whose_email_cannot_be_sent_is_kept_and_the_admin_told(
    admin_client, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)

    response = admin_client.post(INVITE, {"email": "kaisa@example.org"}, follow=True)

    assert Invitation.objects.count() == 1
    assert "could not be sent" in response.content.decode()


# --- deactivation -------------------------------------------------------------------------------


def test_the_administrator_deactivates_a_member_who_then_cannot_get_in(
    org_admin, admin_client, member, member_client
):
    url = reverse("portal:deactivate", args=[member.pk])
    assert member.get_username() in admin_client.get(url).content.decode()

    response = admin_client.post(url)

    assert response.status_code == 302 and response["Location"] == MEMBERS
    member.refresh_from_db()
    assert member.is_active is False
    event = testing.assert_audited("portal.member_deactivate", org_admin, member)
    assert event.changes["is_active"] == [True, False]
    assert member_client.get(reverse("portal:home")).status_code == 302
    assert "member@example.org" not in admin_client.get(MEMBERS).content.decode()


def test_a_user_of_another_organisation_cannot_be_deactivated(
    admin_client, other_organisation, caseworker_helsinki
):
    outsider = make_member(other_organisation, "police_officer")
    for user in (outsider, caseworker_helsinki):
        url = reverse("portal:deactivate", args=[user.pk])
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404
        assert User.objects.get(pk=user.pk).is_active


def test_the_administrator_cannot_deactivate_their_own_account(org_admin, admin_client):
    response = admin_client.post(reverse("portal:deactivate", args=[org_admin.pk]))

    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    assert User.objects.get(pk=org_admin.pk).is_active


def test_the_users_page_issues_as_many_queries_for_200_users_as_for_10(
    org_admin, admin_client, organisation
):
    def add_rows(count):
        for _ in range(count):
            make_member(organisation)
            Invitation.objects.create(
                organisation=organisation,
                email=f"{Invitation.objects.count()}@example.org",
                token_hash=f"{Invitation.objects.count():064d}",
                created_at=timezone.now(),
                expires_at=timezone.now() + dt.timedelta(days=1),
                invited_by=org_admin,
            )

    testing.assert_constant_queries(admin_client, MEMBERS, add_rows)
