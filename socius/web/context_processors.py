"""Template context shared by every page."""

from django.conf import settings

from socius.accounts.roles import EDIT_REGISTRY, IMPORT_REGISTRY, MANAGE_STAFF, VIEW_AUDIT, VIEW_REGISTRY, VIEW_STAFF

_CAPABILITIES = (VIEW_REGISTRY, EDIT_REGISTRY, IMPORT_REGISTRY, VIEW_AUDIT, VIEW_STAFF, MANAGE_STAFF)


def socius(request):
    user = getattr(request, "user", None)
    is_staff_member = user is not None and user.is_authenticated
    return {
        "current_centre": user.centre if is_staff_member else None,
        "available_languages": settings.LANGUAGES,
        # {{ perms_socius.edit_registry }} etc.: what the menu and buttons may offer.
        "perms_socius": {cap: is_staff_member and user.can(cap) for cap in _CAPABILITIES},
    }
