"""Forms to start and end a client's services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nas.assistance.choices import Provider
from nas.assistance.models import ServiceType
from nas.casework.forms import date_field, reference_field
from nas.common.views import VersionField


class ServiceStartForm(forms.Form):
    service_type = reference_field(ServiceType, _("Service"))
    provider = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)
    provider_name = forms.CharField(
        label=_("Provider's name"),
        max_length=200,
        required=False,
        help_text=_("For a purchased service: the municipality, organisation or company."),
    )
    start = date_field(_("Start"), today_initial=True)
    end = date_field(_("End"), required=False)


class ServiceEndForm(forms.Form):
    end = date_field(_("End"), today_initial=True)
    version = VersionField()
