"""On PostgreSQL: two decisions issued at once for the last room of the week, exactly one is issued (the lock on
the centre's row serialises the capacity check and the numbering); two that both fit get consecutive numbers."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from socius.services import decisions
from socius.services.errors import CapacityExceeded
from socius.services.models import ServiceDecision
from socius.services.tests.conftest import DAY, decision_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _race(issuer, drafts) -> list:
    barrier = threading.Barrier(len(drafts), timeout=20)
    outcomes: list = [None] * len(drafts)

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = decisions.issue_decision(issuer, drafts[i].pk, on=DAY)
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_issues_racing_for_the_last_room_exactly_one_succeeds(pl_worker, pl_director, client_person, case, offer):
    drafts = [
        decisions.draft_decision(
            pl_worker, decision_data(client_person, case, quantity=Decimal("20"), weekly_pattern=[])
        )
        for _ in range(2)
    ]  # 20 + 20 > the 30 units a week of the offer
    outcomes = _race(pl_director, drafts)
    refused = [o for o in outcomes if isinstance(o, CapacityExceeded)]
    assert len(refused) == 1, outcomes
    assert (refused[0].booked, refused[0].asked) == (Decimal("20.00"), Decimal("20.00"))
    assert sorted(ServiceDecision.objects.values_list("status", "number")) == [
        ("draft", ""),
        ("issued", "USL/2025/0001"),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_get_consecutive_numbers(pl_worker, pl_director, client_person, case, offer):
    drafts = [
        decisions.draft_decision(
            pl_worker, decision_data(client_person, case, quantity=Decimal("5"), weekly_pattern=[])
        )
        for _ in range(2)
    ]
    outcomes = _race(pl_director, drafts)
    assert all(isinstance(o, ServiceDecision) for o in outcomes), outcomes
    assert sorted(ServiceDecision.objects.values_list("number", flat=True)) == ["USL/2025/0001", "USL/2025/0002"]
