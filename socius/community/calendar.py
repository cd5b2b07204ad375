"""The centre's calendar entries (trainings, office closures, other dates) and each user's private iCalendar
feed address (decision 0016).

Entries are kept by those who manage the calendar (team leaders, the director, the administrator). A feed
token is the user's own: rotating it makes a new address and the old one answers "not found"; revoking it
leaves none. Outreach events, commission meetings and supervisions are not written here: the calendar draws
them from their own records (selectors_calendar).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, Territory, User
from socius.accounts.selectors import is_in_centre_area
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.models import CalendarEntry, CalendarFeedToken, new_feed_token
from socius.community.permissions import can_manage_calendar, can_view_calendar
from socius.community.statuses import ENTRY_KINDS

CALENDAR_ENTRY = "calendar_entry"
CALENDAR_FEED = "calendar_feed"
TITLE_MAX = 200
TEXT_MAX = 5000
LONGEST_ENTRY_DAYS = 366


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(actor: User, data: dict) -> dict:
    """The entry's fields from `data`, checked; ValidationFailed naming the fields otherwise."""
    errors: dict = {}
    kind = data.get("kind")
    if kind not in ENTRY_KINDS:
        errors["kind"] = [_("Choose a training, an office closure or another entry.")]
    title = _text(data.get("title"))
    if not title:
        errors["title"] = [_("Give the entry a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep it to %(max)d characters.") % {"max": TITLE_MAX}]
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on") or data.get("starts_on")
    if not _is_date(starts_on):
        errors["starts_on"] = [_("Enter a date.")]
    if not _is_date(ends_on):
        errors.setdefault("ends_on", [_("Enter a date.")])
    elif _is_date(starts_on):
        if ends_on < starts_on:
            errors["ends_on"] = [_("The last day cannot come before the first.")]
        elif (ends_on - starts_on).days >= LONGEST_ENTRY_DAYS:
            errors["ends_on"] = [_("An entry lasts at most a year.")]
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and not isinstance(value, dt.time):
            errors[field] = [_("Enter a time.")]
    if ends_at is not None and starts_at is None and "ends_at" not in errors:
        errors["starts_at"] = [_("Give the start time too, or neither for an all-day entry.")]
    if (
        isinstance(starts_at, dt.time)
        and isinstance(ends_at, dt.time)
        and _is_date(starts_on)
        and starts_on == ends_on
        and ends_at <= starts_at
    ):
        errors["ends_at"] = [_("The end must come after the start.")]
    place = _text(data.get("place"))
    if len(place) > TITLE_MAX:
        errors["place"] = [_("Keep it to %(max)d characters.") % {"max": TITLE_MAX}]
    description = _text(data.get("description"))
    if len(description) > TEXT_MAX:
        errors["description"] = [_("Keep it to %(max)d characters.") % {"max": TEXT_MAX}]
    territory = None
    if data.get("territory") not in (None, ""):
        pk = _as_int(data.get("territory"))
        territory = Territory.objects.filter(pk=pk).first() if pk is not None else None
        if territory is None or not is_in_centre_area(actor.centre, territory):
            errors["territory"] = [_("Choose a place in your centre's area.")]
    staff_ids = data.get("staff") or []
    staff: list[User] = []
    if not isinstance(staff_ids, list | tuple | set):
        errors["staff"] = [_("Give the staff members as a list.")]
    else:
        pks = [_as_int(s) for s in staff_ids]
        if any(pk is None for pk in pks):
            errors["staff"] = [_("Choose active staff members of the centre.")]
        else:
            pks = list(dict.fromkeys(pks))
            found = {u.pk: u for u in User.objects.filter(pk__in=pks, centre_id=actor.centre_id, is_active=True)}
            if len(found) != len(pks):
                errors["staff"] = [_("Choose active staff members of the centre.")]
            staff = [found[pk] for pk in pks if pk in found]
    if errors:
        raise ValidationFailed(errors)
    return {
        "kind": kind, "title": title, "starts_on": starts_on, "ends_on": ends_on, "starts_at": starts_at,
        "ends_at": ends_at, "place": place, "territory": territory, "description": description, "staff": staff,
    }  # fmt: skip


def _locked_entry(actor: User, entry) -> CalendarEntry:
    pk = _as_int(entry)
    if pk is None or not can_view_calendar(actor):
        raise NotFound()
    record = CalendarEntry.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
    if record is None:
        raise NotFound()
    return record


def _plain(changes: dict) -> dict:
    """Times as ISO text (the audit log's snapshot leaves them as they are)."""

    def value(v):
        if isinstance(v, dt.time):
            return v.isoformat(timespec="minutes")
        if isinstance(v, list):
            return [value(x) for x in v]
        return v

    return {k: value(v) for k, v in changes.items()}


def _audit(actor: User, action: str, entry_id: int, changes: dict) -> None:
    record_event(actor, action, object_type=CALENDAR_ENTRY, object_id=entry_id, centre_id=actor.centre_id,
                 changes=_plain(changes))  # fmt: skip


@transaction.atomic
def create_entry(actor: User, data: dict, *, on: dt.date) -> CalendarEntry:
    if not can_manage_calendar(actor):
        raise Forbidden()
    fields = _clean(actor, data)
    staff = fields.pop("staff")
    entry = CalendarEntry.objects.create(centre_id=actor.centre_id, created_by=actor, **fields)
    entry.staff.set(staff)
    values = snapshot(entry, CalendarEntry.AUDITED_FIELDS)
    changes = {k: [None, v] for k, v in values.items() if v not in ("", None)}
    if staff:
        changes["staff"] = [None, [u.pk for u in staff]]
    _audit(actor, AuditAction.CREATE, entry.pk, changes)
    return entry


@transaction.atomic
def update_entry(actor: User, entry, data: dict, *, on: dt.date) -> CalendarEntry:
    record = _locked_entry(actor, entry)
    if not can_manage_calendar(actor):
        raise Forbidden()
    fields = _clean(actor, data)
    staff = fields.pop("staff")
    before = snapshot(record, CalendarEntry.AUDITED_FIELDS)
    before_staff = sorted(record.staff.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    record.staff.set(staff)
    changes = diff(before, snapshot(record, CalendarEntry.AUDITED_FIELDS))
    after_staff = sorted(u.pk for u in staff)
    if after_staff != before_staff:
        changes["staff"] = [before_staff, after_staff]
    if changes:
        _audit(actor, AuditAction.UPDATE, record.pk, changes)
    return record


@transaction.atomic
def delete_entry(actor: User, entry, *, on: dt.date) -> None:
    record = _locked_entry(actor, entry)
    if not can_manage_calendar(actor):
        raise Forbidden()
    values = snapshot(record, CalendarEntry.AUDITED_FIELDS)
    pk = record.pk
    record.delete()
    _audit(actor, AuditAction.DELETE, pk, {k: [v, None] for k, v in values.items() if v not in ("", None)})


# --- the private feed ----------------------------------------------------------------------------------


def feed_token_of(user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user_id=user.pk).first()


@transaction.atomic
def rotate_feed_token(actor: User, *, on: dt.date) -> CalendarFeedToken:
    """A new private address for the actor's own feed (the first one, or one replacing the old: the old
    address answers "not found" from now on)."""
    if not can_view_calendar(actor):
        raise Forbidden()
    feed = CalendarFeedToken.objects.select_for_update().filter(user_id=actor.pk).first()
    action = AuditAction.UPDATE if feed else AuditAction.CREATE
    if feed is None:
        feed = CalendarFeedToken.objects.create(user=actor)
    else:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.last_used_at = None
        feed.save(update_fields=["token", "created_at", "last_used_at"])
    # The token itself is a secret: the log says the address changed, not what it is.
    record_event(actor, action, object_type=CALENDAR_FEED, object_id=feed.pk, centre_id=actor.centre_id,
                 changes={"token": ["…" if action == AuditAction.UPDATE else None, "…"]})  # fmt: skip
    return feed


@transaction.atomic
def revoke_feed_token(actor: User, *, on: dt.date) -> None:
    feed = CalendarFeedToken.objects.select_for_update().filter(user_id=actor.pk).first()
    if feed is None:
        return
    pk = feed.pk
    feed.delete()
    record_event(actor, AuditAction.DELETE, object_type=CALENDAR_FEED, object_id=pk, centre_id=actor.centre_id,
                 changes={"token": ["…", None]})  # fmt: skip


def user_of_feed(token: str) -> User | None:
    """The active staff member whose private feed address carries `token`, or None.

    The database looks the token up by its unique index; the found row's token is then compared in constant
    time, so a near-miss is not told apart from a miss by timing of the comparison.
    """
    if not isinstance(token, str) or not (20 <= len(token) <= 64):
        return None
    feed = CalendarFeedToken.objects.select_related("user", "user__centre").filter(token=token).first()
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        return None
    user = feed.user
    if not user.is_active or not can_view_calendar(user):
        return None
    CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return user
