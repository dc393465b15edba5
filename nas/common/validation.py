"""Validation helpers shared by the services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from nas.common.dates import today
from nas.common.errors import DomainError

# The assistance system has existed since 2006; no record of it is older.
SYSTEM_START = dt.date(2006, 1, 1)


def refuse(message: str | Promise, *, field: str | None = None) -> DomainError:
    """Return the error to raise when a rule is broken (used as `raise refuse(...)`)."""
    return DomainError(message, field=field)


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's validation and turn its first error into a DomainError."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            raise DomainError(
                errors[0].messages[0], field=None if field == "__all__" else field
            ) from exc
        raise DomainError(exc.messages[0]) from exc


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
