"""Step 3 of 3 of encrypting identifiers: encrypted fields, and the search hashes required.

The columns stay text columns; only the fields that read and write them change.
"""

import django.core.validators
from django.db import migrations, models

import nas.common.crypto


class Migration(migrations.Migration):
    dependencies = [("people", "0004_encrypt_identifiers_and_fill_search_hashes")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="given_names",
            field=nas.common.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="given names"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="family_name",
            field=nas.common.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="family name"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="aliases",
            field=nas.common.crypto.EncryptedJSONListField(
                blank=True, default=list, verbose_name="aliases"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=nas.common.crypto.EncryptedTextField(
                blank=True, max_length=50, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="email",
            field=nas.common.crypto.EncryptedTextField(
                blank=True,
                max_length=254,
                validators=[django.core.validators.EmailValidator()],
                verbose_name="e-mail",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="address",
            field=nas.common.crypto.EncryptedTextField(blank=True, verbose_name="address"),
        ),
        migrations.AlterField(
            model_name="person",
            name="personal_identity_code",
            field=nas.common.crypto.EncryptedTextField(
                blank=True, max_length=11, verbose_name="personal identity code"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="name search hash",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_tokens",
            field=models.TextField(
                blank=True, editable=False, verbose_name="name part search hashes"
            ),
        ),
    ]
