# The hash chain, step 3: every entry has its position in the chain.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_audit_chain_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="position in the chain"
            ),
        ),
    ]
