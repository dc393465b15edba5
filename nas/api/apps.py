from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "nas.api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular (an extension found by import).
        from nas.api import schema  # noqa: F401
