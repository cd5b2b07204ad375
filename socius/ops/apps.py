from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "socius.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from socius.ops import celery_signals, checks  # noqa: F401  (checks registers the deployment checks)

        celery_signals.connect()
