from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Statistics computed from the records, their disclosure control and publications."""

    name = "nas.reporting"
    label = "reporting"
