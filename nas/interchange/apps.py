from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """The dossier format of INTERCHANGE.md: import and export of whole records."""

    name = "nas.interchange"
    label = "interchange"
