"""The dashboard and the client search."""

from __future__ import annotations

from django.urls import path

from nas.casework import views_dashboard, views_search

urlpatterns = [
    path("", views_dashboard.home, name="home"),
    path("clients/", views_search.client_search, name="client_search"),
]
