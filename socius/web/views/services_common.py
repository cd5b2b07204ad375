"""What the services pages share (issue 11): the catalogue of the centre's pack in the reader's language, the
permission of pages read by those who order services or read them all, one write with its refusal on the form.
"""

from __future__ import annotations

from functools import wraps

from django.utils.translation import get_language

from socius.accounts.roles import ORDER_SERVICES, VIEW_SERVICES
from socius.common.errors import Conflict, ValidationFailed
from socius.rulebook import UnknownCode
from socius.services.catalogue import service_catalogue, service_definition
from socius.web.access import requires
from socius.web.views._helpers import add_domain_errors
from socius.web.views._sections import reasons_of


def requires_services_reader(view):
    """Pages of those who order services (social workers) or read every service record (finance, auditors,
    team leaders, the director). `socius_or_capability` tells the URL permission test the second right."""
    wrapped = requires(ORDER_SERVICES, or_if=lambda user: user.can(VIEW_SERVICES))(view)

    @wraps(wrapped)
    def inner(request, *args, **kwargs):
        return wrapped(request, *args, **kwargs)

    inner.socius_permission = ORDER_SERVICES
    inner.socius_or_capability = VIEW_SERVICES
    return inner


def country_of(actor) -> str:
    return actor.centre.jurisdiction


def catalogue_of(actor) -> tuple:
    """The pack's catalogue of services for the actor's centre."""
    return tuple(service_catalogue(actor.centre))


def labels_of(services) -> dict[str, str]:
    language = get_language()
    return {s.code: s.label_in(language) for s in services}


def service_label(centre, code: str, language: str | None = None) -> str:
    try:
        return service_definition(centre, code).label_in(language or get_language())
    except UnknownCode:
        return code


def write(form, call):
    """Validate, call one service; on refusal put the reasons on the form. (result, refusal reasons, status)"""
    if not form.is_valid():
        return None, reasons_of(form), 400
    try:
        return call(form.cleaned_data), [], 200
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, [str(exc.message)], 409
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return None, reasons_of(form, exc), 400
