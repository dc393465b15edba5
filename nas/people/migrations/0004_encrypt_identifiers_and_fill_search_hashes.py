"""Step 2 of 3 of encrypting identifiers: encrypt the values in place and fill the hashes.

The reverse decrypts rather than doing nothing: the values are transformed in place, and
the schema before this migration reads those columns as clear text.
"""

import json

from django.db import migrations

from nas.common import crypto

TEXT_FIELDS = ("given_names", "family_name", "phone", "email", "address", "personal_identity_code")
BATCH = 1000


def _batches(Person):
    batch = []
    for person in Person.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(person)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def encrypt(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for batch in _batches(Person):
        for person in batch:
            aliases = json.loads(person.aliases) if person.aliases else []
            person.name_hash, person.name_tokens = crypto.person_search_hashes(
                person.given_names, person.family_name, aliases
            )
            for name in TEXT_FIELDS:
                setattr(person, name, crypto.encrypt_value(getattr(person, name) or ""))
            person.aliases = crypto.encrypt_json(aliases)
        Person.objects.bulk_update(batch, [*TEXT_FIELDS, "aliases", "name_hash", "name_tokens"])


def decrypt(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for batch in _batches(Person):
        for person in batch:
            for name in TEXT_FIELDS:
                setattr(person, name, crypto.decrypt_value(getattr(person, name) or ""))
            person.aliases = json.dumps(crypto.decrypt_json(person.aliases or ""))
        Person.objects.bulk_update(batch, [*TEXT_FIELDS, "aliases"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_identifiers_as_text_and_search_hashes")]

    operations = [migrations.RunPython(encrypt, decrypt)]
