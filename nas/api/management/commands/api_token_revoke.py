"""Revoke an organisation's API token: it stops working at once, for good."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.api.models import ApiToken
from nas.api.services import api_token_revoke
from nas.common.errors import DomainError


class Command(BaseCommand):
    help = "Revoke the active API token NAME of an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's name")
        parser.add_argument("--name", required=True, help="the token's label")

    def handle(self, *args: Any, **options: Any) -> None:
        api_token = (
            ApiToken.objects.select_related("organisation")
            .filter(organisation__name=options["organisation"], name=options["name"], revoked=None)
            .first()
        )
        if api_token is None:
            raise CommandError(
                f"{options['organisation']!r} has no active token called {options['name']!r}."
            )
        try:
            api_token_revoke(actor=f"api_token_revoke ({getpass.getuser()})", api_token=api_token)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Token {api_token.name!r} of {api_token.organisation.name} revoked.")
