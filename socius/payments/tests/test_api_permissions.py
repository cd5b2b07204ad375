"""Payments API permission matrix: every persona × every payments operation.

Anonymous 401; a role without the right 403 before the record is read; another centre's record 404.
Finance, the director and auditors read every fund, run, statement and transfer of their centre; social
workers (and team leaders) only the payments of the clients whose cases they read. Finance prepares, checks,
exports, imports and handles returns; finance and the director manage funds; the director approves (never
what they prepared); bank files (full IBANs) only for finance and auditors; the director authorises
approvers. Every refusal leaves the database as it was.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.payments.models import (
    BankStatement,
    BenefitFund,
    Fund,
    FundAllocation,
    Payment,
    PaymentApprover,
    PaymentDetailsChange,
    PaymentRun,
    Transfer,
)
from socius.payments.tests.api_records import PL_IBAN, V1, md_finance, world  # noqa: F401  (fixtures)

PERSONAS = [
    "anonymous",
    "pl_worker",  # holds the case the grant was decided on
    "pl_teamlead",  # leads the case's team
    "pl_finance",
    "pl_director",
    "pl_auditor",
    "pl_admin",
    "md_finance",  # finance of another centre
]
READERS = {"pl_finance", "pl_director", "pl_auditor"}
MANAGERS = {"pl_finance", "pl_director"}  # manage funds
PREPARERS = {"pl_finance"}
APPROVERS = {"pl_director"}
FULL_IBAN = {"pl_finance", "pl_auditor"}
CLIENTS_READERS = READERS | {"pl_worker", "pl_teamlead"}  # read the payments of the grant's case

# operation: (who may, success code, the other centre's finance)
OPERATIONS = {
    "funds-list": (READERS, 200, 200),
    "funds-read": (READERS, 200, 404),
    "funds-create": (MANAGERS, 201, 201),
    "funds-update": (MANAGERS, 200, 404),
    "funds-allocate": (MANAGERS, 201, 404),
    "funds-allocations": (READERS, 200, 404),
    "funds-statement": (READERS, 200, 404),
    "benefit-funds-list": (READERS, 200, 200),
    "benefit-funds-set": (MANAGERS, 201, 400),  # a body naming another centre's record: 400 on its field
    "runs-list": (READERS, 200, 200),
    "runs-read": (READERS, 200, 404),
    "runs-progress": (READERS, 200, 404),
    "runs-prepare": (PREPARERS, 201, 201),
    "runs-check": (PREPARERS, 200, 404),
    "runs-approve": (APPROVERS, 200, 403),
    "runs-export": (PREPARERS, 200, 404),
    "runs-cancel": (PREPARERS | APPROVERS, 200, 404),
    "runs-draft": (PREPARERS | APPROVERS, 200, 404),
    "runs-file": (FULL_IBAN, 200, 404),
    "payments-list": (CLIENTS_READERS | {"pl_admin"}, 200, 200),
    "payments-read": (CLIENTS_READERS, 200, 404),
    "payments-reissue": (PREPARERS, 200, 404),
    "payments-cancel": (PREPARERS, 200, 404),
    "statements-list": (READERS, 200, 200),
    "statements-read": (READERS, 200, 404),
    "statements-lines": (READERS, 200, 404),
    "statements-upload": (PREPARERS, 201, 201),
    "transfers-list": (READERS, 200, 200),
    "transfers-read": (READERS, 200, 404),
    "transfers-propose": (PREPARERS, 201, 400),
    "transfers-approve": (APPROVERS, 200, 403),
    "transfers-cancel": (PREPARERS | APPROVERS, 200, 404),
    "details-list": (READERS, 200, 200),
    "details-create": (PREPARERS, 201, 404),
    "approvers-list": ({"pl_director"}, 200, 403),
    "approvers-create": ({"pl_director"}, 201, 403),
    "approvers-revoke": ({"pl_director"}, 200, 403),
}

# Each operation's route: the matrix covers every payments operation of the OpenAPI document.
ROUTES = {
    "funds-list": ("get", "/funds/"),
    "funds-read": ("get", "/funds/{id}/"),
    "funds-create": ("post", "/funds/"),
    "funds-update": ("patch", "/funds/{id}/"),
    "funds-allocate": ("post", "/funds/{id}/allocations/"),
    "funds-allocations": ("get", "/funds/{id}/allocations/"),
    "funds-statement": ("get", "/funds/{id}/statement/"),
    "benefit-funds-list": ("get", "/benefit-funds/"),
    "benefit-funds-set": ("post", "/benefit-funds/"),
    "runs-list": ("get", "/payment-runs/"),
    "runs-read": ("get", "/payment-runs/{id}/"),
    "runs-progress": ("get", "/payment-runs/{id}/progress/"),
    "runs-prepare": ("post", "/payment-runs/"),
    "runs-check": ("post", "/payment-runs/{id}/check/"),
    "runs-approve": ("post", "/payment-runs/{id}/approve/"),
    "runs-export": ("post", "/payment-runs/{id}/export/"),
    "runs-cancel": ("post", "/payment-runs/{id}/cancel/"),
    "runs-draft": ("post", "/payment-runs/{id}/draft/"),
    "runs-file": ("get", "/payment-runs/{id}/file/"),
    "payments-list": ("get", "/payments/"),
    "payments-read": ("get", "/payments/{id}/"),
    "payments-reissue": ("post", "/payments/{id}/reissue/"),
    "payments-cancel": ("post", "/payments/{id}/cancel/"),
    "statements-list": ("get", "/bank-statements/"),
    "statements-read": ("get", "/bank-statements/{id}/"),
    "statements-lines": ("get", "/bank-statements/{id}/lines/"),
    "statements-upload": ("post", "/bank-statements/"),
    "transfers-list": ("get", "/transfers/"),
    "transfers-read": ("get", "/transfers/{id}/"),
    "transfers-propose": ("post", "/transfers/"),
    "transfers-approve": ("post", "/transfers/{id}/approve/"),
    "transfers-cancel": ("post", "/transfers/{id}/cancel/"),
    "details-list": ("get", "/payment-details/"),
    "details-create": ("post", "/payment-details/"),
    "approvers-list": ("get", "/payment-approvers/"),
    "approvers-create": ("post", "/payment-approvers/"),
    "approvers-revoke": ("post", "/payment-approvers/{id}/revoke/"),
}
PAYMENTS_COLLECTIONS = ("funds", "benefit-funds", "payment-runs", "payments", "bank-statements", "transfers")
PAYMENTS_PREFIXES = tuple(f"{V1}/{p}/" for p in (*PAYMENTS_COLLECTIONS, "payment-details", "payment-approvers"))


# What each operation reads of the world, built before the snapshot (the rest is never built).
NEEDS = {
    "runs-read": ("draft",),
    "runs-progress": ("draft",),
    "runs-prepare": ("grant",),
    "runs-check": ("draft",),
    "runs-approve": ("checked",),
    "runs-export": ("approved",),
    "runs-cancel": ("draft",),
    "runs-draft": ("checked",),
    "runs-file": ("exported",),
    "payments-list": ("draft",),
    "payments-read": ("payment",),
    "payments-reissue": ("returned",),
    "payments-cancel": ("returned",),
    "statements-list": ("statement",),
    "statements-read": ("statement",),
    "statements-lines": ("statement",),
    "transfers-list": ("transfer",),
    "transfers-read": ("transfer",),
    "transfers-approve": ("transfer",),
    "transfers-cancel": ("transfer",),
    "details-list": ("details",),
    "approvers-revoke": ("approver_grant",),
}


def expected(persona: str, operation: str) -> int:
    allowed, success, other_centre = OPERATIONS[operation]
    if persona == "anonymous":
        return 401
    if persona == "md_finance":
        return other_centre
    return success if persona in allowed else 403


STATEMENT_CSV = b"end_to_end_id;amount;currency;booked_on;status;reason_code\nNOBODY-1;10.00;PLN;2025-06-12;paid;\n"


def call(client, operation: str, w: dict):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fund = w["fund"].pk

    def run():
        return w["draft"].pk

    return {
        "funds-list": lambda: client.get(f"{V1}/funds/"),
        "funds-read": lambda: client.get(f"{V1}/funds/{fund}/"),
        "funds-create": lambda: client.post(
            f"{V1}/funds/",
            {"code": "canteen", "name": "Stołówka", "kind": "social_canteen", "currency": "PLN"},
            format="json",
        ),
        "funds-update": lambda: client.patch(f"{V1}/funds/{fund}/", {"name": "Zadania własne gminy"}, format="json"),
        "funds-allocate": lambda: client.post(
            f"{V1}/funds/{fund}/allocations/",
            {"year": 2026, "amount": "50000.00", "decided_on": "2025-12-20"},
            format="json",
        ),
        "funds-allocations": lambda: client.get(f"{V1}/funds/{fund}/allocations/"),
        "funds-statement": lambda: client.get(f"{V1}/funds/{fund}/statement/", {"year": 2025}),
        "benefit-funds-list": lambda: client.get(f"{V1}/benefit-funds/"),
        "benefit-funds-set": lambda: client.post(
            f"{V1}/benefit-funds/", {"benefit": "pl.toy_aid", "fund": fund}, format="json"
        ),
        "runs-list": lambda: client.get(f"{V1}/payment-runs/"),
        "runs-read": lambda: client.get(f"{V1}/payment-runs/{run()}/"),
        "runs-progress": lambda: client.get(f"{V1}/payment-runs/{run()}/progress/"),
        "runs-prepare": lambda: client.post(f"{V1}/payment-runs/", {"month": "2025-07"}, format="json"),
        "runs-check": lambda: client.post(f"{V1}/payment-runs/{run()}/check/"),
        "runs-approve": lambda: client.post(f"{V1}/payment-runs/{w['checked'].pk}/approve/"),
        "runs-export": lambda: client.post(f"{V1}/payment-runs/{w['approved'].pk}/export/"),
        "runs-cancel": lambda: client.post(
            f"{V1}/payment-runs/{run()}/cancel/", {"reason": "Wrong month"}, format="json"
        ),
        "runs-draft": lambda: client.post(f"{V1}/payment-runs/{w['checked'].pk}/draft/"),
        "runs-file": lambda: client.get(f"{V1}/payment-runs/{w['exported'].pk}/file/", {"format": "csv"}),
        "payments-list": lambda: client.get(f"{V1}/payments/"),
        "payments-read": lambda: client.get(f"{V1}/payments/{w['payment'].pk}/"),
        "payments-reissue": lambda: client.post(
            f"{V1}/payments/{w['returned'].pk}/reissue/", {"iban": PL_IBAN}, format="json"
        ),
        "payments-cancel": lambda: client.post(
            f"{V1}/payments/{w['returned'].pk}/cancel/", {"reason": "Moved abroad"}, format="json"
        ),
        "statements-list": lambda: client.get(f"{V1}/bank-statements/"),
        "statements-read": lambda: client.get(f"{V1}/bank-statements/{w['statement'].pk}/"),
        "statements-lines": lambda: client.get(f"{V1}/bank-statements/{w['statement'].pk}/lines/"),
        "statements-upload": lambda: client.post(
            f"{V1}/bank-statements/",
            {"file": SimpleUploadedFile("wyciag.csv", STATEMENT_CSV, "text/csv"), "format": "csv"},
            format="multipart",
        ),
        "transfers-list": lambda: client.get(f"{V1}/transfers/"),
        "transfers-read": lambda: client.get(f"{V1}/transfers/{w['transfer'].pk}/"),
        "transfers-propose": lambda: client.post(
            f"{V1}/transfers/",
            {
                "fund": fund,
                "payee_name": "Jadłodajnia",
                "purpose": "Posiłki",
                "channel": "cashier",
                "amount": "300.00",
                "month_from": "2025-05",
            },
            format="json",
        ),
        "transfers-approve": lambda: client.post(f"{V1}/transfers/{w['transfer'].pk}/approve/"),
        "transfers-cancel": lambda: client.post(
            f"{V1}/transfers/{w['transfer'].pk}/cancel/", {"reason": "Canteen closed"}, format="json"
        ),
        "details-list": lambda: client.get(f"{V1}/payment-details/"),
        "details-create": lambda: client.post(
            f"{V1}/payment-details/",
            {"person": w["mother"].pk, "channel": "bank_transfer", "iban": "PL10105000997603123456789123"},
            format="json",
        ),
        "approvers-list": lambda: client.get(f"{V1}/payment-approvers/"),
        "approvers-create": lambda: client.post(f"{V1}/payment-approvers/", {"user": w["staff"].pk}, format="json"),
        "approvers-revoke": lambda: client.post(f"{V1}/payment-approvers/{w['approver_grant'].pk}/revoke/"),
    }[operation]()


def snapshot() -> tuple:
    return (
        list(Fund.objects.order_by("id").values_list("id", "code", "name")),
        list(FundAllocation.objects.order_by("id").values_list("id", "amount")),
        list(BenefitFund.objects.order_by("id").values_list("id", "benefit", "fund_id")),
        list(PaymentRun.objects.order_by("id").values_list("id", "status", "payment_count")),
        list(Payment.objects.order_by("id").values_list("id", "status", "iban")),
        list(Transfer.objects.order_by("id").values_list("id", "status")),
        list(PaymentDetailsChange.objects.order_by("id").values_list("id", "iban")),
        list(BankStatement.objects.order_by("id").values_list("id", "entries")),
        list(PaymentApprover.objects.order_by("id").values_list("id", "revoked_at")),
    )


def test_the_matrix_covers_every_payments_operation_of_the_schema(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    documented = {
        (method, path.removeprefix(V1))
        for path, operations in schema["paths"].items()
        if path.startswith(PAYMENTS_PREFIXES)
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }

    assert documented == set(ROUTES.values())
    assert set(ROUTES) == set(OPERATIONS)


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_each_persona_gets_exactly_its_answer_and_refusals_change_nothing(request, world, persona_name, operation):  # noqa: F811
    client = APIClient()
    if persona_name != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona_name))
    world.touch(*NEEDS.get(operation, ()))
    before = snapshot()
    events = AuditEvent.objects.count()

    response = call(client, operation, world)

    assert response.status_code == expected(persona_name, operation), getattr(response, "content", b"")[:500]
    if response.status_code >= 400:
        assert snapshot() == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("persona_name", "count"),
    [("pl_worker", 4), ("pl_teamlead", 4), ("pl_finance", 4), ("pl_auditor", 4), ("pl_admin", 0), ("md_finance", 0)],
)
def test_payment_lists_hold_only_what_the_caller_may_read(request, world, persona_name, count):  # noqa: F811
    world.touch_all()
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(persona_name))

    response = client.get(f"{V1}/payments/")

    assert response.status_code == 200
    assert response.json()["count"] == count
