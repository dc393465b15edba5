"""Validation helpers shared by the services."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from nas.common.constraints import validate_constraints
from nas.common.dates import today
from nas.common.errors import DomainError

# The assistance system has existed since 2006; no record of it is older.
SYSTEM_START = dt.date(2006, 1, 1)


def refuse(message: str | Promise, *, field: str | None = None) -> DomainError:
    """Return the error to raise when a rule is broken (used as `raise refuse(...)`)."""
    return DomainError(message, field=field)


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's validation and turn its first error into a DomainError.

    This is Django's `Model.full_clean` (fields, `clean`, unique checks, constraints) without
    two kinds of query: a foreign key set to a row already read from the database is not
    looked up again to prove that the row exists (the database's foreign key still holds;
    every other check of the field, and every unique check and constraint that involves it,
    still runs), and a simple check constraint is evaluated in Python
    (`nas.common.constraints`) rather than by a query in a savepoint.
    """
    skipped = set(exclude or ())
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=skipped | _known_rows(instance))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for check in (instance.validate_unique, partial(validate_constraints, instance)):
        # As Django does: the unique checks and constraints of the fields that passed.
        skipped |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            check(exclude=skipped)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        field, messages = next(iter(errors.items()))
        message = messages[0]
        text = message.messages[0] if isinstance(message, ValidationError) else str(message)
        raise DomainError(text, field=None if field == NON_FIELD_ERRORS else field)


def _known_rows(instance: models.Model) -> set[str]:
    """The foreign keys of INSTANCE set to an object read from (or saved to) the database."""
    known = set()
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):  # OneToOneField is one too
            continue
        if field.get_limit_choices_to() or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if (
            related is not None
            and not related._state.adding
            and getattr(related, field.target_field.attname) == getattr(instance, field.attname)
        ):
            known.add(field.name)
    return known


def check_not_future(day: dt.date | None, *, field: str, label: str | Promise) -> None:
    """Refuse a date after today."""
    if day is not None and day > today():
        raise refuse(_("%(label)s cannot be in the future.") % {"label": label}, field=field)


def check_not_before(
    day: dt.date | None,
    limit: dt.date,
    *,
    field: str,
    label: str | Promise,
    limit_label: str | Promise,
) -> None:
    """Refuse a date before LIMIT."""
    if day is not None and day < limit:
        raise refuse(
            _("%(label)s (%(day)s) cannot be before %(limit_label)s (%(limit)s).")
            % {
                "label": label,
                "day": day.isoformat(),
                "limit_label": limit_label,
                "limit": limit.isoformat(),
            },
            field=field,
        )


def check_event_date(
    day: dt.date | None,
    *,
    earliest: dt.date,
    earliest_label: str | Promise,
    field: str,
    label: str | Promise,
) -> None:
    """Refuse a date in the future or before the record it follows."""
    check_not_future(day, field=field, label=label)
    check_not_before(day, earliest, field=field, label=label, limit_label=earliest_label)


def check_range(start: dt.date | None, end: dt.date | None, *, field: str = "end") -> None:
    """Refuse an end before its start."""
    if start is not None and end is not None and end < start:
        raise refuse(_("The end date cannot be before the start date."), field=field)


def check_since_system_start(
    day: dt.date | None, *, field: str = "date", label: str | Promise | None = None
) -> None:
    """Refuse a date in the future or before the assistance system existed."""
    check_event_date(
        day,
        earliest=SYSTEM_START,
        earliest_label=_("the start of the assistance system"),
        field=field,
        label=label or _("The date"),
    )
