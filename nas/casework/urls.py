from __future__ import annotations

from django.urls import path

from nas.casework import views

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path(
        "clients/<int:client_id>/break-glass/",
        views.client_break_glass,
        name="client_break_glass",
    ),
]
