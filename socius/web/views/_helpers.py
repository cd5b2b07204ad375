"""Small helpers every UI view may share: domain errors to HTTP, form errors, paging, audit display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from socius.common.errors import Forbidden, NotFound, ValidationFailed

T = TypeVar("T")

PAGE_SIZE = 25


def get_or_404(fetch: Callable[..., T], *args, **kwargs) -> T:
    """Call a selector or service; its NotFound (missing or another centre's record) becomes a 404."""
    try:
        return fetch(*args, **kwargs)
    except NotFound:
        raise Http404() from None
    except Forbidden:
        raise PermissionDenied from None


def domain_404(view):
    """View decorator: NotFound raised anywhere inside answers 404, Forbidden 403.

    Keeps `socius_permission` (functools.wraps copies the wrapped function's attributes), so it may sit
    on either side of `web.access.requires`.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except Forbidden:
            raise PermissionDenied from None

    return wrapped


def add_domain_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field messages on the form; unknown fields and non_field_errors go to the top."""
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def paginate(request, items, per_page: int = PAGE_SIZE) -> Page:
    """The requested page (`?page=`); out-of-range or junk page numbers give the nearest valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- audit display -------------------------------------------------------------------------------

_REASONS = {
    "left": _("moved out"),
    "moved": _("moved to another household"),
    "relationship_changed": _("relationship changed"),
}
_EXTRA_LABELS = {
    "household": _("household"),
    "reason": _("reason"),
    "relationship": _("relationship to the head"),
    # Imports, exports and demo loads record counts rather than field values.
    "file_name": _("file"),
    "dry_run": _("dry run"),
    "rows": _("rows"),
    "created": _("created"),
    "present": _("already registered"),
    "rejected": _("rejected"),
    "households_created": _("households created"),
    "households_reused": _("households reused"),
    "memberships_created": _("memberships created"),
    "file_errors": _("file errors"),
    "persons": _("persons"),
    "households": _("households"),
    "seed": _("random seed"),
    "filters": _("filters"),
    # Centre administration: a password reset is recorded as the fact, never the value.
    "password_reset": _("password reset"),
}
EMPTY = "—"


def _model_field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


_EXTRA_ORDER = ("household", "relationship", "reason")


def _field_rank(model: type[models.Model] | None, name: str) -> tuple:
    """Model field order, then the known extras, then the rest by name: PostgreSQL's jsonb keeps no key order."""
    names = [f.name for f in model._meta.fields] if model is not None else []
    if name in names:
        return (0, names.index(name), name)
    if name in _EXTRA_ORDER:
        return (1, _EXTRA_ORDER.index(name), name)
    return (2, 0, name)


def _is_territory(field) -> bool:
    return isinstance(field, models.ForeignKey) and field.related_model._meta.model_name == "territory"


def _is_teams(field) -> bool:
    return isinstance(field, models.ManyToManyField) and field.related_model._meta.model_name == "team"


def _display_value(field, name: str, value, territories: dict, choices_by_name: dict, teams: dict | None = None) -> str:
    if value in (None, "", []):
        return EMPTY
    if _is_teams(field) and isinstance(value, list):
        return ", ".join(teams[v].label if teams and v in teams else str(v) for v in value)
    if name == "reason":
        return str(_REASONS.get(value, value))
    if name == "household":
        return f"{_('Household')} {value}"
    choices = choices_by_name.get(name)
    if choices is not None:
        return str(choices.get(value, value))
    if _is_territory(field):
        territory = territories.get(value)
        return territory.name if territory else str(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def describe_changes(events: Iterable, models_by_type: dict[str, type[models.Model]]) -> None:
    """Set `event.change_rows` = [(label, before, after)] on audit events, labels and values for people.

    `models_by_type` maps an event's object_type ("person") to its model, for field labels and choice
    names. Territory ids are resolved with one query for all events.
    """
    from socius.accounts.models import Team, Territory
    from socius.registry.models import Relationship

    events = list(events)
    territory_ids = set()
    team_ids = set()
    for event in events:
        model = models_by_type.get(event.object_type)
        for name, pair in (event.changes or {}).items():
            field = _model_field(model, name)
            if _is_territory(field) and isinstance(pair, list | tuple):
                territory_ids.update(v for v in pair if isinstance(v, int))
            if _is_teams(field) and isinstance(pair, list | tuple):
                team_ids.update(v for side in pair if isinstance(side, list) for v in side if isinstance(v, int))
    territories = Territory.objects.in_bulk(territory_ids) if territory_ids else {}
    teams = Team.objects.in_bulk(team_ids) if team_ids else {}
    for event in events:
        model = models_by_type.get(event.object_type)
        rows = []
        for name, pair in sorted((event.changes or {}).items(), key=lambda item: _field_rank(model, item[0])):
            field = _model_field(model, name)
            label = field.verbose_name if field is not None else _EXTRA_LABELS.get(name, name)
            choices_by_name = {}
            if field is not None and field.choices:
                choices_by_name[name] = dict(field.flatchoices)
            elif name == "relationship":
                choices_by_name[name] = dict(Relationship.choices)
            before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            rows.append(
                (
                    str(label),
                    _display_value(field, name, before, territories, choices_by_name, teams),
                    _display_value(field, name, after, territories, choices_by_name, teams),
                )
            )
        event.change_rows = rows
