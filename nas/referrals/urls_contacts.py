"""Helpline contacts, anonymous consultations and training events."""

from __future__ import annotations

from django.urls import URLPattern, path

from nas.referrals import views_contacts as views

app_name = "contacts"

urlpatterns: list[URLPattern] = [
    path("helpline/", views.helpline_list, name="helpline"),
    path("helpline/new/", views.helpline_add, name="helpline_add"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_add, name="consultation_add"),
    path("consultations/<int:pk>/link/", views.consultation_link, name="consultation_link"),
    path("training/", views.training_list, name="training"),
    path("training/new/", views.training_add, name="training_add"),
]
