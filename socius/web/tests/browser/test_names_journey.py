"""Browser journeys of issue 7, "casework that names people", through Debian's Chromium at 1366×768.

`pl-worker` sees the family's name on the desk (not a case number and their own name), and records a
front-desk contact for a registered person found by search: the person's household is linked at once,
and the person is no longer offered with "Add". Texts come from the catalogues compiled fresh for the
test (the fixtures of test_journeys.py). Screenshots go to /tmp/socius_browser/names-*.png.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.casework.models import Case, Contact, HomeVisit
from socius.casework.statuses import OPEN_STATUSES
from socius.registry.models import Membership
from socius.registry.selectors import attach_household_heads
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import in_language, log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
lukasz = journeys.lukasz


def test_pl_worker_sees_the_familys_name_on_the_desk(page: Page, demo):
    worker = User.objects.get(username="pl-worker")
    case = (
        Case.objects.filter(assigned_worker=worker, status__in=OPEN_STATUSES, household__isnull=False)
        .order_by("id")
        .first()
    )
    visit = HomeVisit.objects.create(case=case, planned_on=timezone.localdate(), place="Rękoraj 31")
    visit.visitors.add(worker)
    attach_household_heads([case.household])
    family = case.household.display_name
    assert case.household.head_member is not None and family != f"Household {case.household_id}"

    log_in(page, "pl-worker")
    row = page.locator(f"li.desk-visit:has(a[href$='#visit-{visit.pk}'])")
    expect(row).to_have_count(1)
    expect(row.locator(f"a[href$='#visit-{visit.pk}']")).to_have_text(
        in_language("pl", "%(name)s (household)") % {"name": case.household.head_member.full_name}
    )
    expect(row).to_contain_text(case.reference)
    expect(row).not_to_contain_text(worker.get_full_name())
    shot(page, "names-1-desk")


def test_a_contact_for_a_found_person_links_their_household(page: Page, lukasz):
    household_id = Membership.objects.get(person=lukasz, valid_until__isnull=True).household_id
    log_in(page, "pl-worker")
    page.goto("/contacts/new/")
    linked = page.locator("#contact-household")
    expect(linked.locator("input[name=household]")).to_have_value("")

    page.locator("#contact-person-search").press_sequentially("lukasz kowalski")
    add = page.locator(f'#contact-person-results button[hx-vals*=\'"add": "{lukasz.pk}"\']')
    expect(add).to_be_visible()
    add.click()

    expect(page.locator("#contact-persons [data-picked]")).to_have_count(1)
    expect(linked.locator("input[name=household]")).to_have_value(str(household_id))
    expect(linked.locator(f"a[href='/households/{household_id}/']")).to_be_visible()
    expect(add).to_have_count(0)  # no longer offered
    expect(page.locator(f"#pick-add-{lukasz.pk}")).to_have_text(in_language("pl", "already in the list"))
    shot(page, "names-2-contact-household-linked")

    page.locator("#contact-form input[name=topics]").first.check()
    page.locator("#contact-form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    contact = Contact.objects.get(persons=lukasz)
    assert contact.household_id == household_id
