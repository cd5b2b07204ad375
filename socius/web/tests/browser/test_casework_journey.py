"""Browser journey of issue 3 (casework), driven through Debian's Chromium at 1366×768.

`pl-worker` (who works in Polish) records a front-desk contact for a demo person, opens a case for the
person's household on poverty and unemployment, moves it to active, closes it with a closure reason and
reopens it with a reason, seeing each change on the case page and its timeline. A second social worker
of the same centre then opens the same case URL: the summary, but not the content.

Texts are read from the translation catalogues compiled fresh for the test (the fixtures of
test_journeys.py); the statutory labels are asserted in Polish as the PL pack words them. Screenshots go
to /tmp/socius_browser/casework-*.png (outside the repository).
"""

from __future__ import annotations

import re

from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from socius.accounts.demo import CENTRE_CODES, demo_password
from socius.accounts.models import Centre, User
from socius.accounts.roles import Role
from socius.casework import statutory
from socius.casework.models import Case, CaseEvent, CaseEventKind, Contact
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.registry.models import Membership
from socius.testing.factories import UserFactory
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_case_sections_journey import reveal
from socius.web.tests.browser.test_journeys import in_language, log_in, log_out, shot

# The fixtures of the issue 2 journeys: the demo and the catalogues compiled fresh for the test.
compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
lukasz = journeys.lukasz

LANG = "pl"  # pl-worker's language (and the second worker's)
TOPIC, OUTCOME = "employment", "information_given"
CIRCUMSTANCES = {"poverty": "ubóstwo", "unemployment": "bezrobocie"}
REOPEN_REASON = "Klientka ponownie straciła pracę."


def pl(message: str) -> str:
    return in_language(LANG, message)


def status_label(status: CaseStatus) -> str:
    with translation.override(LANG):
        return str(status.label)


def code_label(items, code: str) -> str:
    return next(item.label for item in items if item.code == code)


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages li.message.success")).to_have_text(text)


def test_worker_records_a_contact_opens_moves_closes_and_reopens_a_case_and_a_colleague_sees_only_the_summary(
    page: Page, lukasz
):
    centre = Centre.objects.get(code=CENTRE_CODES["PL"])
    household_id = Membership.objects.get(person=lukasz, valid_until__isnull=True).household_id
    with translation.override(LANG):
        topic_label = code_label(statutory.contact_topics("PL"), TOPIC)
        outcome_label = code_label(statutory.contact_outcomes("PL"), OUTCOME)
        circumstance_labels = [
            code_label(statutory.circumstances("PL", on=timezone.localdate()), code) for code in CIRCUMSTANCES
        ]
    assert circumstance_labels == list(CIRCUMSTANCES.values())  # the statute's own words, art. 7 pkt 1 and 4

    # --- 1. the front desk: a contact for Łukasz ---------------------------------------------------------
    log_in(page, "pl-worker")
    page.goto("/contacts/new/")
    expect(page.locator("html")).to_have_attribute("lang", LANG)
    page.locator("#contact-person-search").press_sequentially("lukasz kowalski")
    add = page.locator(f'#contact-person-results button[hx-vals*=\'"add": "{lukasz.pk}"\']')
    expect(add).to_be_visible()
    add.click()
    picked = page.locator("#contact-persons [data-picked]")
    expect(picked).to_have_count(1)
    expect(picked.locator(f"input[name=persons][value='{lukasz.pk}']")).to_be_checked()
    expect(picked).to_contain_text("Łukasz Kowalski")

    page.locator("#contact-form").get_by_label(topic_label, exact=True).check()
    page.locator("#contact-form").get_by_label(outcome_label, exact=True).check()
    shot(page, "casework-1a-contact-form")
    page.locator("#contact-form .actions button[type=submit]").click()

    recorded = page.locator("ul.messages li.message.success")
    expect(recorded).to_contain_text(pl("The contact has been recorded (%(who)s).") % {"who": "Łukasz Kowalski"})
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    expect(page.locator("#contact-persons [data-picked]")).to_have_count(0)  # a fresh form for the next one
    shot(page, "casework-1b-contact-recorded")

    page.locator("a[href='/contacts/']", has_text=pl("Contacts recorded")).click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    row = page.locator("table.contacts tbody tr", has=page.locator(f"a[href='/persons/{lukasz.pk}/']"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Łukasz Kowalski")
    expect(row.locator("td").nth(3)).to_have_text(topic_label)
    expect(row.locator("td").nth(4)).to_have_text(outcome_label)
    expect(row.locator("td").nth(5)).to_have_text("Katarzyna Wójcik")
    shot(page, "casework-1c-contact-list")

    contact = Contact.objects.get(persons=lukasz)
    assert (contact.topics, contact.outcomes, contact.handled_by.username) == ([TOPIC], [OUTCOME], "pl-worker")

    # --- 2. a case for his household: poverty and unemployment --------------------------------------------
    page.goto("/cases/new/")
    page.locator("#case-person-search").press_sequentially("lukasz kowalski")
    for_household = page.locator(f"#case-person-results a[href='/cases/new/?household={household_id}']")
    expect(for_household).to_have_count(1)
    for_household.click()
    expect(page).to_have_url(re.compile(rf"/cases/new/\?household={household_id}$"))
    expect(page.locator("main h1")).to_contain_text(pl("Household %(id)s") % {"id": household_id})

    form = page.locator("form.case-form")
    for label in circumstance_labels:
        form.get_by_label(label, exact=True).check()
    expect(form.locator("input[name=circumstances]:checked")).to_have_count(2)
    expect(form.locator("#id_assigned_worker")).to_be_disabled()  # a worker opens cases for themself
    expect(form.locator("#id_assigned_worker")).to_have_value(str(User.objects.get(username="pl-worker").pk))
    expect(form.locator("#id_team option:checked")).to_have_text("Zespół ds. rodziny")  # the worker's one team
    shot(page, "casework-2a-case-form")
    form.locator(".actions button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert case.household_id == household_id
    assert sorted(case.circumstances) == sorted(CIRCUMSTANCES)
    assert case.status == CaseStatus.OPENED
    case_url = f"/cases/{case.pk}/"
    heading = page.locator("main h1")
    expect_message(page, pl("Case %(reference)s has been opened.") % {"reference": case.reference})
    expect(heading).to_contain_text(case.reference)
    expect(heading.locator(".status")).to_have_text(status_label(CaseStatus.OPENED))
    circumstances = page.locator("ul.circumstances li")
    expect(circumstances).to_have_text(circumstance_labels)  # in the order ticked on the form's list
    summary = page.locator("section[aria-labelledby=h-summary]")
    expect(summary.locator(f"a[href='/households/{household_id}/']")).to_be_visible()
    expect(summary).to_contain_text("Katarzyna Wójcik")
    reveal(page, "timeline")  # the case page loads its sections as they come into view
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text(pl("Case opened"))
    shot(page, "casework-2b-case-opened")

    # --- 3. opened → active ---------------------------------------------------------------------------------
    status_section = page.locator("section[aria-labelledby=h-status]")
    status_section.get_by_role("button", name=pl("Activate"), exact=True).click()
    expect_message(
        page,
        pl("Case %(reference)s is now “%(status)s”.")
        % {"reference": case.reference, "status": status_label(CaseStatus.ACTIVE)},
    )
    expect(heading.locator(".status")).to_have_text(status_label(CaseStatus.ACTIVE))
    expect(timeline).to_have_count(2)
    newest = timeline.first  # newest first
    expect(newest.locator("strong")).to_have_text(pl("Status changed"))
    expect(newest).to_contain_text(
        pl("%(from)s → %(to)s") % {"from": status_label(CaseStatus.OPENED), "to": status_label(CaseStatus.ACTIVE)}
    )
    expect(status_section.get_by_role("button", name=pl("Activate"), exact=True)).to_have_count(0)
    shot(page, "casework-3-case-active")

    # --- 4. active → closed, with a closure reason ----------------------------------------------------------
    with translation.override(LANG):
        closure_label = str(ClosureReason.GOALS_ACHIEVED.label)
    status_section.locator("details.status-form summary", has_text=pl("Close the case")).click()
    page.locator("#close_reason").select_option(ClosureReason.GOALS_ACHIEVED)
    page.locator("form[action$='/close/#status'] button[type=submit]").click()
    expect_message(
        page,
        pl("Case %(reference)s is now “%(status)s”.")
        % {"reference": case.reference, "status": status_label(CaseStatus.CLOSED)},
    )
    expect(heading.locator(".status")).to_have_text(status_label(CaseStatus.CLOSED))
    expect(summary).to_contain_text(closure_label)  # "Closed on <day> — Goals achieved"
    expect(timeline).to_have_count(3)
    expect(timeline.first).to_contain_text(
        pl("%(from)s → %(to)s") % {"from": status_label(CaseStatus.ACTIVE), "to": status_label(CaseStatus.CLOSED)}
    )
    expect(timeline.first).to_contain_text(pl("Closure reason: %(reason)s") % {"reason": closure_label})
    # A closed case offers only reopening.
    expect(status_section.get_by_role("button", name=pl("Activate"), exact=True)).to_have_count(0)
    expect(page.locator("form[action$='/close/#status']")).to_have_count(0)
    shot(page, "casework-4-case-closed")

    # --- 5. closed → active again, with a reason ------------------------------------------------------------
    status_section.locator("details.status-form summary", has_text=pl("Reopen the case")).click()
    page.locator("#reopen_reason").fill(REOPEN_REASON)
    page.locator("form[action$='/reopen/#status'] button[type=submit]").click()
    expect_message(
        page,
        pl("Case %(reference)s is now “%(status)s”.")
        % {"reference": case.reference, "status": status_label(CaseStatus.ACTIVE)},
    )
    expect(heading.locator(".status")).to_have_text(status_label(CaseStatus.ACTIVE))
    expect(summary).not_to_contain_text(closure_label)  # the case row is cleared for its new period
    expect(timeline).to_have_count(4)
    expect(timeline.first).to_contain_text(
        pl("%(from)s → %(to)s") % {"from": status_label(CaseStatus.CLOSED), "to": status_label(CaseStatus.ACTIVE)}
    )
    expect(timeline.first).to_contain_text(pl("Reason: %(reason)s") % {"reason": REOPEN_REASON})
    expect(timeline.nth(1)).to_contain_text(pl("Closure reason: %(reason)s") % {"reason": closure_label})
    shot(page, "casework-5-case-reopened")

    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closed_on) == (CaseStatus.ACTIVE, "", None)
    moves = [
        (e.data["from"], e.data["to"])
        for e in CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS_CHANGED).order_by("pk")
    ]
    assert moves == [("opened", "active"), ("active", "closed"), ("closed", "active")]
    log_out(page)

    # --- 6. a colleague of the same centre: the summary, not the content -----------------------------------
    colleague = UserFactory(
        centre=centre, role=Role.SOCIAL_WORKER, username="pl-worker-2", first_name="Ewa", language=LANG
    )
    colleague.set_password(demo_password())
    colleague.save()
    log_in(page, "pl-worker-2")
    response = page.goto(case_url)
    assert response is not None and response.status == 200
    expect(heading).to_contain_text(case.reference)
    expect(heading.locator(".status")).to_have_text(status_label(CaseStatus.ACTIVE))
    expect(summary.locator(f"a[href='/households/{household_id}/']")).to_be_visible()
    expect(summary).to_contain_text("Katarzyna Wójcik")  # who holds it
    expect(page.locator("#content-restricted")).to_have_text(
        pl("You can see that this case exists and who holds it; its content is restricted.")
    )
    main = page.locator("main")
    expect(page.locator("ul.circumstances")).to_have_count(0)
    for label in circumstance_labels:
        expect(main).not_to_contain_text(label)
    expect(page.locator("ol.timeline")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=h-status]")).to_have_count(0)
    expect(main).not_to_contain_text(REOPEN_REASON)
    shot(page, "casework-6-colleague-restricted")

    # Nor can the colleague move it: the status URL answers without changing anything.
    refused = page.request.post(
        f"{case_url}suspend/",
        form={"csrfmiddlewaretoken": page.locator("form[action='/logout/'] [name=csrfmiddlewaretoken]").input_value()},
        headers={"Referer": page.url},
    )
    assert refused.status in (403, 404), refused.status
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
