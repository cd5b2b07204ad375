"""What marks the demo: its centres, its accounts and their one password (read by load_demo and demo_logins).

Kept in accounts because `demo_logins` lives here and may not import the registry, which loads the demo.
"""

from __future__ import annotations

import os

from django.db.models import QuerySet

from socius.accounts.models import Centre, User

PASSWORD_ENV = "SOCIUS_DEMO_PASSWORD"
DEFAULT_PASSWORD = "socius-demo"

# One centre per country; a centre with one of these codes means the demo is loaded.
CENTRE_CODES = {"PL": "pl-moszczenica", "MD": "md-dubasari", "LT": "lt-salcininkai"}
USERNAME_PREFIXES = {"PL": "pl-", "MD": "md-", "LT": "lt-"}


def demo_password() -> str:
    """The password every demo account gets: SOCIUS_DEMO_PASSWORD, or the default when unset or empty."""
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def demo_centres() -> QuerySet[Centre]:
    return Centre.objects.filter(code__in=CENTRE_CODES.values())


def is_demo_loaded() -> bool:
    return demo_centres().exists()


def demo_users() -> QuerySet[User]:
    """The demo accounts: users of the demo centres whose username carries their country's prefix."""
    users = User.objects.none()
    for jurisdiction, code in CENTRE_CODES.items():
        users = users | User.objects.filter(centre__code=code, username__startswith=USERNAME_PREFIXES[jurisdiction])
    return users.select_related("centre")
