from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "nas.people"
    label = "people"
