"""Proposals approved at the same moment get consecutive decision numbers, none twice, none skipped
(PostgreSQL row lock on the centre's counter of the year)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from socius.accounts.roles import Role
from socius.benefits import services
from socius.benefits.models import Decision
from socius.testing.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

ON = dt.date(2025, 3, 5)


@pytest.mark.django_db(transaction=True)
def test_decisions_approved_at_once_get_consecutive_unique_numbers(case, interview, pl_worker, pl_centre):
    n = 6
    proposals = []
    for _ in range(n):
        application = services.file_application(
            pl_worker, case.pk, {"benefit": "pl.toy_allowance", "applied_on": dt.date(2025, 3, 3)}
        )
        proposals.append(services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=ON))
    approvers = [UserFactory(username=f"lead{i}", centre=pl_centre, role=Role.TEAM_LEADER) for i in range(n)]
    barrier = threading.Barrier(n, timeout=20)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = services.approve_decision(approvers[i], proposals[i].pk, on=ON).reference
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes, key=lambda r: int(str(r).split("/")[0])) == [f"{k}/2025" for k in range(1, n + 1)]
    assert sorted(Decision.objects.values_list("number", flat=True)) == list(range(1, n + 1))
