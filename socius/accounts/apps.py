from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "socius.accounts"
    label = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self):
        # Every login stamps its session with its moment, whichever path made it (the login form, the second
        # factor, Django's test client's force_login): the absolute lifetime and "sign out of all sessions" count
        # from it (socius.accounts.sessions, decision 0021). Session bookkeeping, not business flow.
        from django.contrib.auth.signals import user_logged_in

        from socius.accounts.sessions import stamp_on_login

        user_logged_in.connect(stamp_on_login, dispatch_uid="socius_stamp_session")
