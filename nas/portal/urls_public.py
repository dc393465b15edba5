"""The public self-referral form (no account)."""

from __future__ import annotations

from django.urls import path

from nas.portal import views_public

app_name = "self_referral"

urlpatterns = [
    path("", views_public.self_referral, name="form"),
    path("received/", views_public.receipt, name="receipt"),
]
