"""A client's documents."""

from __future__ import annotations

from django.urls import path

from nas.documents import views

app_name = "documents"

urlpatterns = [
    path("client/<int:client_id>/add/", views.add, name="add"),
    path("<int:document_id>/", views.download, name="download"),
]
