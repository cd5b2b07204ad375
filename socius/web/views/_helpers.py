"""Small helpers every UI view may share: domain errors to HTTP, form errors, paging, audit display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache, wraps
from typing import TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from socius.accounts.roles import VIEW_CASES
from socius.casework.selectors import list_cases_for
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
    # An interview's draft: which answers changed, never their values (they may hold health details).
    "changed": _("answers changed"),
    # A plan's review: the day it was reviewed (the next review is the plan's own `review_on`).
    "reviewed_on": _("reviewed on"),
    # A list or search response: what was searched for.
    "search": _("searched for"),
    # Payments: a run's files (written, or one downloaded, and its format), and the payments a change of
    # payment details refreshed in runs not yet approved.
    "files": _("files"),
    "file": _("file"),
    "format": _("format"),
    "payments_refreshed": _("payments updated"),
    # An interview started pre-filled: which answers came from the registry, and the interview they
    # were copied from (assessments.prefill).
    "prefilled": _("answers filled in from the registry"),
    "previous": _("answers copied from the interview"),
    # Family support and child protection (issue 10): a child's risks reassessed with a note; a work plan
    # drafted from the version agreed before; a Blue Card document printed (which one, never its content).
    "note": _("note"),
    "copied_from": _("copied from the plan"),
    "document": _("document"),
    # Social services (issue 11): a roster generated (visits it could not place), a canteen's day (the
    # service, the day, meals served), a month's statements generated or issued at once (how many), a
    # statement cancelled (on which day); an outreach event's follow-up marked done.
    "unplaced": _("visits not placed"),
    "service": _("service"),
    "day": _("day served"),
    "meals": _("meals"),
    "replaced": _("statements replaced"),
    "removed": _("statements removed"),
    "issued": _("statements issued"),
    "on": _("day of the change"),
    "done_on": _("done on"),
    # Reporting (issue 12): which version a report's download was; a narrative's length (never its text); how
    # many figures an approval froze; a statutory report's kind and period.
    "version": _("version"),
    "narrative_length": _("length of the narrative (characters)"),
    "indicators": _("figures frozen"),
    "kind": _("kind"),
    "period": _("period"),
    # Retention (issue 13): how many persons a review's approval anonymised, how many it left out (a record
    # added since the review), and how many rows of their records it cleared.
    "anonymised": _("persons anonymised"),
    "left_out": _("persons left out"),
    "rows_cleared": _("rows cleared"),
    # Subject access (issue 13): the export's SHA-256 (produced, downloaded) and how many records it holds.
    "sha256": _("SHA-256 checksum"),
    "records": _("records exported"),
}
# Documents whose printing is audited as a view of the record (`document`), in words.
_DOCUMENTS = {
    "nk_a_pdf": _("form NK-A (PDF)"),
    "suspect_notice_pdf": _("notice to the person suspected (PDF)"),
    "decision_pdf": _("service decision (PDF)"),
}
EMPTY = "—"


def _model_field(model: type[models.Model] | None, name: str):
    """The concrete field, many-to-many or reverse relation `name` of `model`, or None."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


@cache
def _sub_records(model: type[models.Model] | None) -> dict[str, type[models.Model]]:
    """Records a change key may name inside `model`, by accessor and singular name, two levels deep.

    A help plan's event says `goals` or `actions` (reverse relations of the plan and of its goals)
    and `action:17:status` (a field of one action); a contract's says `obligations` and
    `obligation:5:is_done`.
    """
    out: dict[str, type[models.Model]] = {}
    if model is None:
        return out
    level = [model]
    for _depth in range(2):
        nxt = []
        for m in level:
            for rel in m._meta.related_objects:
                if rel.one_to_many and not rel.related_model._meta.auto_created:
                    name = rel.get_accessor_name()
                    out.setdefault(name, rel.related_model)
                    out.setdefault(name.removesuffix("s"), rel.related_model)
                    nxt.append(rel.related_model)
        level = nxt
    return out


# Keys some events use for a field stored under another name (an interview's start: `instrument`).
_FIELD_ALIASES = {"instrument": "instrument_code", "version": "instrument_version"}

# Keys that name the rows of a record's list by something else than their ids: a meeting's `members`
# lists the staff members (user ids) and outside members (names); its `present`, the member rows present.
# {(model label, key): (accessor of the rows, field of a row the values are, or None for the rows' ids)}.
_ROW_KEYS = {
    ("family.meeting", "members"): ("members", "user"),
    ("family.meeting", "present"): ("members", None),
}

# JSON lists (or {code: text} maps) of codes of a choice set, shown in words: {(model label, field): choices}.
# Given as import paths: this module is imported before the apps that own them are ready.
_CODE_CHOICES = {
    ("family.childindifficulty", "risks"): "socius.family.statuses.ChildRisk",
    ("family.assistantactivity", "areas"): "socius.family.statuses.WorkArea",
    ("family.familyassessment", "progress"): "socius.family.statuses.WorkArea",
}


def _code_choices(model: type[models.Model] | None, name: str) -> dict | None:
    path = _CODE_CHOICES.get((model._meta.label_lower, name)) if model is not None else None
    if path is None:
        return None
    from django.utils.module_loading import import_string

    return dict(import_string(path).choices)


def _parent_field(model: type[models.Model] | None, name: str):
    """A field of the record this one belongs to (its first foreign key), for a key that tells what the
    change did to the parent: a Blue Card group meeting's event says the card's `status` moved on."""
    if model is None:
        return None
    parent = next((f.related_model for f in model._meta.fields if isinstance(f, models.ForeignKey)), None)
    field = _model_field(parent, name)
    return field if isinstance(field, models.Field) and field.choices else None


# --- values with a shape of their own (social services and community work, issue 11) ---------------------


def service_name(code) -> str:
    """A catalogue service in the reader's language ("pl.home_help" → "usługi opiekuńcze"); the code itself when
    the pack does not know it. The code's prefix names the pack."""
    from socius.rulebook import service_definition

    if not isinstance(code, str) or "." not in code:
        return str(code)
    try:
        return service_definition(code.split(".", 1)[0], code).label_in(get_language())
    except Exception:  # an unknown code or pack: the log shows what was written
        return code


def _service_names(value) -> str:
    codes = value if isinstance(value, list) else [value]
    return ", ".join(service_name(code) for code in codes)


def _usual_week(value) -> str:
    """A decision's usual week: [{weekday 0–6, start "HH:MM", units}] → "Monday 08:00 (2)"."""
    if not isinstance(value, list):
        return str(value)
    out = []
    for row in value:
        if isinstance(row, dict) and row.get("weekday") in WEEKDAYS:
            out.append(f"{WEEKDAYS[row['weekday']]} {row.get('start', '')} ({row.get('units', '')})")
        else:
            out.append(str(row))
    return ", ".join(out)


def _partners(value) -> str:
    """An outreach event's partners: [[role, name or organisation]] → "Jonas Jonaitis (Elder)"."""
    from socius.community.statuses import PartnerRole

    roles = dict(PartnerRole.choices)
    rows = [row for row in value if isinstance(row, list | tuple) and len(row) == 2] if isinstance(value, list) else []
    if len(rows) != len(value if isinstance(value, list) else [value]):
        return str(value)
    return ", ".join(f"{name} ({roles.get(role, role)})" if name else str(roles.get(role, role)) for role, name in rows)


def _attendees(value) -> str:
    """An outreach event's named attendees: [[person id or None, name, consent]] → "Person 12 (In writing)"."""
    from socius.community.statuses import AttendeeConsent

    consents = dict(AttendeeConsent.choices)
    if not isinstance(value, list) or not all(isinstance(row, list | tuple) and len(row) == 3 for row in value):
        return str(value)
    out = []
    for person, name, consent in value:
        who = name or (f"{_('Person')} {person}" if person else EMPTY)
        out.append(f"{who} ({consents.get(consent, consent)})")
    return ", ".join(out)


def _leaflets(value) -> str:
    """Leaflets handed out per service: {code: count} → "Home help: 20"."""
    if not isinstance(value, dict):
        return str(value)
    return "; ".join(f"{service_name(code)}: {count}" for code, count in value.items())


def _texts(value) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _count(value) -> str:
    return str(value)


# {(model label, key): (label, shape)}: keys some services write in a shape of their own — a count where a
# reverse relation's name would read as one record's number, rows as lists, a map of codes.
_SHAPED = {
    ("services.serviceoffer", "service_code"): (None, _service_names),
    ("services.servicedecision", "service_code"): (None, _service_names),
    ("services.servicedecision", "weekly_pattern"): (None, _usual_week),
    ("services.waitinglistentry", "service_code"): (None, _service_names),
    ("services.serviceworker", "service_codes"): (None, _service_names),
    ("services.roster", "visits"): (_("visits planned"), _count),
    ("community.outreachevent", "partners"): (_("partners"), _partners),
    ("community.outreachevent", "attendees"): (_("named attendees"), _attendees),
    ("community.outreachevent", "leaflets"): (_("leaflets handed out"), _leaflets),
    ("community.outreachevent", "follow_ups"): (_("follow-ups agreed"), _texts),
    ("community.supervision", "follow_ups"): (_("follow-ups agreed (number)"), _count),
}
# Keys with no model behind them (the lists of a carer's or a canteen's day) shaped by their name.
_SHAPED_BY_NAME = {"service": _service_names}
# Keys "<prefix>:<service code>": a provider's capacity for one service of the catalogue.
_PER_SERVICE = {"capacity": _("capacity per week of %(service)s")}
# Keys that hold a day written as ISO text and are not a date field of their record.
_DATE_KEYS = {"on", "day"}


def _shape_of(model: type[models.Model] | None, name: str):
    shaped = _SHAPED.get((model._meta.label_lower, name)) if model is not None else None
    if shaped is not None:
        return shaped[1]
    if model is None or _model_field(model, name) is None:
        return _SHAPED_BY_NAME.get(name)
    return None


def change_label(model: type[models.Model] | None, name: str) -> tuple[str, object, type[models.Model] | None]:
    """(label, field, sub-record model) for a change key: a field of the record (`status`), a record
    added inside it (`goals`), a field of such a record (`action:17:status`) or a known extra key.

    The label is None only for a key nothing here knows; the page then shows the key as it is.
    """
    shaped = _SHAPED.get((model._meta.label_lower, name)) if model is not None else None
    if shaped is not None and shaped[0] is not None:
        return shaped[0], None, None
    prefix, colon, code = name.partition(":")
    if colon and prefix in _PER_SERVICE and ":" not in code:
        return _PER_SERVICE[prefix] % {"service": service_name(code)}, None, None
    row_key = _ROW_KEYS.get((model._meta.label_lower, name)) if model is not None else None
    if row_key is not None:
        rows = model._meta.get_field(row_key[0]).related_model
        if row_key[1] is not None:
            return rows._meta.verbose_name_plural, rows._meta.get_field(row_key[1]), None
        return _model_field(rows, "is_present").verbose_name, None, rows
    field = _model_field(model, name) or _model_field(model, _FIELD_ALIASES.get(name, ""))
    if isinstance(field, models.Field):  # the record's own field, many-to-many ones included
        return field.verbose_name, field, None
    if field is not None and field.many_to_many:  # the reverse side of a many-to-many
        return field.related_model._meta.verbose_name_plural, None, None
    subs = _sub_records(model)
    if field is not None or name in subs:  # a record added inside this one (a reverse relation)
        sub = field.related_model if field is not None else subs[name]
        return sub._meta.verbose_name, None, sub
    if name.count(":") == 2:
        prefix, pk, sub_name = name.split(":")
        sub = subs.get(prefix)
        sub_field = _model_field(sub, sub_name)
        if sub is not None and isinstance(sub_field, models.Field):
            return f"{sub._meta.verbose_name} {pk}: {sub_field.verbose_name}", sub_field, None
    if name in _EXTRA_LABELS:
        return _EXTRA_LABELS[name], None, None
    parent_field = _parent_field(model, name)
    if parent_field is not None:
        return parent_field.verbose_name, parent_field, None
    return None, None, None


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


def _is_users(field) -> bool:
    return (
        field is not None
        and field.is_relation
        and field.related_model is not None
        and (field.related_model._meta.label_lower == "accounts.user")
    )


def _display_value(
    field,
    name: str,
    value,
    territories: dict,
    choices_by_name: dict,
    teams: dict | None = None,
    users: dict | None = None,
    sub=None,
) -> str:
    if value in (None, "", []):
        return EMPTY
    if sub is not None:  # a record added inside this one: its kind and number
        values = value if isinstance(value, list) else [value]
        return ", ".join(f"{capfirst(sub._meta.verbose_name)} {v}" for v in values)
    if _is_teams(field) and isinstance(value, list):
        return ", ".join(teams[v].label if teams and v in teams else str(v) for v in value)
    if _is_users(field):
        names = [_user_name(users, v) for v in (value if isinstance(value, list) else [value])]
        return ", ".join(names)
    if name == "reason":
        return str(_REASONS.get(value, value))
    if name == "document" and field is None:
        return str(_DOCUMENTS.get(value, value))
    if name == "household":
        return f"{_('Household')} {value}"
    choices = choices_by_name.get(name)
    if choices is not None:
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value)
        if isinstance(value, dict):  # {code: text}: a text per area
            return "; ".join(f"{choices.get(k, k)}: {v}" for k, v in value.items())
        return str(choices.get(value, value))
    if _is_territory(field):
        territory = territories.get(value)
        return territory.name if territory else str(value)
    if isinstance(field, models.ForeignKey) and isinstance(value, str) and value.isdigit():
        value = int(value)  # an id written as text (a roster's moved visit)
    if isinstance(field, models.ForeignKey) and isinstance(value, int):
        return f"{capfirst(field.related_model._meta.verbose_name)} {value}"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(
            timezone.localtime(moment) if timezone.is_aware(moment) else moment, "SHORT_DATETIME_FORMAT"
        )
    if isinstance(field, models.TimeField) and isinstance(value, str):
        try:
            return formats.time_format(dt.time.fromisoformat(value), "TIME_FORMAT")
        except ValueError:
            return value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is None and (name.endswith("_on") or name in _DATE_KEYS) and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)


def _user_name(users: dict | None, user_id) -> str:
    user = (users or {}).get(user_id)
    if user is None:
        return str(user_id)
    return user.get_full_name() or user.username


# Keys whose value is one list of names, not a [before, after] pair.
_LIST_VALUED = {"changed"}


def _pair(name: str, value) -> tuple:
    if name not in _LIST_VALUED and isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def describe_changes(events: Iterable, models_by_type: dict[str, type[models.Model]]) -> None:
    """Set `event.change_rows` = [(label, before, after)] on audit events, labels and values for people.

    `models_by_type` maps an event's object_type ("person") to its model, for field labels and choice
    names. Territory ids are resolved with one query for all events.
    """
    from socius.accounts.models import Team, Territory, User
    from socius.registry.models import Relationship

    events = list(events)
    territory_ids, team_ids, user_ids = set(), set(), set()
    for event in events:
        model = models_by_type.get(event.object_type)
        for name, pair in (event.changes or {}).items():
            _label, field, _sub = change_label(model, name)
            values = [v for side in _pair(name, pair) for v in (side if isinstance(side, list) else [side])]
            ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
            if _is_territory(field):
                territory_ids |= ids
            elif _is_teams(field):
                team_ids |= ids
            elif _is_users(field):
                user_ids |= ids
    territories = Territory.objects.in_bulk(territory_ids) if territory_ids else {}
    teams = Team.objects.in_bulk(team_ids) if team_ids else {}
    users = User.objects.only("id", "username", "first_name", "last_name").in_bulk(user_ids) if user_ids else {}
    for event in events:
        model = models_by_type.get(event.object_type)
        rows = []
        for name, pair in sorted((event.changes or {}).items(), key=lambda item: _field_rank(model, item[0])):
            label, field, sub = change_label(model, name)
            choices_by_name = {}
            if field is not None and getattr(field, "choices", None):
                choices_by_name[name] = dict(field.flatchoices)
            elif (codes := _code_choices(model, name)) is not None:
                choices_by_name[name] = codes
            elif name == "relationship":
                choices_by_name[name] = dict(Relationship.choices)
            before, after = _pair(name, pair)
            shape = _shape_of(model, name)
            if shape is not None:
                rows.append(
                    (
                        str(label if label is not None else name),
                        *(EMPTY if v in (None, "", [], {}) else shape(v) for v in (before, after)),
                    )
                )
                continue
            rows.append(
                (
                    str(label if label is not None else name),
                    _display_value(field, name, before, territories, choices_by_name, teams, users, sub),
                    _display_value(field, name, after, territories, choices_by_name, teams, users, sub),
                )
            )
        event.change_rows = rows


REGISTRY_CASES_SHOWN = 50


def registry_cases(actor, **which) -> list | None:
    """The cases of a person or a household (`person=` or `household=`), open ones first, as summaries
    (reference, status, holder: what the whole centre may know; the case page decides on the content).
    None for a reader who may not see cases at all, so the page leaves the section out."""
    if not actor.can(VIEW_CASES):
        return None
    return list(list_cases_for(actor, open_first=True, **which)[:REGISTRY_CASES_SHOWN])
