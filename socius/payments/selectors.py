"""Reads of payment runs and payments, scoped to the actor: finance, the director, approvers and auditors read
their centre's; social workers read the payments of persons in the cases they read. Selectors do not audit:
the edge that shows persons' data calls `audit_payments_shown` (or records its own view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from socius.accounts.audit import record_list_view
from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES
from socius.benefits.models import Decision
from socius.benefits.selectors import decisions_readable_by, month_end, month_start, today
from socius.benefits.statuses import DecisionKind, DecisionStatus
from socius.casework.selectors import readable_case_ids
from socius.common.errors import Forbidden, NotFound
from socius.payments import funds
from socius.payments.models import Payment, PaymentRun
from socius.payments.permissions import reads_every_payment
from socius.payments.statuses import PaymentStatus, RunKind, RunStatus
from socius.registry.models import Person


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _month(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return month_start(value)
    try:
        text = str(value)
        return month_start(dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01"))
    except ValueError:
        return None


def reads_some_payments(actor: User) -> bool:
    """Who may ask for payments at all: those who read every payment, and social workers (their clients')."""
    return bool(actor and actor.is_authenticated and actor.is_active and actor.centre_id) and (
        reads_every_payment(actor) or actor.can(VIEW_CASES)
    )


# --- runs ----------------------------------------------------------------------------------------------------


def list_runs_for(actor: User, *, status: str | None = None, month=None) -> QuerySet[PaymentRun]:
    """The centre's runs, newest month first (finance, director, approvers, auditors); Forbidden otherwise."""
    if not (actor and actor.is_authenticated and actor.centre_id and reads_every_payment(actor)):
        raise Forbidden()
    runs = PaymentRun.objects.filter(centre_id=actor.centre_id).select_related(
        "prepared_by", "checked_by", "approved_by"
    )
    if status:
        runs = runs.filter(status=status)
    month = _month(month)
    if month:
        runs = runs.filter(month=month)
    return runs.order_by("-month", "-number")


def get_run_for(actor: User, run_id) -> PaymentRun:
    """One run of the actor's centre (NotFound outside it)."""
    pk = _int(run_id)
    run = list_runs_for(actor).filter(pk=pk).first() if pk else None
    if run is None:
        raise NotFound()
    return run


# --- payments ------------------------------------------------------------------------------------------------


def payments_readable_by(actor: User) -> QuerySet[Payment]:
    """Every payment the actor may read: the centre's, or, for a social worker, those of decisions on cases
    whose content they read."""
    if not reads_some_payments(actor):
        raise Forbidden()
    payments = Payment.objects.filter(centre_id=actor.centre_id)
    if not reads_every_payment(actor):
        payments = payments.filter(decision__case_id__in=readable_case_ids(actor))
    return payments


def list_payments_for(actor: User, *, run=None, person=None, status=None, month=None) -> QuerySet[Payment]:
    """The payments the actor reads, filtered by run, person, status and month; newest first."""
    payments = payments_readable_by(actor).select_related("run", "fund", "territory")
    if run not in (None, ""):
        payments = payments.filter(run_id=_int(run) or 0)
    if person not in (None, ""):
        payments = payments.filter(person_id=_int(person) or 0)
    if status:
        payments = payments.filter(status=status)
    if month not in (None, ""):
        payments = payments.filter(month=_month(month) or dt.date.min)
    return payments.order_by("-month", "-run__number", "-id")


def payments_of_person(actor: User, person_id) -> QuerySet[Payment]:
    """A person's payment history (their household's benefits tab): NotFound for a person outside the
    centre; the payments the actor may read, newest month first."""
    pk = _int(person_id)
    if pk is None or not Person.objects.filter(pk=pk, centre_id=actor.centre_id).exists():
        raise NotFound()
    return list_payments_for(actor, person=pk)


def audit_payments_shown(actor: User, payments, *, object_type: str = "payment") -> None:
    """One VIEW event naming every person whose payments a response showed."""
    record_list_view(actor, object_type=object_type, person_ids=[p.person_id for p in payments if p.person_id])


@dataclass(frozen=True)
class PaymentListRow:
    """One line of a run's payment lists: a fund and a territory, the persons and households paid, the total."""

    fund_id: int | None
    fund_name: str
    territory_id: int | None
    territory_name: str
    currency: str
    payments: int
    persons: int
    households: int
    total: Decimal


def payment_lists(run: PaymentRun) -> list[PaymentListRow]:
    """The run's payments per fund and territory (community, eldership, village): what the monthly activity
    report counts. Cancelled payments are left out; one query."""
    rows = (
        Payment.objects.filter(run_id=run.pk)
        .exclude(status=PaymentStatus.CANCELLED)
        .values("fund_id", "fund__name", "territory_id", "territory__name", "currency")
        .annotate(
            n=Count("id"),
            persons=Count("person_id", distinct=True),
            households=Count("household_id", distinct=True),
            total=Sum("amount"),
        )
        .order_by("fund__name", "territory__name", "fund_id", "territory_id", "currency")
    )
    return [
        PaymentListRow(
            fund_id=r["fund_id"],
            fund_name=r["fund__name"] or "",
            territory_id=r["territory_id"],
            territory_name=r["territory__name"] or "",
            currency=r["currency"],
            payments=r["n"],
            persons=r["persons"],
            households=r["households"],
            total=r["total"] or Decimal("0"),
        )
        for r in rows
    ]


def returns_to_handle(actor: User) -> QuerySet[Payment]:
    """Returned payments of the centre not yet reissued or cancelled, oldest return first (finance's list)."""
    if not (actor and actor.is_authenticated and actor.centre_id and reads_every_payment(actor)):
        raise Forbidden()
    live_reissues = Payment.objects.filter(reissue_of_id=OuterRef("pk")).exclude(status=PaymentStatus.CANCELLED)
    return (
        Payment.objects.filter(centre_id=actor.centre_id, status=PaymentStatus.RETURNED)
        .exclude(Exists(live_reissues))
        .select_related("run", "fund", "person")
        .order_by("returned_on", "id")
    )


# --- finance's home page -------------------------------------------------------------------------------------


@dataclass
class FinanceMonth:
    """What finance works on this month: the month's runs and their states, returns to handle, fund balances,
    and the decisions starting or ending this month."""

    month: dt.date
    runs: list[PaymentRun]
    regular_run: PaymentRun | None
    returns_count: int
    funds: list = field(default_factory=list)  # funds.FundStatement of each active fund for the year
    decisions_starting: list[Decision] = field(default_factory=list)
    decisions_ending: list[Decision] = field(default_factory=list)

    @property
    def next_step(self) -> str:
        """What to do next about the regular run: prepare, check, approve, export, or nothing."""
        run = self.regular_run
        if run is None:
            return "prepare"
        return {
            RunStatus.DRAFT: "check",
            RunStatus.CHECKED: "approve",
            RunStatus.APPROVED: "export",
        }.get(run.status, "")


def this_month_for_finance(actor: User, on: dt.date | None = None) -> FinanceMonth:
    """Finance's home page for the month of `on` (today by default)."""
    if not (actor and actor.is_authenticated and actor.centre_id and reads_every_payment(actor)):
        raise Forbidden()
    month = month_start(on or today())
    runs = list(list_runs_for(actor, month=month))
    regular = next((r for r in runs if r.kind == RunKind.REGULAR and r.status != RunStatus.CANCELLED), None)
    statements = [funds.fund_statement(fund, month.year) for fund in funds.list_funds_for(actor).filter(is_active=True)]
    decisions = decisions_readable_by(actor).filter(
        status=DecisionStatus.APPROVED, kind__in=(DecisionKind.GRANT, DecisionKind.AMENDMENT)
    )
    starting = list(decisions.filter(period_from__gte=month, period_from__lte=month_end(month)).order_by("id")[:200])
    ending = list(
        decisions.filter(period_to__gte=month, period_to__lte=month_end(month), one_off=False).order_by("id")[:200]
    )
    return FinanceMonth(
        month=month,
        runs=runs,
        regular_run=regular,
        returns_count=returns_to_handle(actor).count(),
        funds=statements,
        decisions_starting=starting,
        decisions_ending=ending,
    )
