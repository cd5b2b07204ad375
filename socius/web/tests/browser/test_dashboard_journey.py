"""Browser: md-director's home is the dashboard (issue 12) — the charts drawn on the server with a table beside
each, the territorial choropleth of the district with its ranked table; the filters (a measure, a community)
answer through htmx without leaving the page. Drawn in Romanian and in English; screenshots to /tmp/shots-repdash/."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.demo import CENTRE_CODES
from socius.accounts.models import Centre, Territory, User
from socius.casework.models import Contact
from socius.casework.tests.factories import ContactFactory
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import htmx_settled, in_language, log_in

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

SHOTS = Path("/tmp/shots-repdash")
SLOW = 30_000


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_md_director_reads_the_dashboard_on_their_home_and_narrows_it(page: Page, demo):
    centre = Centre.objects.get(code=CENTRE_CODES["MD"])
    director = User.objects.get(username="md-director")
    communities = list(Territory.objects.filter(parent_id=centre.territory_id).order_by("name"))
    first = next(c for c in communities if Territory.objects.filter(parent=c).exists())
    village = Territory.objects.filter(parent=first).order_by("name").first()
    villages = Territory.objects.filter(parent=first).count()
    # Known contacts this month in one village of a community, so the map has something to shade.
    tz = zoneinfo.ZoneInfo("Europe/Chisinau")
    today = timezone.localdate(timezone=tz)
    month_start = dt.datetime(today.year, today.month, 1, tzinfo=tz)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    for hour in (9, 10, 11):
        ContactFactory(
            centre=centre, occurred_at=month_start.replace(hour=hour), territory=village, handled_by=director
        )
    expected = Contact.objects.filter(
        centre=centre, territory=village, occurred_at__gte=month_start, occurred_at__lt=next_month
    ).count()

    for language in ("ro", "en"):
        director.language = language
        director.save(update_fields=["language"])
        log_in(page, "md-director")
        expect(page.locator("#h-dashboard")).to_have_text(in_language(language, "Dashboard"))
        for chart in ("#chart-activity", "#chart-map"):
            expect(page.locator(chart)).to_be_visible()
        # The ranked table beside the map: one row per community of the district.
        expect(page.locator("#dash-groups-table tbody tr")).to_have_count(len(communities))
        shot(page, f"dashboard-home-{language}")

        # The measure: home visits, through htmx (the body replaced, the URL follows).
        page.locator("#dash_measure").select_option("home_visits")
        with htmx_settled(page):
            page.locator(".dashboard-filters button[type=submit]").click()
        title = in_language(language, "%(measure)s by territory") % {
            "measure": in_language(language, "Home visits made")
        }
        expect(page.locator("#h-dash-map")).to_contain_text(title, timeout=SLOW)
        assert "measure=home_visits" in page.url

        # One community: the map and the ranked table show its villages only.
        page.locator("#dash_territory").select_option(str(first.pk))
        page.locator("#dash_measure").select_option("contacts")
        with htmx_settled(page):
            page.locator(".dashboard-filters button[type=submit]").click()
        expect(page.locator("#dash-groups-table tbody tr")).to_have_count(villages)
        row = page.locator("#dash-groups-table tbody tr").filter(
            has=page.get_by_role("rowheader", name=village.name, exact=True)
        )
        expect(row.locator("td").nth(1)).to_have_text(str(expected))
        shot(page, f"dashboard-community-{language}")
        page.context.clear_cookies()
