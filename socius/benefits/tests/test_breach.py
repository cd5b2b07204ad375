"""A social contract refused or breached (art. 11 ust. 2 u.p.s.): its flag becomes a proposal citing the contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.benefits import services
from socius.benefits.models import Decision
from socius.benefits.tests.conftest import APPLIED, FEBRUARY, MARCH
from socius.benefits.tests.test_services import state_of_db
from socius.common.errors import Conflict, ValidationFailed
from socius.plans.models import CaseFlag, Consequence, ContractVariant
from socius.plans.services import add_obligation, draft_contract, record_breach, record_refusal, sign_contract

SIGNED = dt.date(2025, 3, 4)
BREACHED = dt.date(2025, 4, 10)


def flag_for(worker, case, client, consequence, *, refuse=False) -> CaseFlag:
    contract = draft_contract(
        worker,
        case.pk,
        {
            "variant": ContractVariant.PL_IA_IIA,
            "clients": [client.pk],
            "goals": "Find a job",
            "valid_from": SIGNED,
            "valid_until": dt.date(2025, 9, 3),
        },
    )
    if refuse:
        record_refusal(worker, contract.pk, reasons="Will not sign", consequence=consequence, on=SIGNED)
    else:
        add_obligation(
            worker, contract.pk, party="client", description="Register at the labour office", due_on=BREACHED
        )
        sign_contract(worker, contract.pk, SIGNED)
        record_breach(worker, contract.pk, reasons="Did not register", consequence=consequence, on=BREACHED)
    return CaseFlag.objects.get(contract=contract)


@pytest.fixture
def grant(case, interview, mother, pl_worker, pl_teamlead):
    application = services.file_application(
        pl_worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": dt.date(2025, 8, 1)},
    )
    services.declare_incomes(
        pl_worker, application.pk, [{"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": "1000.00"}]
    )
    proposal = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=SIGNED)
    return services.approve_decision(pl_teamlead, proposal.pk, on=SIGNED)


def test_a_breach_flag_to_suspend_becomes_a_suspension_proposal_citing_the_contract(grant, case, mother, pl_worker):
    flag = flag_for(pl_worker, case, mother, Consequence.SUSPEND_CASH_AID)

    proposal = services.propose_breach_consequence(pl_worker, flag.pk, {"from_month": dt.date(2025, 5, 1)})

    assert (proposal.kind, proposal.changes, proposal.status, proposal.contract, proposal.flag) == (
        "suspension",
        grant,
        "proposed",
        flag.contract,
        flag,
    )
    assert f"(no. {flag.contract.pk})" in proposal.justification
    assert "2025-04-10" in proposal.justification and "art. 11 ust. 2 u.p.s." in proposal.justification
    assert "wstrzymanie świadczeń pieniężnych" in proposal.justification  # the pack's statutory wording


def test_a_breach_flag_to_reduce_becomes_an_amendment_with_the_same_law_and_a_lower_amount(
    grant, case, mother, pl_worker
):
    flag = flag_for(pl_worker, case, mother, Consequence.REDUCE_CASH_AID)
    before = state_of_db()
    with pytest.raises(ValidationFailed) as refused:
        services.propose_breach_consequence(pl_worker, flag.pk, {"from_month": dt.date(2025, 5, 1), "amount": "552.00"})
    assert list(refused.value.errors) == ["amount"]
    assert state_of_db() == before

    proposal = services.propose_breach_consequence(
        pl_worker, flag.pk, {"from_month": dt.date(2025, 5, 1), "amount": "300.00"}
    )

    assert (proposal.kind, proposal.amount, proposal.changes) == ("amendment", Decimal("300.00"), grant)
    assert (proposal.trace, proposal.parameters, proposal.rules_version) == (
        grant.trace,
        grant.parameters,
        grant.rules_version,
    )


def test_a_refused_contract_becomes_a_refusal_of_the_open_application(case, interview, mother, pl_worker):
    application = services.file_application(
        pl_worker, case.pk, {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH}
    )
    flag = flag_for(pl_worker, case, mother, Consequence.REFUSE_CASH_AID, refuse=True)

    proposal = services.propose_breach_consequence(pl_worker, flag.pk)

    assert (proposal.kind, proposal.application, proposal.amount, proposal.eligible) == (
        "refusal",
        application,
        Decimal("0.00"),
        False,
    )
    assert "was refused on 2025-03-04" in proposal.justification
    application.refresh_from_db()
    assert application.status == "proposed"


def test_without_an_application_or_grant_to_act_on_nothing_is_proposed(case, mother, pl_worker):
    flag = flag_for(pl_worker, case, mother, Consequence.SUSPEND_CASH_AID)
    before = state_of_db()
    with pytest.raises(ValidationFailed) as refused:
        services.propose_breach_consequence(pl_worker, flag.pk, {"from_month": dt.date(2025, 5, 1)})
    assert list(refused.value.errors) == ["decision"]
    assert state_of_db() == before


def test_no_consequence_and_a_cleared_flag_propose_nothing(grant, case, mother, pl_worker):
    from socius.plans.services import clear_flag

    none = flag_for(pl_worker, case, mother, Consequence.NONE)
    with pytest.raises(Conflict) as refused:
        services.propose_breach_consequence(pl_worker, none.pk)
    assert refused.value.code == "no_consequence"
    cleared = flag_for(pl_worker, case, mother, Consequence.SUSPEND_CASH_AID)
    clear_flag(pl_worker, cleared.pk, "Registered after all", on=BREACHED)
    with pytest.raises(Conflict) as refused:
        services.propose_breach_consequence(pl_worker, cleared.pk, {"from_month": dt.date(2025, 5, 1)})
    assert refused.value.code == "flag_cleared"
    assert Decision.objects.count() == 1
