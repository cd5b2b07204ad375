"""Benefits API permission matrix: every persona × every benefits endpoint.

Anonymous 401; a role without the capability 403 before the record is read; another centre's record 404;
applications and decisions are case content, read by those who read the case's content and, centre-wide,
by approvers (team leaders, the director, authorised staff), finance and auditors; proposals need the
right to propose and work on the case; approval needs the right to approve and is never one's own.
Every refusal leaves the database as it was.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.benefits import services
from socius.benefits.models import Application, Decision, DecisionEvent, IncomeDeclaration
from socius.benefits.tests.conftest import FEBRUARY

V1 = "/api/v1"
PERSONAS = [
    "anonymous",
    "pl_worker",  # holds the case, proposed the decision
    "pl_worker2",  # same centre and team, not the case's worker
    "pl_assistant",
    "pl_teamlead",  # leader of the case's team
    "pl_director",
    "pl_auditor",
    "pl_finance",
    "pl_admin",
    "md_worker",  # another centre
]
READS = {"pl_worker", "pl_teamlead", "pl_director", "pl_auditor", "pl_finance"}
PROPOSES = {"pl_worker", "pl_teamlead", "pl_director"}
APPROVES = {"pl_teamlead", "pl_director"}

OPERATIONS = [
    "benefits-list",
    "benefits-evaluate",
    "applications-list",
    "applications-read",
    "applications-create",
    "applications-propose",
    "decisions-list",
    "decisions-read",
    "decisions-approve",
    "decisions-return",
    "decisions-suspend",
    "decisions-breach",
    "decisions-income-change",
    "authorisations-list",
]


def expected(persona: str, operation: str) -> int:
    if persona == "anonymous":
        return 401
    if operation in ("benefits-list", "benefits-evaluate", "applications-list", "decisions-list"):
        return 200
    if operation in ("applications-read", "decisions-read"):
        return 404 if persona == "md_worker" else 200 if persona in READS else 403
    if operation == "authorisations-list":
        return 200 if persona == "pl_director" else 403
    if persona == "md_worker":
        return 404
    if operation in ("decisions-approve", "decisions-return"):
        return 200 if persona in APPROVES else 403
    if operation in ("applications-create", "applications-propose", "decisions-suspend", "decisions-income-change"):
        return 201 if persona in PROPOSES else 403
    if operation == "decisions-breach":
        return 403 if persona not in PROPOSES else 400  # the flag's case has no grant: refused on its field
    raise AssertionError(operation)


@pytest.fixture
def records(case, recent_interview, mother, pl_worker, pl_director):
    """A draft application, a proposal by pl_worker, and an approved grant on the same case."""
    today = timezone.localdate()
    month = today.replace(day=1)

    def filed():
        application = services.file_application(
            pl_worker, case.pk, {"benefit": "pl.toy_allowance", "applied_on": today, "period_from": month}
        )
        services.declare_incomes(
            pl_worker, application.pk, [{"person": mother.pk, "month": FEBRUARY, "kind": "other", "amount": "10.00"}]
        )
        return application

    draft = filed()
    proposal = services.propose_decision(pl_worker, filed().pk, {"payment_method": "cash"})
    grant = services.approve_decision(
        pl_director, services.propose_decision(pl_worker, filed().pk, {"payment_method": "cash"}).pk
    )
    from socius.plans.models import CaseFlag, Consequence, SocialContract

    contract = SocialContract.objects.create(
        case=case, variant="IA_IIA", worker=pl_worker, valid_from=today, valid_until=today + dt.timedelta(days=90),
        status="breached",
    )  # fmt: skip
    flag = CaseFlag.objects.create(
        case=case,
        kind="contract_breached",
        consequence=Consequence.SUSPEND_CASH_AID,
        contract=contract,
        raised_on=today,
    )
    # A second active grant, so the breach proposal must name which one (400 on `decision`).
    second = services.propose_decision(pl_worker, filed().pk, {"payment_method": "cash"})
    services.approve_decision(pl_director, second.pk)
    return {
        "draft": draft,
        "proposal": proposal,
        "grant": grant,
        "case": case,
        "flag": flag,
        "month": month,
        "mother": mother,
    }


def call(client, operation: str, r: dict):
    month = r["month"].strftime("%Y-%m")
    what_if = {"benefit": "pl.toy_allowance", "period": "2025-03", "household": [{"income": "100.00"}]}
    return {
        "benefits-list": lambda: client.get(f"{V1}/benefits/"),
        "benefits-evaluate": lambda: client.post(f"{V1}/benefits/evaluate/", what_if, format="json"),
        "applications-list": lambda: client.get(f"{V1}/applications/"),
        "applications-read": lambda: client.get(f"{V1}/applications/{r['draft'].pk}/"),
        "applications-create": lambda: client.post(
            f"{V1}/applications/",
            {"case": r["case"].pk, "benefit": "pl.toy_allowance", "applied_on": timezone.localdate().isoformat()},
            format="json",
        ),
        "applications-propose": lambda: client.post(
            f"{V1}/applications/{r['draft'].pk}/propose/", {"payment_method": "cash"}, format="json"
        ),
        "decisions-list": lambda: client.get(f"{V1}/decisions/"),
        "decisions-read": lambda: client.get(f"{V1}/decisions/{r['grant'].pk}/"),
        "decisions-approve": lambda: client.post(f"{V1}/decisions/{r['proposal'].pk}/approve/"),
        "decisions-return": lambda: client.post(
            f"{V1}/decisions/{r['proposal'].pk}/return/", {"comment": "Check the incomes."}, format="json"
        ),
        "decisions-suspend": lambda: client.post(
            f"{V1}/decisions/{r['grant'].pk}/suspend/", {"from_month": month, "justification": "Abroad"}, format="json"
        ),
        "decisions-breach": lambda: client.post(
            f"{V1}/decisions/breach/", {"flag": r["flag"].pk, "from_month": month}, format="json"
        ),
        "decisions-income-change": lambda: client.post(
            f"{V1}/decisions/{r['grant'].pk}/income-change/",
            {"incomes": [{"person": r["mother"].pk, "month": month, "kind": "employment", "amount": "100.00"}]},
            format="json",
        ),
        "authorisations-list": lambda: client.get(f"{V1}/approver-authorisations/"),
    }[operation]()


def snapshot() -> tuple:
    return (
        list(Application.objects.order_by("id").values_list("id", "status")),
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number")),
        DecisionEvent.objects.count(),
        IncomeDeclaration.objects.count(),
    )


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_each_persona_gets_exactly_its_answer_and_refusals_change_nothing(request, records, persona_name, operation):
    client = APIClient()
    if persona_name != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona_name))
    before = snapshot()

    response = call(client, operation, records)

    assert response.status_code == expected(persona_name, operation), response.content
    if response.status_code >= 400:
        assert snapshot() == before


@pytest.mark.parametrize("persona_name", ["pl_worker", "pl_worker2", "pl_finance", "md_worker"])
def test_lists_hold_only_what_the_caller_may_read(request, records, persona_name):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(persona_name))
    counts = (
        client.get(f"{V1}/applications/").json()["count"],
        client.get(f"{V1}/decisions/").json()["count"],
    )
    assert (
        counts == {"pl_worker": (4, 3), "pl_worker2": (0, 0), "pl_finance": (4, 3), "md_worker": (0, 0)}[persona_name]
    )
