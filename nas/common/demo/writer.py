"""Fast batched inserts for the demo data generator.

Django's bulk_create builds a model instance per row and prepares every value through its
field; measured on SQLite it writes about 13,000 rows a second, which is too slow for the
benchmarks' million referrals (each referral is about eight rows). The generator therefore
prepares plain tuples of database values itself and inserts them in large batches with the
DB-API's executemany (with COPY on PostgreSQL), on the models' own tables and columns (taken
from _meta, so a renamed column follows the model). Columns the generator does not fill get
the field's default, prepared once, so a field added later with a default does not break the
inserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Max


class Table:
    """The pending rows of one table."""

    def __init__(self, writer: BulkWriter, model: type[models.Model], fields: Sequence[str]):
        meta = model._meta
        self.model = model
        self.writer = writer
        concrete = {f.attname: f for f in meta.concrete_fields}
        columns = [str(concrete[name].column) for name in fields]
        extra: list[Any] = []
        for attname, field in concrete.items():
            if attname in fields or field.primary_key:
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{meta.label}.{attname} needs a value")
            columns.append(str(field.column))
            extra.append(field.get_db_prep_save(default, connection))
        self.extra = tuple(extra)
        placeholder = "?" if connection.vendor == "sqlite" else "%s"
        quote = connection.ops.quote_name
        # Table and column names come from the model, quoted; every value is a placeholder.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608
            quote(meta.db_table),
            ", ".join(quote(c) for c in columns),
            ", ".join([placeholder] * len(columns)),
        )
        # On PostgreSQL (psycopg 3) COPY is several times faster than executemany.
        self.copy_sql = None
        if connection.vendor == "postgresql":
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(meta.db_table), ", ".join(quote(c) for c in columns)
            )
        self.rows: list[tuple[Any, ...]] = []
        self.batch_size = writer.batch_size
        self.count = 0
        self.explicit_ids = "id" in fields
        self.next_id = 1
        if self.explicit_ids:
            self.next_id = (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row: tuple[Any, ...]) -> None:
        rows = self.rows
        rows.append(row + self.extra if self.extra else row)
        if len(rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cursor = self.writer.cursor
        if self.copy_sql is not None:
            with cursor.copy(self.copy_sql) as copy:
                write_row = copy.write_row
                for row in self.rows:
                    write_row(row)
        else:
            cursor.executemany(self.sql, self.rows)
        self.count += len(self.rows)
        self.rows = []


class BulkWriter:
    """Collect rows per table and insert them in batches, inside the caller's transaction.

    Foreign keys are created DEFERRABLE INITIALLY DEFERRED by Django on SQLite and
    PostgreSQL, so tables may be flushed in any order; the checks run at commit.
    """

    def __init__(self, batch_size: int = 20_000) -> None:
        self.batch_size = batch_size
        connection.ensure_connection()
        # The raw DB-API cursor: Django's wrapper would rewrite the SQL on every batch.
        self.cursor = connection.connection.cursor()
        self.tables: list[Table] = []
        # On SQLite the generator sets bulk load PRAGMAs (a large page cache among them) for
        # the duration of the load. The indexes stay: without the foreign keys' indexes,
        # SQLite's deferred foreign key checks scan whole tables.

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        table = Table(self, model, fields)
        self.tables.append(table)
        return table

    def close(self) -> None:
        for table in self.tables:
            table.flush()
        if connection.vendor != "sqlite":
            from django.core.management.color import no_style

            models_with_ids = [t.model for t in self.tables if t.explicit_ids]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                    cursor.execute(sql)
        self.cursor.close()

    def counts(self) -> dict[str, int]:
        return {t.model._meta.label: t.count for t in self.tables}
