from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "nas.referrals"
    label = "referrals"
