from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyConfig(AppConfig):
    name = "socius.family"
    label = "family"
    verbose_name = _("Family assistance and child protection")

    def ready(self) -> None:
        # A Blue Card is invisible outside its group and the director (decision 0015): its audit events too.
        # Auditors read the rest of the log; the director, who sees every card of the centre, reads these.
        from socius.accounts.roles import Role
        from socius.accounts.selectors import register_restricted_record_type

        register_restricted_record_type("blue_card", lambda actor: actor.role == Role.DIRECTOR)
