"""The referral portal of referring organisations."""

from __future__ import annotations

from django.urls import path

from nas.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:referral_id>/", views.referral, name="referral"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:member_id>/deactivate/", views.deactivate, name="deactivate"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
