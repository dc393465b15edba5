from __future__ import annotations

from django.urls import path

from nas.audit import views, views_subject_access

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("person/", views.person_access, name="person_access"),
    path("person/export/", views.person_access_export, name="person_access_export"),
    path("user/", views.user_activity, name="user_activity"),
    path("user/export/", views.user_activity_export, name="user_activity_export"),
    path("person/data/", views_subject_access.subject_access, name="subject_access"),
]
