"""Load the reference lists of this app (codes of INTERCHANGE.md)."""

from django.db import migrations

from nas.common import reference_data as data


def load(apps, schema_editor):
    data.load(apps, "common.Office", data.OFFICES, data.INACTIVE_OFFICES)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
