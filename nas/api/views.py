"""The REST API, version 1 (docs/api.md).

Referring organisations submit referrals and follow their status with their token; the
reference lists, the schema and its documentation are public; the published statistics need a
token. Each view names who may call it (nas.api.permissions or AllowAny).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from nas.api.authentication import principal_of
from nas.api.idempotency import HEADER, KEY_PATTERN, Answer, check_key, submit_once
from nas.api.permissions import IsReferringOrganisation
from nas.api.reference import LISTS, reference_list
from nas.api.schema import errors
from nas.api.selectors import referrals_of_organisation
from nas.api.serializers import ReferralStatusSerializer, ReferralSubmissionSerializer
from nas.api.throttling import StatisticsRateThrottle, SubmissionRateThrottle
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.dates import Period, today
from nas.common.models import Office
from nas.common.validation import SYSTEM_START
from nas.referrals.choices import Channel
from nas.referrals.external import referral_submit
from nas.referrals.models import Organisation, Referral
from nas.reporting.data import publication_figures
from nas.reporting.services import statistics_object

# --- referrals -------------------------------------------------------------------------


class KnownQueryParameters:
    """Refuse query parameters the endpoint does not know (400), rather than ignore them.

    A misspelt parameter would otherwise be ignored unseen. Checked after authentication,
    so a caller without a token still gets 401.
    """

    query_parameters: tuple[str, ...] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        unknown = sorted(set(request.query_params) - set(self.query_parameters))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Unknown query parameter.")] for name in unknown}
            )
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise serializers.ValidationError(
                {name: [_("Give this query parameter once.")] for name in repeated}
            )


EXAMPLE_REF = "NAS-2025-000042"
REF_PATTERN = r"^[A-Za-z0-9-]{1,40}$"


class ReferralPagination(PageNumberPagination):
    """Pages of 100; a page number is digits only (not empty, not " 1"), else not found."""

    page_size = 100

    def get_page_number(self, request: Request, paginator: Any) -> str:
        number = request.query_params.get(self.page_query_param, "1")
        if not re.fullmatch(r"[0-9]{1,9}", number):
            raise NotFound(_("No such page."))
        return number


def _status_of(organisation: Organisation, referral: Referral) -> dict[str, Any]:
    """Return the API's view of REFERRAL, as the list and the detail show it."""
    row = referrals_of_organisation(organisation).get(pk=referral.pk)
    return dict(ReferralStatusSerializer(row).data)


class ReferralsView(KnownQueryParameters, GenericAPIView[Referral]):
    """An organisation's own referrals (GET), and the submission of a new one (POST)."""

    query_parameters = ("page",)
    permission_classes = [IsReferringOrganisation]
    serializer_class = ReferralStatusSerializer
    pagination_class = ReferralPagination

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = list(super().get_throttles())
        if self.request.method == "POST":
            throttles.append(SubmissionRateThrottle())
        return throttles

    @extend_schema(
        operation_id="referrals_list",
        summary="The caller's referrals, newest first",
        description="Reference number, date received, status and, once decided, whether the "
        "person was admitted. No personal data.",
        responses={200: ReferralStatusSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        organisation = principal_of(request).organisation
        page = self.paginate_queryset(referrals_of_organisation(organisation))
        return self.get_paginated_response(ReferralStatusSerializer(page, many=True).data)

    @extend_schema(
        operation_id="referrals_submit",
        summary="Submit a referral",
        description="Stores the referral with the caller's referrer type and the channel "
        "`api`, and tells the receiving office. With an Idempotency-Key, sending the same "
        "submission again returns the first answer and never stores a second referral.",
        request=ReferralSubmissionSerializer,
        parameters=[
            OpenApiParameter(
                HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                pattern=KEY_PATTERN,
                description="A key the caller makes for this submission (e.g. a UUID). The "
                "same key with the same body returns the first answer.",
            )
        ],
        responses={
            201: OpenApiResponse(ReferralStatusSerializer, description="Stored (or replayed)."),
            **errors(400, 401, 415, 422),
        },
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        organisation = principal.organisation
        submission = ReferralSubmissionSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        data = submission.validated_data

        def submit() -> Referral:
            office = data.get("office")
            return referral_submit(
                actor=principal.label,
                channel=Channel.API,
                referrer_type=organisation.referrer_type,
                person=dict(data["person"]),
                office=Office.objects.get(code=office) if office else None,
                organisation=organisation,
                account=data["account"],
                urgency=data["urgency"],
                safety_concerns=data["safety_concerns"],
                consent=data["consent"],
            )

        def answer(referral: Referral) -> Answer:
            return Answer(status.HTTP_201_CREATED, _status_of(organisation, referral))

        key = request.headers.get(HEADER)
        if key is None:
            result = answer(submit())
        else:
            result = submit_once(
                organisation=organisation,
                key=check_key(key),
                data=data,
                submit=submit,
                answer=answer,
            )
        headers = {"Location": reverse("api:referral", args=[result.body["ref"]])}
        if result.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(result.body, status=result.status, headers=headers)


class ReferralView(KnownQueryParameters, APIView):
    """One of the caller's referrals; another organisation's is not found."""

    permission_classes = [IsReferringOrganisation]

    @extend_schema(
        operation_id="referrals_retrieve",
        summary="One of the caller's referrals",
        parameters=[
            OpenApiParameter(
                "ref",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=REF_PATTERN,
                description="The reference number the submission returned.",
                examples=[OpenApiExample("A reference number", value=EXAMPLE_REF)],
            )
        ],
        responses={200: ReferralStatusSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request, ref: str) -> Response:
        organisation = principal_of(request).organisation
        referral = referrals_of_organisation(organisation).filter(ref=ref).first()
        if referral is None:
            _audit_refused_read(request, ref)
            raise NotFound(_("You have no referral with this reference number."))
        return Response(ReferralStatusSerializer(referral).data)


def _audit_refused_read(request: Request, ref: str) -> None:
    """Put on record a caller asking for a referral not its own (it looks missing to them)."""
    found = Referral.objects.filter(ref=ref).values_list("pk", "person_id").first()
    with transaction.atomic():
        audit_log(
            actor=principal_of(request),
            kind=AuditEvent.Kind.READ,
            action="api.referral_denied",
            target=Referral(pk=found[0]) if found else None,
            person_id=found[1] if found else None,
            changes={"ref": ref[:40]},
        )


# --- reference lists -------------------------------------------------------------------


class LabelsSerializer(serializers.Serializer[Any]):
    en = serializers.CharField()
    fi = serializers.CharField()
    sv = serializers.CharField()


class ReferenceItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    labels = LabelsSerializer()
    active = serializers.BooleanField(help_text="Inactive codes occur in older records only.")


class ReferenceListSerializer(serializers.Serializer[Any]):
    list = serializers.CharField()
    items = ReferenceItemSerializer(many=True)


class ReferenceListView(KnownQueryParameters, APIView):
    """A reference list: public, the same for everyone."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="reference_list",
        summary="A reference list: codes with labels in English, Finnish and Swedish",
        parameters=[
            OpenApiParameter("list_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(LISTS))
        ],
        responses={200: ReferenceListSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, list_name: str) -> Response:
        if list_name not in LISTS:
            raise NotFound(
                _("No such reference list. The lists are: %(lists)s.") % {"lists": ", ".join(LISTS)}
            )
        return Response({"list": list_name, "items": reference_list(list_name)})


# --- statistics ------------------------------------------------------------------------

STATISTICS_SCHEMA = {
    "type": "object",
    "description": "The published figures of the period under the keys of INTERCHANGE.md "
    "section 3: counts, or null when withheld by the disclosure rule.",
    "properties": {
        "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"},
        "suppressed": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The keys withheld (null) by the disclosure rule.",
        },
        "published_at": {
            "type": "string",
            "format": "date-time",
            "description": "Only for a published period: when its figures were frozen.",
        },
        "corrections": {
            "type": "array",
            "description": "Only for a published period: the figures that a computation "
            "from the records now gives differently (published stays the answer).",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "published": {"type": "integer", "nullable": True},
                    "now": {"type": "integer", "nullable": True},
                },
                "required": ["key", "published", "now"],
            },
        },
    },
    "required": ["period_start", "period_end", "suppressed"],
    "additionalProperties": {"type": "integer", "nullable": True},
}
YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[0-9]{4}$",
    description="e.g. 2025",
    examples=[OpenApiExample("A finished year", value="2025")],
)


class _StatisticsView(KnownQueryParameters, APIView):
    """The published statistics of a period, once the period is over."""

    permission_classes = [IsReferringOrganisation]

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), StatisticsRateThrottle()]

    def answer(self, year: str, half: int | None) -> Response:
        number = int(year)
        if number < SYSTEM_START.year:
            raise NotFound(_("There are no statistics before the assistance system started."))
        period = Period.half_year(number, half) if half else Period.year(number)
        if period.end >= today():
            raise NotFound(_("The statistics of a period are published once it is over."))
        # A published period answers its frozen figures (and the corrections made since),
        # as publish_statistics writes them; any other finished period is computed now.
        return Response(statistics_object(publication_figures(period)))


STATISTICS_DESCRIPTION = (
    "Aggregates only, with the disclosure rule applied: the figures as published, never the "
    "internal ones. Only for periods that are over."
)


class StatisticsYearView(_StatisticsView):
    @extend_schema(
        operation_id="statistics_year",
        summary="Published statistics of a year",
        description=STATISTICS_DESCRIPTION,
        parameters=[YEAR],
        responses={200: OpenApiResponse(STATISTICS_SCHEMA), **errors(400, 401, 404)},
    )
    def get(self, request: Request, year: str) -> Response:
        return self.answer(year, None)


class StatisticsHalfYearView(_StatisticsView):
    @extend_schema(
        operation_id="statistics_half_year",
        summary="Published statistics of a half-year: h1 (January-June), h2 (July-December)",
        description=STATISTICS_DESCRIPTION,
        parameters=[
            YEAR,
            OpenApiParameter("half", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["h1", "h2"]),
        ],
        responses={200: OpenApiResponse(STATISTICS_SCHEMA), **errors(400, 401, 404)},
    )
    def get(self, request: Request, year: str, half: str) -> Response:
        return self.answer(year, int(half.removeprefix("h")))


# --- anything else under /api/ ---------------------------------------------------------


class NotFoundView(APIView):
    """Any other URL under /api/: a JSON 404, like every other API error."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(exclude=True)
    def get(self, request: Request, path: str) -> Response:
        raise NotFound(_("There is no such API endpoint. The endpoints are listed at /api/docs/."))

    post = put = patch = delete = get


# --- documentation ---------------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its script and styles served from the site itself (the CSP allows no other)."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    permission_classes = [AllowAny]
    authentication_classes = []
