from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "nas.assistance"
    label = "assistance"
