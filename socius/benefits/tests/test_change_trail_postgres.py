"""On PostgreSQL the change trail records every write of a decision, also one that bypasses the services:
an approved decision edited by SQL would show in the trail (docs/decisions/0008, 0013)."""

import datetime as dt

import pytest
from django.db import connection

from socius.accounts.models import ChangeTrailEntry
from socius.benefits import services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: triggers"),
]


def test_a_decision_is_trailed_from_proposal_to_approval_and_an_edit_by_sql_shows(
    case, interview, pl_worker, pl_teamlead, pl_centre
):
    application = services.file_application(
        pl_worker, case.pk, {"benefit": "pl.toy_allowance", "applied_on": dt.date(2025, 3, 3)}
    )
    decision = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=dt.date(2025, 3, 5))
    services.approve_decision(pl_teamlead, decision.pk, on=dt.date(2025, 3, 6))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE benefits_decision SET amount = 1 WHERE id = %s", [decision.pk])

    rows = list(ChangeTrailEntry.objects.filter(table_name="benefits_decision", row_id=decision.pk).order_by("id"))
    assert [row.operation for row in rows] == ["INSERT", "UPDATE", "UPDATE"]
    assert (rows[1].old_row["status"], rows[1].new_row["status"]) == ("proposed", "approved")
    assert (rows[2].old_row["amount"], rows[2].new_row["amount"]) == (1552.0, 1.0)  # jsonb numbers
    assert {row.centre_id for row in rows} == {pl_centre.pk}
    assert ChangeTrailEntry.objects.filter(table_name="benefits_application", row_id=application.pk).exists()
