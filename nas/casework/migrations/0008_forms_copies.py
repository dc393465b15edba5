"""The copies of the client periods' forms (nas/casework/copies.py), filled from the forms."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

IN_FINLAND = ("finland", "finland_and_abroad")


def fill_copies(apps, schema_editor):
    """One UPDATE, as nas.casework.copies.copies_refresh does (that module uses today's models)."""
    client_period = apps.get_model("casework", "ClientPeriod")
    forms = apps.get_model("casework", "Exploitation").objects.filter(client=OuterRef("pk"))
    in_finland = (
        forms.filter(place__in=IN_FINLAND)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    primary = forms.filter(is_primary=True).values("form_id")[:1]
    client_period.objects.update(
        forms_in_finland=Coalesce(Subquery(in_finland), Value(0), output_field=IntegerField()),
        primary_form=Coalesce(Subquery(primary), Value(""), output_field=CharField()),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0007_exploitation_statistics_index'),
        ('common', '0003_office_duty_email'),
        ('people', '0007_person_statistics_index'),
        ('referrals', '0007_pending_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='clientperiod',
            name='client_type_admitted',
        ),
        migrations.AddField(
            model_name='clientperiod',
            name='forms_in_finland',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='clientperiod',
            name='primary_form',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='clientperiod',
            index=models.Index(fields=['client_type', 'admitted', 'ended_on', 'person_gender', 'person_primary_nationality', 'person_date_of_birth', 'person_birth_year', 'person_age_assessment', 'referral_referrer_type', 'forms_in_finland', 'primary_form'], name='client_type_admitted'),
        ),
    ]
