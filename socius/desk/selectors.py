"""Read models across casework, assessments and plans: the worker's desk, the caseload with overdue items,
and the household's and a person's timelines.

Both read a fixed, small number of queries whatever the data size (each source is filtered and sliced in
SQL, then merged in Python).

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
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.audit import record_view
from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentEventKind, AssessmentStatus
from socius.assessments.selectors import overdue_assessments_for, overdue_assessments_in_centre
from socius.casework.models import (
    CaseEvent,
    CaseEventKind,
    Contact,
    HomeVisit,
    Referral,
    SocialWorkActivity,
    VisitStatus,
)
from socius.casework.permissions import can_view_case_content, can_view_cases
from socius.casework.selectors import (
    CaseloadRow,
    WorkerDesk,
    audit_case_reads,
    caseload_by_worker,
    cases_in_scope,
    planned_visits,
    worker_desk,
)
from socius.casework.selectors_referrals import referrals_awaiting_answer, referrals_awaiting_answer_for
from socius.casework.statuses import OPEN_STATUSES
from socius.plans.models import Obligation, PlanAction, PlanEvent, SocialContract
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus
from socius.registry.models import Membership
from socius.registry.selectors import attach_household_heads, get_household_for, get_person_for, member_ids_by_household

INTERVIEW_DAYS = 7
ACTION_DAYS = 7
CONTRACT_DAYS = 14
RECENT_CONTACTS = 10
DESK_LIST_LIMIT = 50
_CLIENT = ("case", "case__household", "case__person")  # what a desk row needs to name the client
RUNNING_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.IN_PROGRESS)
OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
LIVE_PLANS = (PlanStatus.DRAFT, PlanStatus.ACTIVE)


def open_plan_actions(centre_id: int, **case_filter) -> QuerySet[PlanAction]:
    """Actions still to do in live plans of the centre's open cases; `case_filter` narrows the cases
    (e.g. assigned_worker_id=…). What the desk lists and the caseload counts when late."""
    return PlanAction.objects.filter(
        goal__plan__case__centre_id=centre_id,
        goal__plan__case__status__in=OPEN_STATUSES,
        goal__plan__status__in=LIVE_PLANS,
        status__in=OPEN_ACTIONS,
        **{f"goal__plan__case__{name}": value for name, value in case_filter.items()},
    )


def unmet_obligations(centre_id: int, **case_filter) -> QuerySet[Obligation]:
    """Obligations not yet met of running contracts of the centre's open cases (as `open_plan_actions`)."""
    return Obligation.objects.filter(
        contract__case__centre_id=centre_id,
        contract__case__status__in=OPEN_STATUSES,
        contract__status__in=RUNNING_CONTRACTS,
        is_done=False,
        **{f"contract__case__{name}": value for name, value in case_filter.items()},
    )


# --- the worker's desk ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Desk:
    day: dt.date
    visits: WorkerDesk
    interviews_overdue: list[Assessment]
    interviews_due: list[Assessment]
    plan_actions: list[PlanAction]
    obligations: list[Obligation]
    contracts_ending: list[SocialContract]
    referrals: list[Referral]
    recent_contacts: list[Contact]

    @property
    def is_empty(self) -> bool:
        return not (
            self.visits.overdue
            or self.visits.this_week
            or self.interviews_overdue
            or self.interviews_due
            or self.plan_actions
            or self.obligations
            or self.contracts_ending
            or self.referrals
            or self.recent_contacts
        )


def worker_desk_items(actor: User, on: dt.date | None = None) -> Desk:
    """What is due on the actor's own open cases, as of `on` (today when left out): overdue interviews and
    drafts due within 7 days, visits overdue and planned this week, plan actions due within 7 days or
    overdue, contract obligations and contract ends within 14 days (or overdue), referrals awaiting an
    answer, and the 10 latest contacts the actor handled. About a dozen queries, whatever the data size.
    Every list is capped at DESK_LIST_LIMIT rows (the desk is a reminder, not a report)."""
    require(actor, can_view_cases)
    day = on or timezone.localdate()
    own = {"case__centre_id": actor.centre_id, "case__assigned_worker_id": actor.pk, "case__status__in": OPEN_STATUSES}
    visits = worker_desk(actor, day)
    overdue = list(
        overdue_assessments_for(actor, day)
        .filter(case__assigned_worker_id=actor.pk)
        .select_related(*_CLIENT)[:DESK_LIST_LIMIT]
    )
    due = list(
        Assessment.objects.filter(
            **own,
            status=AssessmentStatus.DRAFT,
            due_on__gte=day,
            due_on__lte=day + dt.timedelta(days=INTERVIEW_DAYS),
        )
        .select_related(*_CLIENT)
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )
    actions = list(
        open_plan_actions(actor.centre_id, assigned_worker_id=actor.pk)
        .filter(due_on__lte=day + dt.timedelta(days=ACTION_DAYS))
        .select_related(*(f"goal__plan__{path}" for path in _CLIENT))
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )
    obligations = list(
        unmet_obligations(actor.centre_id, assigned_worker_id=actor.pk)
        .filter(due_on__lte=day + dt.timedelta(days=CONTRACT_DAYS))
        .select_related(*(f"contract__{path}" for path in _CLIENT))
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )
    contracts = list(
        SocialContract.objects.filter(
            **own, status__in=RUNNING_CONTRACTS, valid_until__lte=day + dt.timedelta(days=CONTRACT_DAYS)
        )
        .select_related(*_CLIENT)
        .order_by("valid_until", "id")[:DESK_LIST_LIMIT]
    )
    referrals = list(referrals_awaiting_answer_for(actor, day).select_related(*_CLIENT)[:DESK_LIST_LIMIT])
    contacts = list(
        Contact.objects.filter(centre_id=actor.centre_id, handled_by_id=actor.pk)
        .select_related("household")
        .prefetch_related("persons")
        .order_by("-occurred_at", "-id")[:RECENT_CONTACTS]
    )
    # Every row names the family (one query for all the households on the desk).
    cases = (
        [v.case for v in (*visits.overdue, *visits.this_week)]
        + [a.case for a in (*overdue, *due)]
        + [a.goal.plan.case for a in actions]
        + [o.contract.case for o in obligations]
        + [c.case for c in contracts]
        + [r.case for r in referrals]
    )
    attach_household_heads([c.household for c in cases if c.household_id] + [c.household for c in contacts])
    return Desk(
        day=day,
        visits=visits,
        interviews_overdue=overdue,
        interviews_due=due,
        plan_actions=actions,
        obligations=obligations,
        contracts_ending=contracts,
        referrals=referrals,
        recent_contacts=contacts,
    )


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


class TimelineKind:
    CONTACT = "contact"
    CASE = "case"
    VISIT = "visit"
    ACTIVITY = "activity"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    CONTRACT = "contract"
    REFERRAL = "referral"

    CHOICES = (
        (CONTACT, _("Contacts")),
        (CASE, _("Case events")),
        (VISIT, _("Home visits")),
        (ACTIVITY, _("Social work")),
        (ASSESSMENT, _("Interviews")),
        (PLAN, _("Help plans")),
        (CONTRACT, _("Social contracts")),
        (REFERRAL, _("Referrals")),
    )
    ALL = frozenset(k for k, _label in CHOICES)


# Lifecycle events: what a summary tells anyway (shown, without details, to summary-only readers too).
SUMMARY_EVENT_KINDS = (CaseEventKind.OPENED, CaseEventKind.STATUS_CHANGED, CaseEventKind.REASSIGNED)
# Visit, social work and referral case events duplicate rows read from their own tables.
CASE_EVENT_KINDS = (*SUMMARY_EVENT_KINDS, CaseEventKind.SHARED, CaseEventKind.UNSHARED, CaseEventKind.NOTE)
ASSESSMENT_EVENT_KINDS = (AssessmentEventKind.STARTED, AssessmentEventKind.COMPLETED, AssessmentEventKind.SIGNED)


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str
    title: str
    link: str | None
    case_id: int | None = None
    case_reference: str = ""
    detail: str = ""
    restricted: bool = False
    sort_id: int = field(default=0, compare=False)
    all_day: bool = False  # a row known by its day alone: shown without a time of day


def _at(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    """A day's rows sort at its start; a visit with its time (recorded since they have one) at that time."""
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time.min))


def _case_link(case_id: int, anchor: str = "") -> str:
    url = reverse("web:case_detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


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
        contacts_of_household=household.pk,
        contacts_of_persons=member_ids,
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
        contacts_of_household=None,
        contacts_of_persons=[person.pk],
        kinds=kinds,
        limit=limit,
    )
    record_view(actor, object_type="person", object_id=person.pk, centre_id=actor.centre_id, person_id=person.pk)
    return items


def _timeline(actor: User, *, cases: Q, contacts_of_household, contacts_of_persons, kinds, limit) -> list[TimelineItem]:
    # Unknown kinds are ignored; nothing known asked for means everything.
    wanted = TimelineKind.ALL & set(kinds or ()) or TimelineKind.ALL
    limit = max(1, min(int(limit), 500))
    cases = list(cases_in_scope(actor).filter(cases))
    refs = {c.pk: c.reference for c in cases}
    readable = [c for c in cases if can_view_case_content(actor, c)]
    readable_ids = [c.pk for c in readable]
    summary_ids = [c.pk for c in cases if c.pk not in set(readable_ids)]
    items: list[TimelineItem] = []

    if TimelineKind.CONTACT in wanted:
        # Two index-friendly reads (by household, by person) merged here: an OR across the persons join
        # with DISTINCT makes PostgreSQL scan the centre's contacts.
        base = Contact.objects.filter(centre_id=actor.centre_id).order_by("-occurred_at", "-id")
        by_person = Contact.persons.through.objects.filter(person_id__in=contacts_of_persons).values("contact_id")
        contacts = {c.pk: c for c in base.filter(pk__in=by_person)[:limit]}
        if contacts_of_household is not None:
            contacts.update((c.pk, c) for c in base.filter(household_id=contacts_of_household)[:limit])
        for c in contacts.values():
            items.append(
                TimelineItem(
                    at=c.occurred_at,
                    kind=TimelineKind.CONTACT,
                    title=str(_("Contact: %(channel)s") % {"channel": c.get_channel_display()}),
                    link=reverse("web:contact_detail", args=[c.pk]),
                    sort_id=c.pk,
                )
            )
    if TimelineKind.CASE in wanted and cases:
        events = CaseEvent.objects.filter(
            Q(case_id__in=readable_ids, kind__in=CASE_EVENT_KINDS)
            | Q(case_id__in=summary_ids, kind__in=SUMMARY_EVENT_KINDS)
        ).order_by("-at", "-id")[:limit]
        for e in events:
            items.append(
                TimelineItem(
                    at=e.at,
                    kind=TimelineKind.CASE,
                    title=str(e.get_kind_display()),
                    link=_case_link(e.case_id),
                    case_id=e.case_id,
                    case_reference=refs[e.case_id],
                    restricted=e.case_id not in readable_ids,
                    sort_id=e.pk,
                )
            )
    if readable_ids:
        _content_items(items, wanted, readable_ids, refs, limit)
    items.sort(key=lambda i: (i.at, i.sort_id), reverse=True)
    items = items[:limit]
    # Audit the cases whose content is shown (the events of a readable case are content too).
    shown = {i.case_id for i in items if i.case_id is not None and not i.restricted}
    audit_case_reads(actor, [case for case in readable if case.pk in shown])
    return items


def _content_items(items, wanted, case_ids, refs, limit) -> None:
    def add(at, kind, title, case_id, anchor="", detail="", sort_id=0, all_day=False):
        items.append(
            TimelineItem(
                all_day=all_day,
                at=at,
                kind=kind,
                title=str(title),
                link=_case_link(case_id, anchor),
                case_id=case_id,
                case_reference=refs[case_id],
                detail=detail,
                sort_id=sort_id,
            )
        )

    if TimelineKind.VISIT in wanted:
        visits = HomeVisit.objects.filter(case_id__in=case_ids).order_by("-planned_on", "-id")[:limit]
        for v in visits:
            done = v.status == VisitStatus.DONE and v.done_on
            day, time = (v.done_on, v.done_time) if done else (v.planned_on, v.planned_time)
            title = _("Home visit (%(status)s)") % {"status": v.get_status_display()}
            at, all_day = _at(day, time), time is None
            add(at, TimelineKind.VISIT, title, v.case_id, f"visit-{v.pk}", v.purpose[:200], v.pk, all_day)
    if TimelineKind.ACTIVITY in wanted:
        activities = SocialWorkActivity.objects.filter(case_id__in=case_ids).order_by("-performed_on", "-id")[:limit]
        for a in activities:
            add(_at(a.performed_on), TimelineKind.ACTIVITY, a.get_type_display(), a.case_id, "", "", a.pk, True)
    if TimelineKind.REFERRAL in wanted:
        referrals = Referral.objects.filter(case_id__in=case_ids).select_related("partner").order_by("-sent_on", "-id")
        for r in referrals[:limit]:
            title = _("Referral (%(direction)s): %(partner)s") % {
                "direction": r.get_direction_display(),
                "partner": r.partner.name,
            }
            add(_at(r.sent_on), TimelineKind.REFERRAL, title, r.case_id, "", r.get_status_display(), r.pk, True)
    if TimelineKind.ASSESSMENT in wanted:
        events = AssessmentEvent.objects.filter(case_id__in=case_ids, kind__in=ASSESSMENT_EVENT_KINDS)
        for e in events.order_by("-at", "-id")[:limit]:
            add(e.at, TimelineKind.ASSESSMENT, e.get_kind_display(), e.case_id, "", "", e.pk)
    plan_kinds = {TimelineKind.PLAN, TimelineKind.CONTRACT} & wanted
    if plan_kinds:
        events = PlanEvent.objects.filter(case_id__in=case_ids)
        if plan_kinds == {TimelineKind.PLAN}:
            events = events.exclude(kind__startswith="contract").exclude(kind="obligation_added")
        elif plan_kinds == {TimelineKind.CONTRACT}:
            events = events.filter(Q(kind__startswith="contract") | Q(kind="obligation_added"))
        for e in events.order_by("-at", "-id")[:limit]:
            kind = (
                TimelineKind.CONTRACT
                if e.kind.startswith("contract") or e.kind == "obligation_added"
                else TimelineKind.PLAN
            )
            add(e.at, kind, e.get_kind_display(), e.case_id, "", "", e.pk)
