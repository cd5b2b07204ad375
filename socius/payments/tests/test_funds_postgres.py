"""On PostgreSQL: two approvals racing for the last money of a fund, exactly one succeeds (row locks on the
funds); and the change trail records every write of the payments tables."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from socius.accounts.models import ChangeTrailEntry
from socius.benefits import services
from socius.benefits.models import Decision
from socius.payments import funds
from socius.payments.errors import BudgetExceeded
from socius.payments.models import Commitment
from socius.payments.tests.conftest import PL_IBAN, allocation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

ON = dt.date(2025, 3, 5)


def proposal(worker, case, mother):
    """552.00 a month from March to August 2025: 3,312.00."""
    application = services.file_application(
        worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": dt.date(2025, 3, 3), "period_to": dt.date(2025, 8, 1)},
    )
    services.declare_incomes(
        worker,
        application.pk,
        [{"person": mother.pk, "month": dt.date(2025, 2, 1), "kind": "employment", "amount": "1000.00"}],
    )
    return services.propose_decision(
        worker, application.pk, {"payment_method": "bank_transfer", "iban": PL_IBAN}, on=ON
    )


@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_money_exactly_one_succeeds(
    case, interview, mother, pl_worker, pl_teamlead, pl_director, fund, pl_finance, pl_centre
):
    allocation(fund, 2025, "5000.00", pl_finance)  # room for one grant of 3,312.00, not two
    funds.set_benefit_fund(pl_finance, "pl.toy_allowance", fund.pk)
    proposals = [proposal(pl_worker, case, mother) for _ in range(2)]
    approvers = [pl_teamlead, pl_director]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = [None, None]

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = services.approve_decision(approvers[i], proposals[i].pk, on=ON).reference
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    refused = [o for o in outcomes if isinstance(o, BudgetExceeded)]
    assert len(refused) == 1, outcomes
    assert refused[0].missing == Decimal("1624.00")  # 3,312.00 − (5,000.00 − 3,312.00)
    assert [o for o in outcomes if not isinstance(o, Exception)] == ["1/2025"]
    assert Decision.objects.filter(status="approved").count() == 1
    assert list(Commitment.objects.values_list("amount", flat=True)) == [Decimal("3312.00")]
    assert funds.available(fund.pk, 2025) == Decimal("1688.00")


@pytest.mark.django_db(transaction=True)
def test_racing_transfers_on_the_last_money_exactly_one_commits(fund, pl_finance, pl_director, pl_centre):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    allocation(fund, 2025, "3000.00", pl_finance)
    deputy = UserFactory(username="pl_deputy", centre=pl_centre, role=Role.DIRECTOR)
    data = {
        "fund": fund.pk, "payee_name": "Jadłodajnia", "purpose": "Dożywianie", "channel": "cashier",
        "amount": "2000.00", "month_from": "2025-05-01",
    }  # fmt: skip
    transfers = [funds.propose_transfer(pl_finance, data) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = [None, None]

    def run(i, actor):
        try:
            barrier.wait()
            outcomes[i] = funds.approve_transfer(actor, transfers[i].pk).status
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((pl_director, deputy))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(o).__name__ if isinstance(o, Exception) else o for o in outcomes) == [
        "BudgetExceeded",
        "approved",
    ]
    assert Commitment.objects.count() == 1
    assert funds.available(fund.pk, 2025) == Decimal("1000.00")


@pytest.mark.django_db(transaction=True)
def test_the_change_trail_records_funds_allocations_and_commitments(
    case, interview, mother, pl_worker, pl_teamlead, fund, pl_finance, pl_centre
):
    funds.allocate(pl_finance, fund.pk, {"year": 2025, "amount": "10000.00"})
    funds.set_benefit_fund(pl_finance, "pl.toy_allowance", fund.pk)
    decision = services.approve_decision(pl_teamlead, proposal(pl_worker, case, mother).pk, on=ON)
    commitment = Commitment.objects.get(decision=decision)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_commitment SET amount = 1 WHERE id = %s", [commitment.pk])

    trail = {
        table: list(
            ChangeTrailEntry.objects.filter(table_name=table).order_by("id").values_list("operation", "centre_id")
        )
        for table in ("payments_fund", "payments_fundallocation", "payments_benefitfund", "payments_commitment")
    }
    assert trail == {
        "payments_fund": [("INSERT", pl_centre.pk)],
        "payments_fundallocation": [("INSERT", pl_centre.pk)],
        "payments_benefitfund": [("INSERT", pl_centre.pk)],
        "payments_commitment": [("INSERT", pl_centre.pk), ("UPDATE", pl_centre.pk)],
    }
