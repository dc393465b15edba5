"""Create an API token for a referring organisation and print it, once."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.api.services import api_token_create
from nas.common.errors import DomainError
from nas.referrals.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an API token for a referring organisation and print it. The token is shown "
        "this once: only a keyed hash of it is stored. Give it to the organisation over a "
        "secure channel; revoke it with api_token_revoke."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's name")
        parser.add_argument(
            "--name", required=True, help="a label for the token, e.g. the client system"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation is called {options['organisation']!r}.")
        try:
            api_token, token = api_token_create(
                actor=f"api_token_create ({getpass.getuser()})",
                organisation=organisation,
                name=options["name"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(token)
        self.stderr.write(
            f"Token {api_token.name!r} of {organisation.name} created. It is shown only "
            "this once: store it now."
        )
