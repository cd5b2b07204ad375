"""Recalculation: after a change in law (a parameter whose value differs in the month recalculated) or in
households' incomes, propose amendments of the active grants affected, list them old against new, and
approve them in bulk.

- `start_recalculation` (team leaders and the director: they propose and read every decision of the centre)
  stores a run and queues the job (Celery; inline when no broker is configured).
- `run_recalculation` (the job) takes the centre's active grants covering the month in chunks (in worker
  processes on PostgreSQL): their facts for the month in a few queries (batch.facts_for_applications), the law
  in force that month, and for every grant whose amount changes a proposal written as `propose_amendment`
  writes one (linked to the grant, with the facts snapshot, rules and formula version, parameters, reasons and
  trace; an amendment, or a revocation when the household is no longer entitled), proposed by the person who
  started the run. A grant whose amount does not change gets no proposal; the old decisions are never touched
  (docs/decisions/0013). Proposals, items, events and audit rows are written with COPY.
- `approve_recalculation` (an approver other than the proposer: four eyes) approves the run's proposals in
  one transaction, numbered from the centre's counter without gaps, and changes the grants' states.

Modules: `access` (who may, what they read), `starting` (a run queued; a change of income reported), `job`,
`justification` (the proposals' text, cached per part), `writing` (COPY), `approval`.
"""

from socius.benefits.recalculation.access import (
    can_start_recalculation,
    can_view_recalculations,
    get_recalculation_for,
    items_of,
    recalculations_readable_by,
)
from socius.benefits.recalculation.approval import approve_recalculation
from socius.benefits.recalculation.job import (
    CHUNK,
    chosen_amount,
    grants_to_recalculate,
    reasons_for,
    run_recalculation,
)
from socius.benefits.recalculation.starting import report_income_change, start_recalculation
from socius.benefits.selectors import can_approve_decisions

__all__ = [
    "CHUNK",
    "approve_recalculation",
    "can_approve_decisions",
    "can_start_recalculation",
    "can_view_recalculations",
    "chosen_amount",
    "get_recalculation_for",
    "grants_to_recalculate",
    "items_of",
    "reasons_for",
    "recalculations_readable_by",
    "report_income_change",
    "run_recalculation",
    "start_recalculation",
]
