"""Validation without needless queries gives the answers of Django's own validation.

`nas.common.constraints` evaluates the project's check constraints in Python, and
`nas.common.validation.full_clean` does not look up a foreign key's row already read from the
database. These tests hold both to Django's (and the database's) judgement.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, cast

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from nas.common.constraints import evaluate
from nas.common.errors import DomainError
from nas.common.validation import full_clean
from nas.people.models import Person

pytestmark = pytest.mark.django_db

DATES = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def _against(instance: models.Model, model: type[models.Model]) -> dict[str, Any]:
    """The instance's values as Django's validation sends them to the database."""
    values: dict[str, Any] = instance._get_field_expression_map(meta=model._meta)  # type: ignore[attr-defined]
    return values


def _check_constraints() -> list[tuple[type[models.Model], models.CheckConstraint]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("nas."):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                found.append((model, constraint))
    return found


def _lookups(node: Q) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for child in node.children:
        found.extend(_lookups(child) if isinstance(child, Q) else [cast(Any, child)])
    return found


def _candidates(model: type[models.Model], condition: Q) -> dict[str, list[Any]]:
    """Per field the condition names: NULL, every constant it compares with, and another."""
    values: dict[str, list[Any]] = {}
    for key, expected in _lookups(condition):
        names = [key.split("__")[0]]
        if isinstance(expected, F):
            names.append(str(expected.deconstruct()[1][0]))
        for name in names:
            field = cast(models.Field, model._meta.get_field(name))
            options = values.setdefault(field.attname, [None])
            if isinstance(field, models.ForeignKey):
                extra: list[Any] = [1]
            elif isinstance(field, models.DateField):
                extra = list(DATES)
            elif isinstance(field, models.BooleanField):
                extra = [True, False]
            elif isinstance(field, models.IntegerField):
                extra = [1, 2]
            else:
                extra = ["another value"]
            if not isinstance(expected, F | bool) or isinstance(field, models.BooleanField):
                extra.append(expected)
            options.extend(value for value in extra if value not in options)
    return values


def test_the_project_has_check_constraints_and_all_are_evaluated_in_python() -> None:
    constraints = _check_constraints()
    assert len(constraints) >= 6
    for model, constraint in constraints:
        assert isinstance(constraint.condition, Q)
        assert evaluate(constraint.condition, model(), set(), model) is not None, constraint.name


@pytest.mark.parametrize(
    ("model", "constraint"),
    _check_constraints(),
    ids=lambda item: getattr(item, "name", getattr(item, "__name__", "")),
)
def test_python_and_the_database_agree_on_every_combination(
    model: type[models.Model], constraint: models.CheckConstraint
) -> None:
    condition = constraint.condition
    assert isinstance(condition, Q)
    candidates = _candidates(model, condition)
    combinations = list(itertools.product(*candidates.values()))
    assert len(combinations) >= 3
    verdicts = set()
    for combination in combinations:
        instance = model()
        for attname, value in zip(candidates, combination, strict=True):
            setattr(instance, attname, value)
        in_python = evaluate(condition, instance, set(), model)
        against = _against(instance, model)
        by_database = Q(condition).check(against)
        row = dict(zip(candidates, combination, strict=True))
        assert in_python == by_database, (constraint.name, row)
        verdicts.add(in_python)
    assert verdicts == {True, False}  # the combinations exercised both outcomes


def test_an_unknown_comparison_passes_as_a_check_constraint_does() -> None:
    condition = Q(period_end__gte=F("period_start"))
    model = apps.get_model("reporting", "PublishedStatistics")
    instance = model(period_end=DATES[0])
    instance.period_start = None  # type: ignore[assignment]
    assert evaluate(condition, instance, set(), model) is True
    assert Q(condition).check(_against(instance, model)) is True


def test_what_python_does_not_evaluate_is_left_to_the_database() -> None:
    instance = Person()
    assert evaluate(Q(gender__in=["male"]), instance, set(), Person) is None  # lookup
    assert evaluate(Q(referrals__ref="x"), instance, set(), Person) is None  # a join
    assert evaluate(Q(date_of_birth__isnull=True), instance, {"date_of_birth"}, Person) is None


def test_a_broken_check_constraint_is_refused_with_its_message_without_a_query() -> None:
    person = Person(ref="P-1", gender="female", date_of_birth=DATES[0], birth_year=1990)
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as refused:
        full_clean(person, exclude=["ref"])
    assert "person_dob_or_year" in str(refused.value)
    assert not [q for q in queries.captured_queries if "_check" in q["sql"]]


def test_a_foreign_key_read_from_the_database_is_not_looked_up_again(referral: Any) -> None:
    referral.refresh_from_db()
    office = referral.office  # read from the database: cached on the referral
    assert office is not None
    with CaptureQueriesContext(connection) as queries:
        full_clean(referral)
    office_table = office._meta.db_table
    assert not [q for q in queries.captured_queries if f'FROM "{office_table}"' in q["sql"]]


def test_a_foreign_key_to_a_missing_row_is_still_refused(referral: Any) -> None:
    referral.refresh_from_db()
    referral.office_id = "no-such-office"  # an id, not a row read: it must be looked up
    with pytest.raises(DomainError) as refused:
        full_clean(referral)
    assert refused.value.field == "office"
