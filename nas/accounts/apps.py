from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nas.accounts"
    label = "accounts"
