from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "socius.plans"
    label = "plans"
    verbose_name = _("Help plans and social contracts")
