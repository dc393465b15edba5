"""Load the reference lists of this app (codes of INTERCHANGE.md)."""

from django.db import migrations

from nas.common import reference_data as data


def load(apps, schema_editor):
    data.load(apps, "referrals.ReferrerType", data.REFERRER_TYPES)
    data.load(apps, "referrals.NegativeReason", data.NEGATIVE_REASONS)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
