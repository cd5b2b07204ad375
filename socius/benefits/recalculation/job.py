"""The recalculation job: the centre's active grants in chunks (in worker processes on PostgreSQL when there are
many), each chunk's facts in a few queries, the law in force that month, a proposal for every grant whose
amount changes, written with COPY (proposals, items, events, audit rows)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from socius.accounts.models import AuditAction
from socius.benefits import services
from socius.benefits.batch import facts_for_applications
from socius.benefits.models import Application, Decision, DecisionEventKind
from socius.benefits.models_recalculation import (
    RecalculationItem,
    RecalculationReason,
    RecalculationRun,
    RecalculationStatus,
)
from socius.benefits.recalculation.justification import Justifier
from socius.benefits.recalculation.writing import compress_fast, insert_rows, write_audit, write_events
from socius.benefits.statuses import GRANTING_KINDS, DecisionKind, DecisionStatus, GrantState
from socius.casework.models import Case
from socius.casework.statuses import CaseStatus
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import get_jurisdiction
from socius.rulebook.engine.parameters import ParameterError

log = logging.getLogger(__name__)

CHUNK = 2000

# Seconds spent per phase of the chunks in this process (the bench prints them; workers send theirs back).
PHASES: Counter[str] = Counter()

# What the job reads of a grant: what a proposal copies, what chosen_amount and reasons_for compare (not the
# trace or the justification, the heaviest columns).
GRANT_COLUMNS = (
    "id", "centre_id", "case_id", "household_id", "applicant_id", "application_id", "benefit", "one_off",
    "period_to", "amount", "minimum", "maximum", "currency", "payment_method", "iban", "formula_version",
    "parameters", "facts",
)  # fmt: skip

PROPOSAL_COLUMNS = (
    "centre_id", "case_id", "household_id", "applicant_id", "application_id", "changes_id", "kind", "benefit",
    "one_off", "period_from", "period_to", "amount", "currency", "minimum", "maximum", "payment_method", "iban",
    "facts", "member_ids", "rules_version", "formula_version", "parameters", "eligible", "reasons", "trace",
    "justification", "proposed_by_id", "proposed_at",
)  # fmt: skip


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


def default_workers() -> int:
    """settings.RECALCULATION_WORKERS, else one process per core up to two."""
    configured = getattr(settings, "RECALCULATION_WORKERS", None)
    return max(1, int(configured) if configured else min(os.cpu_count() or 1, 2))


def _can_fork() -> bool:
    """Worker processes need their own connections to see the committed grants: PostgreSQL, outside any
    transaction (tests run inside one), and a process allowed children (not a daemonic pool worker)."""
    import multiprocessing

    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and not multiprocessing.current_process().daemon
    )


def run_recalculation(run_id: int, *, chunk: int = CHUNK, workers: int | None = None) -> RecalculationRun:
    """Recalculate the run's grants chunk by chunk (each chunk one transaction; the run's counters move as it
    goes, for the progress bar), in `workers` processes when there are two chunks or more. A run that is not
    queued is left as it is."""
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
        on = timezone.localdate()  # the day the proposals are made: the interview rule's day, as for one
        parts = [ids[start : start + chunk] for start in range(0, len(ids), chunk)]
        workers = min(default_workers() if workers is None else workers, len(parts))
        if workers > 1 and _can_fork():
            _run_in_processes(run.pk, parts, language, on, workers)
        else:
            justifier = Justifier(language)
            for part in parts:
                recalculate_part(run, part, justifier, on)
        RecalculationRun.objects.filter(pk=run.pk).update(status=RecalculationStatus.DONE, finished_at=timezone.now())
    except Exception as exc:  # the job's failure is stored for the page; the chunks done stay listed
        log.exception("recalculation %s failed", run_id)
        RecalculationRun.objects.filter(pk=run.pk).update(
            status=RecalculationStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


# --- worker processes ------------------------------------------------------------------------------------

_worker_state: dict = {}


def _run_in_processes(run_id: int, parts: list[list[int]], language: str, on: dt.date, workers: int) -> None:
    """Fork `workers` processes (the packs and translations already loaded here), each taking chunks in turn
    over its own connection; the first failure stops the job."""
    import multiprocessing

    connections.close_all()  # each child opens its own; a shared socket would mix their replies
    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers, initializer=_start_worker, initargs=(run_id, language, on))
    try:
        for phases in pool.imap_unordered(_worker_part, parts):
            PHASES.update(phases)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _start_worker(run_id: int, language: str, on: dt.date) -> None:
    connections.close_all()
    _worker_state["run_id"] = run_id
    _worker_state["on"] = on
    _worker_state["justifier"] = Justifier(language)


def _worker_part(ids: list[int]) -> Counter[str]:
    run = _worker_state.get("run")
    if run is None:
        run = _worker_state["run"] = RecalculationRun.objects.select_related("centre", "started_by").get(
            pk=_worker_state["run_id"]
        )
    PHASES.clear()
    recalculate_part(run, ids, _worker_state["justifier"], _worker_state["on"])
    return Counter(PHASES)


# --- one chunk -------------------------------------------------------------------------------------------


def recalculate_part(run: RecalculationRun, ids: list[int], justifier: Justifier, on: dt.date) -> dict[str, int]:
    """One chunk in one transaction, with the run's counters; `on` the day the proposals are made."""
    with transaction.atomic():
        compress_fast()
        counts = _recalculate_chunk(run, ids, justifier, on)
        RecalculationRun.objects.filter(pk=run.pk).update(
            done=F("done") + len(ids),
            proposed=F("proposed") + counts["proposed"],
            unchanged=F("unchanged") + counts["unchanged"],
            skipped=F("skipped") + counts["skipped"],
        )
    return counts


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


def reasons_for(grant: Decision, outcome: engine.Outcome, facts: dict, parameters: dict | None = None) -> list[str]:
    """Why the amount moved: the law (a parameter's value or date, or the formula version, differs), the
    income (declared incomes or the reference month differ), the household (members or their facts).
    `parameters`: the outcome's parameters_used when the caller has them already."""
    reasons = []
    old_parameters = grant.parameters or {}
    new_parameters = outcome.parameters_used if parameters is None else parameters
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
    if old_members == new_members:  # the common case after a change in law: nothing of the members moved
        old_members = new_members = []

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


def _ids_in(ids: list[int]):
    """The right side of `pk__in` for a chunk's ids: on PostgreSQL one array parameter (Django would write and
    psycopg quote one placeholder per id, a tenth of the job's CPU), elsewhere the list."""
    if connection.vendor != "postgresql":
        return list(ids)
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _recalculate_chunk(run: RecalculationRun, ids: list[int], justifier: Justifier, on: dt.date) -> dict[str, int]:
    started = time.perf_counter()
    # The grants as plain rows (what chosen_amount and reasons_for read), locked for the chunk's transaction.
    grants = [
        SimpleNamespace(**dict(zip(GRANT_COLUMNS, row, strict=True)))
        for row in Decision.objects.select_for_update(of=("self",))
        .filter(pk__in=_ids_in(ids))
        .order_by("pk")
        .values_list(*GRANT_COLUMNS)
    ]
    for grant in grants:
        grant.pk = grant.id
    pending = set(
        Decision.objects.filter(changes_id__in=_ids_in(ids), status=DecisionStatus.PROPOSED).values_list(
            "changes_id", flat=True
        )
    )
    case_ids = sorted({g.case_id for g in grants})
    closed = set(Case.objects.filter(pk__in=_ids_in(case_ids), status=CaseStatus.CLOSED).values_list("pk", flat=True))
    # The interview the law asks for before a decision (PL), as propose_amendment checks it for one grant.
    interviews = services.interview_gaps(case_ids, run.centre.jurisdiction, on)
    applications = list(Application.objects.filter(pk__in=_ids_in(sorted({g.application_id for g in grants}))))
    read = time.perf_counter()
    facts_of = facts_for_applications(applications, run.month)
    counts = {"proposed": 0, "unchanged": 0, "skipped": 0}
    built = time.perf_counter()
    now = timezone.now()
    rows: list[tuple] = []  # the proposals, in PROPOSAL_COLUMNS
    proposed: list[SimpleNamespace] = []  # what the events and audit rows need of them
    items: list[list] = []  # [decision, proposal index or None, old amount, new amount, currency, reasons, skipped]
    for grant in grants:
        skipped = ""
        if grant.pk in pending:
            skipped = "change_pending"
        elif grant.case_id in closed:
            skipped = "case_closed"
        elif grant.case_id in interviews:
            skipped = interviews[grant.case_id]
        else:
            facts, member_ids = facts_of[grant.application_id]
            try:
                outcome = engine.evaluate(grant.benefit, facts)
            except (engine.BenefitError, ParameterError, PackDataError):
                skipped = "rules_unavailable"
        if skipped:
            counts["skipped"] += 1
            items.append([grant.pk, None, grant.amount, None, grant.currency, [], skipped])
            continue
        amount = chosen_amount(grant, outcome)
        if outcome.eligible and amount == grant.amount:
            counts["unchanged"] += 1
            continue
        law = services._law_of(outcome, facts, member_ids)  # what propose_amendment stores
        reasons = reasons_for(grant, outcome, law["facts"], law["parameters"])
        kind = DecisionKind.AMENDMENT if outcome.eligible else DecisionKind.REVOCATION
        justification = justifier.heading(run.month, tuple(reasons)) + "\n" + justifier(outcome)
        rows.append(
            (
                grant.centre_id, grant.case_id, grant.household_id, grant.applicant_id, grant.application_id,
                grant.pk, kind, grant.benefit, grant.one_off, run.month, grant.period_to, amount, law["currency"],
                law["minimum"], law["maximum"], grant.payment_method if outcome.eligible else "",
                grant.iban if outcome.eligible else "", law["facts"], law["member_ids"], law["rules_version"],
                law["formula_version"], law["parameters"], law["eligible"], law["reasons"], law["trace"],
                justification, run.started_by_id, now,
            )
        )  # fmt: skip
        proposed.append(
            SimpleNamespace(
                pk=None, centre_id=grant.centre_id, case_id=grant.case_id, household_id=grant.household_id,
                applicant_id=grant.applicant_id, changes_id=grant.pk, kind=kind, benefit=grant.benefit,
                amount=amount, currency=law["currency"], status=DecisionStatus.PROPOSED, member_ids=member_ids,
            )
        )  # fmt: skip
        items.append([grant.pk, len(proposed) - 1, grant.amount, amount, grant.currency, reasons, ""])
        counts["proposed"] += 1
    evaluated = time.perf_counter()
    new_ids = insert_rows(Decision, PROPOSAL_COLUMNS, rows, ids=True)
    for proposal, pk in zip(proposed, new_ids, strict=True):
        proposal.pk = pk
    insert_rows(
        RecalculationItem,
        ("run_id", "decision_id", "proposal_id", "old_amount", "new_amount", "currency", "reasons", "skipped"),
        (
            (run.pk, decision, None if index is None else new_ids[index], old, new, currency, reasons, skipped)
            for decision, index, old, new, currency, reasons, skipped in items
        ),
    )
    write_events(run.started_by, proposed, DecisionEventKind.PROPOSED, lambda d: {"recalculation": run.pk}, at=now)
    write_audit(
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
            for d in proposed
        ],
        with_members=True,
    )
    PHASES["read grants"] += read - started
    PHASES["facts"] += built - read
    PHASES["evaluate and write the proposals' text"] += evaluated - built
    PHASES["write (COPY)"] += time.perf_counter() - evaluated
    return counts
