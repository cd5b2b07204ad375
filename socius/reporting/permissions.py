"""Who may do what with reports (decision 0017).

The figures are counts and sums, never what is in a record, so reading a report is not a view of anyone's
record; the drill-down lists are, and each is narrowed to what the reader may see and audited under the persons
it names. Reports are the centre's: another centre's report is not found.
"""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import APPROVE_REPORTS, VIEW_DASHBOARD, VIEW_REPORTS, WRITE_REPORT_NARRATIVE


def _same_centre(actor: User, record) -> bool:
    return bool(actor.centre_id) and actor.centre_id == record.centre_id


def can_view_reports(actor: User) -> bool:
    """The monthly activity report, the statutory statistics, their drill-down and exports."""
    return bool(actor.centre_id) and actor.can(VIEW_REPORTS)


def can_view_report(actor: User, report) -> bool:
    return can_view_reports(actor) and _same_centre(actor, report)


def can_write_narrative(actor: User, report) -> bool:
    """Write and sign off the narrative block of a report (the head of service; the director)."""
    return can_view_report(actor, report) and actor.can(WRITE_REPORT_NARRATIVE)


def can_approve_report(actor: User, report) -> bool:
    """Approve (freeze) a report version, issue a new version: the director."""
    return can_view_report(actor, report) and actor.can(APPROVE_REPORTS)


def can_view_dashboard(actor: User) -> bool:
    """The director's and team leaders' dashboard (their home page)."""
    return bool(actor.centre_id) and actor.can(VIEW_DASHBOARD)
