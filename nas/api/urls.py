"""The API's URLs: version 1 under /api/v1/, the schema and its documentation beside it."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from nas.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("v1/referrals/", views.ReferralsView.as_view(), name="referrals"),
    path("v1/referrals/<str:ref>/", views.ReferralView.as_view(), name="referral"),
    path("v1/reference/<str:list_name>/", views.ReferenceListView.as_view(), name="reference"),
    re_path(
        r"^v1/statistics/(?P<year>[0-9]{4})/$",
        views.StatisticsYearView.as_view(),
        name="statistics_year",
    ),
    re_path(
        r"^v1/statistics/(?P<year>[0-9]{4})/(?P<half>h1|h2)/$",
        views.StatisticsHalfYearView.as_view(),
        name="statistics_half_year",
    ),
    # Last: every other URL under /api/ answers a JSON 404 (also one with a newline in it).
    re_path(r"^(?P<path>[\s\S]*)$", views.NotFoundView.as_view(), name="not_found"),
]
