"""Re-encrypt every encrypted value with the newest key of NAS_ENCRYPTION_KEYS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common import crypto
from nas.people.models import Person
from nas.people.services import name_tokens_replace

# Columns derived from encrypted values, recomputed as the values are rotated: the search
# hashes, whose key is derived from the newest encryption key when NAS_SEARCH_KEY is unset.
Derived = Callable[[dict[str, str | None]], dict[str, str | None]]


def _person_hashes(row: dict[str, str | None]) -> dict[str, str | None]:
    name_hash, tokens = crypto.person_search_hashes(
        crypto.decrypt_value(row["given_names"] or ""),
        crypto.decrypt_value(row["family_name"] or ""),
        crypto.decrypt_json(row["aliases"] or ""),
    )
    return {"name_hash": name_hash, "name_tokens": tokens}


DERIVED: dict[type[models.Model], Derived] = {Person: _person_hashes}


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first (newest) key of NAS_ENCRYPTION_KEYS, "
        "in batches, one transaction per batch; recompute the name search hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        counts: dict[str, int] = {}
        for model in apps.get_models():
            fields = crypto.encrypted_fields(model)
            if fields:
                counts[model._meta.label] = self._rotate(model, fields, batch_size)
        audit_log(
            actor="rotate_encryption_key",
            kind=AuditEvent.Kind.UPDATE,
            action="encryption.rotate",
            changes=counts,
        )
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the newest key."))

    def _rotate(
        self, model: type[models.Model], fields: list[crypto.EncryptedTextField], size: int
    ) -> int:
        """Rotate MODEL's encrypted columns in batches of SIZE rows by primary key."""
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
        columns = [str(f.column) for f in fields]
        derive = DERIVED.get(model)
        total, done, last = model._default_manager.count(), 0, None
        # Table and column names come from the models, quoted; values are always parameters.
        select = "SELECT {}, {} FROM {}".format(  # nosec B608
            pk, ", ".join(quote(c) for c in columns), table
        )
        lock = "" if connection.vendor == "sqlite" else " FOR UPDATE"
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                after = "" if last is None else f" WHERE {pk} > %s"
                cursor.execute(
                    f"{select}{after} ORDER BY {pk} LIMIT %s{lock}",
                    [size] if last is None else [last, size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                updates = [self._rotated_row(columns, row, derive) for row in rows]
                names = list(updates[0][1])
                sets = ", ".join(f"{quote(name)} = %s" for name in names)
                update = "UPDATE {} SET {} WHERE {} = %s".format(table, sets, pk)  # noqa: UP032 # nosec B608
                cursor.executemany(update, [[*values.values(), key] for key, values in updates])
                if model is Person:
                    name_tokens_replace(
                        {key: values["name_tokens"] or "" for key, values in updates}
                    )
            last, done = rows[-1][0], done + len(rows)
            self.stdout.write(f"{model._meta.label}: {done} of {total}")
        return done

    @staticmethod
    def _rotated_row(
        columns: list[str], row: tuple[Any, ...], derive: Derived | None
    ) -> tuple[Any, dict[str, str | None]]:
        values = {
            column: None if value is None else crypto.rotate_value(value)
            for column, value in zip(columns, row[1:], strict=True)
        }
        if derive is not None:
            values |= derive(values)
        return row[0], values
