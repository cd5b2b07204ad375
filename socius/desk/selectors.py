"""Read models across the domain apps: the worker's desk, the caseload with overdue items, and the
household's and a person's timelines.

Both read a fixed, small number of queries whatever the data size (each source is filtered and sliced in
SQL, then merged in Python). What each app adds to them it offers in its `timeline.py`
(`socius.common.timeline`), listed in `socius.desk.sources`.

Access on the household timeline (decision): contacts are centre records (anyone with VIEW_CASES lists
them), so they are shown; for a case whose content the actor may read, its visits, social work,
referrals, assessment and plan/contract events and its lifecycle events are shown, and the case view is
audited (one VIEW per case with content among the items returned); for a case the actor sees only as a
summary, the timeline shows just its lifecycle events (opened, status changed, reassigned) - what the
summary already tells, that the case exists and who holds it - with `restricted=True` and no details;
nothing else of that case.
Visit, social work and referral case events are not repeated: those items come from their own tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from socius.accounts.audit import record_view
from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.assessments.selectors import overdue_assessments_in_centre
from socius.casework.models import Contact
from socius.casework.permissions import can_view_case_content, can_view_cases
from socius.casework.selectors import CaseloadRow, audit_case_reads, caseload_by_worker, cases_in_scope, planned_visits
from socius.casework.selectors_referrals import referrals_awaiting_answer
from socius.common.timeline import DeskSection, HistoryScope, TimelineItem
from socius.desk.sources import GroupChoices, desk_sections, timeline_sources
from socius.plans.selectors import open_plan_actions, unmet_obligations
from socius.registry.models import Membership
from socius.registry.selectors import attach_household_heads, get_household_for, get_person_for, member_ids_by_household

RECENT_CONTACTS = 10

__all__ = [
    "Desk",
    "Overdue",
    "TimelineItem",
    "TimelineKind",
    "caseload_for",
    "household_timeline",
    "overdue_by_worker",
    "person_timeline",
    "worker_desk_items",
]

# --- the worker's desk ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskPart:
    """One section of the desk with its rows (whatever shape its app reads them in)."""

    section: DeskSection
    rows: Any

    @property
    def is_empty(self) -> bool:
        return not any(True for _case in self.section.cases(self.rows))


@dataclass(frozen=True)
class Desk:
    day: dt.date
    parts: tuple[DeskPart, ...]
    recent_contacts: list[Contact]

    def __getitem__(self, code: str) -> Any:
        """The rows of the section `code` (`desk["interviews"].overdue`)."""
        for part in self.parts:
            if part.section.code == code:
                return part.rows
        raise KeyError(code)

    @property
    def own_cards(self) -> list[DeskPart]:
        return [p for p in self.parts if p.section.own_card]

    @property
    def due(self) -> list[DeskPart]:
        """The sections shown together under "Due on your cases"."""
        return [p for p in self.parts if not p.section.own_card]

    def refs(self) -> dict[str, list[dict]]:
        """Each section's rows as API rows, by section code."""
        return {p.section.code: p.section.refs(p.rows, self.day) for p in self.parts}

    @property
    def is_empty(self) -> bool:
        return not self.recent_contacts and all(p.is_empty for p in self.parts)


def worker_desk_items(actor: User, on: dt.date | None = None) -> Desk:
    """What is due on the actor's own open cases, as of `on` (today when left out), section by section as
    the apps offer them (`socius.desk.sources`): overdue interviews and drafts due within 7 days, visits
    overdue and planned this week, plan actions due within 7 days or overdue, contract obligations and
    contract ends within 14 days (or overdue), referrals awaiting an answer; and the 10 latest contacts the
    actor handled. About a dozen queries, whatever the data size; every list is capped (the desk is a
    reminder, not a report)."""
    require(actor, can_view_cases)
    day = on or timezone.localdate()
    parts = tuple(DeskPart(section, section.read(actor, day)) for section in desk_sections())
    contacts = list(
        Contact.objects.filter(centre_id=actor.centre_id, handled_by_id=actor.pk)
        .select_related("household")
        .prefetch_related("persons")
        .order_by("-occurred_at", "-id")[:RECENT_CONTACTS]
    )
    # Every row names the family (one query for all the households on the desk).
    cases = [case for part in parts for case in part.section.cases(part.rows)]
    attach_household_heads([c.household for c in cases if c.household_id] + [c.household for c in contacts])
    return Desk(day=day, parts=parts, recent_contacts=contacts)


# --- the caseload with overdue items ---------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    """What is overdue on a worker's open cases, by kind (the same rules as the worker's desk)."""

    visits: int = 0
    interviews: int = 0
    plan_actions: int = 0
    obligations: int = 0
    referrals: int = 0

    @property
    def total(self) -> int:
        return self.visits + self.interviews + self.plan_actions + self.obligations + self.referrals


@dataclass(frozen=True)
class CaseloadLine:
    """A caseload row (open cases, visits this month) with the worker's overdue items."""

    row: CaseloadRow
    overdue: Overdue

    def __getattr__(self, name):
        return getattr(self.row, name)  # worker, opened, active, suspended, open_cases, visits_this_month


def _count_by_worker(queryset, path: str) -> dict[int, int]:
    key = f"{path}assigned_worker_id"
    return {row[key]: row["n"] for row in queryset.order_by().values(key).annotate(n=Count("id"))}


def overdue_by_worker(centre_id: int, worker_ids: list[int], on: dt.date) -> dict[int, Overdue]:
    """Overdue items on the open cases held by `worker_ids`, as of `on`: five aggregate queries whatever
    the data size. Visits still planned before `on`; interviews overdue or past renewal; open actions of
    live plans and unmet obligations of running contracts due before `on`; referrals awaiting an answer
    past their response date."""
    if not worker_ids:
        return {}
    visits = _count_by_worker(
        planned_visits(centre_id, assigned_worker_id__in=worker_ids).filter(planned_on__lt=on), "case__"
    )
    interviews = _count_by_worker(
        overdue_assessments_in_centre(centre_id, on).filter(case__assigned_worker_id__in=worker_ids), "case__"
    )
    actions = _count_by_worker(
        open_plan_actions(centre_id, assigned_worker_id__in=worker_ids).filter(due_on__lt=on), "goal__plan__case__"
    )
    obligations = _count_by_worker(
        unmet_obligations(centre_id, assigned_worker_id__in=worker_ids).filter(due_on__lt=on), "contract__case__"
    )
    referrals = _count_by_worker(
        referrals_awaiting_answer(centre_id, assigned_worker_id__in=worker_ids).filter(response_due_on__lt=on),
        "case__",
    )
    return {
        w: Overdue(
            visits=visits.get(w, 0),
            interviews=interviews.get(w, 0),
            plan_actions=actions.get(w, 0),
            obligations=obligations.get(w, 0),
            referrals=referrals.get(w, 0),
        )
        for w in worker_ids
    }


def caseload_for(actor: User, team=None, *, on: dt.date | None = None) -> list[CaseloadLine]:
    """`casework.selectors.caseload_by_worker` (same scope and refusals) with each worker's overdue items
    as of `on` (today when left out): nine queries whatever the number of workers and cases."""
    day = on or timezone.localdate()
    rows = caseload_by_worker(actor, team=team, on=day)
    overdue = overdue_by_worker(actor.centre_id, [r.worker.pk for r in rows], day)
    return [CaseloadLine(row=r, overdue=overdue.get(r.worker.pk, Overdue())) for r in rows]


# --- the household timeline -----------------------------------------------------------------------

# The kinds of row of the household and person timelines: `TimelineKind.CHOICES`, `.ALL`, `.VISIT`, …
TimelineKind = GroupChoices("in_household_timeline")


def household_timeline(
    actor: User, household_id, *, kinds: set[str] | frozenset[str] | None = None, limit: int = 100
) -> list[TimelineItem]:
    """The household's and its members' (ever) contacts and case history, newest first, at most `limit`
    items, of `kinds` (TimelineKind values; all when None). NotFound outside the actor's centre.
    About a dozen queries whatever the data size; see the module docstring for what each reader sees."""
    require(actor, can_view_cases)
    household = get_household_for(actor, household_id)
    member_ids = member_ids_by_household([household.pk]).get(household.pk, [])
    items = _timeline(
        actor,
        cases=Q(household_id=household.pk) | Q(person_id__in=member_ids),
        household_id=household.pk,
        person_ids=member_ids,
        kinds=kinds,
        limit=limit,
    )
    # The timeline is a read of the household and its members' contacts (each case shown is audited
    # as a case view in `_timeline`).
    record_view(
        actor, object_type="household", object_id=household.pk, centre_id=actor.centre_id, person_ids=member_ids
    )
    return items


def person_timeline(
    actor: User, person_id, *, kinds: set[str] | frozenset[str] | None = None, limit: int = 100
) -> list[TimelineItem]:
    """The contacts that name the person and the case history of the person's own cases and of the
    households they have belonged to, newest first; the same rules as `household_timeline`."""
    require(actor, can_view_cases)
    person = get_person_for(actor, person_id)
    household_ids = list(Membership.objects.filter(person_id=person.pk).values_list("household_id", flat=True))
    items = _timeline(
        actor,
        cases=Q(person_id=person.pk) | Q(household_id__in=household_ids),
        household_id=None,
        person_ids=[person.pk],
        kinds=kinds,
        limit=limit,
    )
    record_view(actor, object_type="person", object_id=person.pk, centre_id=actor.centre_id, person_id=person.pk)
    return items


def _timeline(actor: User, *, cases: Q, household_id, person_ids, kinds, limit) -> list[TimelineItem]:
    # Unknown kinds are ignored; nothing known asked for means everything.
    wanted = frozenset(TimelineKind.ALL & set(kinds or ())) or TimelineKind.ALL
    limit = max(1, min(int(limit), 500))
    cases = list(cases_in_scope(actor).filter(cases))
    readable = [c for c in cases if can_view_case_content(actor, c)]
    readable_ids = [c.pk for c in readable]
    scope = HistoryScope(
        actor=actor,
        wanted=wanted,
        readable_ids=readable_ids,
        summary_ids=[c.pk for c in cases if c.pk not in set(readable_ids)],
        refs={c.pk: c.reference for c in cases},
        limit=limit,
        household_id=household_id,
        person_ids=person_ids,
    )
    items: list[TimelineItem] = []
    for source in timeline_sources():
        if source.history is not None and wanted & {g.code for g in source.groups}:
            items.extend(source.history(scope))
    items.sort(key=lambda i: (i.at, i.sort_id), reverse=True)
    items = items[:limit]
    # Audit the cases whose content is shown (the events of a readable case are content too).
    shown = {i.case_id for i in items if i.case_id is not None and not i.restricted}
    audit_case_reads(actor, [case for case in readable if case.pk in shown])
    return items
