"""Browser: the carer's day on a phone (360 px wide: no sideways scrolling, big buttons) — a carer logs in, lands
on her day, opens last Monday and records her visit as delivered; the team leader's weekly roster with the
keyboard only — reopen, Tab to a visit, Enter opens its form, a move beyond the client's decision is refused
with the reason at the top of the form (nothing written), a move to another hour is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.roles import Role
from socius.services import rosters
from socius.services.models import ServiceOffer, ServiceWorker, Visit
from socius.services.statuses import VisitStatus
from socius.services.tests.factories_rosters import DecisionFactory
from socius.testing.factories import CentreFactory, PersonFactory, TerritoryFactory, UserFactory
from socius.web.tests.browser.test_journeys import shot

PASSWORD = "pass-word-123"


@pytest.fixture
def roster_world(transactional_db):
    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Moszczenica")
    centre = CentreFactory(code="pl-roster", name="GOPS Moszczenica", jurisdiction="PL", territory=root)
    lead = UserFactory(username="tl-roster", centre=centre, role=Role.TEAM_LEADER, first_name="Anna", last_name="Lis")
    carer = UserFactory(username="carer-roster", centre=centre, role=Role.CARER, first_name="Ewa", last_name="Maj")
    ServiceOffer.objects.create(centre=centre, service_code="pl.home_help", valid_from=dt.date(2025, 1, 1),
                                unit_cost=Decimal("32.50"))  # fmt: skip
    worker = ServiceWorker.objects.create(centre=centre, user=carer, name="Ewa Maj", weekly_hours=Decimal("20"),
                                          service_codes=["pl.home_help"])  # fmt: skip
    person = PersonFactory(centre=centre, first_name="Stanisława", last_name="Wójcik",
                           street_address="ul. Słoneczna 12")  # fmt: skip
    decision = DecisionFactory(centre=centre, person=person, drafted_by=lead)
    week = rosters.week_of(timezone.localdate()) - dt.timedelta(days=7)
    result = rosters.generate_roster(lead, centre, week)
    rosters.publish_roster(lead, result.roster)
    return {"week": week, "worker": worker, "decision": decision, "visits": sorted(result.visits, key=lambda v: v.date)}


def _log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(".login-box form button[type=submit]").click()
    expect(page.locator("form[action='/logout/']")).to_be_visible()


def test_the_carers_day_on_a_phone(browser, live_server, roster_world):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _log_in(page, "carer-roster")
        expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
        monday = roster_world["week"]
        page.goto(f"/my-day/?day={monday.isoformat()}")
        card = page.locator(".visit-card").first
        expect(card).to_contain_text("Stanisława Wójcik")
        expect(card).to_contain_text("ul. Słoneczna 12")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        button = card.get_by_role("button", name="Delivered")
        assert button.bounding_box()["height"] >= 44
        shot(page, "roster-carer-day-360")
        button.click()
        expect(page.locator(".visit-card").first).to_contain_text("Delivered")
        shot(page, "roster-carer-day-360-recorded")
        assert Visit.objects.get(pk=roster_world["visits"][0].pk).status == VisitStatus.DELIVERED
    finally:
        context.close()


def test_the_weekly_roster_with_the_keyboard(page: Page, roster_world):
    page.set_default_timeout(30_000)
    _log_in(page, "tl-roster")
    week = roster_world["week"]
    page.goto(f"/services/roster/?week={week.isoformat()}")
    page.get_by_role("button", name="Reopen to change").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Publish to the carers")).to_be_visible()
    shot(page, "roster-week-wide")
    first = roster_world["visits"][0]
    # Tab from the table's caption onwards until the first visit has the focus.
    page.locator("table.roster-grid").evaluate("t => t.setAttribute('tabindex', '-1')")
    page.locator("table.roster-grid").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"visit-{first.pk}":
            break
    assert page.evaluate("document.activeElement.id") == f"visit-{first.pk}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Move a visit")).to_be_visible()

    page.locator("#id_units").fill("5")
    page.locator("#id_units").press("Enter")
    refusal = page.locator("#form-refusal")
    expect(refusal).to_contain_text("The decision gives 4 units per week")
    shot(page, "roster-move-refused")
    assert Visit.objects.get(pk=first.pk).units == Decimal("2")

    page.locator("#id_units").fill("2")
    page.locator("#id_starts_at").fill("11:00")
    page.locator("#id_starts_at").press("Enter")
    expect(page.locator(f"#visit-{first.pk}")).to_contain_text("11:00")
    assert Visit.objects.get(pk=first.pk).starts_at == dt.time(11, 0)
