"""Recalculation: after a change in law (a parameter whose value differs in the month recalculated) or in
households' incomes, propose amendments of the active grants affected, list them old against new, and
approve them in bulk.

- `start_recalculation` (team leaders and the director: they propose and read every decision of the centre)
  stores a run and queues the job (Celery; inline when no broker is configured).
- `run_recalculation` (the job) takes the centre's active grants covering the month in chunks: their facts
  for the month in a few queries (batch.facts_for_applications), the law in force that month, and for every
  grant whose amount changes a proposal written as `propose_amendment` writes one (linked to the grant, with
  the facts snapshot, rules and formula version, parameters, reasons and trace; an amendment, or a
  revocation when the household is no longer entitled), proposed by the person who started the run. A grant
  whose amount does not change gets no proposal; the old decisions are never touched (docs/decisions/0013).
- `approve_recalculation` (an approver other than the proposer: four eyes) approves the run's proposals in
  one transaction, numbered from the centre's counter without gaps, and changes the grants' states.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson, User
from socius.accounts.roles import PROPOSE_DECISIONS
from socius.benefits import hooks, services
from socius.benefits.batch import facts_for_applications
from socius.benefits.models import (
    Application,
    Decision,
    DecisionCounter,
    DecisionEvent,
    DecisionEventKind,
    IncomeDeclaration,
    IncomeKind,
)
from socius.benefits.models_recalculation import (
    RecalculationItem,
    RecalculationReason,
    RecalculationRun,
    RecalculationStatus,
)
from socius.benefits.selectors import can_approve_decisions, month_start, reads_every_decision
from socius.benefits.services import FourEyes, justification_from
from socius.benefits.statuses import (
    GRANTING_KINDS,
    STATE_AFTER,
    STATES_BEFORE,
    ApplicationStatus,
    DecisionKind,
    DecisionStatus,
    GrantState,
)
from socius.casework.statuses import CaseStatus
from socius.common.context import current_origin
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import benefit_definition, get_jurisdiction
from socius.rulebook.engine.parameters import ParameterError

log = logging.getLogger(__name__)

CHUNK = 2000


# --- who may ------------------------------------------------------------------------------------------------


def can_start_recalculation(actor: User) -> bool:
    """Those who propose decisions and read every decision of the centre: team leaders and the director."""
    return bool(actor.is_authenticated and actor.centre_id and actor.can(PROPOSE_DECISIONS)) and reads_every_decision(
        actor
    )


def can_view_recalculations(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.centre_id) and (
        can_start_recalculation(actor) or can_approve_decisions(actor)
    )


def recalculations_readable_by(actor: User):
    if not can_view_recalculations(actor):
        raise Forbidden()
    return RecalculationRun.objects.filter(centre_id=actor.centre_id).select_related("started_by")


def get_recalculation_for(actor: User, pk) -> RecalculationRun:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    run = RecalculationRun.objects.filter(pk=pk, centre_id=actor.centre_id).select_related("started_by").first()
    if run is None:
        raise NotFound()
    if not can_view_recalculations(actor):
        raise Forbidden()
    return run


def items_of(run: RecalculationRun):
    return (
        run.items.select_related("decision", "proposal", "decision__applicant", "proposal__approved_by")
        .order_by("id")
        .all()
    )


# --- starting ----------------------------------------------------------------------------------------------


def start_recalculation(actor: User, data: dict) -> RecalculationRun:
    """A run for the actor's centre: `month` (a date; its month is recalculated and amended from), `benefit`
    (a code of the centre's country, or empty for every benefit), `comment`. The job starts when the
    transaction commits. Conflict while another run of the centre is queued or running."""
    if not can_start_recalculation(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    month = data.get("month")
    if not isinstance(month, dt.date):
        errors["month"] = [_("Enter the month to recalculate from.")]
    benefit = data.get("benefit") or ""
    if benefit:
        try:
            definition = benefit_definition(benefit)
        except engine.UnknownBenefit:
            definition = None
        if definition is None or definition.country != actor.centre.jurisdiction:
            errors["benefit"] = [_("Choose a benefit of your centre's country.")]
        elif definition.payment != "monthly":
            errors["benefit"] = [_("Only monthly benefits are recalculated.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        busy = (
            RecalculationRun.objects.select_for_update()
            .filter(centre_id=actor.centre_id, status__in=(RecalculationStatus.QUEUED, RecalculationStatus.RUNNING))
            .exists()
        )
        if busy:
            raise Conflict(_("A recalculation of this centre is already running."), code="recalculation_running")
        run = RecalculationRun.objects.create(
            centre_id=actor.centre_id,
            benefit=benefit,
            month=month_start(month),
            comment=str(data.get("comment") or "")[:300],
            started_by=actor,
        )
        AuditEvent.objects.create(
            actor=actor,
            actor_username=actor.username,
            centre_id=actor.centre_id,
            action=AuditAction.CREATE,
            object_type="benefit_recalculation",
            object_id=run.pk,
            changes={"benefit": [None, benefit], "month": [None, run.month.isoformat()]},
            ip=current_origin().ip,
            channel=current_origin().channel,
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from socius.benefits.tasks import recalculate_task

    recalculate_task.delay(run_id)


# --- a change of income reported after the decision ------------------------------------------------------


def report_income_change(actor: User, application_id, rows) -> list[IncomeDeclaration]:
    """Declare incomes for months after the application's month on a decided application (a change the client
    reported): rows as for services.declare_incomes; the months given replace what was declared for them. The
    next recalculation counts them (batch.reference_on). Nothing is written when any row is wrong."""
    with transaction.atomic():
        pk = _int(application_id)
        case_id = (
            Application.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
            if pk
            else None
        )
        if case_id is None:
            raise NotFound()
        case = services._workable_case(actor, case_id)
        application = Application.objects.select_for_update().get(pk=pk)
        if application.status != ApplicationStatus.DECIDED:
            raise Conflict(
                _("A change of income is reported on a decided application; declare incomes on the application."),
                code="application_not_decided",
            )
        if not isinstance(rows, list | tuple) or not rows or len(rows) > 500:
            raise ValidationFailed({"incomes": [_("Expected a list of incomes.")]})
        members = services._members_of_case(case, timezone.localdate()) | {application.applicant_id}
        first_month = month_start(application.applied_on)
        errors: dict[str, list] = {}
        clean = []
        for i, row in enumerate(rows):
            where = f"incomes[{i}]"
            row = row if isinstance(row, dict) else {}
            person = _int(row.get("person"))
            if person is None or person not in members:
                errors[f"{where}.person"] = [_("Choose a member of the household.")]
            month = row.get("month")
            if not isinstance(month, dt.date) or month_start(month) < first_month:
                errors[f"{where}.month"] = [_("Enter a month from the application's month on.")]
            kind = row.get("kind")
            if kind not in IncomeKind.values:
                errors[f"{where}.kind"] = [_("Choose the kind of income.")]
            amount = services._money(row.get("amount"), f"{where}.amount", errors)
            deductions = services._money(row.get("deductions") or "0", f"{where}.deductions", errors)
            if not errors:
                clean.append(
                    IncomeDeclaration(
                        application=application,
                        person_id=person,
                        month=month_start(month),
                        kind=kind,
                        amount=amount,
                        deductions=deductions,
                        one_off=bool(row.get("one_off")),
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        months = sorted({row.month for row in clean})
        application.incomes.filter(month__in=months).delete()
        created = IncomeDeclaration.objects.bulk_create(clean)
        services._audit(
            actor,
            AuditAction.UPDATE,
            "benefit_application",
            application,
            {"income_change": [None, [m.isoformat() for m in months]]},
        )
        return created


# --- the job -----------------------------------------------------------------------------------------------


def grants_to_recalculate(run: RecalculationRun):
    """The centre's approved, active, eligible monthly grants covering the run's month, with an application."""
    grants = Decision.objects.filter(
        centre_id=run.centre_id,
        status=DecisionStatus.APPROVED,
        kind__in=GRANTING_KINDS,
        state=GrantState.ACTIVE,
        eligible=True,
        one_off=False,
        application__isnull=False,
        period_from__lte=run.month,
    ).filter(Q(period_to__isnull=True) | Q(period_to__gte=run.month))
    if run.benefit:
        grants = grants.filter(benefit=run.benefit)
    return grants


def run_recalculation(run_id: int, *, chunk: int = CHUNK) -> RecalculationRun:
    """Recalculate the run's grants chunk by chunk (each chunk one transaction; the run's counters move as it
    goes, for the progress bar). A run that is not queued is left as it is."""
    claimed = RecalculationRun.objects.filter(pk=run_id, status=RecalculationStatus.QUEUED).update(
        status=RecalculationStatus.RUNNING
    )
    run = RecalculationRun.objects.select_related("centre", "started_by").get(pk=run_id)
    if not claimed:
        return run
    try:
        ids = list(grants_to_recalculate(run).order_by("pk").values_list("pk", flat=True))
        RecalculationRun.objects.filter(pk=run.pk).update(total=len(ids))
        language = get_jurisdiction(run.centre.jurisdiction).default_language
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            with transaction.atomic():
                counts = _recalculate_chunk(run, part, language)
                RecalculationRun.objects.filter(pk=run.pk).update(
                    done=F("done") + len(part),
                    proposed=F("proposed") + counts["proposed"],
                    unchanged=F("unchanged") + counts["unchanged"],
                    skipped=F("skipped") + counts["skipped"],
                )
        RecalculationRun.objects.filter(pk=run.pk).update(status=RecalculationStatus.DONE, finished_at=timezone.now())
    except Exception as exc:  # the job's failure is stored for the page; the chunks done stay listed
        log.exception("recalculation %s failed", run_id)
        RecalculationRun.objects.filter(pk=run.pk).update(
            status=RecalculationStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def chosen_amount(grant: Decision, outcome: engine.Outcome) -> Decimal:
    """The new amount: the law's amount; where the law gives a range (PL art. 38), the centre's earlier
    choice carried over: the new maximum for a grant at its maximum, the new minimum for one at its minimum,
    else the same amount within the new range."""
    if not outcome.eligible:
        return outcome.amount
    if outcome.minimum is None and outcome.maximum is None:
        return outcome.amount
    low = outcome.minimum if outcome.minimum is not None else Decimal("0")
    high = outcome.maximum if outcome.maximum is not None else outcome.amount
    if grant.maximum is not None and grant.amount == grant.maximum:
        return high
    if grant.minimum is not None and grant.amount == grant.minimum:
        return low
    return min(max(grant.amount, low), high)


def reasons_for(grant: Decision, outcome: engine.Outcome, facts: dict) -> list[str]:
    """Why the amount moved: the law (a parameter's value or date, or the formula version, differs), the
    income (declared incomes or the reference month differ), the household (members or their facts)."""
    reasons = []
    old_parameters = grant.parameters or {}
    new_parameters = outcome.parameters_used
    law_changed = grant.formula_version != outcome.version or any(
        (old_parameters.get(name) or {}).get("value") != used["value"]
        or (old_parameters.get(name) or {}).get("valid_from") != used["valid_from"]
        for name, used in new_parameters.items()
    )
    if law_changed:
        reasons.append(RecalculationReason.LAW.value)
    old = grant.facts or {}
    old_members = old.get("household") or []
    new_members = facts.get("household") or []

    def incomes(members):
        return [(m.get("income"), m.get("incomes")) for m in members]

    def others(members):
        return [{k: v for k, v in m.items() if k not in ("income", "incomes")} for m in members]

    if incomes(old_members) != incomes(new_members) or old.get("application_on") != facts.get("application_on"):
        reasons.append(RecalculationReason.INCOME.value)
    if others(old_members) != others(new_members) or any(
        old.get(key) != facts.get(key) for key in ("amounts", "flags", "purpose", "income_lost")
    ):
        reasons.append(RecalculationReason.HOUSEHOLD.value)
    return reasons


def _recalculate_chunk(run: RecalculationRun, ids: list[int], language: str) -> dict[str, int]:
    grants = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("application", "case")
        .order_by("pk")
    )
    pending = set(
        Decision.objects.filter(changes_id__in=ids, status=DecisionStatus.PROPOSED).values_list("changes_id", flat=True)
    )
    applications = {g.application_id: g.application for g in grants}
    facts_of = facts_for_applications(list(applications.values()), run.month)
    counts = {"proposed": 0, "unchanged": 0, "skipped": 0}
    proposals: list[Decision] = []
    items: list[RecalculationItem] = []
    now = timezone.now()
    for grant in grants:
        item = RecalculationItem(run=run, decision=grant, old_amount=grant.amount, currency=grant.currency)
        if grant.pk in pending:
            item.skipped = "change_pending"
        elif grant.case.status == CaseStatus.CLOSED:
            item.skipped = "case_closed"
        if item.skipped:
            counts["skipped"] += 1
            items.append(item)
            proposals.append(None)
            continue
        facts, member_ids = facts_of[grant.application_id]
        try:
            outcome = engine.evaluate(grant.benefit, facts)
        except (engine.BenefitError, ParameterError, PackDataError):
            item.skipped = "rules_unavailable"
            counts["skipped"] += 1
            items.append(item)
            proposals.append(None)
            continue
        amount = chosen_amount(grant, outcome)
        if outcome.eligible and amount == grant.amount:
            counts["unchanged"] += 1
            continue
        law = services._law_of(outcome, facts, member_ids)  # what propose_amendment stores
        facts_dict = law["facts"]
        item.new_amount = amount
        item.reasons = reasons_for(grant, outcome, facts_dict)
        with override(language):
            heading = _("Recalculated from %(month)s after a change of %(what)s.") % {
                "month": run.month.strftime("%Y-%m"),
                "what": ", ".join(str(RecalculationReason(r).label) for r in item.reasons) or _("the facts"),
            }
        proposals.append(
            Decision(
                centre_id=grant.centre_id,
                case_id=grant.case_id,
                household_id=grant.household_id,
                applicant_id=grant.applicant_id,
                application_id=grant.application_id,
                changes=grant,
                kind=DecisionKind.AMENDMENT if outcome.eligible else DecisionKind.REVOCATION,
                benefit=grant.benefit,
                one_off=grant.one_off,
                period_from=run.month,
                period_to=grant.period_to,
                amount=amount,
                payment_method=grant.payment_method if outcome.eligible else "",
                iban=grant.iban if outcome.eligible else "",
                **law,
                justification=heading + "\n" + justification_from(outcome, language),
                proposed_by_id=run.started_by_id,
                proposed_at=now,
            )
        )
        items.append(item)
        counts["proposed"] += 1
    created = Decision.objects.bulk_create([p for p in proposals if p is not None], batch_size=1000)
    iterator = iter(created)
    for item, proposal in zip(items, proposals, strict=True):
        if proposal is not None:
            item.proposal = next(iterator)
    RecalculationItem.objects.bulk_create(items, batch_size=2000)
    _events(run.started_by, created, DecisionEventKind.PROPOSED, lambda d: {"recalculation": run.pk}, at=now)
    _audit_many(
        run.started_by,
        AuditAction.CREATE,
        [
            (
                d,
                {
                    "kind": [None, d.kind],
                    "benefit": [None, d.benefit],
                    "amount": [None, str(d.amount)],
                    "status": [None, d.status],
                    "changes": [None, d.changes_id],
                },
            )
            for d in created
        ],
        with_members=True,
    )
    return counts


def _events(actor: User | None, decisions, kind: str, data, *, at=None) -> None:
    at = at or timezone.now()
    DecisionEvent.objects.bulk_create(
        [
            DecisionEvent(
                decision=d,
                case_id=d.case_id,
                household_id=d.household_id,
                person_id=d.applicant_id,
                kind=kind,
                at=at,
                actor=actor,
                data={
                    "kind": d.kind,
                    "benefit": d.benefit,
                    "amount": str(d.amount),
                    "currency": d.currency,
                    **data(d),
                },
            )
            for d in decisions
        ],
        batch_size=2000,
    )


def _audit_many(actor: User | None, action: str, rows, *, with_members: bool = False) -> None:
    """One audit event per (decision, changes), in bulk (what services.record_event writes one at a time)."""
    origin = current_origin()
    rows = list(rows)
    events = [
        AuditEvent(
            actor=actor if actor and actor.pk else None,
            actor_username=getattr(actor, "username", "") or "",
            centre_id=d.centre_id,
            action=action,
            object_type="benefit_decision",
            object_id=d.pk,
            person_id=d.applicant_id,
            changes=changes,
            ip=origin.ip,
            channel=origin.channel,
        )
        for d, changes in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    if with_members:
        AuditEventPerson.objects.bulk_create(
            [
                AuditEventPerson(event=event, person_id=p)
                for event, (d, _changes) in zip(events, rows, strict=True)
                for p in dict.fromkeys(d.member_ids or ())
                if p and p != d.applicant_id
            ],
            batch_size=5000,
        )


# --- approval in bulk ------------------------------------------------------------------------------------


def approve_recalculation(
    actor: User, run_id, item_ids: list[int] | None = None, *, on: dt.date | None = None
) -> dict[str, int]:
    """Approve the run's waiting proposals (or those of `item_ids`) in one transaction: four eyes (nobody
    approves their own: refused as a whole, nothing changed), consecutive numbers of the centre's year from
    its counter, the date, and each grant's new state. A proposal already approved or returned one by one,
    or whose grant changed meanwhile, is left out and counted. Returns {approved, left_out}."""
    on = on or timezone.localdate()
    with transaction.atomic():
        run = RecalculationRun.objects.select_for_update().filter(pk=_int(run_id), centre_id=actor.centre_id).first()
        if run is None:
            raise NotFound()
        if not can_approve_decisions(actor):
            raise Forbidden()
        if run.status != RecalculationStatus.DONE:
            raise Conflict(_("The recalculation has not finished: approve when it is done."), code="not_finished")
        items = run.items.filter(proposal__isnull=False).order_by("id")
        if item_ids is not None:
            wanted = {_int(i) for i in item_ids}
            found = set(items.filter(pk__in=[i for i in wanted if i is not None]).values_list("pk", flat=True))
            if None in wanted or wanted - found:
                raise ValidationFailed({"items": [_("Choose proposals of this recalculation.")]})
            items = items.filter(pk__in=found)
        proposal_ids = list(items.values_list("proposal_id", flat=True))
        proposals = list(
            Decision.objects.select_for_update()
            .filter(pk__in=proposal_ids, status=DecisionStatus.PROPOSED)
            .only(*_APPROVAL_COLUMNS)  # a run's proposals and grants whole (facts, traces) weigh gigabytes
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
        by_state: dict[str, list[Decision]] = {}
        for proposal in ready:
            by_state.setdefault(STATE_AFTER[proposal.kind], []).append(grants[proposal.changes_id])
        for state, changed in by_state.items():
            Decision.objects.filter(pk__in=[g.pk for g in changed]).update(state=state)
        _events(
            actor,
            ready,
            DecisionEventKind.APPROVED,
            lambda d: {"reference": d.reference, "recalculation": run.pk},
            at=now,
        )
        by_grant = {p.changes_id: p for p in ready}
        changed_grants = [grants[p.changes_id] for p in ready]
        _events(
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
        _audit_many(
            actor,
            AuditAction.UPDATE,
            [(p, {"status": [DecisionStatus.PROPOSED, p.status], "reference": [None, p.reference]}) for p in ready]
            + [(g, {"state": [g.state, STATE_AFTER[by_grant[g.pk].kind]]}) for g in changed_grants],
        )
        RecalculationRun.objects.filter(pk=run.pk).update(approved=F("approved") + len(ready))
        hooks.decisions_approved(ready)
        return {"approved": len(ready), "left_out": left_out}


_APPROVAL_COLUMNS = (
    "id", "centre_id", "case_id", "household_id", "applicant_id", "changes_id", "kind", "benefit", "amount",
    "currency", "eligible", "status", "state", "proposed_by_id", "period_from", "period_to", "one_off", "reference",
    "member_ids",
)  # fmt: skip


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


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
