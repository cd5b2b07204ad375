"""Writing compact outcomes as EvaluationResult rows: COPY on PostgreSQL, bulk_create elsewhere."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.db import connection

from socius.benefits.batch.compact import Compact
from socius.benefits.models_recalculation import EvaluationResult

RESULT_COLUMNS = (
    "centre_id",
    "household_id",
    "decision_id",
    "benefit",
    "period",
    "eligible",
    "amount",
    "minimum",
    "maximum",
    "reasons",
    "template_id",
    "trace_values",
    "evaluated_at",
)


def store_results(
    rows: Iterable[tuple[int, int | None, int | None, str, dt.date, Compact]],
    templates: dict[str, int],
    *,
    at: dt.datetime,
) -> int:
    """Insert (centre, household, decision, benefit, period, compact) rows as EvaluationResult: COPY on
    PostgreSQL, bulk_create elsewhere. Returns the number written."""
    if connection.vendor == "postgresql":
        count = 0
        with connection.cursor() as cursor:
            columns = ", ".join(RESULT_COLUMNS)
            with cursor.copy(f"COPY {EvaluationResult._meta.db_table} ({columns}) FROM STDIN") as copy:
                for centre_id, household_id, decision_id, benefit, period, c in rows:
                    copy.write_row(
                        (
                            centre_id,
                            household_id,
                            decision_id,
                            benefit,
                            period,
                            c.eligible,
                            c.amount,
                            c.minimum,
                            c.maximum,
                            json.dumps(list(c.reasons)),
                            templates[c.template_key],
                            json.dumps(list(c.values)),
                            at,
                        )
                    )
                    count += 1
        return count
    objects = [
        EvaluationResult(
            centre_id=centre_id,
            household_id=household_id,
            decision_id=decision_id,
            benefit=benefit,
            period=period,
            eligible=c.eligible,
            amount=c.amount,
            minimum=c.minimum,
            maximum=c.maximum,
            reasons=list(c.reasons),
            template_id=templates[c.template_key],
            trace_values=list(c.values),
            evaluated_at=at,
        )
        for centre_id, household_id, decision_id, benefit, period, c in rows
    ]
    EvaluationResult.objects.bulk_create(objects, batch_size=2000)
    return len(objects)
