# On PostgreSQL the database itself refuses to change or delete audit entries.

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditeventperson")

CREATE = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'raise_exception';
END
$$;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
        )
    # The head is updated by every append but never deleted.
    schema_editor.execute(
        "CREATE TRIGGER audit_auditchainhead_kept BEFORE DELETE ON audit_auditchainhead "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in (*TABLES, "audit_auditchainhead"):
        suffix = "kept" if table == "audit_auditchainhead" else "append_only"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change();")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_audit_chain_required"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
