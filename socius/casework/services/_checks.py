"""Input checks shared by the casework services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.registry.models import Household

# --- shared checks --------------------------------------------------------------------------------


def _pk(value):
    return value.pk if hasattr(value, "pk") else value


def _as_int(value) -> int | None:
    try:
        return int(_pk(value))
    except (TypeError, ValueError):
        return None


def _staff_member(actor: User, value) -> User | None:
    """An active user of the actor's centre, or None (another centre's user looks unknown)."""
    pk = _as_int(value)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first()


def _household(actor: User, value) -> Household | None:
    pk = _as_int(value)
    return Household.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None


def _codes(value) -> list[str]:
    """A list of codes without blanks or repeats, in the order given."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for code in value:
        code = str(code).strip()
        if code and code not in out:
            out.append(code)
    return out


def _unknown_codes_message(codes: list[str]) -> str:
    return _("Unknown code: %(codes)s.") % {"codes": ", ".join(codes)}
