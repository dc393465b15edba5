"""Start and end a client's services, from the client file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from nas.accounts.decorators import permission_required
from nas.assistance.forms import ServiceEndForm, ServiceStartForm
from nas.assistance.services import service_end, service_start
from nas.casework.views import GET_POST, ActionPage, client_action, form_data, visible_client


@permission_required("assistance.add_service")
@GET_POST
def client_service_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Start a service for the client, assessed on individual need."""
    client = visible_client(request, client_id)
    form = ServiceStartForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: service_start(acting_user=request.user, client=client, **form.cleaned_data),
        ActionPage(_("Start a service"), _("Start the service"), _("The service was started.")),
    )


@permission_required("assistance.change_service")
@GET_POST
def client_service_end(request: HttpRequest, client_id: int, service_id: int) -> HttpResponse:
    """End one of the client's running services."""
    client = visible_client(request, client_id)
    service = get_object_or_404(
        client.services.select_related("service_type", "client"), pk=service_id
    )
    form = ServiceEndForm(form_data(request), initial={"version": service.version})
    return client_action(
        request,
        client,
        form,
        lambda: service_end(
            acting_user=request.user,
            service=service,
            end=form.cleaned_data["end"],
            expected_version=form.cleaned_data["version"],
        ),
        ActionPage(_("End a service"), _("End the service"), _("The service was ended.")),
        details=[
            (_("Service"), service.service_type),
            (_("Provider"), service.get_provider_display()),
            (_("Start"), service.start),
        ],
    )
