"""Approval of a recalculation's proposals in bulk: four eyes, consecutive numbers, the grants' new states, the
events and audit rows written set-based (one UPDATE numbering the proposals on PostgreSQL, COPY for the rest)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.models import AuditAction, User
from socius.benefits import hooks
from socius.benefits.models import Decision, DecisionCounter, DecisionEventKind
from socius.benefits.models_recalculation import RecalculationRun, RecalculationStatus
from socius.benefits.recalculation.access import as_int
from socius.benefits.recalculation.writing import compress_fast, write_audit, write_events
from socius.benefits.selectors import can_approve_decisions
from socius.benefits.services import FourEyes
from socius.benefits.statuses import GRANTING_KINDS, STATE_AFTER, STATES_BEFORE, DecisionStatus, GrantState
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed

# What the approval and the approval hooks (payments: decision 0014) read of a proposal and of its grant; a
# run's proposals and grants whole (facts, traces) weigh gigabytes.
_APPROVAL_COLUMNS = (
    "id", "centre_id", "case_id", "household_id", "applicant_id", "changes_id", "kind", "benefit", "amount",
    "currency", "eligible", "status", "state", "proposed_by_id", "period_from", "period_to", "one_off", "reference",
    "member_ids",
)  # fmt: skip


def approve_recalculation(
    actor: User, run_id, item_ids: list[int] | None = None, *, on: dt.date | None = None
) -> dict[str, int]:
    """Approve the run's waiting proposals (or those of `item_ids`) in one transaction: four eyes (nobody
    approves their own: refused as a whole, nothing changed), consecutive numbers of the centre's year from
    its counter, the date, and each grant's new state. A proposal already approved or returned one by one,
    or whose grant changed meanwhile, is left out and counted. Returns {approved, left_out}."""
    on = on or timezone.localdate()
    with transaction.atomic():
        run = RecalculationRun.objects.select_for_update().filter(pk=as_int(run_id), centre_id=actor.centre_id).first()
        if run is None:
            raise NotFound()
        if not can_approve_decisions(actor):
            raise Forbidden()
        if run.status != RecalculationStatus.DONE:
            raise Conflict(_("The recalculation has not finished: approve when it is done."), code="not_finished")
        items = run.items.filter(proposal__isnull=False).order_by("id")
        if item_ids is not None:
            wanted = {as_int(i) for i in item_ids}
            found = set(items.filter(pk__in=[i for i in wanted if i is not None]).values_list("pk", flat=True))
            if None in wanted or wanted - found:
                raise ValidationFailed({"items": [_("Choose proposals of this recalculation.")]})
            items = items.filter(pk__in=found)
        proposal_ids = list(items.values_list("proposal_id", flat=True))
        proposals = list(
            Decision.objects.select_for_update()
            .filter(pk__in=proposal_ids, status=DecisionStatus.PROPOSED)
            .only(*_APPROVAL_COLUMNS)
            .order_by("pk")
        )
        if any(p.proposed_by_id == actor.pk for p in proposals):
            raise FourEyes()
        grants = {
            g.pk: g
            for g in Decision.objects.select_for_update()
            .filter(pk__in=[p.changes_id for p in proposals])
            .only(*_APPROVAL_COLUMNS)
        }
        ready = [
            p
            for p in proposals
            if grants[p.changes_id].status == DecisionStatus.APPROVED
            and grants[p.changes_id].state in STATES_BEFORE[p.kind]
        ]
        left_out = len(proposal_ids) - len(ready)
        if not ready:
            return {"approved": 0, "left_out": left_out}
        compress_fast()
        DecisionCounter.objects.get_or_create(centre_id=run.centre_id, year=on.year)
        counter = DecisionCounter.objects.select_for_update().get(centre_id=run.centre_id, year=on.year)
        first = counter.last_number + 1
        counter.last_number += len(ready)
        counter.save(update_fields=["last_number"])
        now = timezone.now()
        for offset, proposal in enumerate(ready):
            number = first + offset
            proposal.status = DecisionStatus.APPROVED
            proposal.approved_by = actor
            proposal.approved_at = now
            proposal.decided_on = on
            proposal.year = on.year
            proposal.number = number
            proposal.reference = f"{number}/{on.year}"
            proposal.state = GrantState.ACTIVE if proposal.kind in GRANTING_KINDS and proposal.eligible else ""
        _write_approvals(ready, actor, now, on, first)
        by_state: dict[str, list[int]] = {}
        for proposal in ready:
            by_state.setdefault(STATE_AFTER[proposal.kind], []).append(proposal.changes_id)
        for state, changed in by_state.items():
            _set_state(changed, state)
        write_events(
            actor,
            ready,
            DecisionEventKind.APPROVED,
            lambda d: {"reference": d.reference, "recalculation": run.pk},
            at=now,
        )
        by_grant = {p.changes_id: p for p in ready}
        changed_grants = [grants[p.changes_id] for p in ready]
        write_events(
            actor,
            changed_grants,
            DecisionEventKind.STATE_CHANGED,
            lambda g: {
                "state": [g.state, STATE_AFTER[by_grant[g.pk].kind]],
                "by": by_grant[g.pk].reference,
                "from_month": str(by_grant[g.pk].period_from),
            },
            at=now,
        )
        write_audit(
            actor,
            AuditAction.UPDATE,
            [(p, {"status": [DecisionStatus.PROPOSED, p.status], "reference": [None, p.reference]}) for p in ready]
            + [(g, {"state": [g.state, STATE_AFTER[by_grant[g.pk].kind]]}) for g in changed_grants],
        )
        RecalculationRun.objects.filter(pk=run.pk).update(approved=F("approved") + len(ready))
        hooks.decisions_approved(ready)
        return {"approved": len(ready), "left_out": left_out}


def _set_state(ids: list[int], state: str) -> None:
    if connection.vendor != "postgresql":
        Decision.objects.filter(pk__in=ids).update(state=state)
        return
    with connection.cursor() as cursor:  # one array parameter, not one placeholder per grant
        cursor.execute("UPDATE benefits_decision SET state = %s WHERE id = ANY(%s::bigint[])", [state, ids])


def _write_approvals(ready: list[Decision], actor: User, now, on: dt.date, first: int) -> None:
    """Write the approvals: on PostgreSQL one UPDATE numbering the proposals in id order from `first`; elsewhere
    bulk_update (Django's CASE per row is slow for many rows)."""
    fields = ["status", "approved_by", "approved_at", "decided_on", "year", "number", "reference", "state"]
    if connection.vendor != "postgresql":
        Decision.objects.bulk_update(ready, fields, batch_size=1000)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE benefits_decision AS d SET status = %s, approved_by_id = %s, approved_at = %s,
                decided_on = %s, year = %s, number = %s + r.n - 1, reference = (%s + r.n - 1)::text || '/' || %s,
                state = CASE WHEN d.kind IN ('grant', 'amendment') AND d.eligible THEN 'active' ELSE '' END
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM unnest(%s::bigint[]) AS id) AS r
            WHERE d.id = r.id""",
            [DecisionStatus.APPROVED, actor.pk, now, on, on.year, first, first, str(on.year), [p.pk for p in ready]],
        )
