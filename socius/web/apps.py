from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "socius.web"
    label = "web"
