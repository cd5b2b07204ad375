"""The payment pages: who may open them, what they show (IBANs masked outside finance and auditors, money
in the reader's language, four eyes said before anybody tries), the moves of a run through the services
(403 for four eyes, 409 for a move the state forbids, nothing changed), and the audit of every read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.payments.models import Fund, FundAllocation, Payment, PaymentRun, Transfer
from socius.testing.factories import CentreFactory, HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

PL_IBAN = "PL61109010140000071219812874"
MASKED = "PL61 •••• 2874"


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def anna(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Kowalska")
    MembershipFactory(person=person, household=household, relationship="head")
    return person


@pytest.fixture
def fund(pl_centre, pl_director):
    fund = Fund.objects.create(
        centre=pl_centre,
        code="own",
        name="Zadania własne",
        kind="own_tasks",
        currency="PLN",
        debtor_name="MOPS",
        debtor_iban="PL27114020040000300201355387",
    )
    FundAllocation.objects.create(
        fund=fund,
        year=this_month().year,
        kind="initial",
        amount=Decimal("10000.00"),
        decided_on=this_month(),
        recorded_by=pl_director,
    )
    return fund


def _transfer(centre, fund, user, payee, person=None, iban=PL_IBAN):
    return Transfer.objects.create(
        centre=centre,
        fund=fund,
        payee_name=payee,
        person=person,
        channel="bank_transfer",
        iban=iban,
        purpose="Pomoc",
        amount=Decimal("600.00"),
        currency="PLN",
        month_from=this_month(),
        status="approved",
        proposed_by=user,
    )


@pytest.fixture
def run(pl_centre, pl_finance, fund, anna, household):
    """A checked run of this month: Anna's payment and a canteen's, prepared and checked by pl_finance."""
    run = PaymentRun.objects.create(
        centre=pl_centre,
        month=this_month(),
        number=1,
        status="checked",
        prepared_by=pl_finance,
        checked_by=pl_finance,
        checked_at=timezone.now(),
        payment_count=2,
        total=Decimal("1100.00"),
        anomalies=[],
    )
    to_anna = _transfer(pl_centre, fund, pl_finance, "Anna Kowalska", person=anna)
    canteen = _transfer(pl_centre, fund, pl_finance, "Stołówka Caritas", iban="PL27114020040000300201355387")
    first = Payment.objects.create(
        run=run,
        centre=pl_centre,
        fund=fund,
        transfer=to_anna,
        person=anna,
        household=household,
        payee_name="Anna Kowalska",
        purpose="Pomoc",
        month=run.month,
        amount=Decimal("600.00"),
        currency="PLN",
        channel="bank_transfer",
        iban=PL_IBAN,
        end_to_end_id=f"E2E-{run.pk}-1",
    )
    Payment.objects.create(
        run=run,
        centre=pl_centre,
        fund=fund,
        transfer=canteen,
        payee_name="Stołówka Caritas",
        purpose="Obiady",
        month=run.month,
        amount=Decimal("500.00"),
        currency="PLN",
        channel="bank_transfer",
        iban="PL27114020040000300201355387",
        end_to_end_id=f"E2E-{run.pk}-2",
    )
    run.anomalies = [
        {
            "code": "amount_changed",
            "payment": first.pk,
            "params": {
                "payee": "Anna Kowalska",
                "benefit": "Pomoc",
                "previous": "550.00",
                "amount": "600.00",
                "currency": "PLN",
            },
        }
    ]
    run.save(update_fields=["anomalies"])
    return run


def views_naming(person_id) -> list[AuditEvent]:
    events = list(AuditEvent.objects.filter(action="view", object_type="payment"))
    named = persons_of_events(events)
    return [e for e in events if person_id in named[e.pk]]


# --- who may open the pages --------------------------------------------------------------------------

PAGES = [
    "web:payment_runs",
    "web:payment_funds",
    "web:payment_returns",
    "web:payment_statements",
    "web:payment_transfers",
]


@pytest.mark.parametrize("name", PAGES)
def test_finance_director_and_auditor_open_the_payment_pages_and_a_social_worker_is_refused(
    client, name, pl_finance, pl_director, pl_auditor, pl_worker, english
):
    for user, status in ((pl_finance, 200), (pl_director, 200), (pl_auditor, 200), (pl_worker, 403)):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == status, (user.username, name)


def test_only_the_director_opens_the_payment_approvers_page(client, pl_finance, pl_director, pl_auditor, english):
    for user, status in ((pl_director, 200), (pl_finance, 403), (pl_auditor, 403)):
        client.force_login(user)
        assert client.get(reverse("web:payment_approvers")).status_code == status


def test_a_run_of_another_centre_is_not_found(client, run, english):
    other = UserFactory(centre=CentreFactory(jurisdiction="PL"), role="finance_officer")
    client.force_login(other)
    assert client.get(reverse("web:payment_run", args=[run.pk])).status_code == 404
    assert client.post(reverse("web:payment_run_approve", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == "checked"


# --- the run's page ------------------------------------------------------------------------------------


def test_the_run_page_shows_the_iban_in_full_to_finance_and_masked_to_the_director(
    client, run, pl_finance, pl_director, english
):
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_run", args=[run.pk])).content.decode()
    assert PL_IBAN in page
    client.force_login(pl_director)
    page = client.get(reverse("web:payment_run", args=[run.pk])).content.decode()
    assert PL_IBAN not in page
    assert MASKED in page


def test_the_run_page_lists_the_anomaly_with_its_payee_and_both_amounts(client, run, pl_finance, english):
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_run", args=[run.pk])).content.decode()
    assert "The amount changed since last month" in page
    assert "The amount of Anna Kowalska for Pomoc changed since last month: 550.00 → 600.00 PLN." in page


def test_money_on_the_run_page_is_written_as_polish_writes_it(client, run, pl_finance):
    pl_finance.language = "pl"
    pl_finance.save(update_fields=["language"])
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "1\xa0100,00\xa0zł" in page


def test_the_preparer_is_told_before_trying_that_another_person_must_approve(
    client, run, pl_finance, pl_director, english
):
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_run", args=[run.pk])).content.decode()
    assert "Waiting for approval by the director" in page
    assert 'data-action="approve"' not in page
    client.force_login(pl_director)
    page = client.get(reverse("web:payment_run", args=[run.pk])).content.decode()
    assert 'data-action="approve"' in page


def test_the_run_page_audits_every_person_it_shows(client, run, anna, pl_auditor, english):
    client.force_login(pl_auditor)
    client.get(reverse("web:payment_run", args=[run.pk]))
    events = views_naming(anna.pk)
    assert len(events) == 2  # the anomalies' list and the payments' table
    assert {e.actor_id for e in events} == {pl_auditor.pk}


def test_searching_the_payments_table_answers_the_matching_rows_alone(client, run, pl_finance, english):
    client.force_login(pl_finance)
    response = client.get(reverse("web:payment_run_payments", args=[run.pk]), {"q": "stołówka"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Stołówka Caritas" in page
    assert "Anna Kowalska" not in page


def test_the_progress_section_polls_while_work_runs_and_asks_for_a_refresh_when_it_ends(client, run, pl_finance):
    client.force_login(pl_finance)
    url = reverse("web:payment_run_progress", args=[run.pk])
    PaymentRun.objects.filter(pk=run.pk).update(job="export", job_state="running", job_done=30, job_total=120)
    response = client.get(url, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="load delay:1s"' in response.content.decode()
    assert 'value="25"' in response.content.decode()
    assert "HX-Refresh" not in response
    PaymentRun.objects.filter(pk=run.pk).update(job_state="done", job_done=120)
    response = client.get(url, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_a_file_of_an_unknown_format_is_not_found(client, run, pl_finance):
    client.force_login(pl_finance)
    assert client.get(reverse("web:payment_run_file", args=[run.pk]), {"format": "exe"}).status_code == 404


# --- the household's payment history and the timelines -----------------------------------------------------


def test_the_household_payment_history_masks_the_iban_for_the_director_and_audits_the_read(
    client, run, household, anna, pl_director, english
):
    client.force_login(pl_director)
    response = client.get(reverse("web:household_payments", args=[household.pk]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna Kowalska" in page
    assert MASKED in page and PL_IBAN not in page
    assert "Stołówka" not in page  # the canteen's payment is not the household's
    assert len(views_naming(anna.pk)) == 1


def test_the_person_timeline_has_the_payment_row_for_finance(client, run, anna, pl_finance, english):
    client.force_login(pl_finance)
    page = client.get(reverse("web:person_timeline", args=[anna.pk]), {"kind": "payment"}).content.decode()
    assert f"Payment for {this_month():%B %Y}: Pomoc" in page
    assert reverse("web:payment_run", args=[run.pk]) in page


# --- finance's home --------------------------------------------------------------------------------------


def test_finance_home_shows_this_month_run_returns_and_balances(client, run, fund, pl_finance, english):
    client.force_login(pl_finance)
    page = client.get(reverse("web:home")).content.decode()
    assert "Payments in" in page
    assert reverse("web:payment_run", args=[run.pk]) in page
    assert "Zadania własne" in page
    assert "Returns to handle" in page


def test_finance_home_without_a_run_offers_to_prepare_it(client, fund, pl_finance, english):
    client.force_login(pl_finance)
    page = client.get(reverse("web:home")).content.decode()
    assert "This month&#x27;s run is not prepared yet." in page or "This month's run is not prepared yet." in page
    assert "Prepare this month" in page


def test_a_social_worker_home_has_no_payment_work(client, pl_worker, english):
    client.force_login(pl_worker)
    page = client.get(reverse("web:home")).content.decode()
    assert "payments-work" not in page


# --- the moves, through the pages and the services ------------------------------------------------------


def test_the_preparer_approving_gets_403_with_the_four_eyes_reason_and_nothing_changes(
    client, run, pl_finance, pl_director, english
):
    # pl_finance cannot approve at all (no right); the director who prepared it is refused by four eyes.
    PaymentRun.objects.filter(pk=run.pk).update(prepared_by=pl_director)
    client.force_login(pl_director)
    response = client.post(reverse("web:payment_run_approve", args=[run.pk]))
    assert response.status_code == 403
    assert "Nobody approves what they prepared" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("checked", None)


def test_the_director_approves_a_run_finance_checked(client, run, pl_director, english):
    client.force_login(pl_director)
    response = client.post(reverse("web:payment_run_approve", args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:payment_run", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("approved", pl_director.pk)


def test_a_team_leader_the_director_authorised_opens_and_approves_a_run_in_the_browser(
    client, run, pl_teamlead, pl_director, english
):
    from socius.payments.models import PaymentApprover

    client.force_login(pl_teamlead)
    assert client.get(reverse("web:payment_run", args=[run.pk])).status_code == 403  # not authorised yet
    assert client.post(reverse("web:payment_run_approve", args=[run.pk])).status_code == 403
    PaymentApprover.objects.create(centre=pl_teamlead.centre, user=pl_teamlead, granted_by=pl_director)

    page = client.get(reverse("web:payment_runs"))
    assert page.status_code == 200
    assert reverse("web:payment_runs") in page.content.decode()  # the menu offers the runs
    assert client.get(reverse("web:payment_run", args=[run.pk])).status_code == 200
    response = client.post(reverse("web:payment_run_approve", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("approved", pl_teamlead.pk)
    # Approving is not preparing: the files stay finance's.
    assert client.get(reverse("web:payment_run_file", args=[run.pk]) + "?format=csv").status_code == 403


def test_checking_an_approved_run_answers_409_and_changes_nothing(client, run, pl_finance, english):
    PaymentRun.objects.filter(pk=run.pk).update(status="approved")
    client.force_login(pl_finance)
    response = client.post(reverse("web:payment_run_check", args=[run.pk]))
    assert response.status_code == 409
    run.refresh_from_db()
    assert run.status == "approved"
    assert run.anomalies[0]["code"] == "amount_changed"


def test_cancelling_without_a_reason_changes_nothing_and_with_one_cancels(client, run, pl_finance, english):
    client.force_login(pl_finance)
    url = reverse("web:payment_run_cancel", args=[run.pk])
    client.post(url, {"reason": ""})
    run.refresh_from_db()
    assert run.status == "checked"
    assert client.post(url, {"reason": "Błędny miesiąc"}).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.cancel_reason) == ("cancelled", "Błędny miesiąc")
    assert set(run.payments.values_list("status", flat=True)) == {"cancelled"}


def test_finance_prepares_the_month_from_the_runs_page(client, fund, pl_finance, english):
    client.force_login(pl_finance)
    response = client.post(reverse("web:payment_runs"), {"month": this_month().isoformat(), "note": "Grudzień"})
    run = PaymentRun.objects.get(centre=pl_finance.centre, month=this_month())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:payment_run", args=[run.pk])
    assert (run.kind, run.number, run.prepared_by_id, run.note) == ("regular", 1, pl_finance.pk, "Grudzień")


def test_the_auditor_may_read_the_runs_page_but_not_prepare(client, pl_auditor, english):
    client.force_login(pl_auditor)
    assert "Prepare a run" not in client.get(reverse("web:payment_runs")).content.decode()
    assert client.post(reverse("web:payment_runs"), {"month": this_month().isoformat()}).status_code == 403
    assert not PaymentRun.objects.exists()


def test_the_director_adds_a_fund_and_its_allocation(client, pl_director, english):
    client.force_login(pl_director)
    response = client.post(
        reverse("web:payment_funds"),
        {"code": "zlecone", "name": "Zadania zlecone", "kind": "state_commissioned", "currency": "PLN"},
    )
    fund = Fund.objects.get(code="zlecone")
    assert response["Location"] == reverse("web:payment_fund", args=[fund.pk])
    year = this_month().year
    response = client.post(
        reverse("web:payment_fund", args=[fund.pk]),
        {"year": year, "amount": "12500.50", "decided_on": this_month().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert [a.amount for a in fund.allocations.all()] == [Decimal("12500.50")]


def test_a_fund_with_a_taken_code_is_refused_beside_its_field_and_nothing_is_added(client, fund, pl_director, english):
    client.force_login(pl_director)
    response = client.post(
        reverse("web:payment_funds"), {"code": "own", "name": "Drugi", "kind": "own_tasks", "currency": "PLN"}
    )
    assert response.status_code == 400
    assert "The centre already has a fund with this code." in response.content.decode()
    assert Fund.objects.count() == 1


def test_an_auditor_may_not_add_a_fund(client, pl_auditor):
    client.force_login(pl_auditor)
    response = client.post(
        reverse("web:payment_funds"), {"code": "x", "name": "X", "kind": "own_tasks", "currency": "PLN"}
    )
    assert response.status_code == 403
    assert not Fund.objects.exists()


def test_finance_proposes_a_transfer_and_only_another_person_approves_it(
    client, fund, pl_finance, pl_director, english
):
    client.force_login(pl_finance)
    response = client.post(
        reverse("web:payment_transfers"),
        {
            "t-fund": fund.pk,
            "t-payee_name": "Stołówka Caritas",
            "t-purpose": "Obiady dla 20 osób",
            "t-channel": "bank_transfer",
            "t-iban": "PL27114020040000300201355387",
            "t-amount": "2000.00",
            "t-month_from": this_month().isoformat(),
            "t-month_to": "",
        },
    )
    transfer = Transfer.objects.get(payee_name="Stołówka Caritas")
    assert response.status_code == 302 and transfer.status == "proposed"
    page = client.get(reverse("web:payment_transfers")).content.decode()
    assert f"transfer-{transfer.pk}" in page
    client.force_login(pl_director)
    client.post(reverse("web:payment_transfer_approve", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert (transfer.status, transfer.approved_by_id) == ("approved", pl_director.pk)


def test_the_director_authorises_and_revokes_a_payment_approver(client, pl_director, pl_teamlead, english):
    from socius.payments.models import PaymentApprover

    client.force_login(pl_director)
    assert client.post(reverse("web:payment_approvers"), {"user": pl_teamlead.pk}).status_code == 302
    assert PaymentApprover.objects.filter(user=pl_teamlead, revoked_at__isnull=True).count() == 1
    assert "Nobody besides the director." not in client.get(reverse("web:payment_approvers")).content.decode()
    assert client.post(reverse("web:payment_approvers"), {"revoke": pl_teamlead.pk}).status_code == 302
    assert PaymentApprover.objects.filter(user=pl_teamlead, revoked_at__isnull=True).count() == 0


def _returned(run):
    payment = run.payments.get(person__isnull=False)
    PaymentRun.objects.filter(pk=run.pk).update(status="exported")
    Payment.objects.filter(pk=payment.pk).update(
        status="returned", return_code="AC04", return_reason="Closed account", returned_on=this_month()
    )
    return payment


def test_a_return_is_listed_with_its_reason_and_reissued_with_a_corrected_iban(client, run, anna, pl_finance, english):
    payment = _returned(run)
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_returns")).content.decode()
    assert f"return-{payment.pk}" in page and "AC04" in page
    assert len(views_naming(anna.pk)) == 1
    response = client.post(
        reverse("web:payment_return_reissue", args=[payment.pk]),
        {f"r{payment.pk}-channel": "bank_transfer", f"r{payment.pk}-iban": "PL 27 1140 2004 0000 3002 0135 5387"},
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.reissue_requested_by_id == pl_finance.pk


def test_a_reissue_with_an_invalid_iban_is_refused_beside_the_field_and_nothing_is_marked(
    client, run, pl_finance, english
):
    payment = _returned(run)
    client.force_login(pl_finance)
    response = client.post(
        reverse("web:payment_return_reissue", args=[payment.pk]),
        {f"r{payment.pk}-channel": "bank_transfer", f"r{payment.pk}-iban": "PL00123"},
    )
    assert response.status_code == 400
    assert "This IBAN is not valid" in response.content.decode()
    payment.refresh_from_db()
    assert payment.reissue_requested_at is None


def test_a_returned_payment_is_cancelled_with_a_reason(client, run, pl_finance, english):
    payment = _returned(run)
    client.force_login(pl_finance)
    client.post(reverse("web:payment_return_cancel", args=[payment.pk]), {f"c{payment.pk}-reason": "Zmarł"})
    payment.refresh_from_db()
    assert (payment.status, payment.cancel_reason) == ("cancelled", "Zmarł")


def test_a_file_that_is_no_statement_is_refused_and_nothing_is_imported(client, pl_finance, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from socius.payments.models import BankStatement

    client.force_login(pl_finance)
    upload = SimpleUploadedFile("statement.xml", b"<html>not a statement</html>", content_type="text/xml")
    response = client.post(reverse("web:payment_statements"), {"file": upload})
    assert response.status_code == 400
    assert "The statement was not imported." in response.content.decode()
    assert not BankStatement.objects.exists()


# --- a social worker reads their clients' payment statuses, never an IBAN in full -----------------------------


def test_the_case_worker_reads_the_households_payment_status_with_the_iban_masked_and_another_worker_nothing(
    client, run, household, anna, pl_centre, pl_worker, pl_worker2, english
):
    from socius.casework.tests.factories import CaseFactory
    from socius.desk.tests.test_desk import propose

    case = CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker)
    decision = propose(case, pl_worker)
    Payment.objects.filter(person=anna).update(decision=decision, transfer=None, status="paid", paid_on=this_month())
    url = reverse("web:household_payments", args=[household.pk])
    client.force_login(pl_worker)
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Paid" in page and MASKED in page and PL_IBAN not in page
    assert len(views_naming(anna.pk)) == 1
    client.force_login(pl_worker2)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "No payments yet." in response.content.decode()
    assert len(views_naming(anna.pk)) == 1  # nothing shown, nothing audited


def test_the_director_home_lists_the_run_waiting_for_approval(client, run, pl_director, english):
    client.force_login(pl_director)
    page = client.get(reverse("web:home")).content.decode()
    assert "Runs waiting for approval" in page
    assert reverse("web:payment_run", args=[run.pk]) in page


def test_a_statement_being_imported_shows_its_progress_and_polls(client, pl_finance, english):
    from socius.payments.models import BankStatement

    statement = BankStatement.objects.create(
        centre=pl_finance.centre,
        format="camt053",
        file_name="big.xml",
        sha256="0" * 64,
        imported_by=pl_finance,
        job_state="running",
        job_done=250,
        job_total=1000,
    )
    client.force_login(pl_finance)
    page = client.get(reverse("web:payment_statement", args=[statement.pk])).content.decode()
    assert 'value="25"' in page and 'hx-trigger="load delay:2s"' in page
    BankStatement.objects.filter(pk=statement.pk).update(job_state="done", job_done=1000)
    page = client.get(reverse("web:payment_statement", args=[statement.pk])).content.decode()
    assert "load delay:2s" not in page and "<progress" not in page
