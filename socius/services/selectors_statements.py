"""Reads of monthly service statements, scoped to the actor's centre: those who see every service (VIEW_SERVICES)
or issue statements. The callers audit what they show (`audit_statement_view`, `audit_statement_list`): a
statement names its client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.common.errors import NotFound
from socius.services.models import MonthlyStatement
from socius.services.permissions import can_view_statements
from socius.services.statements import STATEMENT, STATEMENTS_OF_MONTH, next_month
from socius.services.statuses import StatementStatus


def list_statements_for(
    actor: User, *, month: dt.date | None = None, status: str | None = None, person=None, search: str = ""
) -> QuerySet[MonthlyStatement]:
    """The centre's statements (newest month first, then by client's name), narrowed by month, status,
    client, or a search on the client's name or the statement's number; nothing for who may not see them."""
    if not (actor.centre_id and can_view_statements(actor)):
        return MonthlyStatement.objects.none()
    statements = MonthlyStatement.objects.filter(centre_id=actor.centre_id).select_related("person", "replaces")
    if month is not None:
        statements = statements.filter(month__gte=month.replace(day=1), month__lt=next_month(month.replace(day=1)))
    if status:
        statements = statements.filter(status=status)
    if person is not None:
        statements = statements.filter(person_id=getattr(person, "pk", person))
    search = (search or "").strip()
    if search:
        who = Q(number__icontains=search) | Q(payment_reference__icontains=search)
        for word in search.split()[:4]:
            who |= Q(person__last_name__icontains=word) | Q(person__first_name__icontains=word)
        statements = statements.filter(who)
    return statements.order_by("-month", "person__last_name", "person__first_name", "id")


def get_statement_for(actor: User, statement_id) -> MonthlyStatement:
    try:
        pk = int(statement_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not (actor.centre_id and can_view_statements(actor)):
        raise NotFound()
    found = MonthlyStatement.objects.filter(pk=pk, centre_id=actor.centre_id).select_related(
        "person", "centre", "issued_by", "replaces"
    )
    statement = found.first()
    if statement is None:
        raise NotFound()
    return statement


@dataclass(frozen=True)
class MonthTotals:
    statements: int
    drafts: int
    issued: int
    cancelled: int
    total_cost: Decimal
    total_due: Decimal


def month_totals(actor: User, month: dt.date) -> MonthTotals:
    """The month's counts by status and the sums of cost and due of the statements not cancelled (one query)."""
    live = ~Q(status=StatementStatus.CANCELLED)
    sums = (
        list_statements_for(actor, month=month)
        .order_by()
        .aggregate(
            statements=Count("id", filter=live),
            drafts=Count("id", filter=Q(status=StatementStatus.DRAFT)),
            issued=Count("id", filter=Q(status=StatementStatus.ISSUED)),
            cancelled=Count("id", filter=Q(status=StatementStatus.CANCELLED)),
            total_cost=Sum("total_cost", filter=live),
            total_due=Sum("total_due", filter=live),
        )
    )
    return MonthTotals(
        sums["statements"], sums["drafts"], sums["issued"], sums["cancelled"],
        sums["total_cost"] or Decimal("0"), sums["total_due"] or Decimal("0"),
    )  # fmt: skip


def audit_statement_view(actor: User, statement: MonthlyStatement, *, export: bool = False) -> None:
    record_view(
        actor,
        object_type=STATEMENT,
        object_id=statement.pk,
        centre_id=statement.centre_id,
        person_id=statement.person_id,
        changes={"format": [None, "pdf"]} if export else None,
    )


def audit_statement_list(actor: User, statements, query: str = "") -> None:
    record_list_view(actor, object_type=STATEMENTS_OF_MONTH, person_ids=[s.person_id for s in statements], query=query)
