"""The centre's calendar: outreach, commission meetings, supervisions and entries merged, filtered per staff
member and territory, with no supervision notes and no agenda; the iCalendar parsed back with `icalendar`
in the centre's time zone; entries kept by those who manage the calendar."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden, ValidationFailed
from socius.community import calendar as entries
from socius.community.models import CalendarEntry, CalendarFeedToken, Supervision
from socius.community.selectors_calendar import busy_days, calendar_for, calendar_ics
from socius.community.tests.calendar_world import DAY, world_fixture  # noqa: F401  (fixture)
from socius.family.models import AgendaItem
from socius.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def keys(items):
    return [(i.kind, i.source_id) for i in items]


def test_the_calendar_merges_the_four_sources_by_day_and_time(world, pl_worker):
    items = calendar_for(pl_worker, *MARCH)

    assert keys(items) == [
        ("training", world["training"].pk),  # 10 March 08:00
        ("supervision", world["session"].pk),  # 10 March 10:00 (pl_worker takes part)
        ("outreach", world["event"].pk),  # 10 March 17:00
        ("commission", world["meeting"].pk),  # 11 March 10:30 in Warsaw
        ("outreach", world["far_event"].pk),  # 12 March, all day
        ("office_closure", world["closure"].pk),  # 15–16 March
    ]
    meeting = items[3]
    assert (meeting.title, meeting.starts_at, meeting.place) == ("Interdisciplinary team", dt.time(10, 30), "Sala GOPS")
    assert items[2].title == "Sołectwo meeting · Kosów"


def test_a_supervision_shows_only_its_date_to_those_not_taking_part_and_never_its_notes(world, pl_worker, pl_worker2):
    mine = next(i for i in calendar_for(pl_worker, *MARCH) if i.kind == "supervision")
    theirs = next(i for i in calendar_for(pl_worker2, *MARCH) if i.kind == "supervision")

    assert (mine.starts_at, mine.restricted, mine.description) == (dt.time(10), False, "Facilitator: dr Anna Zielińska")
    assert (theirs.starts_at, theirs.ends_at, theirs.restricted, theirs.description) == (None, None, True, "")
    for item in (mine, theirs):
        assert "Burnout" not in str(vars(item)) and "rotate" not in str(vars(item))


def test_a_commission_meeting_shows_no_agenda(world, pl_worker, pl_teamlead):
    from socius.casework.tests.factories import CaseFactory

    case = CaseFactory(centre=world["meeting"].centre)
    AgendaItem.objects.create(
        meeting=world["meeting"], case=case, summary="Child of the Nowak family", proposed_by=pl_teamlead
    )

    item = next(i for i in calendar_for(pl_worker, *MARCH) if i.kind == "commission")

    assert "Nowak" not in str(vars(item))


def test_filtered_per_staff_member(world, pl_worker, pl_worker2):
    assert keys(calendar_for(pl_worker, *MARCH, staff=pl_worker2.pk)) == [
        ("training", world["training"].pk),  # names pl_worker2
        ("commission", world["meeting"].pk),  # a member
        ("outreach", world["far_event"].pk),  # on its staff
        ("office_closure", world["closure"].pk),  # names nobody: concerns everyone
    ]
    assert keys(calendar_for(pl_worker2, *MARCH, staff=pl_worker.pk)) == [
        ("supervision", world["session"].pk),
        ("outreach", world["event"].pk),
        ("office_closure", world["closure"].pk),
    ]


def test_filtered_per_territory_with_what_lies_below(world, pl_worker, pl_centre):
    assert keys(calendar_for(pl_worker, *MARCH, territory=world["village"].pk)) == [
        ("training", world["training"].pk),
        ("outreach", world["event"].pk),
    ]
    below_root = calendar_for(pl_worker, *MARCH, territory=pl_centre.territory_id)
    assert keys(below_root) == [
        ("training", world["training"].pk),
        ("outreach", world["event"].pk),
        ("outreach", world["far_event"].pk),
    ]


def test_filtered_per_kind(world, pl_worker):
    assert keys(calendar_for(pl_worker, *MARCH, kinds=["office_closure", "commission"])) == [
        ("commission", world["meeting"].pk),
        ("office_closure", world["closure"].pk),
    ]


def test_another_centre_sees_none_of_it_and_a_carer_only_the_entries(world, md_worker, pl_centre):
    carer = UserFactory(centre=pl_centre, role="carer")

    assert calendar_for(md_worker, *MARCH) == []
    assert keys(calendar_for(carer, *MARCH)) == [
        ("training", world["training"].pk),
        ("office_closure", world["closure"].pk),
    ]


def test_the_calendar_is_set_based(world, pl_worker, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        calendar_for(pl_worker, *MARCH)


def test_busy_days_of_the_month_in_one_query(world, pl_worker, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        days = busy_days(pl_worker, *MARCH)

    assert days == {
        DAY: {"training", "supervision", "outreach"},
        dt.date(2026, 3, 11): {"commission"},
        dt.date(2026, 3, 12): {"outreach"},
        dt.date(2026, 3, 15): {"office_closure"},
        dt.date(2026, 3, 16): {"office_closure"},
    }


# --- iCalendar ----------------------------------------------------------------------------------------


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_the_ical_is_parsed_by_icalendar_with_timed_and_all_day_events(world, pl_worker):
    cal = parse(calendar_ics(pl_worker, *MARCH))

    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        f"training-{world['training'].pk}@socius", f"supervision-{world['session'].pk}@socius",
        f"outreach-{world['event'].pk}@socius", f"commission-{world['meeting'].pk}@socius",
        f"outreach-{world['far_event'].pk}@socius", f"office_closure-{world['closure'].pk}@socius",
    }  # fmt: skip
    outreach = events[f"outreach-{world['event'].pk}@socius"]
    start = outreach.decoded("dtstart")
    assert start == dt.datetime(2026, 3, 10, 17, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Europe/Warsaw" and outreach["dtstart"].params["TZID"] == "Europe/Warsaw"
    assert str(outreach["location"]) == "Świetlica, Kosów"
    closure = events[f"office_closure-{world['closure'].pk}@socius"]
    assert closure.decoded("dtstart") == dt.date(2026, 3, 15)
    assert closure.decoded("dtend") == dt.date(2026, 3, 17)  # exclusive: the day after the last
    assert str(closure["summary"]) == "Office closure: Office closed (inventory)"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]


def test_the_ical_has_no_supervision_notes_for_a_participant_nor_times_for_others(world, pl_worker, pl_worker2):
    for actor in (pl_worker, pl_worker2):
        data = calendar_ics(actor, *MARCH)
        assert b"Burnout" not in data and b"rotate" not in data
    other = parse(calendar_ics(pl_worker2, *MARCH))
    session = next(e for e in other.walk("VEVENT") if str(e["uid"]).startswith("supervision-"))
    assert session.decoded("dtstart") == DAY  # a date: no time for someone not taking part


@pytest.mark.parametrize(("centre", "zone"), [("md_centre", "Europe/Chisinau"), ("lt_centre", "Europe/Vilnius")])
def test_the_ical_is_in_the_time_zone_of_the_centre(request, centre, zone):
    centre = request.getfixturevalue(centre)
    worker = UserFactory(centre=centre, role="social_worker")
    CalendarEntry.objects.create(
        centre=centre, kind="training", title="T", starts_on=DAY, ends_on=DAY, starts_at=dt.time(9), ends_at=dt.time(10)
    )

    cal = parse(calendar_ics(worker, *MARCH))

    (event,) = cal.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == zone
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)  # EET in March
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == [zone]


# --- entries and feed tokens ------------------------------------------------------------------------------


def test_a_team_leader_adds_an_entry_and_it_is_audited(pl_teamlead, pl_worker):
    entry = entries.create_entry(
        pl_teamlead, {"kind": "training", "title": "First aid", "starts_on": DAY, "staff": [pl_worker.pk]}, on=DAY
    )

    assert (entry.ends_on, entry.starts_at, list(entry.staff.all())) == (DAY, None, [pl_worker])
    event = AuditEvent.objects.get(object_type="calendar_entry", object_id=entry.pk, action="create")
    assert event.changes["title"] == [None, "First aid"] and event.changes["staff"] == [None, [pl_worker.pk]]


def test_a_social_worker_may_not_add_an_entry(pl_worker):
    with pytest.raises(Forbidden):
        entries.create_entry(pl_worker, {"kind": "training", "title": "x", "starts_on": DAY}, on=DAY)
    assert not CalendarEntry.objects.exists()


def test_an_entry_names_its_wrong_fields(pl_teamlead, md_centre):
    with pytest.raises(ValidationFailed) as refusal:
        entries.create_entry(
            pl_teamlead,
            {"kind": "outreach", "title": "", "starts_on": DAY, "ends_on": DAY - dt.timedelta(days=1),
             "territory": md_centre.territory_id},
            on=DAY,
        )  # fmt: skip
    assert set(refusal.value.errors) == {"kind", "title", "ends_on", "territory"}
    assert not CalendarEntry.objects.exists()


def test_rotating_the_feed_token_replaces_it(pl_worker):
    first = entries.rotate_feed_token(pl_worker, on=DAY).token
    second = entries.rotate_feed_token(pl_worker, on=DAY).token

    assert first != second
    assert entries.user_of_feed(first) is None
    assert entries.user_of_feed(second) == pl_worker
    assert CalendarFeedToken.objects.filter(user=pl_worker).count() == 1
    assert first not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_a_revoked_token_and_an_inactive_user_have_no_feed(pl_worker, pl_worker2):
    token = entries.rotate_feed_token(pl_worker, on=DAY).token
    entries.revoke_feed_token(pl_worker, on=DAY)
    assert entries.user_of_feed(token) is None
    other = entries.rotate_feed_token(pl_worker2, on=DAY).token
    pl_worker2.is_active = False
    pl_worker2.save()
    assert entries.user_of_feed(other) is None


def test_supervision_notes_unchanged_by_calendar_reads(world, pl_worker):
    calendar_for(pl_worker, *MARCH)
    assert Supervision.objects.get(pk=world["session"].pk).notes == "Agreed: rotate the night duty"


def test_the_demo_writes_supervisions_and_entries_through_the_services(
    pl_worker, pl_assistant, pl_teamlead, pl_director
):
    from socius.community.demo_calendar import load_calendar_demo

    summary = load_calendar_demo(pl_worker.centre, seed=1, today=dt.date(2026, 3, 20))

    assert summary == "4 supervisions, 4 calendar entries"
    sessions = Supervision.objects.filter(centre=pl_worker.centre)
    assert sorted(sessions.values_list("status", flat=True)) == ["held", "held", "held", "planned"]
    assert all(s.date <= dt.date(2026, 3, 20) for s in sessions.filter(status="held"))
    closure = CalendarEntry.objects.get(kind="office_closure")
    assert (closure.starts_on, closure.title) == (dt.date(2026, 5, 3), "Święto Konstytucji 3 Maja — urząd nieczynny")
    assert AuditEvent.objects.filter(object_type="supervision", action="create").count() == 4
