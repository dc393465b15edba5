"""Object rules and selectors: who sees which client and referral, and that both agree."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.utils import timezone

from nas.accounts.models import EmergencyAccess
from nas.accounts.rules import VIEW_CLIENT, VIEW_REFERRAL
from nas.accounts.services import emergency_access_grant
from nas.casework.models import ClientPeriod
from nas.casework.selectors import client_get_for_user, clients_visible_to
from nas.common import testing
from nas.referrals.models import Referral
from nas.referrals.selectors import referral_get_for_user, referrals_visible_to

pytestmark = pytest.mark.django_db

REASON = "Client called the helpline in danger; her caseworker is on leave."


def restrict(client: ClientPeriod) -> ClientPeriod:
    # No service sets the restriction yet (casework core); the flag is what the rules read.
    ClientPeriod.objects.filter(pk=client.pk).update(restricted=True)
    return testing.reload(client)


@pytest.fixture
def dataset(caseworker_helsinki, caseworker_tampere, decision_maker):
    """Clients and referrals of both offices, assigned or not, restricted or not."""
    other_helsinki = testing.make_caseworker("helsinki", username="other_helsinki")
    data = {
        "helsinki_open": testing.make_client(office_code="helsinki"),
        "helsinki_mine": testing.make_client(
            office_code="helsinki", caseworker=caseworker_helsinki
        ),
        "helsinki_restricted_mine": restrict(
            testing.make_client(office_code="helsinki", caseworker=caseworker_helsinki)
        ),
        "helsinki_restricted_other": restrict(
            testing.make_client(office_code="helsinki", caseworker=other_helsinki)
        ),
        "tampere_open": testing.make_client(office_code="tampere"),
        "tampere_assigned_to_helsinki": testing.make_client(
            office_code="tampere", caseworker=caseworker_helsinki
        ),
        "tampere_restricted": restrict(
            testing.make_client(office_code="tampere", caseworker=caseworker_tampere)
        ),
    }
    data["child_of_restricted"] = testing.make_child(data["helsinki_restricted_other"])
    testing.make_referral(office_code="helsinki")
    testing.make_referral(office_code="tampere")
    testing.make_referral(office_code="tampere", assigned_to=caseworker_helsinki)
    # An emergency access that has run out opens nothing.
    EmergencyAccess.objects.create(
        user=caseworker_tampere,
        client=data["helsinki_open"],
        reason=REASON,
        granted_at=timezone.now() - dt.timedelta(hours=3),
        expires_at=timezone.now() - dt.timedelta(hours=2),
    )
    emergency_access_grant(
        acting_user=caseworker_tampere, client=data["helsinki_restricted_other"], reason=REASON
    )
    return data


def _users():
    superuser = testing.make_user("root", is_superuser=True, is_staff=True)
    inactive = testing.make_user("gone", role="caseworker", office="helsinki", is_active=False)
    return [testing.make_persona(name) for name in testing.PERSONAS] + [superuser, inactive]


def test_the_selectors_and_the_rules_agree_on_every_client_and_referral(dataset):
    for user in _users():
        by_rule = {
            c.pk for c in ClientPeriod.objects.all() if rules.test_rule(VIEW_CLIENT, user, c)
        }
        by_selector = set(clients_visible_to(user=user).values_list("pk", flat=True))
        assert by_rule == by_selector, user.username
        by_rule = {r.pk for r in Referral.objects.all() if rules.test_rule(VIEW_REFERRAL, user, r)}
        by_selector = set(referrals_visible_to(user=user).values_list("pk", flat=True))
        assert by_rule == by_selector, user.username


def test_only_decided_referrals_have_clients_as_the_referral_scope_assumes(dataset):
    # referral_scope looks for a visible client of decided referrals only.
    with_client = Referral.objects.filter(client_period__isnull=False)
    assert with_client.count() == len(dataset) - 1  # the child has no referral of its own
    assert set(with_client.values_list("status", flat=True)) == {"decided"}


def test_a_client_seen_by_emergency_access_opens_their_referral_at_another_office(
    dataset, caseworker_tampere
):
    referral = dataset["helsinki_restricted_other"].referral
    assert referral.office_id == "helsinki" and referral.status == "decided"
    assert referral_get_for_user(user=caseworker_tampere, referral_id=referral.pk) == referral


def test_a_caseworker_sees_their_office_and_their_own_but_not_restricted_ones(
    dataset, caseworker_helsinki
):
    seen = set(clients_visible_to(user=caseworker_helsinki))
    expected = {"helsinki_open", "helsinki_mine", "helsinki_restricted_mine"}
    expected |= {"tampere_assigned_to_helsinki"}
    assert seen == {dataset[name] for name in expected}


def test_a_restricted_client_is_hidden_from_the_offices_decision_maker(dataset, decision_maker):
    seen = set(clients_visible_to(user=decision_maker))
    assert dataset["helsinki_open"] in seen
    assert dataset["helsinki_restricted_mine"] not in seen
    assert dataset["child_of_restricted"] not in seen


def test_the_referral_of_a_restricted_client_is_as_hidden_as_the_client(
    dataset, decision_maker, caseworker_helsinki
):
    restricted = dataset["helsinki_restricted_other"]
    with pytest.raises(Referral.DoesNotExist):
        referral_get_for_user(user=caseworker_helsinki, referral_id=restricted.referral_id)
    with pytest.raises(Referral.DoesNotExist):
        referral_get_for_user(user=decision_maker, referral_id=restricted.referral_id)
    mine = dataset["helsinki_restricted_mine"]
    assert referral_get_for_user(user=caseworker_helsinki, referral_id=mine.referral_id)


@pytest.mark.parametrize(
    "persona", ["statistician", "auditor", "administrator", "referrer", "outsider"], indirect=True
)
def test_roles_without_casework_see_no_client_and_no_referral(dataset, persona):
    assert not clients_visible_to(user=persona).exists()
    assert not referrals_visible_to(user=persona).exists()


def test_a_superuser_does_not_see_client_files(dataset):
    root = testing.make_user("root", is_superuser=True)
    assert not clients_visible_to(user=root).exists()
    assert not rules.test_rule(VIEW_CLIENT, root, dataset["helsinki_open"])


def test_not_found_and_not_permitted_look_the_same(dataset, caseworker_helsinki):
    missing = ClientPeriod.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    for client_id in (missing, dataset["tampere_open"].pk):
        with pytest.raises(ClientPeriod.DoesNotExist):
            client_get_for_user(user=caseworker_helsinki, client_id=client_id)


def test_emergency_access_opens_the_client_until_it_expires(dataset, caseworker_tampere):
    restricted = dataset["helsinki_restricted_other"]
    assert client_get_for_user(user=caseworker_tampere, client_id=restricted.pk) == restricted
    # The referral of a client one may see is visible too.
    assert referral_get_for_user(user=caseworker_tampere, referral_id=restricted.referral_id)
    EmergencyAccess.objects.filter(user=caseworker_tampere).update(expires_at=timezone.now())
    with pytest.raises(ClientPeriod.DoesNotExist):
        client_get_for_user(user=caseworker_tampere, client_id=restricted.pk)


def test_an_expired_emergency_access_opens_nothing(dataset, caseworker_tampere):
    assert dataset["helsinki_open"] not in set(clients_visible_to(user=caseworker_tampere))
