"""The statistical copies on the admission decisions (nas/casework/copies.py), filled."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_copies(apps, schema_editor):
    """One UPDATE, as nas.casework.copies.decision_copies_refresh does."""
    decision = apps.get_model("referrals", "AdmissionDecision")
    referral = apps.get_model("referrals", "Referral").objects.filter(pk=OuterRef("referral_id"))
    decision.objects.update(
        referral_received=Subquery(referral.values("received")[:1]),
        referral_referrer_type=Subquery(referral.values("referrer_type_id")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0005_status_received_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='admissiondecision',
            name='referral_received',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='admissiondecision',
            name='referral_referrer_type',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='admissiondecision',
            index=models.Index(fields=['date', 'outcome', 'negative_reason', 'referral_referrer_type', 'referral_received'], name='decision_statistics'),
        ),
    ]
