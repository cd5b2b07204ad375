"""Browser: social services from the order to the monthly statement (issue 11). pl-worker orders home help for a
client of her case (a usual week with today in it, the co-payment's income facts); the team leader issues it
(four eyes) and plans the week's roster, publishes it, and gives today's visit to the demo carer if the roster
put it elsewhere; the carer records it delivered on her day (phone-sized); finance makes the month's statements,
reads the client's (the hours at the centre's price, the co-payment due), issues it and opens its PDF (checked
with pdftotext, in Polish and in English). Screenshots wide and narrow."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.services.models import Delivery, MonthlyStatement, ServiceDecision, ServiceOffer, ServiceWorker, Visit
from socius.services.statuses import DecisionStatus, StatementStatus
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser import test_services_pages_journey as ordering
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
worker_case = ordering.worker_case

HOME_HELP = ordering.HOME_HELP
PDFTOTEXT = shutil.which("pdftotext")


def _order(page: Page, weekday: int) -> None:
    page.locator("#dec_service_code").select_option(HOME_HELP)
    if page.locator("#dec_person").input_value() == "":
        page.locator("#dec_person").select_option(index=1)
    page.locator("#dec_quantity").fill("2")
    page.locator(f"#dec_day{weekday}_start").fill("09:00")
    page.locator(f"#dec_day{weekday}_units").fill("2")
    page.locator("#dec_income").fill("1500")
    page.locator("#dec_household_size").fill("1")
    page.locator("#dec_lives_alone").check()


def _pdf_text(page: Page, url: str, tmp_path, name: str) -> str:
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.body())
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_home_help_from_the_order_to_the_issued_monthly_statement(page: Page, worker_case, tmp_path):
    today = timezone.localdate()
    ordering._set_language("pl-worker", "pl")
    log_in(page, "pl-worker")
    page.goto(f"/services/decisions/new/?case={worker_case.pk}")
    _order(page, today.weekday())
    page.locator("#dec_starts_on").fill(today.replace(day=1).isoformat())
    page.locator("form button.primary[type=submit]").click()
    decision = ServiceDecision.objects.filter(service_code=HOME_HELP, status=DecisionStatus.DRAFT).latest("pk")
    expect(page).to_have_url(f"/services/decisions/{decision.pk}/")

    # Four eyes: the team leader issues the decision and plans the week.
    journeys.log_out(page)
    ordering._set_language("pl-teamlead", "pl")
    log_in(page, "pl-teamlead")
    page.goto(f"/services/decisions/{decision.pk}/")
    page.locator(f"form[action='/services/decisions/{decision.pk}/issue/'] button[type=submit]").click()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED and decision.copayments.count() == 1
    page.goto("/services/roster/")
    reopen = page.locator("form[action$='/reopen/'] button[type=submit]")
    if reopen.count():  # the demo published this week's roster: reopen it to plan the new client in
        reopen.click()
    roster_form = page.locator("form[action='/services/roster/generate/'] button[type=submit]")
    roster_form.click()
    visit = Visit.objects.get(decision=decision, date=today)
    carer = ServiceWorker.objects.get(user__username="pl-carer")
    if visit.worker_id != carer.pk:  # give today's visit to the demo carer through the roster's move form
        page.goto(f"/services/roster/visits/{visit.pk}/")
        page.locator("#id_worker").select_option(str(carer.pk))
        page.locator("#id_date").fill(today.isoformat())
        page.locator("#id_starts_at").fill("18:30")  # after the carer's usual round: no overlap
        page.locator("#id_units").fill("2")
        page.locator("form.card button.primary[type=submit]").first.click()
        visit.refresh_from_db()
        assert visit.worker_id == carer.pk, page.locator("main").inner_text()[:800]
    page.goto(f"/services/roster/?week={visit.roster.week_start.isoformat()}")
    publish = page.locator(f"form[action='/services/roster/{visit.roster_id}/publish/'] button[type=submit]")
    if publish.count():
        publish.click()
    shot(page, "services-journey-roster-pl")

    # The carer records the visit on her phone.
    journeys.log_out(page)
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, "pl-carer")
    page.goto(f"/my-day/?day={today.isoformat()}")
    card = page.locator(f"#visit-{visit.pk}")
    expect(card).to_contain_text(decision.person.last_name)
    card.locator("form button.primary").first.click()
    delivery = Delivery.objects.get(visit=visit)
    assert (delivery.outcome, delivery.units) == ("delivered", Decimal("2.00"))
    shot(page, "services-journey-carer-day-pl-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Finance makes the month's statements, reads the client's, issues it and opens its PDF.
    journeys.log_out(page)
    ordering._set_language("pl-finance", "pl")
    log_in(page, "pl-finance")
    page.goto(f"/services/statements/?month={today:%Y-%m}")
    page.locator("form[action='/services/statements/generate/'] button[type=submit]").click()
    expect(page.locator(".messages .message").first).to_be_visible()
    statement = MonthlyStatement.objects.get(person=decision.person, month=today.replace(day=1))
    offer = ServiceOffer.objects.filter(centre=decision.centre, service_code=HOME_HELP, valid_from__lte=today)
    [line] = [line for line in statement.lines if line["decision_id"] == decision.pk]
    assert Decimal(line["units"]) == 2 and Decimal(line["cost"]) == offer.latest("valid_from").unit_cost * 2
    copayment = decision.copayments.get()
    assert line["copayment"]["share_of_cost_percent"] == str(copayment.share_of_cost_percent)
    shot(page, "services-journey-statements-pl")
    page.locator(f"a[href='/services/statements/{statement.pk}/']").click()
    expect(page.locator("h1")).to_contain_text(statement.number)
    shot(page, "services-journey-statement-pl")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "services-journey-statement-pl-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f"form[action='/services/statements/{statement.pk}/issue/'] button[type=submit]").click()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ISSUED and statement.issued_by == User.objects.get(username="pl-finance")

    text_pl = _pdf_text(page, f"/services/statements/{statement.pk}/pdf/?lang=pl", tmp_path, "pl")
    assert statement.number in text_pl and "zł" in text_pl  # money in the Polish format
    assert decision.person.last_name in text_pl and statement.payment_reference in text_pl
    text_en = _pdf_text(page, f"/services/statements/{statement.pk}/pdf/?lang=en", tmp_path, "en")
    assert "Statement of services and co-payment" in text_en and "Amount to pay" in text_en
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/services/statements/{statement.pk}/")
    expect(page.locator("h1")).to_contain_text("Statement")
    shot(page, "services-journey-statement-en")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "services-journey-statement-en-narrow")
