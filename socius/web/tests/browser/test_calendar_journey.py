"""Browser: the centre's calendar with the keyboard — `lt-worker` opens the month, moves between the days with
the arrow keys and between months with Page Down / Page Up, filters per territory, and reads a supervision
they do not take part in (date only, no notes). Screenshots in Lithuanian and English, wide and narrow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.demo import demo_password
from socius.accounts.models import User
from socius.community.models import CalendarEntry, OutreachEvent, Supervision
from socius.testing.factories import TerritoryFactory, UserFactory
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues


@pytest.fixture
def lt_world(lt_centre):
    today = timezone.localdate()
    eldership = TerritoryFactory(jurisdiction="LT", level="eldership", name="Jašiūnų sen.", parent=lt_centre.territory)
    village = TerritoryFactory(jurisdiction="LT", level="village", name="Jašiūnai", parent=eldership)
    worker = UserFactory(centre=lt_centre, role="social_worker", username="lt-cal-worker", language="lt",
                         first_name="Rasa", last_name="Jankauskienė")  # fmt: skip
    worker.set_password(demo_password())
    worker.save()
    colleague = UserFactory(centre=lt_centre, role="social_worker", first_name="Irena", last_name="Sinkevič")
    event = OutreachEvent.objects.create(
        centre=lt_centre, territory=village, kind="information_meeting", title="Susitikimas su seniūnaičiais",
        date=today, starts_at=dt.time(10), ends_at=dt.time(12), place="Jašiūnų seniūnija",
    )  # fmt: skip
    event.staff.set([worker])
    session = Supervision.objects.create(
        centre=lt_centre, date=today + dt.timedelta(days=1) if today.day < 28 else today, facilitator_kind="external",
        facilitator_name="dr. Aušra Kazlauskienė", notes="Slapta pastaba", topics="Perdegimas",
    )  # fmt: skip
    session.participants.set([colleague])
    CalendarEntry.objects.create(
        centre=lt_centre, kind="office_closure", title="Įstaiga nedirba", starts_on=today.replace(day=1),
        ends_on=today.replace(day=1),
    )  # fmt: skip
    return {"worker": worker, "village": village, "session": session, "today": today}


def test_lt_worker_walks_the_calendar_with_the_keyboard(page: Page, lt_world):
    today = lt_world["today"]
    log_in(page, "lt-cal-worker")
    page.goto("/community/calendar/")
    expect(page.locator("#month-grid")).to_be_visible()
    expect(page.locator("#month-grid")).to_contain_text("Susitikimas su seniūnaičiais")
    expect(page.locator("#calendar-agenda")).to_contain_text("Įstaiga nedirba")
    assert "Slapta pastaba" not in page.content() and "Perdegimas" not in page.content()

    # The arrow keys move between the days; today's cell takes the focus first.
    start = page.locator("#month-grid td[tabindex='0']")
    expect(start).to_have_attribute("data-day", today.isoformat())
    start.focus()
    page.keyboard.press("ArrowDown")
    week_later = (today + dt.timedelta(days=7)).isoformat()
    expect(page.locator("#month-grid td:focus")).to_have_attribute("data-day", week_later)
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#month-grid td:focus")).to_have_attribute(
        "data-day", (today + dt.timedelta(days=6)).isoformat()
    )
    shot(page, "calendar-lt-wide")

    # Page Down: the next month (the focus comes back to the grid), Page Up: back.
    page.keyboard.press("PageDown")
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    page.wait_for_url(f"**/community/calendar/?month={next_month:%Y-%m}#month-grid")
    page.locator("#month-grid td[tabindex='0']").focus()
    page.keyboard.press("PageUp")
    page.wait_for_url(f"**/community/calendar/?month={today:%Y-%m}#month-grid")

    # Filter per territory: the outreach in Jašiūnai stays, the office closure (no place) goes.
    page.locator("#id_territory").select_option(str(lt_world["village"].pk))
    page.locator("#calendar-filter").click()
    expect(page.locator("#calendar-agenda")).to_contain_text("Susitikimas su seniūnaičiais")
    expect(page.locator("#calendar-agenda")).not_to_contain_text("Įstaiga nedirba")

    # A supervision the worker does not take part in: its date and facilitator, no notes.
    page.goto(f"/community/supervisions/{lt_world['session'].pk}/")
    expect(page.locator("#supervision-restricted")).to_be_visible()
    assert "Slapta pastaba" not in page.content()

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/community/calendar/")
    shot(page, "calendar-lt-narrow")

    User.objects.filter(pk=lt_world["worker"].pk).update(language="en")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/community/calendar/")
    expect(page.locator("h1")).to_have_text("The centre's calendar")
    shot(page, "calendar-en-wide")
    page.goto("/community/calendar/feed/")
    page.locator("#feed-rotate").click()
    assert "/calendar/feed/" in page.locator("#feed-address").input_value()
    shot(page, "calendar-feed-en")
