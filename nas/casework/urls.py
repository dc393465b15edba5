"""The client file and every action on it, all under /clients/<id>/."""

from __future__ import annotations

from django.urls import path

from nas.assistance import views as assistance_views
from nas.casework import views

urlpatterns = [
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path(
        "clients/<int:client_id>/break-glass/",
        views.client_break_glass,
        name="client_break_glass",
    ),
    path(
        "clients/<int:client_id>/exploitation/add/",
        views.client_exploitation_add,
        name="client_exploitation_add",
    ),
    path(
        "clients/<int:client_id>/exploitation/<int:exploitation_id>/primary/",
        views.client_exploitation_primary,
        name="client_exploitation_primary",
    ),
    path(
        "clients/<int:client_id>/exploitation/<int:exploitation_id>/remove/",
        views.client_exploitation_remove,
        name="client_exploitation_remove",
    ),
    path(
        "clients/<int:client_id>/residence/add/",
        views.client_residence_add,
        name="client_residence_add",
    ),
    path(
        "clients/<int:client_id>/services/add/",
        assistance_views.client_service_add,
        name="client_service_add",
    ),
    path(
        "clients/<int:client_id>/services/<int:service_id>/end/",
        assistance_views.client_service_end,
        name="client_service_end",
    ),
    path(
        "clients/<int:client_id>/reflection-periods/add/",
        views.client_reflection_add,
        name="client_reflection_add",
    ),
    path("clients/<int:client_id>/identify/", views.client_identify, name="client_identify"),
    path("clients/<int:client_id>/notes/add/", views.client_note_add, name="client_note_add"),
    path("clients/<int:client_id>/tasks/add/", views.client_task_add, name="client_task_add"),
    path(
        "clients/<int:client_id>/tasks/<int:task_id>/complete/",
        views.client_task_complete,
        name="client_task_complete",
    ),
    path("clients/<int:client_id>/assign/", views.client_assign_caseworker, name="client_assign"),
    path("clients/<int:client_id>/restrict/", views.client_restrict, name="client_restrict"),
    path("clients/<int:client_id>/children/add/", views.client_child_add, name="client_child_add"),
    path("clients/<int:client_id>/end/", views.client_end, name="client_end"),
    path("clients/<int:client_id>/readmit/", views.client_readmission, name="client_readmit"),
]
