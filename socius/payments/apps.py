from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "socius.payments"
    label = "payments"
    verbose_name = _("Funds and payments")

    def ready(self) -> None:
        # Benefits sits below payments and cannot call it: payments registers what an approved decision
        # does to the funds (a commitment, or its release) in the hook benefits offers (decision 0014).
        from socius.benefits import hooks
        from socius.payments import funds

        hooks.register_approval_hook(funds.on_decisions_approved)
