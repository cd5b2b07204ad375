"""Small builders for accounts tests.

Accounts sits below the registry, so its tests may not import socius.testing.factories (which
imports registry models; the import-layer contract would break): they build users directly.
"""

from socius.accounts.models import Centre, User


def make_centre(code: str, jurisdiction: str = "PL") -> Centre:
    return Centre.objects.create(code=code, name=code.upper(), jurisdiction=jurisdiction)


def make_user(username: str, centre: Centre | None, role: str, *, is_active: bool = True) -> User:
    return User.objects.create_user(
        username=username, password="pass-word-123", centre=centre, role=role, is_active=is_active
    )
