from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "socius.common"
    label = "common"
