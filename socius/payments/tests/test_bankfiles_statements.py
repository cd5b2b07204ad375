"""Bank statements read back: the camt.053 round trip from our own pain.001, CSV statements, the same file
twice, unmatched and already-recorded lines, returns reissued or cancelled, reconciliation, and a return for a
person who moved to another centre."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments import statements
from socius.payments.bankfiles import camt053, pain001
from socius.payments.models import BankStatement, Payment, PaymentDetailsChange, StatementEntry
from socius.payments.tests.bankfiles_factories import make_fund, make_iban, make_payment, make_run
from socius.testing.factories import CentreFactory, TerritoryFactory

BOOKED = dt.date(2026, 12, 10)


@pytest.fixture
def exported_run(pl_centre, pl_finance):
    """An exported PL run of four bank transfers and one cash payment."""
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance, status="exported")
    transfers = [make_payment(run, fund, amount=a, status="exported") for a in ("812.00", "300.50", "99.99", "10.00")]
    cash = make_payment(run, fund, channel="cashier", amount="40.00", status="exported")
    return run, fund, transfers, cash


def _pain(run) -> bytes:
    stream = io.BytesIO()
    pain001.write(run, stream)
    return stream.getvalue()


def _states(run):
    return {
        p.end_to_end_id: (p.status, p.paid_on, p.return_code, p.returned_on)
        for p in Payment.objects.filter(run=run).order_by("id")
    }


def test_round_trip_our_pain001_back_as_a_camt053_marks_paid_and_returned(exported_run, pl_finance):
    run, _fund, transfers, cash = exported_run
    closed, wrong = transfers[1], transfers[2]
    statement_bytes = camt053.build_from_pain001(
        _pain(run), returned={closed.end_to_end_id: "AC04", wrong.end_to_end_id: "AC01"}, booked_on=BOOKED
    )
    statement = statements.import_statement(pl_finance, run.centre_id, io.BytesIO(statement_bytes))

    assert (statement.format, statement.entries, statement.paid, statement.returned) == ("camt053", 6, 4, 2)
    assert (statement.unmatched, statement.already, statement.job_state) == (0, 0, "done")
    assert statement.statement_ref == "STMT-1"
    assert statement.account_iban == run.payments.first().fund.debtor_iban
    assert _states(run) == {
        transfers[0].end_to_end_id: ("paid", BOOKED, "", None),
        closed.end_to_end_id: ("returned", BOOKED, "AC04", BOOKED),
        wrong.end_to_end_id: ("returned", BOOKED, "AC01", BOOKED),
        transfers[3].end_to_end_id: ("paid", BOOKED, "", None),
        cash.end_to_end_id: ("exported", None, "", None),
    }
    closed.refresh_from_db()
    assert closed.return_reason == "Closed account number"
    lines = list(StatementEntry.objects.filter(statement=statement).values_list("line", "outcome", "payment_id"))
    assert lines == [
        (1, "paid", transfers[0].pk),
        (2, "paid", closed.pk),
        (3, "returned", closed.pk),
        (4, "paid", wrong.pk),
        (5, "returned", wrong.pk),
        (6, "paid", transfers[3].pk),
    ]
    run.refresh_from_db()
    assert run.status == "exported"  # two returns to handle

    # The returns are handled: one reissued with a corrected IBAN, the other cancelled; the run is reconciled.
    new_iban = make_iban("PL", 777)
    statements.reissue_payment(pl_finance, closed.pk, {"iban": new_iban, "reason": "New account"})
    closed.refresh_from_db()
    assert closed.status == "returned" and closed.reissue_requested_by == pl_finance
    assert closed.transfer.iban == new_iban  # a transfer's payment is corrected on its transfer
    statements.cancel_returned_payment(pl_finance, wrong.pk, "The family moved abroad")
    run.refresh_from_db()
    assert run.status == "exported"  # the reissue is not approved yet
    Payment.objects.filter(pk=closed.pk).update(status="reissued")  # what runs.approve_run does
    assert statements.reconcile_if_done(run.pk).status == "reconciled"


def test_the_same_statement_twice_is_refused_and_changes_nothing(exported_run, pl_finance):
    run, _fund, _transfers, _cash = exported_run
    data = camt053.build_from_pain001(_pain(run), booked_on=BOOKED)
    statements.import_statement(pl_finance, run.centre_id, io.BytesIO(data))
    before = (_states(run), BankStatement.objects.count(), StatementEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Conflict) as caught:
        statements.import_statement(pl_finance, run.centre_id, io.BytesIO(data))
    assert caught.value.code == "statement_already_imported"
    after = (_states(run), BankStatement.objects.count(), StatementEntry.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_a_line_for_a_payment_already_in_that_state_changes_nothing(exported_run, pl_finance):
    run, _fund, _transfers, _cash = exported_run
    pain = _pain(run)
    statements.import_statement(pl_finance, run.centre_id, camt053.build_from_pain001(pain, booked_on=BOOKED))
    # Another statement (another id, so another file) repeating the same bookings a day later.
    later = camt053.build_from_pain001(pain, booked_on=BOOKED + dt.timedelta(days=1), statement_id="STMT-2")
    statement = statements.import_statement(pl_finance, run.centre_id, later)
    assert (statement.paid, statement.returned, statement.already, statement.unmatched) == (0, 0, 4, 0)
    assert {s[1] for s in _states(run).values() if s[0] == "paid"} == {BOOKED}  # paid_on kept


def test_a_booking_after_a_return_does_not_mark_it_paid_again(exported_run, pl_finance):
    run, _fund, transfers, _cash = exported_run
    e2e = transfers[0].end_to_end_id
    pain = _pain(run)
    statements.import_statement(pl_finance, run.centre_id, camt053.build_from_pain001(pain, {e2e: "MS03"}))
    late = camt053.build_from_pain001(pain, booked_on=BOOKED, statement_id="STMT-late")
    statement = statements.import_statement(pl_finance, run.centre_id, late)
    assert statement.already == 4
    transfers[0].refresh_from_db()
    assert (transfers[0].status, transfers[0].return_code) == ("returned", "MS03")


def test_unmatched_lines_are_reported_and_change_nothing(exported_run, pl_finance, md_centre, md_director):
    run, _fund, transfers, _cash = exported_run
    md_run = make_run(md_centre, md_director, status="exported")
    md_payment = make_payment(md_run, make_fund(md_centre), status="exported", amount="10.00")
    pending_run = make_run(run.centre, pl_finance, status="approved", month=dt.date(2027, 1, 1))
    pending = make_payment(pending_run, transfers[0].fund, amount="5.00")
    csv_text = (
        "end_to_end_id;amount;currency;booked_on;status;reason_code\n"
        "UNKNOWN-1;10,00;PLN;2026-12-10;paid;\n"
        f"{md_payment.end_to_end_id};10.00;MDL;2026-12-10;paid;\n"  # another centre's payment
        f"{transfers[0].end_to_end_id};812.01;PLN;2026-12-10;paid;\n"  # another amount
        f"{pending.end_to_end_id};5.00;PLN;2026-12-10;paid;\n"  # not sent yet
        f"{transfers[1].end_to_end_id};300.50;PLN;2026-12-10;paid;\n"
    )
    statement = statements.import_statement(pl_finance, run.centre_id, io.BytesIO(csv_text.encode()))
    assert (statement.format, statement.entries, statement.paid, statement.unmatched) == ("csv", 5, 1, 4)
    unmatched = StatementEntry.objects.filter(statement=statement, outcome="unmatched").order_by("line")
    assert [(e.line, e.end_to_end_id, e.payment_id) for e in unmatched] == [
        (1, "UNKNOWN-1", None),
        (2, md_payment.end_to_end_id, None),
        (3, transfers[0].end_to_end_id, None),
        (4, pending.end_to_end_id, None),
    ]
    md_payment.refresh_from_db()
    pending.refresh_from_db()
    transfers[0].refresh_from_db()
    assert (md_payment.status, pending.status, transfers[0].status) == ("exported", "pending", "exported")


def test_a_csv_statement_with_returns(exported_run, pl_finance):
    run, _fund, transfers, _cash = exported_run
    csv_text = (
        "end_to_end_id,amount,currency,booked_on,status,reason_code,reason_text\n"
        f"{transfers[0].end_to_end_id},812.00,PLN,2026-12-10,paid,,\n"
        f"{transfers[1].end_to_end_id},300.50,PLN,2026-12-11,returned,AC04,Rachunek zamknięty\n"
    )
    statement = statements.import_statement(pl_finance, run.centre_id, io.BytesIO(csv_text.encode()), format="csv")
    assert (statement.paid, statement.returned) == (1, 1)
    transfers[1].refresh_from_db()
    assert (transfers[1].status, transfers[1].return_code, transfers[1].return_reason) == (
        "returned",
        "AC04",
        "Rachunek zamknięty",
    )
    assert transfers[1].returned_on == dt.date(2026, 12, 11)


def test_files_that_are_not_statements_are_refused_with_nothing_written(pl_centre, pl_finance):
    for content, format in ((b"", None), (b"<html>no</html>", None), (b"a,b\n1,2\n", "csv"), (b"x", "mt940")):
        with pytest.raises(ValidationFailed):
            statements.import_statement(pl_finance, pl_centre.pk, io.BytesIO(content), format=format)
    broken = b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
    with pytest.raises(ValidationFailed):
        statements.import_statement(pl_finance, pl_centre.pk, io.BytesIO(broken))
    assert BankStatement.objects.count() == 0


def test_a_camt053_of_a_later_version_with_a_batch_entry_is_read(exported_run, pl_finance):
    run, _fund, transfers, _cash = exported_run
    ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
    details = "".join(
        f'<TxDtls><Refs><EndToEndId>{p.end_to_end_id}</EndToEndId></Refs><Amt Ccy="PLN">{p.amount}</Amt></TxDtls>'
        for p in transfers[:2]
    )
    xml = (
        f'<?xml version="1.0"?><Document xmlns="{ns}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt>'
        "<Id>S-08</Id><Acct><Id><IBAN>PL00</IBAN></Id></Acct>"
        '<Ntry><Amt Ccy="PLN">1112.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
        f"<BookgDt><DtTm>2026-12-12T09:00:00</DtTm></BookgDt><NtryDtls>{details}</NtryDtls></Ntry>"
        '<Ntry><Amt Ccy="PLN">99.99</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts>'
        f"<BookgDt><Dt>2026-12-13</Dt></BookgDt><NtryDtls><TxDtls><Refs><EndToEndId>{transfers[2].end_to_end_id}"
        "</EndToEndId></Refs><RtrInf><Rsn><Cd>MD07</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>"
        "</Stmt></BkToCstmrStmt></Document>"
    )
    statement = statements.import_statement(pl_finance, run.centre_id, io.BytesIO(xml.encode()))
    assert (statement.entries, statement.paid, statement.returned, statement.statement_ref) == (3, 2, 1, "S-08")
    transfers[0].refresh_from_db()
    transfers[2].refresh_from_db()
    assert transfers[0].paid_on == dt.date(2026, 12, 12)
    assert (transfers[2].status, transfers[2].return_code, transfers[2].return_reason) == (
        "returned",
        "MD07",
        "Account holder deceased",
    )


def test_only_finance_of_the_centre_imports_statements(exported_run, pl_worker, pl_director, md_director):
    run, *_ = exported_run
    data = camt053.build_from_pain001(_pain(run))
    for actor in (pl_worker, pl_director):
        with pytest.raises(Forbidden):
            statements.import_statement(actor, run.centre_id, io.BytesIO(data))
    assert BankStatement.objects.count() == 0


def test_an_import_is_audited_with_its_counts(exported_run, pl_finance):
    run, *_ = exported_run
    statement = statements.import_statement(pl_finance, run.centre_id, camt053.build_from_pain001(_pain(run)))
    event = AuditEvent.objects.get(action="import", object_type="bank_statement")
    assert (event.object_id, event.actor, event.changes["paid"]) == (statement.pk, pl_finance, [None, 4])


# --- returns ---------------------------------------------------------------------------------------------------


@pytest.fixture
def returned(exported_run, pl_finance):
    run, _fund, transfers, _cash = exported_run
    data = camt053.build_from_pain001(_pain(run), {transfers[1].end_to_end_id: "AC04"})
    statements.import_statement(pl_finance, run.centre_id, data)
    transfers[1].refresh_from_db()
    return transfers[1]


def test_a_reissue_with_an_invalid_iban_is_refused_with_nothing_changed(returned, pl_finance):
    for data, field in (({"iban": "PL00 1234"}, "iban"), ({"channel": "pigeon"}, "channel")):
        with pytest.raises(ValidationFailed) as caught:
            statements.reissue_payment(pl_finance, returned.pk, data)
        assert list(caught.value.errors) == [field]
    returned.refresh_from_db()
    assert returned.reissue_requested_at is None
    assert not AuditEvent.objects.filter(object_type="payment").exists()


def test_a_reissue_by_cash_clears_the_iban_and_is_audited(returned, pl_finance):
    statements.reissue_payment(pl_finance, returned.pk, {"channel": "cashier"})
    returned.refresh_from_db()
    assert (returned.transfer.channel, returned.transfer.iban) == ("cashier", "")
    event = AuditEvent.objects.get(object_type="payment", object_id=returned.pk)
    assert event.person_id == returned.person_id
    assert event.changes["channel"] == ["bank_transfer", "cashier"]


def test_a_payment_is_reissued_once_and_not_both_reissued_and_cancelled(returned, pl_finance):
    statements.reissue_payment(pl_finance, returned.pk, {})
    with pytest.raises(Conflict) as caught:
        statements.reissue_payment(pl_finance, returned.pk, {})
    assert caught.value.code == "reissue_requested"
    with pytest.raises(Conflict):
        statements.cancel_returned_payment(pl_finance, returned.pk, "no")


def test_only_returned_payments_are_reissued_or_cancelled(exported_run, pl_finance):
    _run, _fund, transfers, _cash = exported_run
    with pytest.raises(Conflict) as caught:
        statements.reissue_payment(pl_finance, transfers[0].pk, {})
    assert caught.value.code == "not_returned"
    with pytest.raises(Conflict):
        statements.cancel_returned_payment(pl_finance, transfers[0].pk, "why")


def test_cancelling_a_return_needs_a_reason(returned, pl_finance):
    with pytest.raises(ValidationFailed) as caught:
        statements.cancel_returned_payment(pl_finance, returned.pk, "  ")
    assert list(caught.value.errors) == ["reason"]
    returned.refresh_from_db()
    assert returned.status == "returned"


def test_returns_are_handled_by_finance_of_the_paying_centre_only(returned, pl_worker, md_director):
    with pytest.raises(Forbidden):
        statements.reissue_payment(pl_worker, returned.pk, {})
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    md_finance = UserFactory(centre=md_director.centre, role=Role.FINANCE_OFFICER)
    with pytest.raises(NotFound):
        statements.reissue_payment(md_finance, returned.pk, {})
    with pytest.raises(NotFound):
        statements.cancel_returned_payment(md_finance, returned.pk, "x")


def test_a_return_for_a_person_who_moved_to_another_centre_is_handled_by_the_paying_centre(
    returned, pl_finance, pl_centre
):
    other = CentreFactory(
        code="pl-other", name="MOPS Łódź", jurisdiction="PL", territory=TerritoryFactory(jurisdiction="PL")
    )
    person = returned.person
    person.centre = other  # moved away after the run was paid
    person.save()
    new_iban = make_iban("PL", 4242)
    statements.reissue_payment(pl_finance, returned.pk, {"iban": new_iban})
    returned.refresh_from_db()
    assert returned.centre_id == pl_centre.pk
    assert returned.reissue_requested_at is not None
    assert returned.transfer.iban == new_iban


def test_a_reissue_of_a_decisions_payment_records_a_change_of_payment_details(returned, pl_finance):
    decision = _decision(returned, pl_finance)
    Payment.objects.filter(pk=returned.pk).update(decision=decision, transfer=None)
    statements.reissue_payment(pl_finance, returned.pk, {"iban": make_iban("PL", 31337), "reason": "AC04"})
    change = PaymentDetailsChange.objects.get()
    assert (change.centre_id, change.person_id, change.decision_id) == (
        returned.centre_id,
        returned.person_id,
        decision.pk,
    )
    assert (change.channel, change.iban, change.changed_by, change.reason) == (
        "bank_transfer",
        make_iban("PL", 31337),
        pl_finance,
        "AC04",
    )


def _decision(payment, actor):
    """The least a Decision row needs, on a case of its own (benefits has no factory for it)."""
    from socius.benefits.models import Decision
    from socius.casework.models import Case
    from socius.testing.factories import TeamFactory

    team = TeamFactory(centre=payment.centre)
    case = Case.objects.create(
        centre=payment.centre,
        year=2026,
        number=1,
        reference="1/2026",
        assigned_worker=actor,
        team=team,
        opened_on=dt.date(2026, 11, 2),
        person=payment.person,
    )
    return Decision.objects.create(
        centre=payment.centre,
        case=case,
        applicant=payment.person,
        kind="grant",
        benefit="pl.periodic_allowance",
        period_from=dt.date(2026, 12, 1),
        amount=Decimal("300.50"),
        currency="PLN",
        proposed_by=actor,
    )


def test_round_trip_returned_payments_are_reissued_in_an_extra_run_with_corrected_details(
    pl_centre, pl_finance, pl_director
):
    """pain.001 → statement with returns → import → returns listed → reissue → extra run → approval."""
    from socius.payments import runs, selectors
    from socius.payments.models import FundAllocation

    fund = make_fund(pl_centre)
    FundAllocation.objects.create(
        fund=fund,
        year=2026,
        kind="initial",
        amount=Decimal("10000"),
        decided_on=dt.date(2026, 1, 2),
        recorded_by=pl_director,
    )
    run = make_run(pl_centre, pl_finance, status="exported")
    canteen = make_payment(run, fund, with_person=False, payee_name="Stołówka Oxentea", status="exported")
    paid = make_payment(run, fund, with_person=False, payee_name="Schronisko", status="exported")
    gone = make_payment(run, fund, with_person=False, payee_name="Fundacja (zlikwidowana)", status="exported")
    returned = {canteen.end_to_end_id: "AC04", gone.end_to_end_id: "AC01"}
    data = camt053.build_from_pain001(_pain(run), returned, booked_on=BOOKED)
    statements.import_statement(pl_finance, pl_centre.pk, data)
    assert sorted(p.pk for p in selectors.returns_to_handle(pl_finance)) == [canteen.pk, gone.pk]
    statements.cancel_returned_payment(pl_finance, gone.pk, "The foundation was dissolved")

    new_iban = make_iban("PL", 5150)
    statements.reissue_payment(pl_finance, canteen.pk, {"iban": new_iban, "reason": "Nowy rachunek"})
    extra = runs.prepare_run(pl_finance, pl_centre.pk, run.month, extra=True)
    reissue = Payment.objects.get(run=extra)
    assert (reissue.reissue_of_id, reissue.iban, reissue.amount, reissue.month) == (
        canteen.pk,
        new_iban,
        canteen.amount,
        canteen.month,
    )
    assert reissue.end_to_end_id != canteen.end_to_end_id
    assert Payment.objects.filter(run=extra).count() == 1  # neither the paid one nor the cancelled return again
    assert not Payment.objects.filter(run=extra, transfer=gone.transfer).exists()
    assert not Payment.objects.filter(run=extra, transfer=paid.transfer).exists()
    runs.check_run(pl_finance, extra.pk)
    runs.approve_run(pl_director, extra.pk)
    canteen.refresh_from_db()
    run.refresh_from_db()
    assert (canteen.status, run.status) == ("reissued", "reconciled")


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "sNaN", "1e30", "999999999999999.99", "10.001", "ten"])
def test_a_statement_line_with_an_impossible_amount_is_refused_with_nothing_recorded(exported_run, pl_finance, amount):
    run, _fund, transfers, _cash = exported_run
    csv_text = (
        f"end_to_end_id,amount,currency,booked_on,status\n{transfers[0].end_to_end_id},{amount},PLN,2026-12-10,paid\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        statements.import_statement(pl_finance, run.centre_id, io.BytesIO(csv_text.encode()))
    assert list(caught.value.errors) == ["file"]
    xml = camt053.build_from_pain001(_pain(run)).replace(b">812.00<", f">{amount}<".encode(), 1)
    with pytest.raises(ValidationFailed):
        statements.import_statement(pl_finance, run.centre_id, io.BytesIO(xml))
    assert BankStatement.objects.count() == 0
    transfers[0].refresh_from_db()
    assert transfers[0].status == "exported"


def test_the_audit_of_a_reissue_shows_ibans_masked(returned, pl_finance):
    new_iban = make_iban("PL", 8080)
    statements.reissue_payment(pl_finance, returned.pk, {"iban": new_iban})
    event = AuditEvent.objects.get(object_type="payment", object_id=returned.pk)
    assert event.changes["iban"] == [
        f"{returned.iban[:4]} •••• {returned.iban[-4:]}",
        f"{new_iban[:4]} •••• {new_iban[-4:]}",
    ]


def test_an_import_that_fails_half_way_keeps_what_it_applied_and_may_be_run_again(
    exported_run, pl_finance, monkeypatch
):
    run, _fund, transfers, _cash = exported_run
    monkeypatch.setattr(statements, "BATCH", 2)
    head = "end_to_end_id,amount,currency,booked_on,status\n"
    good = "".join(f"{p.end_to_end_id},{p.amount},PLN,2026-12-10,paid\n" for p in transfers[:3])
    broken = (head + good + "X-9,1e30,PLN,2026-12-10,paid\n").encode()
    for _attempt in range(2):  # the same file again is not refused as "already imported": it failed
        with pytest.raises(ValidationFailed) as caught:
            statements.import_statement(pl_finance, run.centre_id, io.BytesIO(broken))
        assert "could not be read to the end" in str(caught.value.errors["file"][0])
        failed = BankStatement.objects.get()
        assert (failed.job_state, failed.job_done) == ("failed", 2)
    assert [p.status for p in Payment.objects.filter(pk__in=[t.pk for t in transfers[:3]]).order_by("id")] == [
        "paid",
        "paid",
        "exported",
    ]
    corrected = statements.import_statement(pl_finance, run.centre_id, io.BytesIO((head + good).encode()))
    assert (corrected.paid, corrected.already, corrected.job_state) == (1, 2, "done")  # applied before the failure
