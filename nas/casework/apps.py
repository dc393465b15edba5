from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "nas.casework"
    label = "casework"
