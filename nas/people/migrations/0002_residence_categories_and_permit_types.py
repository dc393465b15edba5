"""Load the reference lists of this app (codes of INTERCHANGE.md)."""

from django.db import migrations

from nas.common import reference_data as data


def load(apps, schema_editor):
    data.load(apps, "people.ResidenceCategory", data.RESIDENCE_CATEGORIES)
    data.load(apps, "people.PermitType", data.PERMIT_TYPES)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
