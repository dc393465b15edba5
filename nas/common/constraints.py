"""Check constraints of a model instance, evaluated in Python where that gives the same answer.

Django validates a `CheckConstraint` by sending its condition to the database with the
instance's values (`SELECT 1 WHERE ...`, inside a savepoint: three statements). The conditions
of this project are simple: fields of the row compared with constants, `isnull`, and fields of
the same row (`F`). For those, `evaluate` gives the answer of SQL here, with SQL's three-valued
logic (a comparison with NULL is unknown, and an unknown condition passes, as the database's
CHECK does and as Django's own validation does); a condition it does not understand is left to
Django's validation (`None` from `evaluate`). A test compares both on every constraint of the
project over many rows, so the two cannot drift apart.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import F, Q

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class _Unsupported(Exception):
    """The condition uses something `evaluate` does not evaluate: ask the database."""


def evaluate(
    condition: Q, instance: models.Model, exclude: set[str], model: type[models.Model]
) -> bool | None:
    """Return whether INSTANCE satisfies CONDITION (of MODEL) as the database would judge it.

    True: it passes (also when the condition is unknown, as a CHECK does); False: it is
    violated; None: not evaluated here (an unsupported lookup, an expression as a value, or a
    field in EXCLUDE, which Django's validation skips): use Django's validation.
    """
    try:
        values = {
            field.name: getattr(instance, field.attname)
            for field in model._meta.local_concrete_fields
            if field.name not in exclude
        }
        result = _node(condition, values)
    except (_Unsupported, TypeError):
        return None
    return result is not False


def _node(node: Q, values: dict[str, Any]) -> bool | None:
    results = [
        _node(child, values) if isinstance(child, Q) else _lookup(child, values)
        for child in node.children
    ]
    if node.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif node.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise _Unsupported(node.connector)
    if node.negated:
        return None if result is None else not result
    return result


def _lookup(child: Any, values: dict[str, Any]) -> bool | None:
    if not isinstance(child, tuple) or len(child) != 2:
        raise _Unsupported(child)
    key, expected = child
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    value = _value(name, values)
    if lookup == "isnull":
        if not isinstance(expected, bool):
            raise _Unsupported(child)
        return (value is None) == expected
    if lookup not in _COMPARE:
        raise _Unsupported(child)
    if isinstance(expected, F):
        expected = _value(str(expected.deconstruct()[1][0]), values)
    elif hasattr(expected, "resolve_expression"):
        raise _Unsupported(child)
    elif expected is None and lookup == "exact":
        return value is None  # Django turns `field=None` into IS NULL
    if value is None or expected is None:
        return None  # SQL: a comparison with NULL is unknown
    return _COMPARE[lookup](value, expected)


def _value(name: str, values: dict[str, Any]) -> Any:
    if name not in values:
        raise _Unsupported(name)  # a related field's column, or an excluded field
    value = values[name]
    if hasattr(value, "resolve_expression"):
        raise _Unsupported(name)
    return value


def validate_constraints(instance: models.Model, exclude: set[str]) -> None:
    """Django's `Model.validate_constraints`, with the check constraints evaluated here."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict[str, Any] = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                condition = getattr(constraint, "condition", None)
                if isinstance(constraint, models.CheckConstraint) and isinstance(condition, Q):
                    passed = evaluate(condition, instance, exclude, model)
                    if passed is False:
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                    if passed:
                        continue
                constraint.validate(model, instance, exclude=exclude, using=using)
            except ValidationError as error:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
