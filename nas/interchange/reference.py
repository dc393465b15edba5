"""The reference lists a dossier's codes name, loaded once per import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import models

from nas.assistance.choices import Provider
from nas.assistance.models import ServiceType
from nas.casework.choices import (
    ClientType,
    ExploiterRelation,
    GrantedBy,
    IdentificationGround,
    Place,
)
from nas.casework.models import EndReason, ExploitationForm, LabourSector, MeansOfControl
from nas.common.models import Office
from nas.people.choices import AgeAssessment, Gender
from nas.people.models import PermitType, ResidenceCategory
from nas.referrals.choices import Channel, Outcome
from nas.referrals.models import NegativeReason, Organisation, ReferrerType

M = TypeVar("M", bound=models.Model)

# Lists kept as choices in the code (their codes are those of INTERCHANGE.md section 1).
CHANNELS = frozenset(Channel.values)
GENDERS = frozenset(Gender.values)
AGE_ASSESSMENTS = frozenset(AgeAssessment.values)
CLIENT_TYPES = frozenset(ClientType.values)
OUTCOMES = frozenset(Outcome.values)
PLACES = frozenset(Place.values)
EXPLOITER_RELATIONS = frozenset(ExploiterRelation.values)
GRANTED_BY = frozenset(GrantedBy.values)
IDENTIFICATION_GROUNDS = frozenset(IdentificationGround.values)
PROVIDERS = frozenset(Provider.values)


def _by_code(model: type[M]) -> dict[str, M]:
    return {str(item.pk): item for item in model._default_manager.all()}


@dataclass(frozen=True)
class ReferenceLists:
    """Every reference row by code, and the organisations by name."""

    offices: dict[str, Office]
    referrer_types: dict[str, ReferrerType]
    negative_reasons: dict[str, NegativeReason]
    forms: dict[str, ExploitationForm]
    sectors: dict[str, LabourSector]
    means_of_control: dict[str, MeansOfControl]
    end_reasons: dict[str, EndReason]
    residence_categories: dict[str, ResidenceCategory]
    permit_types: dict[str, PermitType]
    service_types: dict[str, ServiceType]
    organisations: dict[str, Organisation]

    @classmethod
    def load(cls) -> ReferenceLists:
        """Read every list once (11 queries), so that no line looks a code up again."""
        return cls(
            offices=_by_code(Office),
            referrer_types=_by_code(ReferrerType),
            negative_reasons=_by_code(NegativeReason),
            forms=_by_code(ExploitationForm),
            sectors=_by_code(LabourSector),
            means_of_control=_by_code(MeansOfControl),
            end_reasons=_by_code(EndReason),
            residence_categories=_by_code(ResidenceCategory),
            permit_types=_by_code(PermitType),
            service_types=_by_code(ServiceType),
            organisations={org.name: org for org in Organisation.objects.all()},
        )
