"""Browser: the month's payments (issue 9) — pl-finance prepares the month's run and sees its anomalies,
pl-director approves it (four eyes), pl-finance exports it, downloads the pain.001, uploads the bank statement
built from it with one payment returned, and reissues that payment in an extra run; and the run's page
drawn in Lithuanian for lt-finance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import in_language, log_in, log_out, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

DEBTOR_IBAN = {"PL": "PL27114020040000300201355387", "LT": "LT121000011101001000"}
CORRECTED_IBAN = "PL61109010140000071219812874"


def _funds_for(jurisdiction: str) -> None:
    """The centre's director sets up a fund with this year's allocation, and every benefit of the demo's
    decisions draws on it (what the funds page does, done here through the same services)."""
    from socius.benefits.models import Decision
    from socius.payments import funds

    director = User.objects.get(username=f"{jurisdiction.lower()}-director")
    fund = funds.create_fund(
        director,
        {
            "code": "own",
            "name": "Zadania własne" if jurisdiction == "PL" else "Savivaldybės biudžetas",
            "kind": "own_tasks" if jurisdiction == "PL" else "municipal",
            "debtor_name": "Ośrodek Pomocy Społecznej" if jurisdiction == "PL" else "Socialinių paslaugų centras",
            "debtor_iban": DEBTOR_IBAN[jurisdiction],
        },
    )
    today = timezone.localdate()
    funds.allocate(director, fund.pk, {"year": today.year, "amount": Decimal("500000.00"), "decided_on": today})
    for benefit in set(Decision.objects.filter(centre=director.centre).values_list("benefit", flat=True)):
        funds.set_benefit_fund(director, benefit, fund.pk)


def _paid_differently_last_month(jurisdiction: str):
    """Last month's payment of one active bank-transfer grant, 50 less than now: the run's check lists the
    change of amount (an anomaly that does not stop the approval)."""
    from socius.benefits.models import Decision
    from socius.payments.models import Payment, PaymentRun

    finance = User.objects.get(username=f"{jurisdiction.lower()}-finance")
    decision = (
        Decision.objects.filter(
            centre=finance.centre, status="approved", state="active", payment_method="bank_transfer"
        )
        .exclude(iban="")
        .order_by("pk")
        .first()
    )
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    run = PaymentRun.objects.create(
        centre=finance.centre, month=last_month, number=1, status="reconciled", prepared_by=finance
    )
    Payment.objects.create(
        run=run,
        centre=finance.centre,
        decision=decision,
        person=decision.applicant,
        household=decision.household,
        payee_name=decision.applicant.full_name,
        benefit=decision.benefit,
        month=last_month,
        amount=decision.amount - Decimal("50.00"),
        currency=decision.currency,
        channel="bank_transfer",
        iban=decision.iban,
        end_to_end_id="LASTMONTH-1",
        status="paid",
        paid_on=last_month,
    )
    return decision


@pytest.fixture
def payments_demo(demo):
    _funds_for("PL")
    return _paid_differently_last_month("PL")


def test_pl_finance_prepares_pl_director_approves_and_a_returned_payment_is_reissued(page: Page, payments_demo):
    from socius.payments.bankfiles.camt053 import build_from_pain001
    from socius.payments.models import Payment, PaymentRun

    changed = payments_demo

    # 1. Finance's home is its work: this month's run is not prepared yet.
    log_in(page, "pl-finance")
    expect(page.locator("#payments-work")).to_be_visible()
    expect(page.locator("#payments-work")).to_contain_text(in_language("pl", "This month's run is not prepared yet."))
    shot(page, "payments-1-finance-home-pl")
    page.locator("#payments-work a[href='/payments/runs/#prepare']").click()
    page.locator("#prepare button[type=submit]").click()  # this month is the first choice

    # 2. The run is prepared (inline without a broker) and checked: the check list shows the change of amount.
    expect(page.locator("#progress [data-status]")).to_have_attribute("data-status", "draft")
    run = PaymentRun.objects.get(centre__code=changed.centre.code, month=timezone.localdate().replace(day=1))
    assert run.payment_count >= 1
    page.locator("#run-check").click()
    expect(page.locator("#progress [data-status]")).to_have_attribute("data-status", "checked")
    anomaly = page.locator("#anomalies tr.anomaly-amount_changed")
    expect(anomaly).to_have_count(1)
    expect(anomaly).to_contain_text(changed.applicant.full_name)
    # Four eyes, said before anybody tries: finance prepared and checked it.
    expect(page.locator("#actions .four-eyes")).to_be_visible()
    expect(page.locator("#run-approve")).to_have_count(0)
    shot(page, "payments-2-run-checked-anomalies-pl")
    log_out(page)

    # 3. The director approves it.
    log_in(page, "pl-director")
    page.locator("header nav a[href='/payments/runs/']").click()
    page.locator(f"a[href='/payments/runs/{run.pk}/']").first.click()
    page.locator("#run-approve").click()
    expect(page.locator("#progress [data-status]")).to_have_attribute("data-status", "approved")
    expect(page.locator(".messages")).to_contain_text(
        in_language("pl", "The run is approved and locked. Finance can now export it.")
    )
    shot(page, "payments-3-run-approved-by-director-pl")
    # The fund's statement now counts the approved run as spent (decisions approved before the fund existed
    # committed nothing on it).
    page.goto("/payments/funds/")
    from socius.payments.models import Fund

    own = Fund.objects.get(centre=run.centre, code="own")
    expect(page.locator(f".funds-table a[href='/payments/funds/{own.pk}/']")).to_have_count(1)
    shot(page, "payments-3b-funds-director-pl")
    log_out(page)

    # 4. Finance exports it and downloads the pain.001.
    log_in(page, "pl-finance")
    page.goto(f"/payments/runs/{run.pk}/")
    page.locator("#run-export").click()
    expect(page.locator("#progress [data-status]")).to_have_attribute("data-status", "exported")
    expect(page.locator(".messages")).to_contain_text(
        in_language("pl", "The bank files and cash lists are written: download them below.")
    )
    expect(page.locator("#run-export")).to_have_count(0)  # written once; downloaded again below
    with page.expect_download() as download:
        page.locator("#file-pain001").click()
    with open(download.value.path(), "rb") as handle:
        pain = handle.read()
    assert b"pain.001.001.03" in pain
    (journeys.SCREENSHOTS / "payments-run.pain001.xml").write_bytes(pain)
    shot(page, "payments-4-run-exported-pl")

    # 5. The bank's statement, built from that file, returns the changed grant's payment (AC04, closed account).
    returned = Payment.objects.get(run=run, decision=changed)
    statement = build_from_pain001(pain, returned={returned.end_to_end_id: "AC04"})
    statement_file = journeys.SCREENSHOTS / "payments-statement.camt053.xml"
    statement_file.write_bytes(statement)
    page.goto("/payments/statements/")
    page.locator("#upload input[type=file]").set_input_files(str(statement_file))
    page.locator("#upload button[type=submit]").click()
    expect(page.locator(".statement-summary")).to_be_visible()
    expect(page.locator("tr.outcome-returned")).to_have_count(1)
    expect(page.locator("tr.outcome-returned")).to_contain_text("AC04")
    # Every transfer's debit, the returned one's too (the bank paid it out, then the credit brought it back).
    expect(page.locator("tr.outcome-paid")).to_have_count(run.payments.filter(channel="bank_transfer").count())
    shot(page, "payments-5-statement-imported-pl")

    # 6. The return is reissued with a corrected IBAN, and paid again in an extra run.
    page.goto("/payments/returns/")
    row = page.locator(f"#return-{returned.pk}")
    expect(row).to_contain_text("AC04")
    row.locator("details summary").first.click()
    row.locator(f"#id_r{returned.pk}-iban").fill(CORRECTED_IBAN)
    row.locator(f"#id_r{returned.pk}-reason").fill("Rachunek zamknięty")
    shot(page, "payments-6-return-to-reissue-pl")
    row.locator("form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text(
        in_language("pl", "The payment will be paid again in the next extra run.")
    )
    page.goto("/payments/runs/")
    page.locator("#id_extra").check()
    page.locator("#prepare button[type=submit]").click()
    extra = PaymentRun.objects.get(centre=run.centre, month=run.month, kind="extra")
    expect(page).to_have_url(f"{page.url.split('/payments/')[0]}/payments/runs/{extra.pk}/")
    reissue = Payment.objects.get(run=extra, reissue_of=returned)
    assert reissue.iban == CORRECTED_IBAN and reissue.amount == returned.amount
    expect(page.locator(f"#payment-{reissue.pk}")).to_contain_text(changed.applicant.full_name)
    expect(page.locator(f"#payment-{reissue.pk} .badge")).to_be_visible()
    shot(page, "payments-7-extra-run-with-the-reissue-pl")


def test_lt_finance_reads_the_run_page_in_lithuanian(page: Page, demo):
    from socius.payments import runs

    _funds_for("LT")
    finance = User.objects.get(username="lt-finance")
    User.objects.filter(pk=finance.pk).update(language="lt")
    run = runs.prepare_run(finance, finance.centre_id, timezone.localdate().replace(day=1))
    runs.check_run(finance, run.pk)
    log_in(page, "lt-finance")
    page.goto(f"/payments/runs/{run.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    expect(page.locator("#h-lists")).to_have_text(in_language("lt", "Payment lists: totals by fund and locality"))
    expect(page.locator("#h-actions")).to_have_text(in_language("lt", "What can be done"))
    expect(page.locator("#run-draft")).to_have_text(in_language("lt", "Back to draft"))
    expect(page.locator("header nav")).to_contain_text(in_language("lt", "Payments"))
    if run.total:
        expect(page.locator("#progress")).to_contain_text("€")
    shot(page, "payments-8-run-page-lt")
