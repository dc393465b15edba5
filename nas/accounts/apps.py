from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "nas.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, dispatch_uid="nas.accounts.ensure_roles")


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """Give the roles their permissions once every app's permissions exist."""
    from django.apps import apps

    from nas.accounts.services import ensure_roles

    # post_migrate is sent once per app, in INSTALLED_APPS order: act on the last one.
    if sender is list(apps.get_app_configs())[-1]:
        ensure_roles()
