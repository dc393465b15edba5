from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class AccountsConfig(AppConfig):
    name = "nas.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, dispatch_uid="nas.accounts.ensure_roles")
        from nas.accounts.models import User

        m2m_changed.connect(
            _groups_changed, sender=User.groups.through, dispatch_uid="nas.accounts.roles"
        )


def _groups_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A user's groups changed: forget the roles cached on that instance (or on a group)."""
    forget = getattr(instance, "forget_roles", None)
    if forget is not None:
        forget()


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """Give the roles their permissions once every app's permissions exist."""
    from django.apps import apps

    from nas.accounts.services import ensure_roles

    # post_migrate is sent once per app that has models, in INSTALLED_APPS order: act on
    # the last of those, when every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        ensure_roles()
