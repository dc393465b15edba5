"""Persons saved before the name search index existed are indexed by migration 0006."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nas.people.models import PersonNameToken

BEFORE = [("people", "0005_person_identifiers_encrypted")]
AFTER = [("people", "0006_person_name_tokens")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_persons_get_their_name_parts_indexed():
    old_apps = _migrate(BEFORE)
    OldPerson = old_apps.get_model("people", "Person")
    named = OldPerson.objects.create(ref="P-1", name_tokens=" aaaa bbbb cccc ")
    OldPerson.objects.create(ref="P-2", name_tokens="")
    _migrate(AFTER)
    rows = PersonNameToken.objects.values_list("person_id", "token")
    assert sorted(rows) == [(named.pk, "aaaa"), (named.pk, "bbbb"), (named.pk, "cccc")]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
