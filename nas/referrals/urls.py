"""The referrals: inbox, intake, assessment, the admission decision and its letter."""

from __future__ import annotations

from django.urls import URLPattern, path

from nas.referrals import views

app_name = "referrals"

urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("new/", views.referral_new, name="new"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path(
        "<int:referral_id>/start-assessment/",
        views.referral_start_assessment_view,
        name="start_assessment",
    ),
    path("<int:referral_id>/assign/", views.referral_assign_view, name="assign"),
    path("<int:referral_id>/withdraw/", views.referral_withdraw_view, name="withdraw"),
    path("<int:referral_id>/decision/", views.referral_decide, name="decide"),
    path("<int:referral_id>/letter/", views.referral_letter, name="letter"),
    path("<int:referral_id>/letter/pdf/", views.referral_letter_pdf, name="letter_pdf"),
]
