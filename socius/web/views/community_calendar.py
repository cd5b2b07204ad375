"""UI views: the centre's calendar (a month grid and the agenda of the month, filters per staff member,
territory and kind, keyboard navigation between days and months, printable), its entries (trainings, office
closures, other: those who manage the calendar), the private iCalendar feed (the address to copy, rotate or
revoke; the feed itself answers without a login, by its token) and the month on the home page."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from socius.accounts.roles import MANAGE_CALENDAR, WORK_CHILD_PROTECTION
from socius.common.errors import ValidationFailed
from socius.community import calendar as services
from socius.community.models import CalendarEntry
from socius.community.selectors_calendar import busy_days, calendar_for, calendar_ics, feed_period
from socius.community.statuses import CalendarKind
from socius.web.access import AUTHENTICATED, public, requires
from socius.web.forms_calendar import CalendarEntryForm, CalendarFilterForm
from socius.web.views._helpers import add_domain_errors


def month_of(request) -> dt.date:
    """The first day of `?month=YYYY-MM`; this month for a missing or malformed value."""
    raw = (request.GET.get("month") or "").strip()
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def month_weeks(month: dt.date) -> list[list[dt.date]]:
    # Django counts the first day of the week from Sunday (0), Python's calendar from Monday (0).
    first_weekday = (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    return calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(month.year, month.month)


def _link(user, item) -> str:
    """Where an item leads, when the reader may open its record ("" otherwise)."""
    try:
        if item.kind == CalendarKind.OUTREACH:
            return reverse("web:outreach_event", args=[item.source_id])
        if item.kind == CalendarKind.COMMISSION:
            return reverse("web:meeting_detail", args=[item.source_id]) if user.can(WORK_CHILD_PROTECTION) else ""
        if item.kind == CalendarKind.SUPERVISION:
            return reverse("web:supervision", args=[item.source_id])
        if user.can(MANAGE_CALENDAR):
            return reverse("web:calendar_entry", args=[item.source_id])
    except NoReverseMatch:  # the outreach pages may not be installed yet
        return ""
    return ""


@requires(AUTHENTICATED)
@require_GET
def calendar_month(request):
    actor = request.user
    month = month_of(request)
    today = timezone.localdate()
    weeks = month_weeks(month)
    first, last = weeks[0][0], weeks[-1][-1]
    filters = CalendarFilterForm(request.GET or None, actor=actor)
    chosen = filters.values() if request.GET else {"staff": None, "territory": None, "kinds": None}
    items = calendar_for(actor, first, last, **chosen)
    by_day: dict[dt.date, list] = {}
    for item in items:
        item.link = _link(actor, item)
        for day in item.days():
            by_day.setdefault(day, []).append(item)
    grid = [
        [{"day": day, "in_month": day.month == month.month, "items": by_day.get(day, [])} for day in week]
        for week in weeks
    ]
    month_end = shift(month, 1) - dt.timedelta(days=1)
    agenda = [(day, by_day[day]) for day in sorted(by_day) if month <= day <= month_end]
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "web/community/calendar.html",
        {
            "month": month,
            "grid": grid,
            "agenda": agenda,
            "weekdays": [formats.date_format(day, "D") for day in weeks[0]],
            "weekday_names": [formats.date_format(day, "l") for day in weeks[0]],
            "today": today,
            "previous_month": shift(month, -1),
            "next_month": shift(month, 1),
            "this_month": today.replace(day=1),
            "filters": filters,
            "filter_query": query.urlencode(),
            "filtered": any(chosen.values()),
            "can_manage": actor.can(MANAGE_CALENDAR),
            "kinds": CalendarKind.choices,
        },
    )


# --- entries ------------------------------------------------------------------------------------------


def _entry_or_404(actor, pk) -> CalendarEntry:
    entry = CalendarEntry.objects.filter(pk=pk, centre_id=actor.centre_id).prefetch_related("staff").first()
    if entry is None:
        raise Http404()
    return entry


def _entry_page(request, form, entry=None):
    return render(request, "web/community/calendar_entry_form.html", {"form": form, "entry": entry})


@requires(MANAGE_CALENDAR)
def calendar_entry_new(request):
    actor = request.user
    initial = {}
    if request.method == "GET" and request.GET.get("on"):
        initial["starts_on"] = request.GET.get("on")
    form = CalendarEntryForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(actor, form.data_for_service(), on=timezone.localdate())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The entry was added to the calendar."))
            return redirect(f"{reverse('web:calendar')}?month={entry.starts_on:%Y-%m}")
    return _entry_page(request, form)


@requires(MANAGE_CALENDAR)
def calendar_entry(request, pk):
    actor = request.user
    entry = _entry_or_404(actor, pk)
    initial = {
        "kind": entry.kind, "title": entry.title, "starts_on": entry.starts_on, "ends_on": entry.ends_on,
        "starts_at": entry.starts_at, "ends_at": entry.ends_at, "place": entry.place,
        "territory": entry.territory_id, "staff": list(entry.staff.all()), "description": entry.description,
    }  # fmt: skip
    form = CalendarEntryForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(actor, entry, form.data_for_service(), on=timezone.localdate())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect(f"{reverse('web:calendar')}?month={form.cleaned_data['starts_on']:%Y-%m}")
    return _entry_page(request, form, entry)


@requires(MANAGE_CALENDAR)
@require_POST
def calendar_entry_delete(request, pk):
    entry = _entry_or_404(request.user, pk)
    month = entry.starts_on
    services.delete_entry(request.user, entry, on=timezone.localdate())
    messages.success(request, _("The entry was removed from the calendar."))
    return redirect(f"{reverse('web:calendar')}?month={month:%Y-%m}")


# --- the private feed ---------------------------------------------------------------------------------


@requires(AUTHENTICATED)
@never_cache
def calendar_feed(request):
    """The user's private feed address: show it to copy, make a new one (the old stops), or remove it."""
    actor = request.user
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed_token(actor, on=timezone.localdate())
            messages.success(request, _("Your calendar feed address was removed: it no longer works."))
        else:
            services.rotate_feed_token(actor, on=timezone.localdate())
            messages.success(request, _("A new calendar feed address was made; the old one no longer works."))
        return redirect("web:calendar_feed")
    feed = services.feed_token_of(actor)
    address = request.build_absolute_uri(reverse("web:calendar_feed_ics", args=[feed.token])) if feed else ""
    return render(request, "web/community/calendar_feed.html", {"feed": feed, "address": address})


@public
@require_GET
@never_cache
def calendar_feed_ics(request, token):
    """A user's calendar as iCalendar, for calendar applications that cannot log in: the token is the key
    (a wrong, rotated or revoked one is "not found")."""
    from socius.community.api_calendar import ics_response

    user = services.user_of_feed(token)
    if user is None:
        raise Http404()
    start, end = feed_period(timezone.localdate())
    return ics_response(calendar_ics(user, start, end))


# --- the month on the home page ----------------------------------------------------------------------


def home_month(actor, today: dt.date | None = None) -> dict:
    """The small month of the home page: each day of this month's grid and what kinds it holds (one query)."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    weeks = month_weeks(month)
    busy = busy_days(actor, weeks[0][0], weeks[-1][-1])
    labels = dict(CalendarKind.choices)
    return {
        "month": month,
        "today": today,
        "weekdays": [formats.date_format(day, "D") for day in weeks[0]],
        "weeks": [
            [
                {
                    "day": day,
                    "in_month": day.month == month.month,
                    "kinds": sorted(str(labels[k]) for k in busy.get(day, ())),
                }
                for day in week
            ]
            for week in weeks
        ],
    }
