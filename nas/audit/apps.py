from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nas.audit"
    label = "audit"
