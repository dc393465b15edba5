"""Start and end services delivered to clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nas.assistance.choices import Provider
from nas.assistance.models import Service, ServiceType
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, snapshot
from nas.casework.choices import ClientStatus
from nas.casework.models import ClientPeriod
from nas.common.concurrency import check_version, save_versioned
from nas.common.validation import check_event_date, full_clean, refuse


@transaction.atomic
def service_start(
    *,
    acting_user: Any,
    client: ClientPeriod,
    service_type: ServiceType,
    provider: str,
    start: dt.date,
    provider_name: str = "",
    end: dt.date | None = None,
) -> Service:
    """Start a service for an active client, assessed on individual need."""
    if client.status != ClientStatus.ACTIVE:
        raise refuse(_("An ended client takes no new services until re-admitted."))
    if provider not in Provider.values:
        raise refuse(_("Unknown provider: %(code)s.") % {"code": provider}, field="provider")
    check_event_date(
        start,
        earliest=client.admitted,
        earliest_label=_("the admission"),
        field="start",
        label=_("The start of the service"),
    )
    if end is not None:
        check_event_date(
            end,
            earliest=start,
            earliest_label=_("the start of the service"),
            field="end",
            label=_("The end of the service"),
        )
    service = Service(
        client=client,
        service_type=service_type,
        provider=provider,
        provider_name=provider_name,
        start=start,
        end=end,
    )
    full_clean(service, exclude=["client"])
    service.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="service.start",
        target=service,
        person_id=client.person_id,
        changes=snapshot(service),
    )
    return service


@transaction.atomic
def service_end(
    *, acting_user: Any, service: Service, end: dt.date, expected_version: int | None = None
) -> Service:
    """End a service that is still running; a service changed since the user saw it
    (EXPECTED_VERSION), e.g. ended by someone else, is refused."""
    check_version(service, expected_version=expected_version)
    if service.end is not None:
        raise refuse(_("This service has already ended."))
    check_event_date(
        end,
        earliest=service.start,
        earliest_label=_("the start of the service"),
        field="end",
        label=_("The end of the service"),
    )
    service.end = end
    save_versioned(service, expected_version=expected_version, update_fields=["end"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="service.end",
        target=service,
        person_id=service.client.person_id,
        changes={"end": end},
    )
    return service
