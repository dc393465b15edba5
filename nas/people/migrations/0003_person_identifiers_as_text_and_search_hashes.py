"""Step 1 of 3 of encrypting identifiers: text columns for the tokens, nullable search hashes.

The identifier columns become plain text columns (a Fernet token is longer than the former
limits); step 2 encrypts their values in place and fills the hashes, step 3 makes them
encrypted fields and the hashes required.
"""

from django.db import migrations, models


def _text(verbose_name, **kwargs):
    return models.TextField(blank=True, verbose_name=verbose_name, **kwargs)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_residence_categories_and_permit_types")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="anonymised_on",
            field=models.DateField(blank=True, null=True, verbose_name="anonymised on"),
        ),
        migrations.AddField(
            model_name="person",
            name="name_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name="name search hash",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="name_tokens",
            field=models.TextField(
                blank=True, editable=False, null=True, verbose_name="name part search hashes"
            ),
        ),
        migrations.AlterField("person", "given_names", _text("given names")),
        migrations.AlterField("person", "family_name", _text("family name")),
        migrations.AlterField("person", "aliases", _text("aliases", default="")),
        migrations.AlterField("person", "phone", _text("phone")),
        migrations.AlterField("person", "email", _text("e-mail")),
        migrations.AlterField("person", "address", _text("address")),
        migrations.AlterField(
            "person", "personal_identity_code", _text("personal identity code")
        ),
    ]
