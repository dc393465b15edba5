"""The audit log: who read or changed what, and when; append-only and hash-chained."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an audit entry."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"The audit log is append-only: {what} is refused.")


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that cannot update or delete rows in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:
        _refuse("delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update")


class AppendOnlyModel(models.Model):
    """A model whose rows, once written, are never changed or deleted.

    The database enforces it too on PostgreSQL (a trigger, migration 0005).
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing an entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleting an entry")


class AuditEvent(AppendOnlyModel):
    """Record one read or change of data, written in the transaction of the action."""

    class Kind(models.TextChoices):
        READ = "read", _("read")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        SIGN_IN = "sign_in", _("sign-in")
        SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
        SIGN_OUT = "sign_out", _("sign-out")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The chain: the entry's gap-free position, the previous entry's hash and its own.
    seq = models.PositiveBigIntegerField(_("position in the chain"), unique=True, editable=False)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [models.Index(fields=["actor", "occurred_at"], name="audit_actor_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditEventPerson(AppendOnlyModel):
    """Index an audit event under each person it concerns (derived from the event)."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="person_links", verbose_name=_("event")
    )
    person_id = models.BigIntegerField(_("person"))

    class Meta:
        verbose_name = _("person of an audit event")
        verbose_name_plural = _("persons of audit events")
        ordering = ["event_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person_id"], name="audit_event_person_once")
        ]
        indexes = [models.Index(fields=["person_id", "event"], name="audit_person_event")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.person_id}"


class AuditChainHead(models.Model):
    """Hold the last entry of the chain: its position and hash (a single row).

    Appends lock and update it, so they are serialised, and `audit_verify` compares the
    last entry with it to find entries removed from the end of the log.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(_("entries in the chain"))
    hash = models.CharField(_("hash of the last entry"), max_length=64)
    event_id = models.BigIntegerField(_("id of the last entry"), null=True)

    class Meta:
        verbose_name = _("head of the audit chain")
        verbose_name_plural = _("head of the audit chain")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_one_row")]

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"
