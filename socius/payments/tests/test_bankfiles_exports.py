"""Exporting a run: its files written, validated and stored, the run and payments moved; re-download; the
download audited naming the persons in the file; who may export and download; the cash payment list."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments import exports
from socius.payments.bankfiles import cashlist, validate_pain001
from socius.payments.models import Payment
from socius.payments.tests.bankfiles_factories import make_fund, make_payment, make_run


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Files of each test in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def approved_run(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance, status="approved")
    transfers = [make_payment(run, fund, amount=a) for a in ("812.00", "300.50", "99.99")]
    cash = [
        make_payment(run, fund, channel="cashier", amount="40.00"),
        make_payment(run, fund, channel="post", amount="55.10"),
    ]
    return run, fund, transfers, cash


def _read(handle) -> bytes:
    with handle:
        return handle.read()


def test_exporting_an_approved_run_writes_valid_files_and_marks_it_exported(approved_run, pl_finance):
    run, fund, transfers, cash = approved_run
    exported = exports.export_run(pl_finance, run.pk)
    assert (exported.status, exported.exported_by, exported.job_state, exported.job_done) == (
        "exported",
        pl_finance,
        "done",
        5,
    )
    assert set(Payment.objects.filter(run=run).values_list("status", flat=True)) == {"exported"}
    assert exports.stored_files(run) == {
        "pain001": ["pain001-pl-test-2026-12-1-01-PLN.xml"],
        "csv": ["payments-pl-test-2026-12-1.csv"],
        "pdf": ["cash-pl-test-2026-12-1.pdf"],
    }
    name, content_type, handle = exports.open_run_file(pl_finance, run.pk, "pain001")
    data = _read(handle)
    assert (name, content_type) == ("pain001-pl-test-2026-12-1-01-PLN.xml", "application/xml")
    validate_pain001(data)
    assert data.count(b"<CdtTrfTxInf>") == 3

    name, content_type, handle = exports.open_run_file(pl_finance, run.pk, "csv")
    rows = list(csv.DictReader(io.StringIO(_read(handle).decode())))
    assert [(r["end_to_end_id"], r["channel"], r["amount"]) for r in rows] == [
        (p.end_to_end_id, p.channel, f"{p.amount:.2f}") for p in transfers + cash
    ]
    assert rows[0]["iban"] == transfers[0].iban and rows[0]["fund"] == fund.code

    name, content_type, handle = exports.open_run_file(pl_finance, run.pk, "pdf")
    assert content_type == "application/pdf" and _read(handle).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="export", object_type="payment_run", changes__has_key="status")
    assert event.changes["status"] == ["approved", "exported"]


def test_a_run_is_exported_only_when_approved_and_nothing_changes_otherwise(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    for status in ("draft", "checked", "cancelled"):
        run = make_run(
            pl_centre,
            pl_finance,
            status=status,
            month=f"2026-{1 + ['draft', 'checked', 'cancelled'].index(status):02d}-01",
        )
        make_payment(run, fund)
        with pytest.raises(Conflict) as caught:
            exports.export_run(pl_finance, run.pk)
        assert caught.value.code == "invalid_transition"
        run.refresh_from_db()
        assert run.status == status
        assert set(run.payments.values_list("status", flat=True)) == {"pending"}
        assert exports.stored_files(run) == {"pain001": [], "csv": [], "pdf": []}
        with pytest.raises(Conflict) as caught:
            exports.open_run_file(pl_finance, run.pk, "csv")
        assert caught.value.code == "not_exported"


def test_exporting_again_changes_nothing_and_the_files_download_again(approved_run, pl_finance):
    run, *_ = approved_run
    exports.export_run(pl_finance, run.pk)
    first = _read(exports.open_run_file(pl_finance, run.pk, "pain001")[2])
    again = exports.export_run(pl_finance, run.pk)
    assert again.status == "exported"
    assert _read(exports.open_run_file(pl_finance, run.pk, "pain001")[2]) == first


def test_a_run_with_a_transfer_without_iban_is_not_exported(approved_run, pl_finance):
    run, _fund, transfers, _cash = approved_run
    Payment.objects.filter(pk=transfers[0].pk).update(iban="")
    with pytest.raises(Conflict) as caught:
        exports.export_run(pl_finance, run.pk)
    assert caught.value.code == "cannot_export"
    assert "1 bank transfers have no IBAN" in str(caught.value.message)
    run.refresh_from_db()
    assert run.status == "approved"


def test_a_bank_file_that_fails_validation_is_not_offered_and_nothing_moves(approved_run, pl_finance):
    run, _fund, transfers, _cash = approved_run
    Payment.objects.filter(pk=transfers[1].pk).update(iban="PL00" + transfers[1].iban[4:])  # wrong check digits
    with pytest.raises(Conflict) as caught:
        exports.export_run(pl_finance, run.pk)
    assert caught.value.code == "invalid_bank_file"
    run.refresh_from_db()
    assert (run.status, run.job_state) == ("approved", "failed")
    assert "check digits" in run.job_error
    assert set(run.payments.values_list("status", flat=True)) == {"pending"}
    assert exports.stored_files(run)["pain001"] == []


def test_several_messages_download_as_one_zip(approved_run, pl_finance, settings):
    settings.PAYMENTS_PAIN001_MAX_TRANSACTIONS = 2
    run, *_ = approved_run
    exports.export_run(pl_finance, run.pk)
    name, content_type, handle = exports.open_run_file(pl_finance, run.pk, "pain001")
    assert (name, content_type) == ("pain001-pl-test-2026-12-1.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(_read(handle))) as archive:
        assert archive.namelist() == ["pain001-pl-test-2026-12-1-01-PLN.xml", "pain001-pl-test-2026-12-1-02-PLN.xml"]
        for member in archive.namelist():
            validate_pain001(archive.read(member))


def test_each_download_is_one_audit_event_naming_the_run_and_the_persons_in_the_file(approved_run, pl_finance):
    run, _fund, transfers, cash = approved_run
    exports.export_run(pl_finance, run.pk)
    before = AuditEvent.objects.count()
    for format in ("pain001", "csv", "pdf", "pain001"):
        exports.open_run_file(pl_finance, run.pk, format)[2].close()
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.object_id, e.changes["format"][1]) for e in events] == [
        ("export", "payment_run", run.pk, f) for f in ("pain001", "csv", "pdf", "pain001")
    ]
    persons = persons_of_events(events)
    assert sorted(persons[events[0].pk]) == sorted(p.person_id for p in transfers)
    assert sorted(persons[events[1].pk]) == sorted(p.person_id for p in transfers + cash)
    assert sorted(persons[events[2].pk]) == sorted(p.person_id for p in cash)


def test_a_download_naming_one_person_keeps_them_on_the_event(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    payment = make_payment(run, fund)
    exports.export_run(pl_finance, run.pk)
    exports.open_run_file(pl_finance, run.pk, "pain001")[2].close()
    event = AuditEvent.objects.filter(changes__has_key="format").get()
    assert persons_of_events([event]) == {event.pk: [payment.person_id]}


def test_who_exports_and_downloads(approved_run, pl_finance, pl_worker, pl_director, pl_auditor, md_director):
    run, *_ = approved_run
    for actor in (pl_worker, pl_director, pl_auditor):
        with pytest.raises(Forbidden):
            exports.export_run(actor, run.pk)
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    with pytest.raises(NotFound):
        exports.export_run(UserFactory(centre=md_director.centre, role=Role.FINANCE_OFFICER), run.pk)
    exports.export_run(pl_finance, run.pk)
    exports.open_run_file(pl_auditor, run.pk, "pain001")[2].close()  # auditors read IBANs
    with pytest.raises(Forbidden):
        exports.open_run_file(pl_director, run.pk, "pain001")  # IBANs are masked for the director
    with pytest.raises(Forbidden):
        exports.open_run_file(pl_director, run.pk, "csv")
    exports.open_run_file(pl_director, run.pk, "pdf")[2].close()  # the cash list has no IBAN
    with pytest.raises(NotFound):
        exports.open_run_file(pl_worker, run.pk, "pdf")
    with pytest.raises(NotFound):
        exports.open_run_file(md_director, run.pk, "pdf")
    with pytest.raises(ValidationFailed):
        exports.open_run_file(pl_finance, run.pk, "mt940")


def test_a_run_without_cash_payments_has_no_cash_list(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    make_payment(run, fund)
    exports.export_run(pl_finance, run.pk)
    with pytest.raises(Conflict) as caught:
        exports.open_run_file(pl_finance, run.pk, "pdf")
    assert caught.value.code == "no_cash_list"


def test_a_run_of_cash_payments_only_is_reconciled_when_exported(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    make_payment(run, fund, channel="cashier")
    assert exports.export_run(pl_finance, run.pk).status == "reconciled"
    with pytest.raises(Conflict) as caught:
        exports.open_run_file(pl_finance, run.pk, "pain001")
    assert caught.value.code == "no_bank_file"


def test_the_cash_list_has_a_table_per_channel_with_totals_and_a_signature_column(approved_run):
    run, _fund, _transfers, cash = approved_run
    context = cashlist.context(run, "pl")
    assert [(g["label"], g["count"], g["total"]) for g in context["groups"]] == [
        ("Gotówką w kasie", 1, "40,00\xa0zł"),  # the list in Polish: its labels too
        ("Gotówką przez pocztę", 1, "55,10\xa0zł"),
    ]
    assert context["grand_total"] == "95,10\xa0zł"
    from django.template.loader import render_to_string

    html = render_to_string(cashlist.TEMPLATE, {**context, "document_language": "en"})
    assert "Cash payment list" in html
    assert html.count('<td class="sign"></td>') == 2
    assert cash[0].payee_name in html and cash[1].payee_name in html
    assert run.centre.name in html  # the letterhead


def test_with_a_broker_the_export_is_queued_and_the_task_does_the_work(approved_run, pl_finance, settings, monkeypatch):
    from socius.payments.bankfiles import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.export_run_task, "delay", lambda **kwargs: queued.append(kwargs))
    run, *_ = approved_run
    returned = exports.export_run(pl_finance, run.pk)
    assert (returned.status, returned.job, returned.job_state) == ("approved", "export", "queued")
    assert queued == [{"user_id": pl_finance.pk, "run_id": run.pk}]
    with pytest.raises(Conflict) as caught:
        exports.export_run(pl_finance, run.pk)
    assert caught.value.code == "job_running"
    assert tasks.export_run_task.run(**queued[0]) == run.pk  # what the worker runs
    run.refresh_from_db()
    assert (run.status, run.job_state, run.job_done, run.job_total) == ("exported", "done", 5, 5)


def test_the_statement_task_imports_an_upload_from_storage_and_deletes_it(approved_run, pl_finance):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from socius.payments.bankfiles import camt053, tasks
    from socius.payments.models import BankStatement

    run, *_ = approved_run
    exports.export_run(pl_finance, run.pk)
    pain = _read(exports.open_run_file(pl_finance, run.pk, "pain001")[2])
    name = default_storage.save("uploads/statement.xml", ContentFile(camt053.build_from_pain001(pain)))
    statement_id = tasks.import_statement_task.run(user_id=pl_finance.pk, centre_id=run.centre_id, storage_name=name)
    assert BankStatement.objects.get(pk=statement_id).paid == 3
    assert not default_storage.exists(name)
