"""Reads of the family assistant programme: which enrolments an actor sees, the assistant's desk, a family's
page, each assistant's load and the monthly timesheets. Every read costs a fixed number of queries, whatever
the number of activities, families or assistants; reads that show persons are audited under them."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, WORK_FAMILY_SUPPORT, Role
from socius.casework.models import CaseShare
from socius.casework.permissions import team_ids_of
from socius.common.errors import Forbidden
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.permissions import (
    can_view_assistant_loads,
    can_view_enrolment,
    can_view_timesheet,
    can_work_enrolment,
)
from socius.family.rules import ParamInfo, add_months, assessment_interval_months, caseload_cap
from socius.family.statuses import EnrolmentStatus, PlanItemStatus, WorkArea, WorkPlanStatus
from socius.registry.models import Household, Membership, Relationship

ACTIONS_DUE_WITHIN_DAYS = 7
ASSESSMENTS_DUE_WITHIN_DAYS = 14
FAMILY_PAGE_ACTIVITIES = 20
WORKING = (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)
_MISSING = object()


# --- visibility -------------------------------------------------------------------------------------------


def _visible_q(actor: User) -> Q:
    """Enrolments of the actor's centre that the actor sees: as the family's assistant, or because the actor
    reads the case's content (its worker, the case team's leader, the director, staff it was shared with).
    The same rule as permissions.can_view_enrolment, as joins on the enrolment's case (no scan of the centre's
    cases)."""
    if not (actor and actor.is_authenticated and actor.is_active and actor.centre_id and actor.can(VIEW_CASES)):
        return Q(pk__in=[])
    q = Q(centre_id=actor.centre_id)
    if actor.role == Role.DIRECTOR:
        return q
    readers = (
        Q(assistant_id=actor.pk)
        | Q(case__assigned_worker_id=actor.pk)
        | Exists(CaseShare.objects.filter(case_id=OuterRef("case_id"), user_id=actor.pk))
    )
    if actor.role == Role.TEAM_LEADER:
        readers |= Q(case__team_id__in=team_ids_of(actor))
    return q & readers


def _last_assessed_subquery():
    return Subquery(
        FamilyAssessment.objects.filter(enrolment_id=OuterRef("pk"), is_court_opinion=False)
        .order_by("-assessed_on")
        .values("assessed_on")[:1]
    )


def visible_enrolments(actor: User) -> QuerySet[FamilyEnrolment]:
    return (
        FamilyEnrolment.objects.filter(_visible_q(actor))
        .select_related("case", "household", "assistant", "centre")
        .annotate(last_assessed_on=_last_assessed_subquery())
    )


def get_enrolment_for(actor: User, pk) -> FamilyEnrolment:
    """The enrolment if the actor sees it; FamilyEnrolment.DoesNotExist otherwise (other centre, not theirs)."""
    try:
        pk = int(pk.pk if isinstance(pk, FamilyEnrolment) else pk)
    except (TypeError, ValueError):
        raise FamilyEnrolment.DoesNotExist() from None
    if not (actor and actor.is_authenticated and actor.is_active and actor.centre_id and actor.can(VIEW_CASES)):
        raise FamilyEnrolment.DoesNotExist()
    found = (
        FamilyEnrolment.objects.filter(pk=pk, centre_id=actor.centre_id)
        .select_related("case", "household", "assistant", "centre")
        .annotate(last_assessed_on=_last_assessed_subquery())
        .get()
    )
    if not can_view_enrolment(actor, found):
        raise FamilyEnrolment.DoesNotExist()
    return found


def list_enrolments_for(
    actor: User, *, status=None, assistant_id=None, household_id=None, case_id=None, q=None
) -> QuerySet[FamilyEnrolment]:
    """What the actor may see, narrowed by the filters; `q` searches the family's (current members') names
    and the case reference."""
    qs = visible_enrolments(actor)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    for name, value in (("assistant_id", assistant_id), ("household_id", household_id), ("case_id", case_id)):
        if value not in (None, ""):
            try:
                qs = qs.filter(**{name: int(value)})
            except (TypeError, ValueError):
                return qs.none()
    text = (q or "").strip() if isinstance(q, str) else ""
    if text:
        named = Q()
        for word in text.split()[:4]:
            named &= Exists(
                Membership.objects.filter(household_id=OuterRef("household_id"), valid_until__isnull=True).filter(
                    Q(person__last_name__icontains=word) | Q(person__first_name__icontains=word)
                )
            )
        qs = qs.filter(named | Q(case__reference__icontains=text))
    return qs.order_by("-requested_on", "-id")


# --- assessments due --------------------------------------------------------------------------------------


def _due_from(jurisdiction: str, base: dt.date) -> dt.date:
    return add_months(base, assessment_interval_months(jurisdiction, base).value)


def next_assessment_due(enrolment: FamilyEnrolment, *, on: dt.date) -> dt.date | None:
    """When the family's next periodic assessment is due: the pack's interval after the last assessment made
    by `on` (court opinions do not count), or after the work started. None unless the work is active or
    monitored. Uses the `last_assessed_on` annotation of the selectors' querysets when present."""
    if enrolment.status not in WORKING or enrolment.started_on is None:
        return None
    last = getattr(enrolment, "last_assessed_on", _MISSING)
    if last is _MISSING or (last is not None and last > on):
        last = FamilyAssessment.objects.filter(
            enrolment_id=enrolment.pk, is_court_opinion=False, assessed_on__lte=on
        ).aggregate(m=Max("assessed_on"))["m"]
    base = last if last is not None and last >= enrolment.started_on else enrolment.started_on
    return _due_from(enrolment.centre.jurisdiction, base)


# --- family names ---------------------------------------------------------------------------------------------


def _family_heads(household_ids) -> dict[int, tuple[str, int | None]]:
    """{household id: (family name, person id naming it)}: the current head, or the longest-standing current
    member (as registry's attach_household_heads). One query; `household_ids` may be a subquery."""
    chosen: dict[int, tuple[bool, str, int]] = {}
    rows = (
        Membership.objects.filter(household_id__in=household_ids, valid_until__isnull=True)
        .order_by("household_id", "valid_from", "id")
        .values_list("household_id", "relationship", "person_id", "person__first_name", "person__last_name")
    )
    for household_id, relationship, person_id, first, last in rows:
        held = chosen.get(household_id)
        is_head = relationship == Relationship.HEAD
        if held is None or (is_head and not held[0]):
            chosen[household_id] = (is_head, f"{first} {last}".strip(), person_id)
    return {h: (name, person) for h, (_head, name, person) in chosen.items()}


def _family_name(heads: dict, household_id: int) -> str:
    name = heads.get(household_id, ("", None))[0]
    return name or str(Household(pk=household_id))


# --- the assistant's desk ---------------------------------------------------------------------------------


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, add_months(start, 1)


@dataclass
class DeskFamily:
    enrolment: FamilyEnrolment
    household_name: str
    status: str
    next_assessment_due: dt.date | None
    last_activity_on: dt.date | None
    minutes_this_month: int

    @property
    def hours_this_month(self) -> float:
        return round(self.minutes_this_month / 60, 1)


@dataclass
class AssistantDesk:
    day: dt.date
    families: list[DeskFamily]
    actions_due: list[WorkPlanItem]
    assessments_due: list[DeskFamily]
    minutes_this_month: int
    load: int
    cap: ParamInfo

    @property
    def hours_this_month(self) -> float:
        return round(self.minutes_this_month / 60, 1)


def assistant_desk(actor: User, day: dt.date) -> AssistantDesk:
    """The families the actor works with as their assistant (active or monitored), the plan actions due within
    7 days or overdue, the assessments due within 14 days or overdue, this month's time and the load vs the
    cap. Six queries (and the audit rows) whatever the number of families."""
    if not actor.can(WORK_FAMILY_SUPPORT):
        raise Forbidden()
    start, end = _month_bounds(day)
    month_minutes = Coalesce(
        Subquery(
            AssistantActivity.objects.filter(enrolment_id=OuterRef("pk"), on__gte=start, on__lt=end)
            .order_by()
            .values("enrolment_id")
            .annotate(total=Sum("minutes"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    last_activity = Subquery(
        AssistantActivity.objects.filter(enrolment_id=OuterRef("pk"), on__lte=day).order_by("-on").values("on")[:1]
    )
    enrolments = list(
        FamilyEnrolment.objects.filter(centre_id=actor.centre_id, assistant_id=actor.pk, status__in=WORKING)
        .select_related("household", "case")
        .annotate(
            last_assessed_on=_last_assessed_subquery(), last_activity_on=last_activity, month_minutes=month_minutes
        )
        .order_by("status", "id")
    )
    heads = _family_heads([e.household_id for e in enrolments])
    jurisdiction = actor.centre.jurisdiction
    families = []
    for enrolment in enrolments:
        enrolment.centre = actor.centre
        base = enrolment.last_assessed_on if enrolment.last_assessed_on else enrolment.started_on
        families.append(
            DeskFamily(
                enrolment=enrolment,
                household_name=_family_name(heads, enrolment.household_id),
                status=enrolment.status,
                next_assessment_due=_due_from(jurisdiction, max(base, enrolment.started_on)),
                last_activity_on=enrolment.last_activity_on,
                minutes_this_month=enrolment.month_minutes or 0,
            )
        )
    horizon = day + dt.timedelta(days=ASSESSMENTS_DUE_WITHIN_DAYS)
    assessments_due = sorted(
        (f for f in families if f.status == EnrolmentStatus.ACTIVE and f.next_assessment_due <= horizon),
        key=lambda f: f.next_assessment_due,
    )
    actions_due = list(
        WorkPlanItem.objects.filter(
            plan__status=WorkPlanStatus.AGREED,
            plan__enrolment__assistant_id=actor.pk,
            plan__enrolment__centre_id=actor.centre_id,
            plan__enrolment__status__in=WORKING,
            due_on__lte=day + dt.timedelta(days=ACTIONS_DUE_WITHIN_DAYS),
        )
        .exclude(status__in=[PlanItemStatus.DONE, PlanItemStatus.DROPPED])
        .select_related("plan__enrolment__household")
        .order_by("due_on", "id")
    )
    for item in actions_due:
        household_id = item.plan.enrolment.household_id
        item.family_name = _family_name(heads, household_id)
    minutes = (
        AssistantActivity.objects.filter(assistant_id=actor.pk, on__gte=start, on__lt=end).aggregate(m=Sum("minutes"))[
            "m"
        ]
        or 0
    )
    record_list_view(actor, object_type="family_desk", person_ids=[p for _n, p in heads.values() if p])
    return AssistantDesk(
        day=day,
        families=families,
        actions_due=actions_due,
        assessments_due=assessments_due,
        minutes_this_month=minutes,
        load=sum(1 for f in families if f.status == EnrolmentStatus.ACTIVE),
        cap=caseload_cap(actor.centre, day),
    )


# --- the family's page ------------------------------------------------------------------------------------


@dataclass
class FamilyPage:
    enrolment: FamilyEnrolment
    members: list[Membership]
    consents: list[EnrolmentConsent]
    agreed_plan: WorkPlan | None
    agreed_items: list[WorkPlanItem]
    draft: WorkPlan | None
    plan_versions: list[WorkPlan]
    activities: list[AssistantActivity]
    activity_count: int
    assessments: list[FamilyAssessment]
    next_assessment_due: dt.date | None
    can_work: bool
    live_consents: list[EnrolmentConsent] = field(default_factory=list)

    @property
    def household_name(self) -> str:
        return self.enrolment.household.display_name


FAMILY_PAGE_PARTS = frozenset({"plan", "activities", "assessments"})


def family_page(actor: User, enrolment, day: dt.date, *, parts=None) -> FamilyPage:
    """What the family's page shows, in a fixed number of queries whatever the number of activities; audited
    as a view of the enrolment under every member of the family. The enrolment, its members and consents
    are always read; `parts` (a subset of FAMILY_PAGE_PARTS, None for all) names the rest to read: the work
    plans with their items, the latest 20 activities and their count, the assessments. A part not read is
    empty."""
    parts = FAMILY_PAGE_PARTS if parts is None else FAMILY_PAGE_PARTS & set(parts)
    found = get_enrolment_for(actor, enrolment)
    members = list(
        Membership.objects.filter(household_id=found.household_id, valid_from__lte=day)
        .exclude(valid_until__lte=day)
        .select_related("person")
        .order_by("valid_from", "id")
    )
    head = next((m for m in members if m.relationship == Relationship.HEAD), members[0] if members else None)
    found.household.head_member = head.person if head else None
    consents = list(EnrolmentConsent.objects.filter(enrolment=found).select_related("person", "recorded_by"))
    plans = []
    if "plan" in parts:
        plans = list(
            WorkPlan.objects.filter(enrolment=found)
            .select_related("social_worker", "created_by")
            .prefetch_related(
                "agreed_with", Prefetch("items", queryset=WorkPlanItem.objects.order_by("position", "id"))
            )
            .order_by("-version")
        )
    agreed = next((p for p in plans if p.status == WorkPlanStatus.AGREED), None)
    draft = next((p for p in plans if p.status == WorkPlanStatus.DRAFT), None)
    activities, activity_count = [], 0
    if "activities" in parts:
        activities = list(
            AssistantActivity.objects.filter(enrolment=found)
            .prefetch_related("family_members", "partners")
            .order_by("-on", "-id")[:FAMILY_PAGE_ACTIVITIES]
        )
        activity_count = AssistantActivity.objects.filter(enrolment=found).count()
    assessments = []
    if "assessments" in parts:
        assessments = list(FamilyAssessment.objects.filter(enrolment=found).select_related("author"))
    record_view(
        actor,
        object_type="family_enrolment",
        object_id=found.pk,
        centre_id=found.centre_id,
        person_ids=[m.person_id for m in members] + [c.person_id for c in consents],
    )
    return FamilyPage(
        enrolment=found,
        members=members,
        consents=consents,
        agreed_plan=agreed,
        agreed_items=list(agreed.items.all()) if agreed else [],
        draft=draft,
        plan_versions=plans,
        activities=activities,
        activity_count=activity_count,
        assessments=assessments,
        next_assessment_due=next_assessment_due(found, on=day),
        can_work=can_work_enrolment(actor, found),
        live_consents=[c for c in consents if c.withdrawn_on is None],
    )


# --- loads ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssistantLoad:
    assistant: User
    active: int
    monitoring: int
    requested_waiting: int  # the centre's requests waiting for the head's decision (no assistant yet)
    cap: ParamInfo

    @property
    def is_at_cap(self) -> bool:
        return self.active >= self.cap.value


def assistant_loads(actor: User, day: dt.date) -> list[AssistantLoad]:
    """Each active family assistant of the centre with the families they work with and monitor, against the
    cap in force on `day`: one query."""
    if not can_view_assistant_loads(actor):
        raise Forbidden()
    waiting = Subquery(
        FamilyEnrolment.objects.filter(centre_id=actor.centre_id, status=EnrolmentStatus.REQUESTED)
        .order_by()
        .values("centre_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    assistants = (
        User.objects.filter(centre_id=actor.centre_id, role=Role.FAMILY_ASSISTANT, is_active=True)
        .annotate(
            n_active=Count("family_enrolments", filter=Q(family_enrolments__status=EnrolmentStatus.ACTIVE)),
            n_monitoring=Count("family_enrolments", filter=Q(family_enrolments__status=EnrolmentStatus.MONITORING)),
            n_waiting=Coalesce(waiting, Value(0)),
        )
        .order_by("last_name", "first_name", "username")
    )
    cap = caseload_cap(actor.centre, day)
    return [AssistantLoad(a, a.n_active, a.n_monitoring, a.n_waiting, cap) for a in assistants]


# --- timesheets ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimesheetEntry:
    enrolment_id: int
    family_name: str
    place: str
    areas: list[str]
    minutes: int


@dataclass
class TimesheetDay:
    date: dt.date
    minutes: int
    entries: list[TimesheetEntry]


@dataclass
class Timesheet:
    """An assistant's month: per day the entries and minutes, the total, the minutes per area of work (an
    entry's minutes split evenly over its areas, so the areas add up to the total) and per family
    (a list of (enrolment id, family name, minutes), by name). `has_entries` is False for the sheets of
    timesheets(): their days carry the minutes without the entries."""

    assistant: User
    month: dt.date
    rows: list[TimesheetDay]
    total_minutes: int
    minutes_per_area: dict[str, int]
    minutes_per_family: list[tuple[int, str, int]]
    has_entries: bool = True

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)


_WORK_AREAS = frozenset(WorkArea.values)  # WorkArea.values is rebuilt by Django on every access
_NO_AREA = "—"


def _split(minutes: int, areas) -> dict[str, int]:
    """An entry's minutes split evenly over its (known) areas, the first areas taking the remainder."""
    areas = [a for a in areas or () if a in _WORK_AREAS] or [_NO_AREA]
    share, rest = divmod(minutes, len(areas))
    return {area: share + (1 if index < rest else 0) for index, area in enumerate(areas)}


def _add_split(per_area: dict[str, int], minutes: int, areas, times: int = 1) -> None:
    for area, share in _split(minutes, areas).items():
        per_area[area] = per_area.get(area, 0) + share * times


def _sheet(assistant: User, month: dt.date, days: dict, total: int, per_area: dict, per_family: dict) -> Timesheet:
    return Timesheet(
        assistant=assistant,
        month=month,
        rows=[days[d] for d in sorted(days)],
        total_minutes=total,
        minutes_per_area={a: per_area[a] for a in sorted(per_area)},
        minutes_per_family=sorted((tuple(v) for v in per_family.values()), key=lambda v: (v[1], v[0])),
    )


def _build_timesheet(assistant: User, month: dt.date, rows, heads: dict) -> Timesheet:
    """One assistant's month from their entries (id, on, enrolment id, household id, place, areas, minutes)."""
    days: dict[dt.date, TimesheetDay] = {}
    per_area: dict[str, int] = {}
    per_family: dict[int, list] = {}
    total = 0
    for _id, on, enrolment_id, household_id, place, areas, minutes in sorted(rows, key=lambda r: (r[1], r[0])):
        name = _family_name(heads, household_id)
        day = days.setdefault(on, TimesheetDay(date=on, minutes=0, entries=[]))
        day.entries.append(TimesheetEntry(enrolment_id, name, place, list(areas or []), minutes))
        day.minutes += minutes
        total += minutes
        _add_split(per_area, minutes, areas)
        per_family.setdefault(enrolment_id, [enrolment_id, name, 0])[2] += minutes
    return _sheet(assistant, month, days, total, per_area, per_family)


def timesheet(actor: User, assistant, month: dt.date) -> Timesheet:
    """One assistant's month with every entry (their own, or any assistant's for a team leader or the
    director): 2 queries."""
    if not isinstance(assistant, User):
        assistant = User.objects.filter(pk=assistant).first()
    if assistant is None or not can_view_timesheet(actor, assistant):
        raise Forbidden()
    start, end = _month_bounds(month)
    rows = list(
        AssistantActivity.objects.filter(assistant_id=assistant.pk, on__gte=start, on__lt=end)
        .order_by()
        .values_list("id", "on", "enrolment_id", "enrolment__household_id", "place", "areas", "minutes")
    )
    heads = _family_heads({row[3] for row in rows})
    record_list_view(actor, object_type="family_timesheet", person_ids=[p for _n, p in heads.values() if p])
    return _build_timesheet(assistant, start, rows, heads)


def timesheets(actor: User, month: dt.date) -> list[Timesheet]:
    """Every active family assistant of the centre's month, summed in the database: per assistant and day,
    per assistant and family, per assistant and areas (with the entries' minutes, to split them exactly as
    timesheet() does). The rows carry each day's minutes without the entries (timesheet() has them). Five
    queries for any number of assistants: the assistants, the three sums, the families' names."""
    if not can_view_assistant_loads(actor):
        raise Forbidden()
    start, end = _month_bounds(month)
    assistants = list(
        User.objects.filter(centre_id=actor.centre_id, role=Role.FAMILY_ASSISTANT, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
    )
    month_activities = AssistantActivity.objects.filter(
        centre_id=actor.centre_id, assistant_id__in=[a.pk for a in assistants], on__gte=start, on__lt=end
    ).order_by()
    per_day = month_activities.values_list("assistant_id", "on").annotate(total=Sum("minutes"))
    per_family = month_activities.values_list("assistant_id", "enrolment_id", "enrolment__household_id").annotate(
        total=Sum("minutes")
    )
    per_areas = (
        month_activities.annotate(listed=Cast("areas", TextField()))
        .values_list("assistant_id", "listed", "minutes")
        .annotate(n=Count("id"))
    )
    days: dict[int, dict[dt.date, TimesheetDay]] = defaultdict(dict)
    totals: dict[int, int] = defaultdict(int)
    for assistant_id, on, minutes in per_day:
        days[assistant_id][on] = TimesheetDay(date=on, minutes=minutes, entries=[])
        totals[assistant_id] += minutes
    family_rows = list(per_family)
    heads = _family_heads({row[2] for row in family_rows})
    families: dict[int, dict[int, list]] = defaultdict(dict)
    for assistant_id, enrolment_id, household_id, minutes in family_rows:
        families[assistant_id][enrolment_id] = [enrolment_id, _family_name(heads, household_id), minutes]
    areas: dict[int, dict[str, int]] = defaultdict(dict)
    known: dict[str, list[str]] = {}  # the areas' JSON text (a few distinct lists): its known areas
    for assistant_id, listed, minutes, n in per_areas:
        names = known.get(listed)
        if names is None:
            names = known[listed] = [a for a in json.loads(listed or "[]") or () if a in _WORK_AREAS] or [_NO_AREA]
        share, rest = divmod(minutes, len(names))  # as _split, for the n entries of these minutes
        per_area = areas[assistant_id]
        for index, area in enumerate(names):
            per_area[area] = per_area.get(area, 0) + (share + (1 if index < rest else 0)) * n
    record_list_view(actor, object_type="family_timesheet", person_ids=[p for _n, p in heads.values() if p])
    sheets = [_sheet(a, start, days[a.pk], totals[a.pk], areas[a.pk], families[a.pk]) for a in assistants]
    for sheet in sheets:
        sheet.has_entries = False
    return sheets
