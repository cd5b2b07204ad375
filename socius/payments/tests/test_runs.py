"""Monthly payment runs: preparing (what is due, once), re-running, extra runs, pro rata, payment details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.benefits.selectors import amounts_due
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments import runs
from socius.payments.models import Payment, PaymentDetailsChange, PaymentRun, Transfer
from socius.payments.tests.runs_support import (
    APRIL,
    FEBRUARY,
    LT_IBAN,
    MARCH,
    MD_IBAN,
    PL_IBAN,
    PL_IBAN_2,
    PURPOSE,
    TerritoryFactory,
    change,
    grant,
    make_client,
    make_fund,
)


@pytest.fixture
def fund(pl_centre, pl_finance):
    return make_fund(pl_centre, pl_finance)


@pytest.fixture
def village(pl_centre):
    return TerritoryFactory(jurisdiction="PL", level="village", name="Wola", parent=pl_centre.territory)


@pytest.fixture
def anna(pl_centre, pl_worker, village):
    return make_client(pl_centre, pl_worker, first="Anna", last="Nowak", territory=village)


@pytest.fixture
def anna_grant(anna, pl_worker, pl_director):
    person, _household, case = anna
    return grant(case, person, pl_worker, pl_director, amount="500.00", period_from=FEBRUARY)


def _payments(run):
    return list(Payment.objects.filter(run=run).order_by("id"))


# --- preparing ---------------------------------------------------------------------------------------------


def test_regular_run_is_number_one_and_copies_the_payment_details(pl_finance, pl_centre, fund, anna, anna_grant):
    person, household, _case = anna
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert (run.number, run.kind, run.status, run.month) == (1, "regular", "draft", MARCH)
    assert (run.payment_count, run.total, run.job_state, run.percent) == (1, Decimal("500.00"), "done", 100)
    [payment] = _payments(run)
    assert (payment.decision_id, payment.person_id, payment.household_id) == (anna_grant.pk, person.pk, household.pk)
    assert (payment.territory_id, payment.fund_id) == (person.territory_id, fund.pk)
    assert (payment.payee_name, payment.channel, payment.iban) == ("Anna Nowak", "bank_transfer", PL_IBAN)
    assert (payment.amount, payment.currency, payment.month, payment.status) == (
        Decimal("500.00"),
        "PLN",
        MARCH,
        "pending",
    )
    assert payment.purpose == f"{anna_grant.reference} 2025-03"
    assert payment.end_to_end_id == f"PLTEST-202503-1-{payment.pk}"
    assert len(payment.end_to_end_id) <= 35


def test_who_was_paid_from_what_stays_protected_in_the_orm(pl_finance, pl_centre, fund, anna, anna_grant):
    # The payment's centre, fund, person, household and locality keys have no database constraint (migration
    # payments 0005, decision 0014): Django's PROTECT still refuses to delete what a payment names.
    from django.db.models import ProtectedError

    person, household, _case = anna
    runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    for record in (person, household, person.territory, fund):
        with pytest.raises(ProtectedError) as refused:
            type(record).objects.filter(pk=record.pk).delete()
        assert any(isinstance(obj, Payment) for obj in refused.value.protected_objects), record
    assert Payment.objects.filter(person=person, household=household, fund=fund).count() == 1


def test_preparing_again_adds_only_what_is_missing(pl_finance, pl_centre, pl_worker, pl_director, fund, anna_grant):
    first = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    person, _household, case = make_client(pl_centre, pl_worker, first="Jan", last="Kowalski")
    later = grant(case, person, pl_worker, pl_director, amount="300.00", period_from=MARCH)
    again = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    third = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert again.pk == first.pk == third.pk
    assert sorted(p.decision_id for p in _payments(first)) == sorted([anna_grant.pk, later.pk])
    assert (third.payment_count, third.total) == (2, Decimal("800.00"))
    assert PaymentRun.objects.filter(centre=pl_centre, month=MARCH).count() == 1


def test_preparing_a_checked_run_again_returns_it_to_draft(pl_finance, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.check_run(pl_finance, run.pk)
    again = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert (again.pk, again.status) == (run.pk, "draft")


def test_run_collects_what_amounts_due_says_is_due(pl_finance, pl_centre, pl_worker, pl_director, fund):
    """The set-based preparation (one INSERT … SELECT on PostgreSQL) has the meaning of amounts_due."""
    decisions = {}
    for name, kwargs in {
        "open": {"period_from": FEBRUARY},
        "ended_before": {"period_from": dt.date(2024, 10, 1), "period_to": FEBRUARY},
        "starts_after": {"period_from": APRIL},
        "one_off_this_month": {"period_from": MARCH, "one_off": True, "benefit": PURPOSE, "method": "cash"},
        "one_off_earlier": {"period_from": FEBRUARY, "one_off": True, "benefit": PURPOSE},
        "suspended": {"period_from": dt.date(2025, 1, 1)},
        "suspended_then_resumed": {"period_from": dt.date(2025, 1, 1)},
        "ended_this_month": {"period_from": dt.date(2025, 1, 1)},
        "amended": {"period_from": dt.date(2025, 1, 1), "amount": "400.00"},
    }.items():
        person, _household, case = make_client(pl_centre, pl_worker, first=name.title(), last="X")
        decisions[name] = grant(case, person, pl_worker, pl_director, **kwargs)
    change(decisions["suspended"], "suspension", pl_worker, pl_director, period_from=FEBRUARY)
    change(decisions["suspended_then_resumed"], "suspension", pl_worker, pl_director, period_from=FEBRUARY)
    change(decisions["suspended_then_resumed"], "resumption", pl_worker, pl_director, period_from=MARCH)
    change(decisions["ended_this_month"], "ending", pl_worker, pl_director, period_from=MARCH)
    amended = decisions["amended"]
    amendment = grant(
        amended.case, amended.applicant, pl_worker, pl_director, kind="amendment", changes=amended,
        amount="450.00", period_from=MARCH,
    )  # fmt: skip

    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)

    expected = {(d.decision_id, d.amount, d.currency) for d in amounts_due(pl_centre, MARCH)}
    got = {(p.decision_id, p.amount, p.currency) for p in _payments(run)}
    assert got == expected
    assert {p.decision_id for p in _payments(run)} == {
        decisions["open"].pk,
        decisions["one_off_this_month"].pk,
        decisions["suspended_then_resumed"].pk,
        amendment.pk,
    }
    cash = Payment.objects.get(run=run, decision=decisions["one_off_this_month"])
    assert (cash.channel, cash.iban) == ("cashier", "")


def test_first_month_is_paid_pro_rata_from_the_application_day_in_poland(
    pl_finance, pl_centre, pl_worker, pl_director, fund, anna
):
    # PL pack payments/first_month_pro_rata = 1 (art. 106 ust. 3 u.p.s., confirmed: false): filed on 16 March,
    # the 16 days from the 16th to the 31st of 31 are paid.
    person, _household, case = anna
    decision = grant(
        case, person, pl_worker, pl_director, amount="620.00", period_from=MARCH, applied_on=dt.date(2025, 3, 16)
    )
    march = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    april = runs.prepare_run(pl_finance, pl_centre.pk, APRIL)
    assert [p.amount for p in _payments(march)] == [Decimal("320.00")]
    assert [p.amount for p in _payments(april)] == [Decimal("620.00")]
    assert runs.pro_rata_amount(Decimal("100.00"), dt.date(2025, 2, 15)) == Decimal("50.00")
    assert decision.application.applied_on == dt.date(2025, 3, 16)


def test_first_month_filed_on_the_first_day_is_paid_in_full(pl_finance, pl_centre, pl_worker, pl_director, fund, anna):
    person, _household, case = anna
    grant(case, person, pl_worker, pl_director, amount="620.00", period_from=MARCH, applied_on=dt.date(2025, 3, 1))
    march = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert [p.amount for p in _payments(march)] == [Decimal("620.00")]


def test_moldovan_pack_pays_the_first_month_in_full(md_centre, md_director, md_worker):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    md_finance = UserFactory(username="md_finance", centre=md_centre, role=Role.FINANCE_OFFICER)
    person, _household, case = make_client(md_centre, md_worker, first="Ion", last="Rusu")
    grant(
        case, person, md_worker, md_director, benefit="md.social_aid", amount="900.00", period_from=MARCH,
        applied_on=dt.date(2025, 3, 20), method="cash",
    )  # fmt: skip
    run = runs.prepare_run(md_finance, md_centre.pk, MARCH)
    assert [p.amount for p in _payments(run)] == [Decimal("900.00")]


def test_approved_transfers_are_paid_in_their_months(pl_finance, pl_director, pl_centre, fund):
    monthly = Transfer.objects.create(
        centre=pl_centre, fund=fund, payee_name="Stołówka", channel="bank_transfer", iban=PL_IBAN_2,
        purpose="Obiady", amount=Decimal("2000.00"), currency="PLN", month_from=FEBRUARY, month_to=APRIL,
        status="approved", proposed_by=pl_finance, approved_by=pl_director,
    )  # fmt: skip
    once_in_march = Transfer.objects.create(
        centre=pl_centre, fund=fund, payee_name="Schronisko", channel="bank_transfer", iban=PL_IBAN,
        purpose="Noclegi", amount=Decimal("150.00"), currency="PLN", month_from=MARCH,
        status="approved", proposed_by=pl_finance, approved_by=pl_director,
    )  # fmt: skip
    Transfer.objects.create(
        centre=pl_centre, fund=fund, payee_name="Nie", channel="cashier", purpose="Proposed only",
        amount=Decimal("10.00"), currency="PLN", month_from=MARCH, proposed_by=pl_finance,
    )  # fmt: skip
    march = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    april = runs.prepare_run(pl_finance, pl_centre.pk, APRIL)
    assert sorted((p.transfer_id, p.amount) for p in _payments(march)) == sorted(
        [(monthly.pk, Decimal("2000.00")), (once_in_march.pk, Decimal("150.00"))]
    )
    assert [(p.transfer_id, p.payee_name, p.purpose) for p in _payments(april)] == [(monthly.pk, "Stołówka", "Obiady")]


def test_only_finance_prepares_and_only_in_its_centre(pl_worker, pl_director, pl_finance, pl_centre, md_centre, fund):
    with pytest.raises(Forbidden):
        runs.prepare_run(pl_worker, pl_centre.pk, MARCH)
    with pytest.raises(Forbidden):
        runs.prepare_run(pl_director, pl_centre.pk, MARCH)
    with pytest.raises(NotFound):
        runs.prepare_run(pl_finance, md_centre.pk, MARCH)
    with pytest.raises(ValidationFailed):
        runs.prepare_run(pl_finance, pl_centre.pk, "March")
    assert PaymentRun.objects.count() == 0


# --- approval and what follows ---------------------------------------------------------------------------------


def _approved_run(finance, director, centre, month, **kwargs):
    run = runs.prepare_run(finance, centre.pk, month, **kwargs)
    runs.check_run(finance, run.pk)
    return runs.approve_run(director, run.pk)


def test_approved_regular_run_is_locked_and_corrections_go_into_an_extra_run(
    pl_finance, pl_director, pl_worker, pl_centre, fund, anna_grant
):
    run = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    assert (run.status, run.approved_by_id, run.is_locked) == ("approved", pl_director.pk, True)
    with pytest.raises(Conflict) as refused:
        runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert refused.value.code == "run_locked"
    assert "already approved by" in str(refused.value.message)
    person, _household, case = make_client(pl_centre, pl_worker, first="Ewa", last="Lis")
    late = grant(
        case, person, pl_worker, pl_director, benefit=PURPOSE, one_off=True, amount="250.00", period_from=MARCH
    )
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True, note="late one-off aid")
    assert (extra.number, extra.kind, extra.note) == (2, "extra", "late one-off aid")
    assert [p.decision_id for p in _payments(extra)] == [late.pk]
    assert Payment.objects.filter(decision=anna_grant).count() == 1


def test_one_off_paid_in_an_approved_extra_run_is_not_paid_again_by_the_regular_run(
    pl_finance, pl_director, pl_worker, pl_centre, fund, anna_grant
):
    person, _household, case = make_client(pl_centre, pl_worker, first="Ewa", last="Lis")
    one_off = grant(
        case, person, pl_worker, pl_director, benefit=PURPOSE, one_off=True, amount="250.00", period_from=MARCH
    )
    extra = _approved_run(pl_finance, pl_director, pl_centre, MARCH, extra=True)
    assert (extra.number, sorted(p.decision_id for p in _payments(extra))) == (2, sorted([anna_grant.pk, one_off.pk]))
    person2, _household2, case2 = make_client(pl_centre, pl_worker, first="Olga", last="Maj")
    newcomer = grant(case2, person2, pl_worker, pl_director, amount="100.00", period_from=MARCH)
    regular = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert (regular.number, regular.kind) == (1, "regular")
    assert [p.decision_id for p in _payments(regular)] == [newcomer.pk]
    assert Payment.objects.filter(decision=one_off).count() == 1


def test_cancelled_run_lets_the_month_be_prepared_again(pl_finance, pl_director, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.cancel_run(pl_finance, run.pk, "wrong month")
    run.refresh_from_db()
    assert (run.status, run.cancel_reason, run.cancelled_by_id) == ("cancelled", "wrong month", pl_finance.pk)
    assert list(Payment.objects.filter(run=run).values_list("status", "cancel_reason")) == [
        ("cancelled", "wrong month")
    ]
    again = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert (again.number, again.kind, again.payment_count) == (2, "regular", 1)
    assert Payment.objects.get(run=again).decision_id == anna_grant.pk


def test_cancelling_needs_a_reason_and_an_open_run(pl_finance, pl_director, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    with pytest.raises(ValidationFailed) as invalid:
        runs.cancel_run(pl_finance, run.pk, "  ")
    assert list(invalid.value.errors) == ["reason"]
    runs.check_run(pl_finance, run.pk)
    runs.approve_run(pl_director, run.pk)
    with pytest.raises(Conflict):
        runs.cancel_run(pl_finance, run.pk, "too late")
    run.refresh_from_db()
    assert run.status == "approved"
    assert list(Payment.objects.filter(run=run).values_list("status", flat=True)) == ["pending"]


def test_return_to_draft_only_from_checked(pl_finance, pl_director, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    with pytest.raises(Conflict):
        runs.return_to_draft(pl_director, run.pk)
    runs.check_run(pl_finance, run.pk)
    assert runs.return_to_draft(pl_director, run.pk).status == "draft"
    with pytest.raises(Conflict) as refused:
        runs.approve_run(pl_director, run.pk)
    assert "must be checked" in str(refused.value.message)


def test_prepare_task_reports_progress_on_the_run(pl_finance, pl_centre, fund, anna_grant):
    from socius.payments.tasks import prepare_run_task

    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    Payment.objects.filter(run=run).update(status="cancelled")
    result = prepare_run_task.delay(run.pk).get()
    run.refresh_from_db()
    assert result == {"status": "draft", "job_state": "done", "payments": 1, "total": "500.00"}
    assert (run.job, run.job_done, run.job_total, run.percent) == ("prepare", 3, 3, 100)


# --- payment details ---------------------------------------------------------------------------------------


def test_change_of_details_applies_to_open_runs_never_to_approved_ones(
    pl_finance, pl_director, pl_centre, fund, anna, anna_grant
):
    person, _household, _case = anna
    approved = _approved_run(pl_finance, pl_director, pl_centre, FEBRUARY)
    draft = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.check_run(pl_finance, draft.pk)
    change_ = runs.change_payment_details(
        pl_finance, person.pk, {"channel": "bank_transfer", "iban": "pl27 1140 2004 0000 3002 0135 5387",
                                "holder_name": "Anna Nowak-Lis", "reason": "new bank"}
    )  # fmt: skip
    assert (change_.iban, change_.channel, change_.changed_by_id) == (PL_IBAN_2, "bank_transfer", pl_finance.pk)
    assert list(Payment.objects.filter(run=approved).values_list("iban", "payee_name")) == [(PL_IBAN, "Anna Nowak")]
    assert list(Payment.objects.filter(run=draft).values_list("iban", "payee_name")) == [(PL_IBAN_2, "Anna Nowak-Lis")]
    draft.refresh_from_db()
    assert draft.status == "draft"  # checked with the old details: to be checked again
    april = runs.prepare_run(pl_finance, pl_centre.pk, APRIL)
    assert list(Payment.objects.filter(run=april).values_list("iban", "payee_name")) == [(PL_IBAN_2, "Anna Nowak-Lis")]
    event = AuditEvent.objects.get(object_type="payment_details", object_id=change_.pk)
    assert (event.person_id, event.actor_id, event.action) == (person.pk, pl_finance.pk, "create")
    assert event.changes["iban"] == [None, "PL27 •••• 5387"]


def test_cash_instead_of_transfer_clears_the_iban(pl_finance, pl_centre, fund, anna, anna_grant):
    person, _household, _case = anna
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.change_payment_details(
        pl_finance, person.pk, {"channel": "post", "iban": PL_IBAN, "decision_id": anna_grant.pk}
    )
    assert list(Payment.objects.filter(run=run).values_list("channel", "iban")) == [("post", "")]


@pytest.mark.parametrize("iban", [PL_IBAN, LT_IBAN, MD_IBAN])
def test_polish_lithuanian_and_moldovan_ibans_are_accepted(pl_finance, anna, iban):
    person, _household, _case = anna
    assert runs.change_payment_details(pl_finance, person.pk, {"channel": "bank_transfer", "iban": iban}).iban == iban


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "bank_transfer", "iban": "PL61109010140000071219812875"}, "iban"),
        ({"channel": "bank_transfer", "iban": "MD24AG000225100013104169"}, "iban"),
        ({"channel": "bank_transfer", "iban": ""}, "iban"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "cashier", "decision_id": 999999}, "decision"),
    ],
)
def test_invalid_payment_details_are_refused_with_nothing_written(
    pl_finance, pl_centre, fund, anna, anna_grant, data, field
):
    person, _household, _case = anna
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    with pytest.raises(ValidationFailed) as invalid:
        runs.change_payment_details(pl_finance, person.pk, data)
    assert list(invalid.value.errors) == [field]
    assert PaymentDetailsChange.objects.count() == 0
    assert list(Payment.objects.filter(run=run).values_list("channel", "iban")) == [("bank_transfer", PL_IBAN)]
    assert not AuditEvent.objects.filter(object_type="payment_details").exists()


def test_only_finance_changes_details_of_its_own_centres_persons(pl_worker, pl_director, pl_finance, anna, md_centre):
    from socius.testing.factories import PersonFactory

    person, _household, _case = anna
    for actor in (pl_worker, pl_director):
        with pytest.raises(Forbidden):
            runs.change_payment_details(actor, person.pk, {"channel": "cashier"})
    with pytest.raises(NotFound):
        runs.change_payment_details(pl_finance, PersonFactory(centre=md_centre).pk, {"channel": "cashier"})
    assert PaymentDetailsChange.objects.count() == 0


# --- reissues of returned payments -------------------------------------------------------------------------


def _returned(payment, *, marked=True, by=None):
    from django.utils import timezone

    Payment.objects.filter(pk=payment.pk).update(
        status="returned",
        return_code="AC04",
        returned_on=dt.date(2025, 3, 12),
        reissue_requested_at=timezone.now() if marked else None,
        reissue_requested_by=by if marked else None,
    )


def test_returned_payment_marked_for_reissue_goes_into_the_next_extra_run_once(
    pl_finance, pl_director, pl_centre, fund, anna, anna_grant
):
    person, _household, _case = anna
    regular = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    [paid] = _payments(regular)
    _returned(paid, by=pl_finance)
    runs.change_payment_details(
        pl_finance, person.pk, {"channel": "bank_transfer", "iban": PL_IBAN_2, "reason": "AC04"}
    )
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True, note="reissues")
    [reissue] = _payments(extra)
    assert (reissue.reissue_of_id, reissue.decision_id, reissue.month) == (paid.pk, anna_grant.pk, MARCH)
    assert (reissue.amount, reissue.iban, reissue.fund_id) == (Decimal("500.00"), PL_IBAN_2, fund.pk)
    assert reissue.end_to_end_id == f"PLTEST-202503-2-{reissue.pk}"
    assert runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True).pk == extra.pk
    assert Payment.objects.filter(reissue_of=paid).count() == 1
    runs.check_run(pl_finance, extra.pk)
    runs.approve_run(pl_director, extra.pk)
    paid.refresh_from_db()
    assert paid.status == "reissued"
    later = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    assert (later.number, later.payment_count) == (3, 0)


def test_returned_payment_not_marked_is_not_reissued(pl_finance, pl_director, pl_centre, fund, anna_grant):
    regular = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    [paid] = _payments(regular)
    _returned(paid, marked=False)
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    assert extra.payment_count == 0


def test_reissue_without_corrected_details_keeps_the_returned_payments_details(
    pl_finance, pl_director, pl_centre, fund, anna_grant
):
    regular = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    [paid] = _payments(regular)
    _returned(paid, by=pl_finance)
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    assert [(p.reissue_of_id, p.iban, p.payee_name) for p in _payments(extra)] == [(paid.pk, PL_IBAN, "Anna Nowak")]


def test_returned_payment_cancelled_by_finance_is_never_paid_again(
    pl_finance, pl_director, pl_centre, fund, anna_grant
):
    regular = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    [paid] = _payments(regular)
    _returned(paid, marked=False)
    Payment.objects.filter(pk=paid.pk).update(status="cancelled", cancel_reason="moved abroad")
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    assert (extra.payment_count, Payment.objects.filter(decision=anna_grant).count()) == (0, 1)


def test_returned_transfer_payment_is_reissued_with_the_transfers_corrected_details(
    pl_finance, pl_director, pl_centre, fund, anna
):
    person, _household, _case = anna
    transfer = Transfer.objects.create(
        centre=pl_centre, fund=fund, payee_name="Anna Nowak", person=person, channel="bank_transfer", iban=PL_IBAN,
        purpose="Jednorazowa pomoc", amount=Decimal("300.00"), currency="PLN", month_from=MARCH,
        status="approved", proposed_by=pl_finance, approved_by=pl_director,
    )  # fmt: skip
    regular = _approved_run(pl_finance, pl_director, pl_centre, MARCH)
    [paid] = _payments(regular)
    _returned(paid, by=pl_finance)
    Transfer.objects.filter(pk=transfer.pk).update(iban=PL_IBAN_2)
    runs.change_payment_details(pl_finance, person.pk, {"channel": "post"})  # for her decisions, not the transfer
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    assert [(p.reissue_of_id, p.transfer_id, p.channel, p.iban) for p in _payments(extra)] == [
        (paid.pk, transfer.pk, "bank_transfer", PL_IBAN_2)
    ]
