"""Two officers approving the same run at the same moment, on two PostgreSQL connections: exactly one
approval succeeds, the other waits for the run's row lock and then gets a Conflict naming who approved it."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from socius.common.errors import Conflict
from socius.payments import runs
from socius.payments.models import PaymentApprover, PaymentRun
from socius.payments.tests.runs_support import (
    FEBRUARY,
    MARCH,
    grant,
    make_client,
    make_fund,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_for_a_lock() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_approvals_at_once_exactly_one_succeeds(pl_centre, pl_finance, pl_director, pl_teamlead, pl_worker):
    make_fund(pl_centre, pl_finance)
    person, _household, case = make_client(pl_centre, pl_worker)
    grant(case, person, pl_worker, pl_director, amount="500.00", period_from=FEBRUARY)
    PaymentApprover.objects.create(centre=pl_centre, user=pl_teamlead, granted_by=pl_director)
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.check_run(pl_finance, run.pk)

    first_holds_lock = threading.Event()
    let_first_commit = threading.Event()
    outcomes: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                runs.approve_run(pl_director, run.pk)
                first_holds_lock.set()
                let_first_commit.wait(30)
            outcomes["director"] = "approved"
        except Exception as error:  # recorded, asserted below
            outcomes["director"] = error
            first_holds_lock.set()
        finally:
            connection.close()

    def second():
        try:
            runs.approve_run(pl_teamlead, run.pk)
            outcomes["teamlead"] = "approved"
        except Exception as error:  # recorded, asserted below
            outcomes["teamlead"] = error
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert first_holds_lock.wait(30)
    b = threading.Thread(target=second)
    b.start()
    # The second approval is blocked on the run's row lock (seen in pg_stat_activity), then the first commits.
    for _ in range(300):
        if _waiting_for_a_lock() or not b.is_alive():
            break
        time.sleep(0.05)
    blocked = _waiting_for_a_lock()
    let_first_commit.set()
    a.join(30)
    b.join(30)

    assert blocked == 1
    assert outcomes["director"] == "approved"
    refused = outcomes["teamlead"]
    assert isinstance(refused, Conflict)
    assert refused.code == "invalid_run_transition"
    assert "already approved by" in str(refused.message)
    run = PaymentRun.objects.get(pk=run.pk)
    assert (run.status, run.approved_by_id) == ("approved", pl_director.pk)


def test_run_preparation_is_one_statement_on_postgresql(pl_centre, pl_finance, pl_director, pl_worker):
    """The amounts due are inserted by one INSERT … SELECT, whatever their number (no query per decision)."""
    from django.test.utils import CaptureQueriesContext

    make_fund(pl_centre, pl_finance)
    for i in range(5):
        person, _household, case = make_client(pl_centre, pl_worker, first=f"P{i}", last="X")
        grant(case, person, pl_worker, pl_director, amount="100.00", period_from=FEBRUARY)
    with CaptureQueriesContext(connection) as queries:
        run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT INTO payments_payment" in q["sql"]]
    assert (run.payment_count, len(inserts)) == (5, 1)
