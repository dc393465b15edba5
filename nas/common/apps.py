from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "nas.common"
    label = "common"
