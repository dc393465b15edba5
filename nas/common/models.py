"""Base models: timestamps, optimistic versioning and translatable reference lists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Record when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Carry a version number so that concurrent edits are detected, never overwritten."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class ReferenceItem(models.Model):
    """An entry of a reference list: a stable code and its label in each language."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fi = models.CharField(_("label (Finnish)"), max_length=200)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the label in the active language, English when that one is missing."""
        language = (get_language() or "en")[:2]
        return getattr(self, f"label_{language}", "") or self.label_en


class Office(ReferenceItem):
    """An office of the assistance system."""

    duty_email = models.EmailField(
        _("duty caseworker's e-mail"),
        blank=True,
        help_text=_(
            "Told of each new referral to this office (the message holds no personal data). "
            "Empty: the office's caseworkers are told."
        ),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("office")
        verbose_name_plural = _("offices")
