from __future__ import annotations

from django.urls import path

from nas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
]
