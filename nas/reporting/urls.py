"""The statistics page, its files and publishing (mounted at /statistics/)."""

from __future__ import annotations

from django.urls import path

from nas.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("download/", views.download, name="download"),
    path("publish/", views.publish, name="publish"),
]
