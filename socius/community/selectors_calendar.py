"""The centre's calendar (decision 0016): outreach events, commission meetings, supervisions and the calendar's
own entries merged into one list of items for a period, and the same as iCalendar.

What each item shows keeps its source's rules, and the calendar shows no client's data:
- outreach events: their title (or type) and territory, times and place (those who read cases);
- commission meetings (socius.family Meeting): the body, the date and time, the place — never the agenda;
- supervisions: participants, the facilitator on staff and the director see the time and the facilitator;
  everyone else sees only that there is a supervision that day. Topics and notes are never in the calendar;
- entries (trainings, office closures, other): everything (every member of staff).

Set-based: one query per source (four for any period), plus the centre's pack for the bodies' names.
Filters: a staff member (their outreach events, meetings they are members of, supervisions they take part in
or facilitate, entries naming them or naming nobody — an office closure concerns everyone), a territory (its
whole subtree: outreach events and entries placed there; meetings and supervisions have no territory), kinds.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import CharField, DateField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from socius.accounts.models import Centre, User
from socius.accounts.roles import Role
from socius.community.models import CalendarEntry, OutreachEvent, Supervision
from socius.community.permissions import can_view_calendar, can_view_community
from socius.community.statuses import CalendarKind, EventKind, EventStatus, SupervisionStatus
from socius.family.models import Meeting, MeetingMember
from socius.family.statuses import MeetingStatus
from socius.rulebook.engine.jurisdiction import get_jurisdiction

ALL_KINDS = tuple(CalendarKind.values)
LONGEST_PERIOD_DAYS = 400


def centre_time_zone(centre: Centre) -> zoneinfo.ZoneInfo:
    """The centre's civil time (its pack's `time_zone`): the times of events are the centre's wall-clock times."""
    return zoneinfo.ZoneInfo(get_jurisdiction(centre.jurisdiction).time_zone)


@dataclass
class CalendarItem:
    """One thing on the calendar. `starts_at`/`ends_at` are the centre's wall-clock times (None: all day);
    `ends_on` is the last day (inclusive). `source_id` is the record's id in its own kind."""

    kind: str
    source_id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str = ""
    territory: str = ""
    status: str = ""
    cancelled: bool = False
    restricted: bool = False  # a supervision the reader does not take part in: the date only
    description: str = ""
    staff_ids: list[int] = field(default_factory=list)

    @property
    def all_day(self) -> bool:
        return self.starts_at is None

    @property
    def uid(self) -> str:
        return f"{self.kind}-{self.source_id}@socius"

    @property
    def kind_label(self) -> str:
        return str(CalendarKind(self.kind).label)

    def days(self) -> list[dt.date]:
        n = (self.ends_on - self.starts_on).days
        return [self.starts_on + dt.timedelta(days=i) for i in range(n + 1)]


def _subtree(root_id: int, prefix: str = "territory") -> Q:
    return (
        Q(**{f"{prefix}_id": root_id})
        | Q(**{f"{prefix}__parent_id": root_id})
        | Q(**{f"{prefix}__parent__parent_id": root_id})
        | Q(**{f"{prefix}__parent__parent__parent_id": root_id})
        | Q(**{f"{prefix}__parent__parent__parent__parent_id": root_id})
    )


def _territory_name(territory) -> str:
    return territory.name if territory is not None else ""


def _outreach(actor, start, end, staff, territory) -> list[CalendarItem]:
    qs = OutreachEvent.objects.filter(centre_id=actor.centre_id, date__gte=start, date__lte=end)
    if staff:
        on_staff = OutreachEvent.staff.through.objects.filter(outreachevent_id=OuterRef("pk"), user_id=staff)
        qs = qs.filter(Exists(on_staff))
    if territory:
        qs = qs.filter(_subtree(territory))
    kinds = dict(EventKind.choices)
    items = []
    for event in qs.select_related("territory").order_by("date", "starts_at", "id"):
        label = str(kinds.get(event.kind, event.kind))
        title = event.title or label
        if event.territory_id and event.territory.name not in title:
            title = f"{title} · {event.territory.name}"
        items.append(
            CalendarItem(
                kind=CalendarKind.OUTREACH,
                source_id=event.pk,
                title=title,
                starts_on=event.date,
                ends_on=event.date,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                place=event.place,
                territory=_territory_name(event.territory),
                status=event.status,
                cancelled=event.status == EventStatus.CANCELLED,
                description=label,
            )
        )
    return items


def _body_labels(centre) -> dict[str, str]:
    from socius.family import rules_protection
    from socius.family.statuses import MeetingBody

    labels = {code: str(label) for code, label in MeetingBody.choices}
    labels.update({body.code: capfirst(body.label) for body in rules_protection.meeting_bodies(centre)})
    return labels


def _meetings(actor, start, end, staff, tz) -> list[CalendarItem]:
    # The period in the centre's time, as aware bounds (the meeting's day is its local day).
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = Meeting.objects.filter(centre_id=actor.centre_id, scheduled_at__gte=lower, scheduled_at__lt=upper)
    if staff:
        qs = qs.filter(Exists(MeetingMember.objects.filter(meeting_id=OuterRef("pk"), user_id=staff)))
    rows = list(qs.only("pk", "body", "scheduled_at", "place", "status").order_by("scheduled_at", "id"))
    if not rows:
        return []
    labels = _body_labels(actor.centre)
    items = []
    for meeting in rows:
        local = meeting.scheduled_at.astimezone(tz)
        items.append(
            CalendarItem(
                kind=CalendarKind.COMMISSION,
                source_id=meeting.pk,
                title=labels.get(meeting.body, meeting.body),
                starts_on=local.date(),
                ends_on=local.date(),
                starts_at=local.time().replace(second=0, microsecond=0),
                place=meeting.place,
                status=meeting.status,
                cancelled=meeting.status == MeetingStatus.CANCELLED,
            )
        )
    return items


def _supervisions(actor, start, end, staff) -> list[CalendarItem]:
    participants = Supervision.participants.through
    qs = Supervision.objects.filter(centre_id=actor.centre_id, date__gte=start, date__lte=end)
    if staff:
        qs = qs.filter(
            Q(facilitator_id=staff)
            | Q(Exists(participants.objects.filter(supervision_id=OuterRef("pk"), user_id=staff)))
        )
    qs = qs.annotate(
        takes_part=Exists(participants.objects.filter(supervision_id=OuterRef("pk"), user_id=actor.pk))
    ).select_related("facilitator")
    director = actor.role == Role.DIRECTOR
    items = []
    for s in qs.only(
        "pk", "date", "starts_at", "ends_at", "status", "facilitator_kind", "facilitator_name",
        "facilitator__first_name", "facilitator__last_name", "facilitator__username",
    ).order_by("date", "starts_at", "id"):  # fmt: skip
        full = director or s.takes_part or s.facilitator_id == actor.pk
        title = str(_("Group supervision"))
        description = ""
        if full:
            who = (s.facilitator.get_full_name() or s.facilitator.username) if s.facilitator_id else s.facilitator_name
            description = str(_("Facilitator: %(name)s")) % {"name": who}
        items.append(
            CalendarItem(
                kind=CalendarKind.SUPERVISION,
                source_id=s.pk,
                title=title,
                starts_on=s.date,
                ends_on=s.date,
                starts_at=s.starts_at if full else None,
                ends_at=s.ends_at if full else None,
                status=s.status,
                cancelled=s.status == SupervisionStatus.CANCELLED,
                restricted=not full,
                description=description,
            )
        )
    return items


def _entries(actor, start, end, staff, territory, kinds) -> list[CalendarItem]:
    qs = CalendarEntry.objects.filter(centre_id=actor.centre_id, starts_on__lte=end, ends_on__gte=start, kind__in=kinds)
    if staff:
        named = CalendarEntry.staff.through.objects.filter(calendarentry_id=OuterRef("pk"))
        qs = qs.filter(Q(Exists(named.filter(user_id=staff))) | ~Q(Exists(named)))
    if territory:
        qs = qs.filter(_subtree(territory))
    return [
        CalendarItem(
            kind=e.kind,
            source_id=e.pk,
            title=e.title,
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            place=e.place,
            territory=_territory_name(e.territory),
            description=e.description,
        )
        for e in qs.select_related("territory").order_by("starts_on", "starts_at", "id")
    ]


def _sort_key(item: CalendarItem):
    return (item.starts_on, item.starts_at is not None, item.starts_at or dt.time.min, item.kind, item.source_id)


def calendar_for(
    actor: User,
    start: dt.date,
    end: dt.date,
    *,
    staff: int | None = None,
    territory: int | None = None,
    kinds=None,
) -> list[CalendarItem]:
    """The calendar's items touching [start, end] (inclusive) as the actor may see them, by day and time.

    `staff` and `territory` are ids (of the actor's centre; another centre's match nothing); `kinds` a
    subset of CalendarKind values (all when None). Those who do not read cases (a carer) see the entries only.
    """
    if not can_view_calendar(actor) or end < start:
        return []
    kinds = tuple(k for k in (kinds or ALL_KINDS) if k in ALL_KINDS)
    tz = centre_time_zone(actor.centre)
    community = can_view_community(actor)
    items: list[CalendarItem] = []
    if community and CalendarKind.OUTREACH in kinds:
        items += _outreach(actor, start, end, staff, territory)
    if community and CalendarKind.COMMISSION in kinds and not territory:
        items += _meetings(actor, start, end, staff, tz)
    if community and CalendarKind.SUPERVISION in kinds and not territory:
        items += _supervisions(actor, start, end, staff)
    entry_kinds = [k for k in kinds if k in (CalendarKind.TRAINING, CalendarKind.OFFICE_CLOSURE, CalendarKind.OTHER)]
    if entry_kinds:
        items += _entries(actor, start, end, staff, territory, entry_kinds)
    items.sort(key=_sort_key)
    return items


def busy_days(actor: User, start: dt.date, end: dt.date) -> dict[dt.date, set[str]]:
    """{day: kinds with something that day} for the home page's month: one query (a UNION of the sources)."""
    if not can_view_calendar(actor) or end < start:
        return {}
    tz = centre_time_zone(actor.centre)
    entries = (
        CalendarEntry.objects.filter(centre_id=actor.centre_id, starts_on__lte=end, ends_on__gte=start)
        .order_by()
        .values_list("starts_on", "ends_on", "kind")
    )
    query = entries
    if can_view_community(actor):
        events = (
            OutreachEvent.objects.filter(centre_id=actor.centre_id, date__gte=start, date__lte=end)
            .exclude(status=EventStatus.CANCELLED)
            .annotate(k=Value(CalendarKind.OUTREACH, output_field=CharField()), last=F("date"))
            .order_by()
            .values_list("date", "last", "k")
        )
        sessions = (
            Supervision.objects.filter(centre_id=actor.centre_id, date__gte=start, date__lte=end)
            .exclude(status=SupervisionStatus.CANCELLED)
            .annotate(k=Value(CalendarKind.SUPERVISION, output_field=CharField()), last=F("date"))
            .order_by()
            .values_list("date", "last", "k")
        )
        lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        meetings = (
            Meeting.objects.filter(centre_id=actor.centre_id, scheduled_at__gte=lower, scheduled_at__lt=upper)
            .exclude(status=MeetingStatus.CANCELLED)
            .annotate(
                day=Cast(TruncDate("scheduled_at", tzinfo=tz), DateField()),
                k=Value(CalendarKind.COMMISSION, output_field=CharField()),
            )
            .annotate(last=F("day"))
            .order_by()
            .values_list("day", "last", "k")
        )
        query = entries.union(events, sessions, meetings, all=True)
    out: dict[dt.date, set[str]] = {}
    for first, last, k in query:
        day = max(first, start)
        while day <= min(last, end):
            out.setdefault(day, set()).add(k)
            day += dt.timedelta(days=1)
    return out


# --- iCalendar ------------------------------------------------------------------------------------------


def feed_period(on: dt.date) -> tuple[dt.date, dt.date]:
    """What a feed carries: the last three months and the next year."""
    return on - dt.timedelta(days=92), on + dt.timedelta(days=366)


def calendar_ics(actor: User, start: dt.date, end: dt.date, *, name: str = "") -> bytes:
    """The actor's calendar for [start, end] as an iCalendar (RFC 5545) document, in the centre's time zone
    (VTIMEZONE included), one VEVENT per item; all-day items as dates (DTEND the day after the last)."""
    import icalendar

    tz = centre_time_zone(actor.centre)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Socius//Centre calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or actor.centre.name)
    cal.add("x-wr-timezone", tz.key)
    stamp = timezone.now()
    for item in calendar_for(actor, start, end):
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        summary = f"{item.kind_label}: {item.title}" if item.kind_label not in item.title else item.title
        event.add("summary", summary)
        if item.all_day:
            event.add("dtstart", item.starts_on)
            event.add("dtend", item.ends_on + dt.timedelta(days=1))
        else:
            begin = dt.datetime.combine(item.starts_on, item.starts_at, tzinfo=tz)
            event.add("dtstart", begin)
            if item.ends_at is not None:
                event.add("dtend", dt.datetime.combine(item.ends_on, item.ends_at, tzinfo=tz))
            else:
                event.add("dtend", begin + dt.timedelta(hours=1))
        place = ", ".join(p for p in (item.place, item.territory) if p)
        if place:
            event.add("location", place)
        if item.description:
            event.add("description", item.description)
        event.add("categories", [item.kind_label])
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.all_day else "OPAQUE")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
