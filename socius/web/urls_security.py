"""UI routes of staff sign-in: two-factor devices and recovery codes, sessions, API tokens (issue 13),
included in web/urls.py under the "web" namespace. The login's own steps are in web/urls.py (auth_urlpatterns)."""

from django.urls import path

from socius.web.views import signin

urlpatterns: list = [
    path("account/sign-in/", signin.account_security, name="account_security"),
    path("account/sign-in/authenticator/", signin.account_authenticator, name="account_authenticator"),
    path("account/sign-in/recovery-codes/", signin.account_recovery_codes, name="account_recovery_codes"),
    path(
        "account/sign-in/sign-out-everywhere/", signin.account_sign_out_everywhere, name="account_sign_out_everywhere"
    ),
    path("account/tokens/<int:pk>/revoke/", signin.token_revoke, name="token_revoke"),
    path("admin-centre/sign-in/", signin.two_factor_roles, name="two_factor_roles"),
    path("admin-centre/staff/<int:pk>/sign-in/", signin.staff_sign_in, name="staff_sign_in"),
    path(
        "admin-centre/staff/<int:pk>/sign-in/sign-out-everywhere/",
        signin.staff_sign_out_everywhere,
        name="staff_sign_out_everywhere",
    ),
    path(
        "admin-centre/staff/<int:pk>/sign-in/reset-two-factor/",
        signin.staff_reset_two_factor,
        name="staff_reset_two_factor",
    ),
]
