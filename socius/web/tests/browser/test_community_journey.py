"""Browser: community outreach (issue 11) — lt-worker plans an information meeting in Jašiūnai from the
Community menu (the territory picked from the centre's tree, the elder invited), records it as held with the
headcount and leaflets per service, notes a potential recipient found there and turns them into a contact in one
step (the contact's link shown after, counted once); the territory map shows Jašiūnai visited. The pages drawn in
Lithuanian and in English, wide and narrow."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.models import Territory
from socius.casework.models import Contact
from socius.community.models import LeafletCount, OutreachEvent, PotentialRecipient
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

SLOW = 30_000
NARROW = {"width": 360, "height": 780}
WIDE = {"width": 1366, "height": 768}


@pytest.fixture
def jasiunai(demo):
    return Territory.objects.get(jurisdiction="LT", name="Jašiūnai", parent__name="Jašiūnų seniūnija")


def test_lt_worker_plans_holds_and_follows_up_an_outreach_meeting_in_jasiunai(page: Page, jasiunai):
    log_in(page, "lt-worker")
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    before = set(OutreachEvent.objects.values_list("pk", flat=True))

    # 1. From the header's Community item to the plan form.
    page.locator(".main-nav a[href='/community/outreach/']").click()
    expect(page.locator(".community-tabs a[aria-current='page']")).to_have_attribute("href", "/community/outreach/")
    page.locator("a[href='/community/outreach/new/']").first.click()
    page.locator("#plan_territory").select_option(label="Jašiūnų seniūnija › Jašiūnai")
    page.locator("#plan_kind").select_option("information_meeting")
    page.locator("#plan_title").fill("Informacinis susitikimas apie pagalbą į namus")
    page.locator("#plan_date").fill(timezone.localdate().isoformat())
    page.locator("#plan_place").fill("Jašiūnų kultūros namai")
    page.locator("#id_partners-0-role").select_option("elder")
    page.locator("#id_partners-0-name").fill("Jašiūnų seniūnas")
    shot(page, "community-1-plan-lt")
    page.locator("form[method=post] button[type=submit].primary").click()
    expect(page.locator("#event-facts")).to_contain_text("Jašiūnų kultūros namai", timeout=SLOW)
    (event,) = OutreachEvent.objects.exclude(pk__in=before)
    assert (event.territory_id, event.status) == (jasiunai.pk, "planned")
    assert list(event.partners.values_list("role", "name")) == [("elder", "Jašiūnų seniūnas")]

    # 2. Recorded as held: the headcount and the leaflets handed out about two services.
    held = page.locator("#held")
    held.locator("#held_headcount").fill("27")
    held.locator("#held_leaflets_0").fill("15")
    held.locator("#held_leaflets_1").fill("6")
    held.locator("#held_questions").fill("Kaip gauti pagalbą į namus ir kiek ji kainuoja?")
    held.scroll_into_view_if_needed()
    shot(page, "community-1b-held-form-lt")
    held.locator("button[type=submit].primary").click()
    expect(page.locator("#event-leaflets")).to_be_visible(timeout=SLOW)
    event.refresh_from_db()
    assert (event.status, event.headcount) == ("held", 27)
    assert sorted(LeafletCount.objects.filter(event=event).values_list("count", flat=True)) == [6, 15]

    # 3. A potential recipient found there.
    page.locator("#add-recipient summary").click()
    page.locator("#recipient_description").fill("Senyvo amžiaus moteris, gyvena viena prie bažnyčios")
    page.locator("#recipient_need").fill("Reikia pagalbos į namus: malkos, vaistai")
    page.locator("#recipient_place").fill("Bažnyčios g.")
    page.locator("#add-recipient button[type=submit].primary").click()
    recipient = PotentialRecipient.objects.get(event=event)
    row = page.locator(f"#recipient-{recipient.pk}")
    expect(row).to_contain_text("Senyvo amžiaus moteris", timeout=SLOW)
    shot(page, "community-2-event-held-lt")

    # 4. Turned into a contact in one step; the link to the contact shown after, the actions gone.
    row.locator("details:has(form[action$='/contact/']) summary").click()
    row.locator("input[name=topics]").first.check()
    row.locator("form[action$='/contact/'] button[type=submit]").click()
    row = page.locator(f"#recipient-{recipient.pk}")
    expect(row.locator("a.followed-up")).to_be_visible(timeout=SLOW)
    recipient.refresh_from_db()
    contact = Contact.objects.get(pk=recipient.contact_id)
    assert (recipient.status, contact.channel) == ("contacted", "outreach")
    expect(row.locator("form[action$='/contact/']")).to_have_count(0)
    row.scroll_into_view_if_needed()
    shot(page, "community-3-contact-made-lt")

    # 5. The map: Jašiūnai visited (a named, focusable area), and the table with the same data.
    page.goto("/community/territory/")
    area = page.locator(f".map-wide svg.territory-map a[href$='?territory={jasiunai.pk}']")
    # Named in words (the state's label and how many events were held), not by its colour.
    expect(area).to_have_attribute("aria-label", re.compile(r"^Jašiūnai: .+, \d+"), timeout=SLOW)
    area.focus()
    expect(page.locator(f"#territory-table tr[data-territory='{jasiunai.pk}']")).to_contain_text("✓")
    shot(page, "community-4-map-lt")
    page.set_viewport_size(NARROW)
    shot(page, "community-5-map-lt-narrow")
    page.goto(f"/community/outreach/{event.pk}/")
    shot(page, "community-6-event-lt-narrow")

    # 6. The same pages in English.
    page.set_viewport_size(WIDE)
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"#recipient-{recipient.pk}")).to_contain_text("Became a contact")
    shot(page, "community-7-event-en")
    page.goto("/community/territory/")
    expect(page.locator(f".map-wide svg.territory-map a[href$='?territory={jasiunai.pk}']")).to_have_attribute(
        "aria-label", re.compile(r"^Jašiūnai: Visited, \d+ events? held")
    )
    shot(page, "community-8-map-en")
    page.set_viewport_size(NARROW)
    page.goto("/community/recipients/?status=contacted")
    expect(page.locator(f"#recipient-{recipient.pk}")).to_contain_text("Became a contact")
    shot(page, "community-8b-recipients-en-narrow")
    page.goto(f"/community/diagnosis/?territory={jasiunai.parent_id}")
    expect(page.locator("#diagnosis-recipients")).to_be_visible()
    shot(page, "community-9-diagnosis-en-narrow")
