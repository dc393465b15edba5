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

    # post_migrate is sent once per app that has models, in INSTALLED_APPS order: act on
    # the last of those, when every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        ensure_roles()
