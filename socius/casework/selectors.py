"""Reads for casework, scoped to the actor's centre: a case's summary for the centre, its content for few."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from socius.accounts.audit import record_view, record_views
from socius.accounts.models import Team, User
from socius.accounts.permissions import require
from socius.accounts.roles import Role
from socius.casework import statutory
from socius.casework.models import Case, CaseShare, Contact, HomeVisit, SocialWorkActivity, VisitStatus
from socius.casework.permissions import (
    can_assign_cases,
    can_hold_cases,
    can_view_case_content,
    can_view_cases,
    can_view_contact_content,
    team_ids_of,
)
from socius.casework.statuses import OPEN_STATUSES, CaseStatus
from socius.common.errors import Forbidden, NotFound
from socius.registry.models import Household, Membership, Person
from socius.registry.selectors import attach_household_heads, member_ids_by_household

# --- cases: summary and content -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    """What anyone of the centre may know of a case: that it exists, whose it is and who holds it.

    Circumstances, notes and the timeline are content, deliberately absent here.
    """

    id: int
    reference: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    household: Household | None
    person: Person | None
    assigned_worker: User
    team: Team
    can_view_content: bool

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    @property
    def client_name(self) -> str:
        return self.person.full_name if self.person is not None else self.household.display_name


def _summary(actor: User, case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.pk,
        reference=case.reference,
        status=case.status,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        household=case.household,
        person=case.person,
        assigned_worker=case.assigned_worker,
        team=case.team,
        can_view_content=can_view_case_content(actor, case),
    )


class CaseSummaries:
    """A lazy, sliceable list of summaries over a queryset (Django's Paginator pages it in SQL)."""

    def __init__(self, actor: User, queryset: QuerySet[Case]):
        self._actor = actor
        self._queryset = queryset
        self.ordered = True

    def count(self) -> int:
        return self._queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            cases = list(self._queryset[key])
            attach_case_clients(cases)
            return [_summary(self._actor, c) for c in cases]
        return _summary(self._actor, self._queryset[key])

    def __iter__(self) -> Iterator[CaseSummary]:
        cases = list(self._queryset)
        attach_case_clients(cases)
        return (_summary(self._actor, c) for c in cases)


def attach_case_clients(cases: Iterable) -> None:
    """Name the households of `cases` (Case objects, with `household` loaded or not) in one query, so
    that `client_name` reads "Anna Kowalska (household)" rather than a number. The name is the
    registry's (who the family is), not the case's content: every reader of the summary may see it."""
    attach_household_heads([c.household for c in cases if c.household_id])


def _id(value) -> int | None:
    if value is None:
        return None
    return value.pk if hasattr(value, "pk") else int(value)


def cases_in_scope(actor: User) -> QuerySet[Case]:
    """The actor's centre's cases, with what summaries need in the same query (for services and lists)."""
    require(actor, can_view_cases)
    return (
        Case.objects.filter(centre_id=actor.centre_id)
        .select_related("household", "person", "assigned_worker", "team")
        .annotate(shared_with_actor=Exists(CaseShare.objects.filter(case_id=OuterRef("pk"), user_id=actor.pk)))
    )


def _get_case(actor: User, case_id) -> Case:
    try:
        return cases_in_scope(actor).get(pk=int(case_id))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def get_case_for(actor: User, case_id) -> CaseSummary:
    """The case's summary; NotFound outside the actor's centre (indistinguishable from a missing case)."""
    return _summary(actor, _get_case(actor, case_id))


def get_case_content_for(actor: User, case_id, *, audited_by_page: bool = False) -> Case:
    """The whole case for those who may read its content; Forbidden for the rest of the centre.

    Every opening is audited (a VIEW event), as the law on sensitive data asks. `audited_by_page`: this
    read is a part of a page view whose own read of the case was audited a moment ago, naming the same
    persons (a section of the case page loaded by the page itself); it is not audited again.
    """
    case = _get_case(actor, case_id)
    if not can_view_case_content(actor, case):
        raise Forbidden()
    if not audited_by_page:
        audit_case_read(actor, case)
    return case


def persons_shown_by_cases(cases: Iterable[Case]) -> dict[int, list[int]]:
    """{case id: the persons whose data the case's content shows}: its client, or every person ever a
    member of its household (one query for any number of cases)."""
    cases = list(cases)
    members = member_ids_by_household({c.household_id for c in cases if c.household_id})
    return {c.pk: [c.person_id] if c.person_id else members.get(c.household_id, []) for c in cases}


def persons_concerned(case: Case) -> list[int]:
    """The persons a change to the case or to one of its records concerns, for its audit event: the
    client, or every person ever a member of the household (the same persons its reads name), so that
    the auditor's `?person=` finds the edits and status moves of a family's case too."""
    return persons_shown_by_cases([case])[case.pk]


def audit_case_reads(actor: User, cases: Iterable[Case]) -> None:
    """VIEW events for several cases at once (a timeline, a page of referrals): a fixed number of queries."""
    cases = list(cases)
    persons = persons_shown_by_cases(cases)
    record_views(
        actor,
        [
            {
                "object_type": "case",
                "object_id": c.pk,
                "centre_id": c.centre_id,
                "person_id": c.person_id,
                "person_ids": persons[c.pk],
            }
            for c in cases
        ],
    )


def audit_case_read(
    actor: User, case: Case, *, object_type: str = "case", object_id: int | None = None, persons=None
) -> None:
    """A VIEW of the case (or of one of its records: `object_type`, `object_id`) naming every person
    whose data it showed, so the auditor's `?person=` finds it (decision 0007)."""
    if persons is None:
        persons = persons_shown_by_cases([case])[case.pk]
    record_view(
        actor,
        object_type=object_type,
        object_id=case.pk if object_id is None else object_id,
        centre_id=case.centre_id,
        person_id=case.person_id,
        person_ids=persons,
    )


def list_cases_for(
    actor: User,
    *,
    status: str | Iterable[str] | None = None,
    open_only: bool = False,
    worker=None,
    team=None,
    household=None,
    person=None,
    open_first: bool = False,
) -> CaseSummaries:
    """Summaries of the centre's cases, newest first (open ones before closed ones with `open_first`),
    in two queries per page (the cases, then the names of their households; no N+1).

    `person` finds the person's own cases and those of the household they currently belong to.
    """
    qs = cases_in_scope(actor)
    if status is not None:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if worker is not None:
        qs = qs.filter(assigned_worker_id=_id(worker))
    if team is not None:
        qs = qs.filter(team_id=_id(team))
    if household is not None:
        qs = qs.filter(household_id=_id(household))
    if person is not None:
        person_id = _id(person)
        current_households = Membership.objects.filter(person_id=person_id, valid_until__isnull=True).values(
            "household_id"
        )
        qs = qs.filter(Q(person_id=person_id) | Q(household_id__in=current_households))
    order = ("-opened_on", "-id")
    if open_first:
        is_closed = DbCase(When(status=CaseStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField())
        qs = qs.annotate(is_closed=is_closed)
        order = ("is_closed", *order)
    return CaseSummaries(actor, qs.order_by(*order))


# --- caseload -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    worker: User
    opened: int
    active: int
    suspended: int
    visits_this_month: int = 0  # done this month (to `on`), as one of the visitors
    visits_planned_this_month: int = 0  # still planned, from `on` to the month's end, as one of the visitors

    @property
    def open_cases(self) -> int:
        return self.opened + self.active + self.suspended


def caseload_by_worker(actor: User, team=None, *, on: dt.date | None = None) -> list[CaseloadRow]:
    """Open cases per worker, and visits done this month (of `on`, today when left out) and still planned
    for the rest of it, by each as a visitor, for balancing: four queries whatever the centre's size,
    workers without cases included.

    A team leader sees the members of the teams they lead (or of `team`, one of them); a director the
    whole centre (or `team`). A worker's count covers all their open cases, whatever the team.
    """
    require(actor, can_assign_cases)
    workers = User.objects.filter(centre_id=actor.centre_id, is_active=True)
    team_id = _id(team)
    if team_id is not None:
        if not Team.objects.filter(pk=team_id, centre_id=actor.centre_id).exists():
            raise NotFound()
        if actor.role != Role.DIRECTOR and team_id not in team_ids_of(actor):
            raise Forbidden()
        member_of = Q(teams__id=team_id)
    elif actor.role == Role.DIRECTOR:
        member_of = Q()
    else:
        member_of = Q(teams__id__in=team_ids_of(actor))
    # The team filter goes through a subquery: joining teams here would multiply the counts.
    workers = workers.filter(pk__in=User.objects.filter(member_of).values("pk")).order_by(
        "last_name", "first_name", "username"
    )
    day = on or timezone.localdate()
    month_start = day.replace(day=1)
    # Three set-wise queries (workers; open cases by worker and status; this month's done visits by
    # visitor), not per-worker subqueries: a whole centre's caseload stays one pass over each table.
    by_status: dict[tuple[int, str], int] = {
        (row["assigned_worker_id"], row["status"]): row["n"]
        for row in Case.objects.filter(
            centre_id=actor.centre_id, assigned_worker_id__in=workers.values("pk"), status__in=OPEN_STATUSES
        )
        .values("assigned_worker_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    # From the month's done visits (index on status and day) to their visitors, not from each worker's
    # years of visits to their days.
    done_this_month = HomeVisit.objects.filter(
        case__centre_id=actor.centre_id, status=VisitStatus.DONE, done_on__gte=month_start, done_on__lte=day
    ).values("pk")
    visits: dict[int, int] = {
        row["user_id"]: row["n"]
        for row in HomeVisit.visitors.through.objects.filter(
            user_id__in=workers.values("pk"), homevisit_id__in=done_this_month
        )
        .values("user_id")
        .annotate(n=Count("homevisit_id", distinct=True))
        .order_by()
    }
    # Counted the same way (by visitor): what is still ahead this month; those planned before `on` are
    # overdue, counted with the overdue items (desk.selectors.overdue_by_worker).
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    still_planned = HomeVisit.objects.filter(
        case__centre_id=actor.centre_id, status=VisitStatus.PLANNED, planned_on__gte=day, planned_on__lte=month_end
    ).values("pk")
    planned: dict[int, int] = {
        row["user_id"]: row["n"]
        for row in HomeVisit.visitors.through.objects.filter(
            user_id__in=workers.values("pk"), homevisit_id__in=still_planned
        )
        .values("user_id")
        .annotate(n=Count("homevisit_id", distinct=True))
        .order_by()
    }
    rows = []
    for w in workers:
        opened, active, suspended = (
            by_status.get((w.pk, status), 0) for status in (CaseStatus.OPENED, CaseStatus.ACTIVE, CaseStatus.SUSPENDED)
        )
        if can_hold_cases(w) or opened or active or suspended:
            rows.append(
                CaseloadRow(
                    worker=w,
                    opened=opened,
                    active=active,
                    suspended=suspended,
                    visits_this_month=visits.get(w.pk, 0),
                    visits_planned_this_month=planned.get(w.pk, 0),
                )
            )
    return rows


# --- contacts -------------------------------------------------------------------------------------


def list_contacts_for(actor: User, *, person=None, household=None) -> QuerySet[Contact]:
    """The centre's contacts, newest first, with persons prefetched (two queries for a page)."""
    require(actor, can_view_cases)
    qs = Contact.objects.filter(centre_id=actor.centre_id).select_related("household", "handled_by")
    if person is not None:
        qs = qs.filter(persons__id=_id(person))
    if household is not None:
        qs = qs.filter(household_id=_id(household))
    return qs.prefetch_related("persons").order_by("-occurred_at", "-id")


def withhold_contact_content(actor: User, contacts: Iterable[Contact]) -> None:
    """Set what the actor may read of each contact: `content_withheld`, `shown_topics` (the sensitive
    topics of the jurisdiction's list left out) and `shown_notes` (empty), for those without
    `can_view_contact_content`; everything for the rest. No query."""
    full = can_view_contact_content(actor)
    sensitive = set() if full else statutory.sensitive_codes(statutory.contact_topics(actor.centre.jurisdiction))
    for contact in contacts:
        contact.content_withheld = not full
        contact.shown_topics = [code for code in contact.topics if code not in sensitive]
        contact.shown_notes = contact.notes if full else ""


def get_contact_for(actor: User, contact_id) -> Contact:
    """One contact of the actor's centre (NotFound otherwise), with its persons and household.

    Its notes may tell of a person's situation, so the view is audited once per person heard (once for
    an anonymous contact): a person's subject-access report lists who read what was said about them."""
    try:
        contact = list_contacts_for(actor).get(pk=int(contact_id))
    except (Contact.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    record_view(
        actor,
        object_type="contact",
        object_id=contact.pk,
        centre_id=contact.centre_id,
        person_ids=[p.pk for p in contact.persons.all()],
    )
    withhold_contact_content(actor, [contact])
    return contact


# --- home visits, social work and the worker's desk -----------------------------------------------


def visits_for_case(case: Case) -> QuerySet[HomeVisit]:
    """The case's visits, newest planned first, visitors prefetched (two queries).

    Content: pass only a case from `get_case_content_for`."""
    return (
        HomeVisit.objects.filter(case_id=case.pk)
        .select_related("next_visit")
        .prefetch_related(Prefetch("visitors", queryset=User.objects.order_by("last_name", "first_name")))
        .order_by("-planned_on", "-id")
    )


def activities_for_case(case: Case) -> QuerySet[SocialWorkActivity]:
    """The case's social work, newest first, with who did it and the participants (two queries).

    Content: pass only a case from `get_case_content_for`."""
    return (
        SocialWorkActivity.objects.filter(case_id=case.pk)
        .select_related("performed_by")
        .prefetch_related(Prefetch("participants", queryset=Person.objects.order_by("last_name", "first_name")))
        .order_by("-performed_on", "-id")
    )


@dataclass(frozen=True)
class WorkerDesk:
    day: dt.date
    week_start: dt.date
    week_end: dt.date
    overdue: list[HomeVisit]
    this_week: list[HomeVisit]


def planned_visits(centre_id: int, **case_filter) -> QuerySet[HomeVisit]:
    """Visits still planned on the centre's open cases; `case_filter` narrows the cases (e.g.
    assigned_worker_id=…). Those planned before a day are overdue (the desk, the caseload)."""
    return HomeVisit.objects.filter(
        case__centre_id=centre_id,
        case__status__in=OPEN_STATUSES,
        status=VisitStatus.PLANNED,
        **{f"case__{name}": value for name, value in case_filter.items()},
    )


def worker_desk(actor: User, on: dt.date | None = None) -> WorkerDesk:
    """The visits still planned on the actor's own open cases: overdue (planned before `on`) and due
    this week (from `on` to Sunday). Two queries (visits with their cases, then visitors)."""
    require(actor, can_view_cases)
    day = on or timezone.localdate()
    week_start = day - dt.timedelta(days=day.weekday())
    week_end = week_start + dt.timedelta(days=6)
    visits = list(
        planned_visits(actor.centre_id, assigned_worker_id=actor.pk)
        .filter(planned_on__lte=week_end)
        .select_related("case", "case__household", "case__person")
        .prefetch_related("visitors")
        .order_by("planned_on", "id")
    )
    return WorkerDesk(
        day=day,
        week_start=week_start,
        week_end=week_end,
        overdue=[v for v in visits if v.planned_on < day],
        this_week=[v for v in visits if v.planned_on >= day],
    )


def content_readable_q(actor: User) -> Q:
    """The cases of the actor's centre whose content the actor may read, as a filter on Case
    (the same rule as `permissions.can_view_case_content`, in SQL)."""
    q = Q(centre_id=actor.centre_id)
    if actor.role == Role.DIRECTOR:
        return q
    readers = Q(assigned_worker_id=actor.pk) | Exists(
        CaseShare.objects.filter(case_id=OuterRef("pk"), user_id=actor.pk)
    )
    if actor.role == Role.TEAM_LEADER:
        readers |= Q(team_id__in=team_ids_of(actor))
    return q & readers


def readable_case_ids(actor: User):
    """The cases whose content the actor may read, for `case_id__in`: their ids as a list for a worker or
    a team leader (a few hundred at most, so the planner sees how few rows match and reads them by
    index instead of sorting the centre's millions of visits), a subquery for the director (the whole
    centre)."""
    readable = Case.objects.filter(content_readable_q(actor)).values("pk")
    if actor.role == Role.DIRECTOR:
        return readable
    return list(readable.values_list("pk", flat=True))


def visits_readable_by(actor: User, case=None) -> QuerySet[HomeVisit]:
    """Visits on cases whose content the actor may read; with `case`, that case's visits (NotFound
    outside the centre, Forbidden without its content, and the case view is audited)."""
    require(actor, can_view_cases)
    if case is not None:
        return visits_for_case(get_case_content_for(actor, _id(case)))
    readable = readable_case_ids(actor)
    return HomeVisit.objects.filter(case_id__in=readable).prefetch_related("visitors").order_by("-planned_on", "-id")


def activities_readable_by(actor: User, case=None) -> QuerySet[SocialWorkActivity]:
    """Social work on cases whose content the actor may read (as `visits_readable_by`)."""
    require(actor, can_view_cases)
    if case is not None:
        return activities_for_case(get_case_content_for(actor, _id(case)))
    readable = readable_case_ids(actor)
    return (
        SocialWorkActivity.objects.filter(case_id__in=readable)
        .prefetch_related("participants")
        .order_by("-performed_on", "-id")
    )
