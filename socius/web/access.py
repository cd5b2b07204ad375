"""Every UI view declares who may use it. A test walks the URL conf and fails on undeclared views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def requires(capability: str, *, or_if=None):
    """Login required, then the capability (see accounts.roles) or AUTHENTICATED for any staff member.
    `or_if(user)`: a right given to a person rather than a role (staff the director authorised to approve
    decisions, benefits.selectors.is_authorised_approver) that lets in a user whose role lacks it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.centre_id:
                raise PermissionDenied
            if capability != AUTHENTICATED and not user.can(capability) and not (or_if and or_if(user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.socius_permission = capability
        return wrapped

    return decorator


def public(view):
    view.socius_permission = PUBLIC
    return view
