"""Cases opened at the same moment get distinct, consecutive reference numbers (PostgreSQL row locks)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from socius.accounts.roles import Role
from socius.casework.models import Case
from socius.casework.services import open_case
from socius.testing.factories import HouseholdFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_once_get_consecutive_unique_numbers(pl_centre):
    team = TeamFactory(centre=pl_centre)
    n = 6
    actors, households = [], []
    for i in range(n):
        actor = UserFactory(username=f"w{i}", centre=pl_centre, role=Role.SOCIAL_WORKER)
        actor.teams.add(team)
        actors.append(actor)
        households.append(HouseholdFactory(centre=pl_centre))
    barrier = threading.Barrier(n, timeout=20)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = open_case(
                actors[i], {"household": households[i], "circumstances": ["poverty"], "opened_on": dt.date(2025, 5, 5)}
            ).reference
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [f"2025/{k:04d}" for k in range(1, n + 1)]
    assert Case.objects.count() == n
