"""API tokens of referring organisations, and the idempotency keys of their submissions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.referrals.models import Organisation, Referral


class ApiToken(models.Model):
    """A referring organisation's credential for the API.

    Only a keyed hash of the token is stored (nas.api.tokens): the token itself is shown once,
    when it is created, and cannot be recovered from the database.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=models.Q(revoked__isnull=True),
                name="api_token_name_unique_while_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.name}"


class IdempotencyKey(models.Model):
    """The first answer to a submission sent with an `Idempotency-Key` header.

    Written in the transaction that stores the referral, under a unique (organisation, key):
    a repeated or concurrent request with the same key gets this answer instead of a second
    referral. `fingerprint` is the hash of the request body, to refuse a key reused for
    another submission.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.JSONField(_("response body"), null=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="idempotency_key_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.key}"
