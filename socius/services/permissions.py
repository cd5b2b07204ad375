"""Who may do what in social services (decision 0016).

A service decision hangs on a client (and usually a case): whoever reads the case's content reads it, and so do
finance, auditors, team leaders and the director (VIEW_SERVICES). Social workers draft decisions and put clients
on waiting lists; a decision is issued by someone who approves decisions and did not draft it. Team leaders and
the director keep the offer and plan rosters. A carer sees only their own visits and the clients on them (name,
address, what to deliver), and records what happened; nothing else of the case.
"""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import (
    APPROVE_DECISIONS,
    ISSUE_STATEMENTS,
    MANAGE_SERVICES,
    ORDER_SERVICES,
    RECORD_DELIVERIES,
    VIEW_SERVICES,
    Role,
)
from socius.casework.permissions import can_view_case_content


def _same_centre(actor: User, record) -> bool:
    return bool(actor.centre_id) and actor.centre_id == record.centre_id


def can_view_catalogue(actor: User) -> bool:
    """The catalogue and the centre's offer (prices, capacity): every member of a centre's staff."""
    return bool(actor.centre_id) and actor.is_active


def can_manage_services(actor: User) -> bool:
    """Prices, capacity, providers, carers and drivers, rosters."""
    return bool(actor.centre_id) and actor.can(MANAGE_SERVICES)


def can_view_all_services(actor: User) -> bool:
    return bool(actor.centre_id) and actor.can(VIEW_SERVICES)


def can_order_services(actor: User, case=None) -> bool:
    """Draft a decision or a waiting-list entry: for a case, only one whose content the actor reads."""
    if not (actor.centre_id and actor.can(ORDER_SERVICES)):
        return False
    return case is None or (case.centre_id == actor.centre_id and can_view_case_content(actor, case))


def can_view_decision(actor: User, decision) -> bool:
    if not _same_centre(actor, decision):
        return False
    if actor.role == Role.CARER:
        return False  # a carer reads their visits (selectors), not the decision
    if can_view_all_services(actor) or decision.drafted_by_id == actor.pk:
        return True
    return decision.case is not None and can_view_case_content(actor, decision.case)


def can_draft_on(actor: User, decision) -> bool:
    """Change a draft, cancel it: its drafter or anyone who may order services on its case."""
    return _same_centre(actor, decision) and can_order_services(actor, decision.case)


def can_issue_decision(actor: User, decision) -> bool:
    """Issue, suspend, resume, end: those who approve decisions (the four-eyes check is the service's)."""
    return _same_centre(actor, decision) and actor.can(APPROVE_DECISIONS)


def can_view_waiting_list(actor: User) -> bool:
    return bool(actor.centre_id) and (actor.can(ORDER_SERVICES) or actor.can(VIEW_SERVICES))


def can_record_delivery(actor: User, decision, worker=None) -> bool:
    """A carer for the visits on their own roster lines; caseworkers and managers for any decision they read."""
    if not (_same_centre(actor, decision) and actor.can(RECORD_DELIVERIES)):
        return False
    if actor.role == Role.CARER:
        return worker is not None and worker.user_id == actor.pk
    return can_view_decision(actor, decision)


def can_issue_statements(actor: User) -> bool:
    return bool(actor.centre_id) and actor.can(ISSUE_STATEMENTS)


def can_view_statements(actor: User) -> bool:
    return can_view_all_services(actor) or can_issue_statements(actor)
