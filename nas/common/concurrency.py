"""Optimistic concurrency: save only when nobody changed the row since it was read."""

from __future__ import annotations

from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from nas.common.errors import ConcurrentEditError
from nas.common.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


def save_versioned(instance: M, *, expected_version: int | None, update_fields: list[str]) -> M:
    """Write UPDATE_FIELDS if the row is still at EXPECTED_VERSION, else refuse.

    EXPECTED_VERSION is the version the user's form was rendered with; None means the
    caller holds the row it just read in this transaction.
    """
    version = instance.version if expected_version is None else expected_version
    values = {name: getattr(instance, name) for name in update_fields}
    values["updated_at"] = timezone.now()
    changed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=version)
        .update(version=version + 1, **values)
    )
    if changed != 1:
        raise concurrent_edit()
    instance.version = version + 1
    instance.updated_at = values["updated_at"]
    return instance


def check_version(instance: VersionedModel, *, expected_version: int | None) -> None:
    """Refuse at once when INSTANCE, as read now, is no longer at EXPECTED_VERSION.

    For an action whose rules would otherwise judge a row the user did not see (e.g. a task
    someone else completed meanwhile); the write itself still goes through save_versioned.
    """
    if expected_version is not None and instance.version != expected_version:
        raise concurrent_edit()


def concurrent_edit() -> ConcurrentEditError:
    """The refusal of a change to a record someone else changed since it was opened."""
    return ConcurrentEditError(
        _(
            "Someone else changed this record after you opened it. Your changes were "
            "not saved: reload the page to see the current version, then make them again."
        )
    )
