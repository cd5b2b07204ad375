"""Browser: ordering a service (issue 11) — pl-worker opens a client's case, orders home help with the usual
week, reads the co-payment and how it was calculated before saving (in Polish, then in English: the trace's
steps in the reader's language), saves the draft and sees it on the decision page and in the decisions list;
screenshots wide and narrow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.casework.models import Case, CaseStatus
from socius.services.models import ServiceDecision, ServiceOffer
from socius.services.statuses import DecisionStatus
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

HOME_HELP = "pl.home_help"
STEP = {"pl": "Dochód w % kryterium dochodowego", "en": "Income as % of the income criterion"}


def _set_language(username: str, language: str) -> None:
    User.objects.filter(username=username).update(language=language)


@pytest.fixture
def worker_case(demo):
    worker = User.objects.get(username="pl-worker")
    if not ServiceOffer.objects.filter(centre=worker.centre, service_code=HOME_HELP).exists():
        ServiceOffer.objects.create(
            centre=worker.centre, service_code=HOME_HELP, valid_from=dt.date(2020, 1, 1),
            unit_cost=Decimal("32.50"), capacity_per_week=None, cost_source="Uchwała Rady Gminy",
        )  # fmt: skip
    return (
        Case.objects.filter(assigned_worker=worker, status=CaseStatus.ACTIVE, person__isnull=False)
        .order_by("pk")
        .first()
        or Case.objects.filter(assigned_worker=worker, status=CaseStatus.ACTIVE).order_by("pk").first()
    )


def _fill_the_order(page: Page) -> None:
    page.locator("#dec_service_code").select_option(HOME_HELP)
    if page.locator("#dec_person").input_value() == "":
        page.locator("#dec_person").select_option(index=1)
    page.locator("#dec_quantity").fill("6")
    for day in (0, 2, 4):
        page.locator(f"#dec_day{day}_start").fill("09:00")
        page.locator(f"#dec_day{day}_units").fill("2")
    page.locator("#dec_income").fill("1500")
    page.locator("#dec_household_size").fill("1")
    page.locator("#dec_lives_alone").check()


def test_a_worker_orders_home_help_and_reads_the_co_payment_in_polish_and_in_english(page: Page, worker_case):
    demo_decisions = set(ServiceDecision.objects.values_list("pk", flat=True))  # the demo's own
    _set_language("pl-worker", "pl")
    log_in(page, "pl-worker")
    page.goto(f"/cases/{worker_case.pk}/")
    page.locator("#case-order-service").click()
    expect(page.locator("h1")).to_be_visible()
    _fill_the_order(page)
    page.locator("button[name=preview]").click()
    result = page.locator("#copayment-result")
    expect(result).to_be_visible()
    expect(result.locator("table.trace-table tbody tr").filter(has_text=STEP["pl"])).to_have_count(1)
    expect(result.locator(".copayment-outcome")).to_contain_text("10")
    assert not ServiceDecision.objects.exclude(pk__in=demo_decisions).exists()  # the preview saves nothing
    shot(page, "services-order-copayment-pl")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "services-order-copayment-pl-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The fields keep their values after the preview: save the draft.
    expect(page.locator("#dec_income")).to_have_value("1500")
    page.locator("form button.primary[type=submit]").click()
    decision = ServiceDecision.objects.exclude(pk__in=demo_decisions).get()
    expect(page).to_have_url(f"/services/decisions/{decision.pk}/")
    assert decision.status == DecisionStatus.DRAFT and decision.person_id
    assert [row["weekday"] for row in decision.weekly_pattern] == [0, 2, 4]
    assert Decimal(decision.copayment_facts["income"]) == Decimal("1500")
    shot(page, "services-decision-draft-pl")

    # In English: the same order, the calculation's steps in English.
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/services/decisions/new/?case={worker_case.pk}")
    _fill_the_order(page)
    page.locator("button[name=preview]").click()
    result = page.locator("#copayment-result")
    step = result.locator("table.trace-table tbody tr").filter(has_text=STEP["en"])
    expect(step).to_have_count(1)
    expect(step.locator(".statutory")).to_have_text(STEP["pl"])  # the statutory wording stays beside
    expect(result.locator("h3")).to_have_text("How it was calculated")
    shot(page, "services-order-copayment-en")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "services-order-copayment-en-narrow")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/services/decisions/")
    expect(page.locator(f"a[href='/services/decisions/{decision.pk}/']")).to_be_visible()
    shot(page, "services-decisions-en")
    page.goto("/services/")
    shot(page, "services-catalogue-en")

    # Four eyes: the team leader issues it; the co-payment is stored and read back in Polish.
    journeys.log_out(page)
    _set_language("pl-teamlead", "pl")
    log_in(page, "pl-teamlead")
    page.goto(f"/services/decisions/{decision.pk}/")
    page.locator(f"form[action='/services/decisions/{decision.pk}/issue/'] button[type=submit]").click()
    expect(page.locator(".messages, .message").first).to_be_visible()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED and decision.number
    assert decision.copayments.count() == 1
    copayment = page.locator("#copayment")
    expect(copayment.locator("table.trace-table tbody tr").filter(has_text=STEP["pl"])).to_have_count(1)
    shot(page, "services-decision-issued-pl")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "services-decision-issued-pl-narrow")
