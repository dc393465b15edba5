"""Load the reference lists of this app (codes of INTERCHANGE.md)."""

from django.db import migrations

from nas.common import reference_data as data


def load(apps, schema_editor):
    data.load(apps, "casework.ExploitationForm", data.EXPLOITATION_FORMS)
    data.load(apps, "casework.LabourSector", data.LABOUR_SECTORS)
    data.load(apps, "casework.MeansOfControl", data.MEANS_OF_CONTROL)
    data.load(apps, "casework.EndReason", data.END_REASONS)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
