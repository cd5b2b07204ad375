"""The centre's figures for those who run it (the director: the whole centre; a team leader: their teams).
Counts only, in a fixed number of aggregate queries whatever the data size.

Figures are summaries: how many cases, visits, contacts, never what is in them, so reading them is not a
view of anyone's record. (The flags finance acts on: `socius.plans.selectors.flags_for_benefits`.)
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.accounts.roles import Role
from socius.assessments.selectors import overdue_assessments_in_centre
from socius.casework.models import Case, Contact, HomeVisit, VisitStatus
from socius.casework.permissions import can_assign_cases, team_ids_of
from socius.casework.selectors import planned_visits
from socius.casework.selectors_referrals import referrals_awaiting_answer
from socius.casework.statuses import OPEN_STATUSES, CaseStatus
from socius.desk.selectors import Overdue
from socius.plans.models import CaseFlag
from socius.plans.selectors import open_plan_actions, unmet_obligations


@dataclass(frozen=True)
class CentreFigures:
    day: dt.date
    month_start: dt.date
    month_end: dt.date
    team_ids: tuple[int, ...] | None  # None: the whole centre
    open_by_status: dict[str, int]
    opened_this_month: int
    closed_this_month: int
    overdue: Overdue
    flagged_cases: int
    contacts_this_month: int
    visits_done_this_month: int
    visits_planned_this_month: int  # still planned, due from the 1st to the last day of the month

    @property
    def open_cases(self) -> int:
        return sum(self.open_by_status.values())

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status code, label, count) for each open status, in the order of the workflow."""
        order = (CaseStatus.OPENED, CaseStatus.ACTIVE, CaseStatus.SUSPENDED)
        return [(s.value, str(s.label), self.open_by_status.get(s, 0)) for s in order]


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def centre_figures(actor: User, *, on: dt.date | None = None) -> CentreFigures:
    """The director's figures for the whole centre, a team leader's for the cases of the teams they belong
    to (contacts: those handled by the members of those teams), as of `on` (today when left out).
    Eleven aggregate queries. Forbidden for those who do not assign cases."""
    require(actor, can_assign_cases)
    day = on or timezone.localdate()
    start, end = month_bounds(day)
    centre_id = actor.centre_id
    team_ids = None if actor.role == Role.DIRECTOR else tuple(sorted(team_ids_of(actor)))
    scope = {} if team_ids is None else {"team_id__in": team_ids}
    cases = Case.objects.filter(centre_id=centre_id, **scope)

    by_status = {
        row["status"]: row["n"]
        for row in cases.filter(status__in=OPEN_STATUSES).values("status").annotate(n=Count("id")).order_by()
    }
    month = cases.aggregate(
        opened=Count("id", filter=Q(opened_on__gte=start, opened_on__lte=day)),
        closed=Count("id", filter=Q(closed_on__gte=start, closed_on__lte=day)),
    )
    in_scope = {f"case__{k}": v for k, v in scope.items()}
    overdue = Overdue(
        visits=planned_visits(centre_id, **scope).filter(planned_on__lt=day).count(),
        interviews=overdue_assessments_in_centre(centre_id, day).filter(**in_scope).count(),
        plan_actions=open_plan_actions(centre_id, **scope).filter(due_on__lt=day).count(),
        obligations=unmet_obligations(centre_id, **scope).filter(due_on__lt=day).count(),
        referrals=referrals_awaiting_answer(centre_id, **scope).filter(response_due_on__lt=day).count(),
    )
    flagged = (
        CaseFlag.objects.filter(case__centre_id=centre_id, cleared_on__isnull=True, **in_scope)
        .values("case_id")
        .distinct()
        .count()
    )
    first_moment = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    contacts = Contact.objects.filter(
        centre_id=centre_id, occurred_at__gte=first_moment, occurred_at__lte=timezone.now()
    )
    if team_ids is not None:
        contacts = contacts.filter(handled_by__teams__id__in=team_ids).distinct()
    visits = HomeVisit.objects.filter(case__centre_id=centre_id, **in_scope).aggregate(
        done=Count("id", filter=Q(status=VisitStatus.DONE, done_on__gte=start, done_on__lte=day)),
        planned=Count("id", filter=Q(status=VisitStatus.PLANNED, planned_on__gte=start, planned_on__lte=end)),
    )
    return CentreFigures(
        day=day,
        month_start=start,
        month_end=end,
        team_ids=team_ids,
        open_by_status=by_status,
        opened_this_month=month["opened"],
        closed_this_month=month["closed"],
        overdue=overdue,
        flagged_cases=flagged,
        contacts_this_month=contacts.count(),
        visits_done_this_month=visits["done"],
        visits_planned_this_month=visits["planned"],
    )
