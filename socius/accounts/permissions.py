"""Permission predicates. `require` raises Forbidden; selectors scope by centre (404 outside it)."""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import EDIT_REGISTRY, IMPORT_REGISTRY, MANAGE_STAFF, VIEW_AUDIT, VIEW_REGISTRY, VIEW_STAFF
from socius.common.errors import Forbidden


def can_view_registry(actor: User) -> bool:
    return actor.can(VIEW_REGISTRY)


def can_edit_registry(actor: User) -> bool:
    return actor.can(EDIT_REGISTRY)


def can_import_registry(actor: User) -> bool:
    return actor.can(IMPORT_REGISTRY)


def can_view_audit(actor: User) -> bool:
    return actor.can(VIEW_AUDIT)


def can_view_staff(actor: User) -> bool:
    return actor.can(VIEW_STAFF)


def can_manage_staff(actor: User) -> bool:
    return actor.can(MANAGE_STAFF)


def require(actor: User, predicate) -> None:
    if not (actor and actor.is_authenticated and predicate(actor)):
        raise Forbidden()


def can_manage_sign_in_of(actor: User, member: User) -> bool:
    """The centre's administrator manages the sign-in (sessions, tokens, second factor) of the centre's staff;
    the deployment's operators (Django superusers and staff) are theirs to manage, not the centre's."""
    if not (actor.is_authenticated and can_manage_staff(actor) and member.centre_id == actor.centre_id):
        return False
    return actor.is_superuser or not (member.is_superuser or member.is_staff)
