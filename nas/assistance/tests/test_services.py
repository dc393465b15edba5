"""Services delivered to clients: started for active clients only, dated within the period."""

from __future__ import annotations

import datetime as dt

import pytest

from nas.assistance.services import service_end, service_start
from nas.casework.models import EndReason
from nas.casework.services import assistance_end, client_readmit
from nas.common.dates import today
from nas.common.testing import (
    add_service,
    assert_audited,
    make_child,
    refused,
    reload,
    service_type,
)
from nas.referrals.models import ReferrerType

pytestmark = pytest.mark.django_db

ADMITTED = dt.date(2024, 3, 15)
TOMORROW = today() + dt.timedelta(days=1)
ENDED = "An ended client takes no new services until re-admitted."


def start(client, user, day=ADMITTED, **kwargs):
    values = {"service_type": service_type("safe_housing"), "provider": "ngo", "start": day}
    return service_start(acting_user=user, client=client, **(values | kwargs))


def end_assistance(client, user, date=dt.date(2024, 6, 1)):
    assistance_end(
        acting_user=user, client=client, date=date, reason=EndReason.objects.get(code="no_need")
    )
    return reload(client)


def test_it_starts_a_service_for_an_active_client_and_audits_it(caseworker, victim):
    service = start(victim, caseworker, provider_name="Pro-tukipiste")

    service = reload(service)
    assert service.client == victim
    assert service.start == ADMITTED
    assert service.end is None
    assert service.provider_name == "Pro-tukipiste"
    event = assert_audited("service.start", caseworker, service)
    assert event.person_id == victim.person_id


def test_it_starts_a_service_for_a_child_of_a_client(caseworker, victim):
    child = make_child(victim, acting_user=caseworker)

    assert start(child, caseworker).client == child


def test_an_ended_client_takes_no_new_services(decision_maker, caseworker, victim):
    ended = end_assistance(victim, decision_maker)

    with refused(ENDED, ended):
        start(ended, caseworker, day=dt.date(2024, 6, 2))


def test_an_ended_client_takes_services_again_once_re_admitted(decision_maker, caseworker, victim):
    ended = end_assistance(victim, decision_maker)
    with refused(ENDED, ended):
        start(ended, caseworker, day=dt.date(2024, 8, 2))

    again = client_readmit(
        acting_user=decision_maker,
        previous=ended,
        received=dt.date(2024, 7, 20),
        channel="phone",
        referrer_type=ReferrerType.objects.get(code="police"),
        date=dt.date(2024, 8, 1),
        consent_given=True,
        trafficking_definition_met=True,
        need_for_help=True,
    )

    service = start(again, caseworker, day=dt.date(2024, 8, 2))
    assert service.client == again


def test_it_refuses_a_service_that_starts_before_the_admission(caseworker, victim):
    message = "The start of the service (2024-03-14) cannot be before the admission (2024-03-15)."
    with refused(message, victim):
        start(victim, caseworker, day=dt.date(2024, 3, 14))


def test_it_refuses_a_service_that_starts_in_the_future(caseworker, victim):
    with refused("The start of the service cannot be in the future.", victim):
        start(victim, caseworker, day=TOMORROW)


def test_it_refuses_an_unknown_provider(caseworker, victim):
    with refused("Unknown provider: cousin.", victim):
        start(victim, caseworker, provider="cousin")


def test_it_refuses_a_service_that_ends_before_it_starts(caseworker, victim):
    message = (
        "The end of the service (2024-03-20) cannot be before the start of the service "
        "(2024-04-01)."
    )
    with refused(message, victim):
        start(victim, caseworker, day=dt.date(2024, 4, 1), end=dt.date(2024, 3, 20))


def test_it_ends_a_running_service_and_audits_it(caseworker, victim):
    service = add_service(victim, acting_user=caseworker)

    service_end(acting_user=caseworker, service=service, end=dt.date(2024, 5, 1))

    assert reload(service).end == dt.date(2024, 5, 1)
    assert_audited("service.end", caseworker, service)


def test_a_service_ends_once(caseworker, victim):
    service = add_service(victim, acting_user=caseworker)
    service_end(acting_user=caseworker, service=service, end=dt.date(2024, 5, 1))
    ended = reload(service)

    with refused("This service has already ended.", ended):
        service_end(acting_user=caseworker, service=ended, end=dt.date(2024, 5, 2))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TOMORROW, "The end of the service cannot be in the future."),
        (
            dt.date(2024, 3, 14),
            "The end of the service (2024-03-14) cannot be before the start of the service "
            "(2024-03-15).",
        ),
    ],
)
def test_it_refuses_a_service_end_in_the_future_or_before_its_start(
    caseworker, victim, day, message
):
    service = add_service(victim, acting_user=caseworker)

    with refused(message, service):
        service_end(acting_user=caseworker, service=service, end=day)
