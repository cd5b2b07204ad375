"""Browser: the benefit pages (issue 8) — the calculator with htmx rows, the application with its incomes,
the proposal and its trace, four eyes in the approver's queue, and the decision PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.web.tests import benefit_toy
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo


@pytest.fixture
def toy_benefit(monkeypatch):
    return benefit_toy.install(monkeypatch)


def _set_language(username: str, language: str) -> None:
    User.objects.filter(username=username).update(language=language)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pl_worker_adds_members_and_reads_the_trace_in_the_calculator(page: Page, demo, toy_benefit, language):
    _set_language("pl-worker", language)
    log_in(page, "pl-worker")
    page.locator("header nav a[href='/benefits/calculator/']").click()
    with page.expect_response("**/benefits/calculator/"):  # choosing a benefit draws its fields
        page.locator("#calc_benefit").select_option("pl.web_toy_allowance")
    page.locator("#calc_in_need").fill("500")
    page.locator("#id_members-0-income").fill("600")
    page.locator("#add-member").click()
    # htmx answered the form alone and focused the new row
    expect(page.locator("#id_members-1-role")).to_be_focused()
    page.locator("#id_members-1-role").select_option("spouse")
    page.locator("#id_members-1-income").fill("200")
    page.locator("#id_members-1-birth_date").fill("02.04.1950" if language == "pl" else "02/04/1950")
    page.locator("button[value=calculate]").click()
    expect(page.locator(".outcome-amount")).to_have_text("100,00\xa0zł" if language == "pl" else "PLN\xa0100.00")
    expect(page.locator("table.trace-table tbody tr")).to_have_count(5)
    shot(page, f"benefits-calculator-pl-worker-{language}")
    page.set_viewport_size({"width": 420, "height": 900})
    shot(page, f"benefits-calculator-pl-worker-{language}-narrow")
