"""The pages of the client file's actions issue as many SQL queries for a client with 200
rows of each kind (and 200 colleagues in the lists of staff) as for one with 10."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from nas.casework.services import assistance_end, note_add, task_create
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.documents.tests.factories import add_document

# Each page, and which of the client's records it acts on (None: the client only).
PAGES = [
    ("client_exploitation_add", None),
    ("client_exploitation_primary", "exploitation"),
    ("client_exploitation_remove", "exploitation"),
    ("client_residence_add", None),
    ("client_service_add", None),
    ("client_service_end", "service"),
    ("client_reflection_add", None),
    ("client_identify", None),
    ("client_note_add", None),
    ("client_task_add", None),
    ("client_task_complete", "task"),
    ("client_assign", None),
    ("client_restrict", None),
    ("client_child_add", None),
    ("client_end", None),
    ("documents:add", None),
]


def test_the_action_pages_issue_as_many_queries_with_200_rows_as_with_10(client, decision_maker):
    victim = testing.make_client(
        caseworker=decision_maker, received=dt.date(2023, 1, 2), decided=dt.date(2023, 1, 16)
    )
    first: dict[str, Any] = {
        "exploitation": testing.add_exploitation(victim, acting_user=decision_maker),
        "service": testing.add_service(victim, acting_user=decision_maker),
        "task": task_create(
            acting_user=decision_maker, client=victim, title="A task", due=victim.admitted
        ),
    }
    addresses = {
        name: reverse(name, args=[victim.pk] + ([first[record].pk] if record else []))
        for name, record in PAGES
    }
    number = iter(range(1000))

    def add_rows(n: int) -> None:
        for _i in range(n):
            on = victim.admitted + dt.timedelta(days=next(number) + 1)
            testing.make_caseworker("helsinki", username=f"colleague{on.toordinal()}")
            testing.add_exploitation(victim, acting_user=decision_maker, is_primary=False)
            testing.add_residence(victim, acting_user=decision_maker, valid_from=on)
            testing.add_service(victim, acting_user=decision_maker, start=on)
            note_add(acting_user=decision_maker, client=victim, date=on, text="A note.")
            task_create(acting_user=decision_maker, client=victim, title="A task", due=on)
            testing.make_child(victim, acting_user=decision_maker, admitted=on)
            add_document(victim, acting_user=decision_maker)

    sign_in_verified(client, decision_maker)
    add_rows(10)
    with_few = {name: testing.queries_for(client, address) for name, address in addresses.items()}
    add_rows(190)
    with_many = {name: testing.queries_for(client, address) for name, address in addresses.items()}
    assert with_many == with_few
    # The lists of staff on the pages did grow: 200 colleagues to choose from.
    assert client.get(addresses["client_assign"]).content.decode().count("colleague") >= 200


def _former_client(decision_maker: Any, rows: int) -> Any:
    """A client whose assistance ended, after ROWS services, notes and tasks."""
    victim = testing.make_client(
        caseworker=decision_maker, received=dt.date(2023, 1, 2), decided=dt.date(2023, 1, 16)
    )
    for n in range(rows):
        on = victim.admitted + dt.timedelta(days=n + 1)
        testing.add_exploitation(victim, acting_user=decision_maker, is_primary=n == 0)
        testing.add_service(victim, acting_user=decision_maker, start=on)
        note_add(acting_user=decision_maker, client=victim, date=on, text="A note.")
        task_create(acting_user=decision_maker, client=victim, title="A task", due=on)
    return assistance_end(
        acting_user=decision_maker,
        client=testing.reload(victim),
        date=dt.date(2024, 6, 30),
        reason=testing.end_reason(),
    )


def test_the_readmission_page_issues_as_many_queries_for_a_former_client_with_200_rows(
    client, decision_maker
):
    few, many = _former_client(decision_maker, 10), _former_client(decision_maker, 200)
    sign_in_verified(client, decision_maker)
    with_few = testing.queries_for(client, reverse("client_readmit", args=[few.pk]))
    with_many = testing.queries_for(client, reverse("client_readmit", args=[many.pk]))
    assert with_few == with_many
