from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "socius.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # The indicator modules register their indicators at import (socius.reporting.indicators.register).
        from socius.reporting import indicators_casework, indicators_programmes  # noqa: F401
        from socius.reporting.statutory import registry  # noqa: F401
