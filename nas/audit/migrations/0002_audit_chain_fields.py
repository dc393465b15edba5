# The hash chain, step 1: nullable position and hash columns, the person index, the head.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, unique=True, verbose_name="position in the chain"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous entry's hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(verbose_name="entries in the chain")),
                ("hash", models.CharField(max_length=64, verbose_name="hash of the last entry")),
                ("event_id", models.BigIntegerField(null=True, verbose_name="id of the last entry")),
            ],
            options={
                "verbose_name": "head of the audit chain",
                "verbose_name_plural": "head of the audit chain",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="audit_head_one_row")
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditEventPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_id", models.BigIntegerField(verbose_name="person")),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="person_links",
                        to="audit.auditevent",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "person of an audit event",
                "verbose_name_plural": "persons of audit events",
                "ordering": ["event_id", "person_id"],
                "indexes": [
                    models.Index(fields=["person_id", "event"], name="audit_person_event")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "person_id"), name="audit_event_person_once"
                    )
                ],
            },
        ),
    ]
