"""Services API permission matrix: every persona × every /services/ operation of this app.

Anonymous 401; a role without the capability 403 before the record is read; a decision the caller may not read
(another worker's case, another centre's) 404; a body naming a case the caller does not work on 400 on its field.
Halina Kowalczyk's case is held by pl_worker in pl_teamlead's team; the director and the team leader issue, suspend,
resume and end (four eyes: not the drafter); the offer, providers and workers are kept by team leaders and the
director and read by every member of the staff. Every refusal leaves the database as it was, audit log included.

One test per persona walks every operation, each in a savepoint rolled back after it (the same world for each).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.services.models import (
    CopaymentAssessment,
    Provider,
    ProviderCapacity,
    ServiceDecision,
    ServiceOffer,
    ServiceWorker,
    WaitingListEntry,
)
from socius.services.statuses import DecisionStatus, WaitingStatus
from socius.services.tests.conftest import DAY, HOME_HELP, SPECIALIST, make_decision

V1 = "/api/v1"
S = f"{V1}/services"


PERSONAS = [
    "anonymous",
    "pl_worker",  # holds the client's case, drafted the decisions
    "pl_worker2",  # another social worker of the centre
    "pl_assistant",  # a family assistant: no services capability
    "pl_teamlead",  # leads the case's team
    "pl_director",
    "pl_finance",  # reads every service record
    "pl_auditor",  # reads every service record
    "pl_carer",  # records deliveries only
    "md_worker",  # a social worker of another centre
]
STAFF = set(PERSONAS) - {"anonymous"}
MANAGERS = {"pl_teamlead", "pl_director"}
ORDERING = {"pl_worker", "pl_worker2", "pl_teamlead", "pl_director", "md_worker"}
READ_ALL = {"pl_teamlead", "pl_director", "pl_finance", "pl_auditor"}
CASE = {"pl_worker", "pl_teamlead", "pl_director"}  # work on the client's case


def rule(allowed: set, success: int, *, capable: set, otherwise: int = 404, **special) -> dict:
    """success for `allowed`; `otherwise` for those with the capability who are not allowed; 403 without it."""
    out = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            out[persona] = 401
        elif persona in allowed:
            out[persona] = success
        elif persona in capable:
            out[persona] = otherwise
        else:
            out[persona] = 403
    out.update(special)
    return out


PL_STAFF = STAFF - {"md_worker"}

OPERATIONS = {
    "catalogue-list": rule(STAFF, 200, capable=STAFF),
    "offers-list": rule(STAFF, 200, capable=STAFF),
    "offers-create": rule(MANAGERS, 201, capable=MANAGERS),
    "providers-list": rule(STAFF, 200, capable=STAFF),
    "providers-read": rule(PL_STAFF, 200, capable=STAFF),
    "providers-create": rule(MANAGERS, 201, capable=MANAGERS),
    "providers-update": rule(MANAGERS, 200, capable=MANAGERS),
    "providers-capacity": rule(MANAGERS, 200, capable=MANAGERS),
    "workers-list": rule(STAFF, 200, capable=STAFF),
    "workers-read": rule(PL_STAFF, 200, capable=STAFF),
    "workers-create": rule(MANAGERS, 201, capable=MANAGERS),
    "workers-update": rule(MANAGERS, 200, capable=MANAGERS),
    "decisions-list": rule(ORDERING | READ_ALL, 200, capable=ORDERING | READ_ALL),
    "decisions-read": rule(CASE | READ_ALL, 200, capable=ORDERING | READ_ALL),
    "decisions-create": rule(CASE, 201, capable=ORDERING, otherwise=400),
    "decisions-update": rule(CASE, 200, capable=ORDERING),
    "decisions-cancel": rule(CASE, 200, capable=ORDERING),
    "decisions-issue": rule(MANAGERS, 200, capable=MANAGERS),
    "decisions-suspend": rule(MANAGERS, 200, capable=MANAGERS),
    "decisions-resume": rule(MANAGERS, 200, capable=MANAGERS),
    "decisions-end": rule(MANAGERS, 200, capable=MANAGERS),
    "decisions-copayment": rule(MANAGERS, 201, capable=ORDERING, pl_worker=403),  # an issued decision: its issuers
    "waiting-list": rule(ORDERING | READ_ALL, 200, capable=ORDERING | READ_ALL),
    "waiting-read": rule(ORDERING | READ_ALL - {"md_worker"}, 200, capable=ORDERING | READ_ALL),
    "waiting-create": rule(CASE, 201, capable=ORDERING, otherwise=400),
    "waiting-priority": rule(CASE, 200, capable=ORDERING, pl_worker2=403),
    "waiting-withdraw": rule(CASE, 200, capable=ORDERING, pl_worker2=403),
    "waiting-restore": rule(CASE, 200, capable=ORDERING, pl_worker2=403),
    "waiting-place": rule(CASE, 201, capable=ORDERING, pl_worker2=400),
}
OPERATIONS["waiting-read"]["md_worker"] = 404

ROUTES = {
    "catalogue-list": ("get", "/services/catalogue/"),
    "offers-list": ("get", "/services/offers/"),
    "offers-create": ("post", "/services/offers/"),
    "providers-list": ("get", "/services/providers/"),
    "providers-read": ("get", "/services/providers/{id}/"),
    "providers-create": ("post", "/services/providers/"),
    "providers-update": ("patch", "/services/providers/{id}/"),
    "providers-capacity": ("post", "/services/providers/{id}/capacity/"),
    "workers-list": ("get", "/services/workers/"),
    "workers-read": ("get", "/services/workers/{id}/"),
    "workers-create": ("post", "/services/workers/"),
    "workers-update": ("patch", "/services/workers/{id}/"),
    "decisions-list": ("get", "/services/decisions/"),
    "decisions-read": ("get", "/services/decisions/{id}/"),
    "decisions-create": ("post", "/services/decisions/"),
    "decisions-update": ("patch", "/services/decisions/{id}/"),
    "decisions-cancel": ("post", "/services/decisions/{id}/cancel/"),
    "decisions-issue": ("post", "/services/decisions/{id}/issue/"),
    "decisions-suspend": ("post", "/services/decisions/{id}/suspend/"),
    "decisions-resume": ("post", "/services/decisions/{id}/resume/"),
    "decisions-end": ("post", "/services/decisions/{id}/end/"),
    "decisions-copayment": ("post", "/services/decisions/{id}/copayment/"),
    "waiting-list": ("get", "/services/waiting-list/"),
    "waiting-read": ("get", "/services/waiting-list/{id}/"),
    "waiting-create": ("post", "/services/waiting-list/"),
    "waiting-priority": ("post", "/services/waiting-list/{id}/priority/"),
    "waiting-withdraw": ("post", "/services/waiting-list/{id}/withdraw/"),
    "waiting-restore": ("post", "/services/waiting-list/{id}/restore/"),
    "waiting-place": ("post", "/services/waiting-list/{id}/place/"),
}
PREFIXES = tuple(
    f"{V1}/services/{name}/" for name in ("catalogue", "offers", "providers", "workers", "decisions", "waiting-list")
)


class World:
    pass


@pytest.fixture
def world(pl_centre, pl_worker, pl_director, client_person, case, offer, specialist_offer, provider, carer_worker):
    w = World()
    w.case, w.person, w.provider, w.worker = case, client_person, provider, carer_worker
    w.draft = make_decision(pl_centre, client_person, pl_worker, status=DecisionStatus.DRAFT, case=case)
    w.issued = make_decision(
        pl_centre, client_person, pl_worker, case=case, number="USL/2025/0001", issued_by=pl_director, issued_on=DAY
    )
    w.suspended = make_decision(
        pl_centre,
        client_person,
        pl_worker,
        case=case,
        status=DecisionStatus.SUSPENDED,
        number="USL/2025/0002",
        issued_by=pl_director,
        issued_on=DAY,
        suspended_on=DAY,
        suspension_reason="Hospital",
        quantity=Decimal("2"),
    )
    w.entry = WaitingListEntry.objects.create(
        centre=pl_centre,
        service_code=SPECIALIST,
        person=client_person,
        case=case,
        reason="Dementia",
        requested_on=DAY,
        created_by=pl_worker,
    )
    w.withdrawn = WaitingListEntry.objects.create(
        centre=pl_centre,
        service_code="pl.transport",
        person=client_person,
        case=case,
        reason="Trips to the doctor",
        requested_on=DAY,
        status=WaitingStatus.WITHDRAWN,
        withdrawn_on=DAY,
        withdrawn_reason="Family drives her",
        created_by=pl_worker,
    )
    return w


def call(client, operation: str, w):
    j = {"format": "json"}
    requests = {
        "catalogue-list": lambda: client.get(f"{S}/catalogue/", {"on": "2025-03-03"}),
        "offers-list": lambda: client.get(f"{S}/offers/"),
        "offers-create": lambda: client.post(
            f"{S}/offers/",
            {"service_code": HOME_HELP, "valid_from": "2025-07-01", "unit_cost": "34.00", "capacity_per_week": "40"},
            **j,
        ),
        "providers-list": lambda: client.get(f"{S}/providers/"),
        "providers-read": lambda: client.get(f"{S}/providers/{w.provider.pk}/"),
        "providers-create": lambda: client.post(f"{S}/providers/", {"name": "PCK Oddział Rejonowy"}, **j),
        "providers-update": lambda: client.patch(
            f"{S}/providers/{w.provider.pk}/", {"contract_reference": "U/2/2025"}, **j
        ),
        "providers-capacity": lambda: client.post(
            f"{S}/providers/{w.provider.pk}/capacity/", {"service_code": SPECIALIST, "units_per_week": "12"}, **j
        ),
        "workers-list": lambda: client.get(f"{S}/workers/"),
        "workers-read": lambda: client.get(f"{S}/workers/{w.worker.pk}/"),
        "workers-create": lambda: client.post(
            f"{S}/workers/", {"name": "Roman Kierowca", "kind": "driver", "weekly_hours": "20"}, **j
        ),
        "workers-update": lambda: client.patch(f"{S}/workers/{w.worker.pk}/", {"weekly_hours": "30"}, **j),
        "decisions-list": lambda: client.get(f"{S}/decisions/"),
        "decisions-read": lambda: client.get(f"{S}/decisions/{w.issued.pk}/"),
        "decisions-create": lambda: client.post(
            f"{S}/decisions/",
            {
                "case": w.case.pk,
                "person": w.person.pk,
                "service_code": HOME_HELP,
                "quantity": "4",
                "starts_on": "2025-04-01",
                "weekly_pattern": [{"weekday": 1, "start": "10:00", "units": "2"}],
            },
            **j,
        ),
        "decisions-update": lambda: client.patch(f"{S}/decisions/{w.draft.pk}/", {"quantity": "8"}, **j),
        "decisions-cancel": lambda: client.post(f"{S}/decisions/{w.draft.pk}/cancel/", {"reason": "Twice"}, **j),
        "decisions-issue": lambda: client.post(f"{S}/decisions/{w.draft.pk}/issue/", {"on": "2025-03-03"}, **j),
        "decisions-suspend": lambda: client.post(
            f"{S}/decisions/{w.issued.pk}/suspend/", {"on": "2025-03-10", "reason": "Hospital"}, **j
        ),
        "decisions-resume": lambda: client.post(f"{S}/decisions/{w.suspended.pk}/resume/", {"on": "2025-03-10"}, **j),
        "decisions-end": lambda: client.post(
            f"{S}/decisions/{w.issued.pk}/end/", {"on": "2025-03-31", "reason": "Care home"}, **j
        ),
        "decisions-copayment": lambda: client.post(
            f"{S}/decisions/{w.issued.pk}/copayment/",
            {"income": "1450.00", "household_size": 1, "lives_alone": True, "valid_from": "2025-03-03"},
            **j,
        ),
        "waiting-list": lambda: client.get(f"{S}/waiting-list/"),
        "waiting-read": lambda: client.get(f"{S}/waiting-list/{w.entry.pk}/"),
        "waiting-create": lambda: client.post(
            f"{S}/waiting-list/",
            {"person": w.person.pk, "case": w.case.pk, "service_code": "pl.meals", "reason": "Cannot cook"},
            **j,
        ),
        "waiting-priority": lambda: client.post(
            f"{S}/waiting-list/{w.entry.pk}/priority/", {"priority": 1, "reason": "Fell at home"}, **j
        ),
        "waiting-withdraw": lambda: client.post(
            f"{S}/waiting-list/{w.entry.pk}/withdraw/", {"on": "2025-03-10", "reason": "Moved away"}, **j
        ),
        "waiting-restore": lambda: client.post(f"{S}/waiting-list/{w.withdrawn.pk}/restore/", {}, **j),
        "waiting-place": lambda: client.post(
            f"{S}/waiting-list/{w.entry.pk}/place/", {"quantity": "3", "starts_on": "2025-04-01"}, **j
        ),
    }
    return requests[operation]()


def snapshot() -> tuple:
    return (
        list(ServiceDecision.objects.order_by("id").values_list("id", "status", "number", "quantity")),
        list(WaitingListEntry.objects.order_by("id").values_list("id", "status", "priority")),
        list(ServiceOffer.objects.order_by("id").values_list("id", "unit_cost")),
        list(Provider.objects.order_by("id").values_list("id", "name", "contract_reference")),
        list(ProviderCapacity.objects.order_by("id").values_list("id", "units_per_week")),
        list(ServiceWorker.objects.order_by("id").values_list("id", "weekly_hours")),
        CopaymentAssessment.objects.count(),
    )


def test_the_matrix_covers_every_services_core_operation_of_the_schema(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    documented = {
        (method, path.removeprefix(V1))
        for path, operations in schema["paths"].items()
        if path.startswith(PREFIXES)
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert documented == set(ROUTES.values())
    assert set(ROUTES) == set(OPERATIONS)


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("persona", PERSONAS, indirect=False)
def test_each_persona_gets_exactly_its_answer_and_refusals_change_nothing(request, world, persona):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    wrong = []
    for operation, answers in OPERATIONS.items():
        try:
            with transaction.atomic():
                before, events = snapshot(), AuditEvent.objects.count()
                response = call(client, operation, world)
                if response.status_code != answers[persona]:
                    wrong.append((operation, answers[persona], response.status_code, response.content[:300]))
                elif response.status_code >= 400:
                    if snapshot() != before or AuditEvent.objects.count() != events:
                        wrong.append((operation, "a refusal changed the database"))
                elif response.request["REQUEST_METHOD"] != "GET" and snapshot() == before:
                    wrong.append((operation, "a write answering success wrote nothing"))
                raise _Rollback
        except _Rollback:
            pass
    assert wrong == []


def test_the_day_of_the_world_is_a_monday():
    assert DAY.weekday() == 0 and dt.date(2025, 3, 3) == DAY
