"""Payments API behaviour: what each answer shows (IBANs masked outside finance and auditors, totals by fund
and territory, anomalies in words), what it audits, the files it serves, the statements it reads, and the
400 / 403 / 409 answers with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent
from socius.common.limits import ID_MAX
from socius.payments.bankfiles.pain001 import validate_pain001
from socius.payments.models import (
    BankStatement,
    FundAllocation,
    Payment,
    PaymentApprover,
    PaymentDetailsChange,
    PaymentRun,
    StatementEntry,
    Transfer,
)
from socius.payments.tests.api_records import (  # noqa: F401  (fixtures)
    MD_IBAN,
    PL_IBAN,
    V1,
    md_finance,
    world,
)

MASKED = "PL61 •••• 2874"


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def runs_state() -> list:
    return list(PaymentRun.objects.order_by("id").values_list("id", "status", "approved_by_id", "cancelled_at"))


def payments_state() -> list:
    return list(Payment.objects.order_by("id").values_list("id", "status", "iban", "reissue_requested_at"))


def views_of(object_type: str) -> list:
    return list(
        AuditEvent.objects.filter(action=AuditAction.VIEW, object_type=object_type)
        .order_by("id")
        .values_list("object_id", "person_id")
    )


# --- what the answers show ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("pl_finance", PL_IBAN), ("pl_auditor", PL_IBAN), ("pl_director", MASKED), ("pl_worker", MASKED)],
)
def test_a_payments_iban_is_in_full_for_finance_and_auditors_and_masked_for_everyone_else(
    request,
    world,  # noqa: F811
    persona,
    shown,
):
    response = api(request.getfixturevalue(persona)).get(f"{V1}/payments/{world['payment'].pk}/")

    assert response.status_code == 200
    assert response.json()["iban"] == shown
    assert response.json()["amount"] == "516.39"  # March pro rata: applied on the 3rd (the pack's rule)
    assert response.json()["month"] == "2025-03"


def test_payment_details_and_transfers_mask_ibans_for_the_director(world, pl_director, pl_finance):  # noqa: F811
    world.touch("details", "transfer")
    details = api(pl_director).get(f"{V1}/payment-details/").json()["results"]
    transfers = api(pl_director).get(f"{V1}/transfers/").json()["results"]
    full = api(pl_finance).get(f"{V1}/transfers/").json()["results"]

    assert [d["iban"] for d in details] == [MASKED]
    assert [t["iban"] for t in transfers] == ["PL27 •••• 5387"]
    assert [t["iban"] for t in full] == ["PL27114020040000300201355387"]


def test_a_run_answers_its_totals_by_fund_and_territory_and_its_progress(world, pl_director):  # noqa: F811
    response = api(pl_director).get(f"{V1}/payment-runs/{world['checked'].pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["month"], body["number"], body["kind"], body["status"]) == ("2025-04", 1, "regular", "checked")
    assert (body["payment_count"], body["total"]) == (1, "552.00")
    assert [
        (t["fund"], t["persons"], t["households"], t["payments"], t["total"], t["currency"]) for t in body["totals"]
    ] == [(world["fund"].pk, 1, 1, 1, "552.00", "PLN")]
    assert body["progress"]["job_state"] == "done"


def test_a_runs_anomalies_are_sentences_naming_their_payment_and_the_person_is_audited(world, pl_director, mother):  # noqa: F811
    run, payment = world["draft"], world["payment"]
    run.anomalies = [{"code": "no_iban", "payment": payment.pk, "params": {"payee": "Anna Nowak"}}]
    run.save(update_fields=["anomalies"])

    body = api(pl_director).get(f"{V1}/payment-runs/{run.pk}/").json()

    assert body["anomalies"] == [
        {
            "code": "no_iban",
            "message": "Anna Nowak is paid by bank transfer but has no IBAN.",
            "payment": payment.pk,
            "person": mother.pk,
            "params": {"payee": "Anna Nowak"},
        }
    ]
    assert body["anomaly_count"] == 1
    assert views_of("payment_run") == [(run.pk, mother.pk)]


def test_runs_are_filtered_by_month_status_and_kind(world, pl_finance):  # noqa: F811
    world.touch_all()
    client = api(pl_finance)

    def months(**query):
        return [r["month"] for r in client.get(f"{V1}/payment-runs/", query).json()["results"]]

    assert months() == ["2025-06", "2025-05", "2025-04", "2025-03"]
    assert months(month="2025-04") == ["2025-04"]
    assert months(status="approved") == ["2025-05"]
    assert months(kind="extra") == []


def test_payments_are_filtered_by_run_person_status_and_month(world, pl_finance, mother):  # noqa: F811
    world.touch_all()
    client = api(pl_finance)

    def ids(**query):
        return [p["id"] for p in client.get(f"{V1}/payments/", query).json()["results"]]

    assert ids(run=world["draft"].pk) == [world["payment"].pk]
    assert len(ids(person=mother.pk)) == 4
    assert ids(status="returned") == [world["returned"].pk]
    assert ids(month="2025-03") == [world["payment"].pk]
    assert ids(person=mother.pk + 1000) == []


def test_the_fund_statement_shows_allocation_committed_spent_and_available(world, pl_auditor):  # noqa: F811
    world.touch("grant")
    response = api(pl_auditor).get(f"{V1}/funds/{world['fund'].pk}/statement/", {"year": 2025})

    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["currency"], body["allocation"]) == (2025, "PLN", "10000.00")
    assert body["committed"] == "3312.00"  # 6 × 552.00, March to August
    assert len(body["months"]) == 12
    assert body["months"][2]["month"] == "2025-03"


# --- audit ---------------------------------------------------------------------------------------------------


def test_a_page_of_payments_is_audited_once_per_payment_under_its_person(world, pl_worker, mother):  # noqa: F811
    world.touch_all()
    response = api(pl_worker).get(f"{V1}/payments/")

    assert response.json()["count"] == 4
    shown = sorted(p["id"] for p in response.json()["results"])
    assert sorted(views_of("payment")) == [(pk, mother.pk) for pk in shown]


def test_a_payment_read_alone_is_audited_under_its_person(world, pl_auditor, mother):  # noqa: F811
    api(pl_auditor).get(f"{V1}/payments/{world['payment'].pk}/")

    assert views_of("payment") == [(world["payment"].pk, mother.pk)]


def test_statement_lines_are_audited_under_the_persons_of_the_payments_they_matched(world, pl_finance, mother):  # noqa: F811
    response = api(pl_finance).get(f"{V1}/bank-statements/{world['statement'].pk}/lines/")

    assert [(line["line"], line["outcome"], line["person"]) for line in response.json()["results"]] == [
        (1, "returned", mother.pk),
        (2, "unmatched", None),
    ]
    assert views_of("bank_statement") == [(world["statement"].pk, mother.pk)]


def test_payment_details_are_audited_under_their_person(world, pl_finance, mother):  # noqa: F811
    world.touch("details")
    api(pl_finance).get(f"{V1}/payment-details/", {"person": mother.pk})

    assert views_of("payment_details") == [(world["details"].pk, mother.pk)]


def test_lists_without_persons_are_not_audited(world, pl_finance):  # noqa: F811
    before = AuditEvent.objects.count()
    for path in ("funds", "payment-runs", "bank-statements", "benefit-funds", "payment-approvers"):
        api(pl_finance).get(f"{V1}/{path}/")

    assert AuditEvent.objects.count() == before


# --- files ----------------------------------------------------------------------------------------------------


def test_the_csv_is_an_attachment_of_type_text_csv_and_its_download_is_audited(world, pl_finance, mother):  # noqa: F811
    run = world.touch("returned")["exported"]
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    response = api(pl_finance).get(f"{V1}/payment-runs/{run.pk}/file/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert world["returned"].end_to_end_id in b"".join(response.streaming_content).decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports + 1
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert event.object_type == "payment_run"
    assert (event.object_id, event.person_id, event.changes["format"]) == (run.pk, mother.pk, [None, "csv"])


def test_the_pain001_is_xml_that_validates(world, pl_auditor):  # noqa: F811
    world.touch("returned")
    response = api(pl_auditor).get(f"{V1}/payment-runs/{world['exported'].pk}/file/", {"format": "pain001"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    content = b"".join(response.streaming_content)
    validate_pain001(content)
    assert world["returned"].end_to_end_id.encode() in content


def test_a_run_without_cash_payments_has_no_cash_list(world, pl_director):  # noqa: F811
    response = api(pl_director).get(f"{V1}/payment-runs/{world['exported'].pk}/file/", {"format": "pdf"})

    assert response.status_code == 409
    assert response.json()["code"] == "no_cash_list"


def test_the_director_may_not_download_bank_files_with_full_ibans(world, pl_director):  # noqa: F811
    world.touch("exported")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    response = api(pl_director).get(f"{V1}/payment-runs/{world['exported'].pk}/file/", {"format": "pain001"})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Bank files show account numbers in full")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports


@pytest.mark.parametrize("query", [{}, {"format": "json"}, {"format": "PAIN001"}, {"format": "x" * 5000}])
def test_a_file_format_other_than_the_three_is_a_400(world, pl_finance, query):  # noqa: F811
    response = api(pl_finance).get(f"{V1}/payment-runs/{world['exported'].pk}/file/", query)

    assert response.status_code == 400
    assert "format" in response.json()


def test_files_of_a_run_not_exported_are_a_409(world, pl_finance):  # noqa: F811
    response = api(pl_finance).get(f"{V1}/payment-runs/{world['approved'].pk}/file/", {"format": "csv"})

    assert response.status_code == 409
    assert response.json()["code"] == "not_exported"


# --- state moves: 409 with a reason, four eyes 403 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("run_key", "action", "persona"),
    [
        ("draft", "approve", "pl_director"),
        ("approved", "cancel", "pl_finance"),
        ("approved", "check", "pl_finance"),
        ("exported", "draft", "pl_finance"),
        ("draft", "export", "pl_finance"),
    ],
)
def test_a_move_the_runs_state_does_not_allow_is_a_409_with_the_reason_and_changes_nothing(
    request,
    world,  # noqa: F811
    run_key,
    action,
    persona,
):
    world.touch(run_key)
    before = (runs_state(), payments_state())

    response = api(request.getfixturevalue(persona)).post(
        f"{V1}/payment-runs/{world[run_key].pk}/{action}/", {"reason": "Test"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["detail"]
    assert response.json()["code"]
    assert (runs_state(), payments_state()) == before


def test_an_authorised_finance_officer_may_not_approve_the_run_they_prepared(world, pl_finance, pl_director):  # noqa: F811
    PaymentApprover.objects.create(centre=pl_finance.centre, user=pl_finance, granted_by=pl_director)
    world.touch("checked")
    before = runs_state()

    response = api(pl_finance).post(f"{V1}/payment-runs/{world['checked'].pk}/approve/")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Nobody approves what they prepared: another person with the right must approve it."
    }
    assert runs_state() == before


def test_an_authorised_team_leader_approves_a_run(world, pl_teamlead, pl_director):  # noqa: F811
    PaymentApprover.objects.create(centre=pl_teamlead.centre, user=pl_teamlead, granted_by=pl_director)

    response = api(pl_teamlead).post(f"{V1}/payment-runs/{world['checked'].pk}/approve/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approved_by"]) == ("approved", pl_teamlead.pk)


def test_preparing_a_month_again_adds_nothing_already_there(world, pl_finance):  # noqa: F811
    world.touch("draft")
    response = api(pl_finance).post(f"{V1}/payment-runs/", {"month": "2025-03"}, format="json")

    assert response.status_code == 201
    assert (response.json()["id"], response.json()["payment_count"]) == (world["draft"].pk, 1)
    assert Payment.objects.filter(month=dt.date(2025, 3, 1)).count() == 1


def test_preparing_an_approved_month_again_is_a_409(world, pl_finance):  # noqa: F811
    world.touch("approved")
    before = (runs_state(), payments_state())

    response = api(pl_finance).post(f"{V1}/payment-runs/", {"month": "2025-05"}, format="json")

    assert response.status_code == 409
    assert (runs_state(), payments_state()) == before


def test_a_transfer_proposed_by_an_authorised_officer_is_not_approved_by_them(world, pl_finance, pl_director):  # noqa: F811
    PaymentApprover.objects.create(centre=pl_finance.centre, user=pl_finance, granted_by=pl_director)

    response = api(pl_finance).post(f"{V1}/transfers/{world['transfer'].pk}/approve/")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Nobody approves what they prepared")
    assert Transfer.objects.get().status == "proposed"


def test_approving_a_transfer_twice_is_a_409(world, pl_director):  # noqa: F811
    client = api(pl_director)
    assert client.post(f"{V1}/transfers/{world['transfer'].pk}/approve/").status_code == 200

    response = client.post(f"{V1}/transfers/{world['transfer'].pk}/approve/")

    assert response.status_code == 409


def test_revoking_an_authorisation_twice_is_a_409(world, pl_director, pl_worker2):  # noqa: F811
    client = api(pl_director)
    grant = client.post(f"{V1}/payment-approvers/", {"user": pl_worker2.pk}, format="json").json()
    assert client.post(f"{V1}/payment-approvers/{grant['id']}/revoke/").status_code == 200

    response = client.post(f"{V1}/payment-approvers/{grant['id']}/revoke/")

    assert response.status_code == 409
    assert response.json()["code"] == "already_revoked"


# --- returns ------------------------------------------------------------------------------------------------


def test_a_returned_payment_is_marked_for_reissue_with_corrected_details_and_goes_into_the_extra_run(
    world,  # noqa: F811
    pl_finance,
    mother,
):
    client = api(pl_finance)
    response = client.post(
        f"{V1}/payments/{world['returned'].pk}/reissue/", {"iban": MD_IBAN, "reason": "New account"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"

    extra = client.post(f"{V1}/payment-runs/", {"month": "2025-06", "extra": True}, format="json")

    assert extra.status_code == 201
    assert (extra.json()["kind"], extra.json()["number"], extra.json()["payment_count"]) == ("extra", 2, 1)
    reissue = Payment.objects.get(run_id=extra.json()["id"])
    assert (reissue.reissue_of_id, reissue.iban, reissue.person_id) == (world["returned"].pk, MD_IBAN, mother.pk)


def test_reissuing_a_payment_that_was_not_returned_is_a_409(world, pl_finance):  # noqa: F811
    world.touch("payment")
    before = payments_state()

    response = api(pl_finance).post(f"{V1}/payments/{world['payment'].pk}/reissue/", {}, format="json")

    assert response.status_code == 409
    assert payments_state() == before


def test_a_returned_payment_is_cancelled_with_its_reason(world, pl_finance):  # noqa: F811
    response = api(pl_finance).post(
        f"{V1}/payments/{world['returned'].pk}/cancel/", {"reason": "Moved abroad"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Moved abroad")


def test_a_bad_iban_for_a_reissue_is_a_400_on_its_field(world, pl_finance):  # noqa: F811
    world.touch("returned")
    before = payments_state()

    response = api(pl_finance).post(
        f"{V1}/payments/{world['returned'].pk}/reissue/", {"iban": "PL00 1234 5678"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["iban"]
    assert payments_state() == before


# --- bank statements ------------------------------------------------------------------------------------------


def _csv(*rows: str) -> SimpleUploadedFile:
    text = "end_to_end_id;amount;currency;booked_on;status;reason_code\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("wyciag.csv", text.encode(), content_type="text/csv")


def test_a_statement_upload_answers_what_was_paid_returned_and_unmatched(world, pl_finance, pl_director, mother):  # noqa: F811
    client = api(pl_finance)
    exported = client.post(f"{V1}/payment-runs/{world['approved'].pk}/export/")
    assert exported.json()["status"] == "exported"
    may = Payment.objects.get(run=world["approved"])
    upload = _csv(f"{may.end_to_end_id};552.00;PLN;2025-05-12;returned;AC04", "SOMEONE-ELSE;10.00;PLN;2025-05-12;paid;")

    response = client.post(f"{V1}/bank-statements/", {"file": upload}, format="multipart")

    assert response.status_code == 201
    body = response.json()
    assert (body["format"], body["entries"], body["paid"], body["returned"], body["unmatched"], body["already"]) == (
        "csv", 2, 0, 1, 1, 0,
    )  # fmt: skip
    lines = client.get(f"{V1}/bank-statements/{body['id']}/lines/", {"outcome": "returned"}).json()["results"]
    assert [(line["payment"], line["reason_code"], line["person"]) for line in lines] == [(may.pk, "AC04", mother.pk)]
    assert Payment.objects.get(pk=may.pk).return_code == "AC04"


def test_the_same_statement_twice_is_a_409_and_changes_nothing(world, pl_finance):  # noqa: F811
    client = api(pl_finance)
    row = f"{world['returned'].end_to_end_id};552.00;PLN;2025-06-12;returned;AC04"
    assert client.post(f"{V1}/bank-statements/", {"file": _csv(row)}, format="multipart").status_code == 201
    before = (
        list(BankStatement.objects.values_list("id", "entries")),
        StatementEntry.objects.count(),
        payments_state(),
    )

    response = client.post(f"{V1}/bank-statements/", {"file": _csv(row)}, format="multipart")

    assert response.status_code == 409
    assert response.json()["code"] == "statement_already_imported"
    assert (
        list(BankStatement.objects.values_list("id", "entries")),
        StatementEntry.objects.count(),
        payments_state(),
    ) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ("nocolumns.csv", b"a;b;c\n1;2;3\n"),
        ("badamount.csv", b"end_to_end_id;amount\nX;twelve\n"),
        ("notcamt.xml", b"<?xml version='1.0'?><html><body>hello</body></html>"),
        ("broken.xml", b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'><BkToCstmrStmt>"),
    ],
)
def test_a_file_that_is_not_a_statement_is_a_400_on_the_file_and_nothing_is_recorded(
    world,  # noqa: F811
    pl_finance,
    name,
    content,
):
    before = (BankStatement.objects.count(), StatementEntry.objects.count(), payments_state())

    response = api(pl_finance).post(
        f"{V1}/bank-statements/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert (BankStatement.objects.count(), StatementEntry.objects.count(), payments_state()) == before


def test_an_upload_without_a_file_is_a_400(world, pl_finance):  # noqa: F811
    response = api(pl_finance).post(f"{V1}/bank-statements/", {"format": "csv"}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


# --- 400 with field messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2025-13", "13-2025", "2025-1", 202501, "99999-01", "", None, ["2025-01"]])
def test_a_bad_month_is_a_400_on_the_month_and_no_run_is_prepared(world, pl_finance, month):  # noqa: F811
    before = runs_state()

    response = api(pl_finance).post(f"{V1}/payment-runs/", {"month": month}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["month"]
    assert runs_state() == before


def test_field_messages_are_in_the_language_of_accept_language(world, pl_finance):  # noqa: F811
    response = api(pl_finance, "pl").post(f"{V1}/payment-runs/", {"month": "2025-13"}, format="json")

    assert response.json() == {"month": ["Podaj miesiąc w formacie RRRR-MM."]}


@pytest.mark.parametrize("amount", ["99999999999999.99", "1e30", "NaN", "Infinity", "12.345", 1000, 10.5, "", "-"])
def test_a_bad_or_huge_allocation_is_a_400_on_the_amount_and_nothing_is_recorded(world, pl_director, amount):  # noqa: F811
    before = list(FundAllocation.objects.values_list("id", "amount"))

    response = api(pl_director).post(
        f"{V1}/funds/{world['fund'].pk}/allocations/",
        {"year": 2026, "amount": amount, "decided_on": "2025-12-20"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["amount"]
    assert list(FundAllocation.objects.values_list("id", "amount")) == before


def test_an_amendment_may_lower_the_allocation(world, pl_director):  # noqa: F811
    response = api(pl_director).post(
        f"{V1}/funds/{world['fund'].pk}/allocations/",
        {"year": 2025, "kind": "amendment", "amount": "-500.00", "reason": "Uchwała XII/3", "decided_on": "2025-06-01"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["amount"]) == ("amendment", "-500.00")


@pytest.mark.parametrize("year", ["abc", 0, 1899, 2200, 10**30, ""])
def test_a_bad_statement_year_is_a_400(world, pl_finance, year):  # noqa: F811
    response = api(pl_finance).get(f"{V1}/funds/{world['fund'].pk}/statement/", {"year": year})

    assert response.status_code == 400
    assert list(response.json()) == ["year"]


@pytest.mark.parametrize(
    "query",
    [{"run": ID_MAX + 1}, {"run": "x"}, {"person": -1}, {"status": "lost"}, {"month": "2025-00"}],
)
def test_a_bad_payment_filter_is_a_400_naming_it(world, pl_finance, query):  # noqa: F811
    response = api(pl_finance).get(f"{V1}/payments/", query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


@pytest.mark.parametrize("iban", ["PL00 1234 5678", "PL61109010140000071219812875", "XX" + "1" * 40])
def test_an_invalid_iban_is_a_400_on_the_iban_and_nothing_is_recorded(world, pl_finance, mother, iban):  # noqa: F811
    before = PaymentDetailsChange.objects.count()

    response = api(pl_finance).post(
        f"{V1}/payment-details/", {"person": mother.pk, "channel": "bank_transfer", "iban": iban}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["iban"]
    assert PaymentDetailsChange.objects.count() == before


def test_a_moldovan_iban_is_accepted_and_applies_to_the_runs_not_yet_approved(world, pl_finance, mother):  # noqa: F811
    world.touch("payment", "approved")
    response = api(pl_finance).post(
        f"{V1}/payment-details/",
        {"person": mother.pk, "channel": "bank_transfer", "iban": MD_IBAN, "reason": "Moved"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["iban"] == MD_IBAN
    assert Payment.objects.get(pk=world["payment"].pk).iban == MD_IBAN
    assert Payment.objects.get(run=world["approved"]).iban == PL_IBAN  # approved runs never change


def test_a_huge_id_anywhere_is_a_404_not_an_overflow(world, pl_finance):  # noqa: F811
    client = api(pl_finance)
    for path in ("funds", "payment-runs", "payments", "bank-statements", "transfers"):
        assert client.get(f"{V1}/{path}/{ID_MAX + 1}/").status_code == 404, path
        assert client.get(f"{V1}/{path}/{ID_MAX}/").status_code == 404, path
    assert client.post(f"{V1}/payment-runs/{ID_MAX + 1}/check/").status_code == 404


# --- the schema ----------------------------------------------------------------------------------------------


def test_the_schema_documents_the_run_file_as_binary_in_four_content_types(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/payment-runs/{id}/file/"]["get"]

    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/xml", "application/zip", "text/csv", "application/pdf"}
    assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())
    formats = next(p for p in operation["parameters"] if p["name"] == "format")
    assert (formats["required"], formats["schema"]["enum"]) == (True, ["pain001", "csv", "pdf"])


def test_the_schema_documents_the_statement_upload_as_multipart(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    body = schema["paths"]["/api/v1/bank-statements/"]["post"]["requestBody"]["content"]

    assert set(body) == {"multipart/form-data"}


# --- funds ----------------------------------------------------------------------------------------------------


def test_a_fund_is_created_and_its_debtor_iban_masked_for_the_director(db, pl_director, pl_finance):
    created = api(pl_director).post(
        f"{V1}/funds/",
        {"code": "canteen", "name": "Stołówka", "kind": "social_canteen", "currency": "PLN", "debtor_iban": PL_IBAN},
        format="json",
    )

    assert created.status_code == 201
    assert created.json()["debtor_iban"] == MASKED
    assert api(pl_finance).get(f"{V1}/funds/{created.json()['id']}/").json()["debtor_iban"] == PL_IBAN


def test_a_fund_code_used_twice_is_a_400_on_the_code(world, pl_finance):  # noqa: F811
    code = world["fund"].code

    response = api(pl_finance).post(
        f"{V1}/funds/", {"code": code, "name": "Again", "kind": "own_tasks", "currency": "PLN"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["code"]


def test_a_fund_update_changes_only_what_is_sent_and_refuses_a_bad_iban(world, pl_finance):  # noqa: F811
    client = api(pl_finance)
    fund = world["fund"]

    refused = client.patch(f"{V1}/funds/{fund.pk}/", {"debtor_iban": "PL00 0000"}, format="json")
    closed = client.patch(f"{V1}/funds/{fund.pk}/", {"is_active": False}, format="json")

    assert (refused.status_code, list(refused.json())) == (400, ["debtor_iban"])
    assert closed.status_code == 200
    assert (closed.json()["is_active"], closed.json()["name"], closed.json()["code"]) == (False, fund.name, fund.code)


@pytest.mark.parametrize(
    "row",
    [
        "X-1;1e30;PLN;2025-06-12;paid;",
        "X-1;NaN;PLN;2025-06-12;paid;",
        "X-1;Infinity;PLN;2025-06-12;paid;",
        "X-1;999999999999999.99;PLN;2025-06-12;paid;",
        "X-1;10.00;PLN;2025-02-30;paid;",
        "X-1;10.00;PLN;99999-01-01;paid;",
    ],
)
def test_a_statement_line_with_an_impossible_amount_or_day_is_a_400_and_nothing_is_recorded(world, pl_finance, row):  # noqa: F811
    before = (BankStatement.objects.count(), StatementEntry.objects.count(), payments_state())

    response = api(pl_finance).post(f"{V1}/bank-statements/", {"file": _csv(row)}, format="multipart")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["file"]
    assert (BankStatement.objects.count(), StatementEntry.objects.count(), payments_state()) == before


# --- the whole month through the API ---------------------------------------------------------------------------


def test_a_month_goes_round_through_the_api_from_preparing_to_reissuing_a_return(
    world,  # noqa: F811
    pl_finance,
    pl_director,
    mother,
):
    from socius.payments.bankfiles.camt053 import build_from_pain001

    world.touch("grant")
    finance, director = api(pl_finance), api(pl_director)
    run = finance.post(f"{V1}/payment-runs/", {"month": "2025-04"}, format="json").json()
    assert (run["status"], run["payment_count"], run["total"]) == ("draft", 1, "552.00")
    assert finance.post(f"{V1}/payment-runs/{run['id']}/check/").json()["status"] == "checked"
    assert director.post(f"{V1}/payment-runs/{run['id']}/approve/").json()["status"] == "approved"
    assert finance.post(f"{V1}/payment-runs/{run['id']}/export/").json()["status"] == "exported"
    pain = b"".join(finance.get(f"{V1}/payment-runs/{run['id']}/file/", {"format": "pain001"}).streaming_content)
    payment = finance.get(f"{V1}/payments/", {"run": run["id"]}).json()["results"][0]
    statement = build_from_pain001(pain, returned={payment["end_to_end_id"]: "AC04"})

    imported = finance.post(
        f"{V1}/bank-statements/",
        {"file": SimpleUploadedFile("camt053.xml", statement, "application/xml")},
        format="multipart",
    ).json()
    assert (imported["format"], imported["returned"], imported["unmatched"]) == ("camt053", 1, 0)
    returned = finance.get(f"{V1}/payments/", {"status": "returned"}).json()["results"]
    assert [(p["id"], p["return_code"]) for p in returned] == [(payment["id"], "AC04")]
    assert finance.post(f"{V1}/payments/{payment['id']}/reissue/", {"iban": MD_IBAN}, format="json").status_code == 200
    extra = finance.post(f"{V1}/payment-runs/", {"month": "2025-04", "extra": True}, format="json").json()
    finance.post(f"{V1}/payment-runs/{extra['id']}/check/")
    approved = director.post(f"{V1}/payment-runs/{extra['id']}/approve/")

    assert approved.json()["status"] == "approved"
    assert finance.get(f"{V1}/payments/{payment['id']}/").json()["status"] == "reissued"
    reissue = finance.get(f"{V1}/payments/", {"run": extra["id"]}).json()["results"]
    assert [(p["reissue_of"], p["iban"], p["person"]) for p in reissue] == [(payment["id"], MD_IBAN, mother.pk)]
