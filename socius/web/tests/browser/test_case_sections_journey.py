"""Browser journeys of the case page as a shell of sections (issue 7), through Debian's Chromium at 1366×768.

`pl-worker` records a home visit made today in one step: the "Home visits" section is swapped in place,
without reloading the page, and the page stays where it was scrolled. A contract signed without
obligations is refused with its reason at the top of the page. Without JavaScript the same page still
works: a section opens through its link, and a plain POST redirects to the page at `#visits`.

Texts come from the catalogues compiled fresh for the test (the fixtures of test_journeys.py).
Screenshots go to /tmp/socius_browser/sections-*.png (outside the repository).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.casework.models import Case, CaseEvent, CaseEventKind, HomeVisit, VisitStatus
from socius.casework.services import open_case
from socius.plans.services import draft_contract
from socius.plans.statuses import ContractStatus
from socius.registry.models import Membership
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import in_language, log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
lukasz = journeys.lukasz

LANG = "pl"
OUTCOME = "Rodzina w domu; omówiono zasiłek celowy na opał."


def pl(message: str) -> str:
    return in_language(LANG, message)


def reveal(page: Page, name: str):
    """Scroll a lazy section of the case page into view and wait until htmx has loaded it."""
    section = page.locator(f"section#{name}")
    for attempt in range(3):
        try:
            section.scroll_into_view_if_needed()
            break
        except PlaywrightError:
            # htmx swapped the section (or a neighbour that moved it) in the middle of the scroll.
            if attempt == 2:
                raise
    expect(page.locator(f"section#{name}[aria-busy]")).to_have_count(0)
    return page.locator(f"section#{name}")


def expect_notice(page: Page, text: str) -> None:
    """The notice of a done action: at the top of the swapped section, or in the page's messages."""
    expect(page.locator("ul.messages li.message.success, p.section-notice").last).to_have_text(text)


def _case_for(lukasz) -> Case:
    worker = User.objects.get(username="pl-worker")
    household_id = Membership.objects.get(person=lukasz, valid_until__isnull=True).household_id
    return open_case(worker, {"household": household_id, "circumstances": ["poverty"], "status": "active"})


def test_pl_worker_records_a_visit_made_today_in_one_step_and_the_section_is_swapped_in_place(page: Page, lukasz):
    case = _case_for(lukasz)
    log_in(page, "pl-worker")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("main h1")).to_contain_text("Łukasz Kowalski")
    expect(page.locator("main h1")).to_contain_text(case.reference)
    visits = reveal(page, "visits")
    page.evaluate("window.__same_page = true")  # lost if the page were loaded again
    visits.locator("#record-visit summary").click()
    now = timezone.localtime() - dt.timedelta(minutes=10)
    expect(page.locator("#record_done_on")).to_have_value(timezone.localdate().strftime("%d.%m.%Y"))  # today, ready
    page.locator("#record_done_time").fill(now.strftime("%H:%M"))
    page.locator("#record_outcome").fill(OUTCOME)
    button = visits.get_by_role("button", name=pl("Record the visit made"), exact=True)
    button.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    button.click()

    expect(page.locator("#visits-notice")).to_have_text(pl("The visit is recorded as done."))
    assert page.evaluate("window.__same_page") is True  # swapped in, not reloaded
    # The page stays at the section: no jump to the top; the notice is in view and has the focus.
    assert page.evaluate("window.scrollY") > 0.5 * scrolled
    top = page.locator("#visits-notice").bounding_box()
    assert top is not None and 0 <= top["y"] < 768
    expect(page.locator("#visits-notice")).to_be_focused()
    visit = HomeVisit.objects.get(case=case)
    row = page.locator(f"#visit-{visit.pk}")
    expect(row).to_contain_text(OUTCOME)
    expect(row.locator(".status")).to_have_text(pl("Done"))
    shot(page, "sections-1-visit-made")
    assert (visit.status, visit.done_on, visit.done_time) == (
        VisitStatus.DONE,
        now.date(),
        now.time().replace(second=0, microsecond=0),
    )
    kinds = list(CaseEvent.objects.filter(case=case, kind__startswith="visit").values_list("kind", flat=True))
    assert kinds == [CaseEventKind.VISIT_DONE]  # one step: no planning first

    # The timeline shows the visit with its time, not 00:00.
    timeline = reveal(page, "timeline")
    expect(timeline.locator("ol.timeline > li").first).to_contain_text(now.strftime("%H:%M"))


def test_a_refused_contract_signature_shows_its_reason_at_the_top(page: Page, lukasz):
    case = _case_for(lukasz)
    worker = User.objects.get(username="pl-worker")
    today = timezone.localdate()
    contract = draft_contract(
        worker,
        case.pk,
        {"variant": "IA_IIA", "clients": [lukasz.pk], "valid_from": today, "valid_until": today + dt.timedelta(90)},
    )
    log_in(page, "pl-worker")
    page.goto(f"/contracts/{contract.pk}/")
    page.locator("#sign_signed_on").fill(today.isoformat())
    page.get_by_role("button", name=pl("Sign"), exact=True).click()

    refusal = page.locator("#contract-refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(pl("The contract's status was not changed."))
    expect(refusal).to_contain_text(
        pl("The contract has no obligations of the client: add at least one before signing.")
    )
    box = refusal.bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert box is not None and heading is not None and box["y"] < heading["y"]  # above the contract itself
    shot(page, "sections-2-signature-refused")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_without_javascript_a_section_opens_by_its_link_and_a_post_lands_on_the_section(
    browser, live_server, stray_sessions_closed, lukasz
):
    case = _case_for(lukasz)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "pl-worker")
        page.goto(f"/cases/{case.pk}/")
        lazy = page.locator("section#visits")
        expect(lazy).to_have_attribute("aria-busy", "true")  # nothing loads it without JavaScript
        lazy.locator("a").click()
        expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?open=visits#visits$"))
        visits = page.locator("section#visits")
        visits.locator("#record-visit summary").click()
        # Refused first (a day in the future): the reason at the top and beside the field, nothing written.
        page.locator("#record_done_on").fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
        page.locator("#record_outcome").fill(OUTCOME)
        visits.get_by_role("button", name=pl("Record the visit made"), exact=True).click()
        expect(page.locator("#visits-refusal")).to_contain_text(pl("The visit was not recorded."))
        expect(page.locator("ul.messages li.message.error")).to_contain_text(pl("The visit was not recorded."))
        assert page.url.endswith("#visits")  # the form's action carries the anchor
        assert not HomeVisit.objects.filter(case=case).exists()

        expect(page.locator("#record_done_on-errors")).to_contain_text(pl("The date cannot be in the future."))
        page.locator("#record_done_on").fill(timezone.localdate().isoformat())
        page.locator("section#visits").get_by_role("button", name=pl("Record the visit made"), exact=True).click()
        expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?open=visits#visits$"))
        expect(page.locator("ul.messages li.message.success")).to_have_text(pl("The visit is recorded as done."))
        expect(page.locator("section#visits")).to_contain_text(OUTCOME)
        shot(page, "sections-3-without-javascript")
        assert HomeVisit.objects.get(case=case).status == VisitStatus.DONE
    finally:
        context.close()
