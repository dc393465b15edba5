from __future__ import annotations

from django.urls import path

from nas.casework import views

urlpatterns = [
    path("", views.home, name="home"),
]
