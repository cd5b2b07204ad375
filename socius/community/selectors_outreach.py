"""Reading outreach: events, potential recipients, the territory view, the community diagnosis and the counts
for the report (decision 0016).

Scoped to the actor's centre. Named attendees and potential recipients are personal data: a read that shows them
is audited under the persons named (object types "outreach_event" and "potential_recipient"). The territory view
and the diagnosis are counts: they name no one. Every read is set-based (a fixed number of queries whatever the
number of territories, events or persons).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import Centre, Territory, User
from socius.accounts.selectors import is_in_centre_area
from socius.benefits.models import Decision as BenefitDecision
from socius.benefits.statuses import DecisionStatus as BenefitStatus
from socius.benefits.statuses import GrantState
from socius.casework.models import Case
from socius.casework.statuses import OPEN_STATUSES
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.errors import TerritoryOutsideCentre
from socius.community.models import EventAttendee, EventFollowUp, LeafletCount, OutreachEvent, PotentialRecipient
from socius.community.outreach import as_int
from socius.community.permissions import can_view_community
from socius.community.statuses import EventStatus, RecipientStatus
from socius.registry.models import Membership, Person
from socius.services.models import ServiceDecision
from socius.services.statuses import DecisionStatus as ServiceStatus

EVENT_OBJECT = "outreach_event"
RECIPIENT_OBJECT = "potential_recipient"


def _require_view(actor: User) -> None:
    if not (actor and actor.is_authenticated and can_view_community(actor)):
        raise Forbidden()


def subtree_q(root_id: int, prefix: str = "") -> Q:
    """The territory `root_id` and every node below it (trees are at most five levels deep), as a filter on
    `<prefix>id` / `<prefix>parent…`."""
    p = prefix
    return (
        Q(**{f"{p}pk" if not p else f"{p}id": root_id})
        | Q(**{f"{p}parent_id": root_id})
        | Q(**{f"{p}parent__parent_id": root_id})
        | Q(**{f"{p}parent__parent__parent_id": root_id})
        | Q(**{f"{p}parent__parent__parent__parent_id": root_id})
    )


def _territory_in_area(actor: User, territory) -> Territory:
    """The territory `territory` (object or pk), refused when it is outside the centre's area."""
    pk = as_int(territory)
    found = Territory.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound()
    if not is_in_centre_area(actor.centre, found):
        raise TerritoryOutsideCentre(found)
    return found


def _territory_filter(actor: User, territory) -> int:
    """A territory a list is filtered by: unknown is a 400 on the filter; outside the centre's area a refusal."""
    try:
        return _territory_in_area(actor, territory).pk
    except NotFound:
        raise ValidationFailed({"territory": [_("Choose a territory of your centre's area.")]}) from None


# --- events -----------------------------------------------------------------------------------------------


def list_events_for(
    actor: User,
    *,
    territory=None,
    kind: str | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    staff=None,
    search: str | None = None,
) -> QuerySet[OutreachEvent]:
    """The centre's outreach events, newest first, narrowed by the filters (`territory`: that node and its
    subtree). Each row carries `recipient_count` and `leaflet_total`; the territory and staff are loaded with it
    (three queries for any page). Names no one: not audited."""
    _require_view(actor)
    qs = OutreachEvent.objects.filter(centre_id=actor.centre_id)
    if territory not in (None, ""):
        qs = qs.filter(subtree_q(_territory_filter(actor, territory), "territory__"))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if staff not in (None, ""):
        qs = qs.filter(
            pk__in=OutreachEvent.staff.through.objects.filter(user_id=as_int(staff)).values("outreachevent_id")
        )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(place__icontains=search) | Q(territory__name__icontains=search))
    recipients = PotentialRecipient.objects.filter(event_id=OuterRef("pk")).values("event_id")
    leaflets = LeafletCount.objects.filter(event_id=OuterRef("pk")).values("event_id")
    return (
        qs.annotate(
            recipient_count=Subquery(recipients.annotate(n=Count("id")).values("n")[:1]),
            leaflet_total=Subquery(leaflets.annotate(n=Sum("count")).values("n")[:1]),
        )
        .select_related("territory", "territory__parent")
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("last_name", "first_name")))
        .order_by("-date", "-id")
    )


def get_event_for(actor: User, pk, *, audit: bool = True) -> OutreachEvent:
    """One event with its partners, named attendees, leaflets, follow-ups and potential recipients (a fixed
    number of queries). The read is audited under every person it shows (the named attendees and recipients)."""
    _require_view(actor)
    event_id = as_int(pk)
    event = (
        OutreachEvent.objects.filter(pk=event_id, centre_id=actor.centre_id)
        .select_related("territory", "territory__parent", "held_recorded_by", "created_by")
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("last_name", "first_name")),
            "partners",
            Prefetch("attendees", queryset=EventAttendee.objects.select_related("person").order_by("id")),
            "leaflets",
            Prefetch("follow_ups", queryset=EventFollowUp.objects.select_related("responsible")),
            Prefetch(
                "potential_recipients",
                queryset=PotentialRecipient.objects.select_related(
                    "person", "territory", "contact", "referral"
                ).order_by("id"),
            ),
        )
        .first()
        if event_id is not None
        else None
    )
    if event is None:
        raise NotFound()
    if audit:
        audit_event_read(actor, event)
    return event


def event_person_ids(event: OutreachEvent) -> list[int]:
    ids = [a.person_id for a in event.attendees.all() if a.person_id]
    ids += [r.person_id for r in event.potential_recipients.all() if r.person_id]
    return list(dict.fromkeys(ids))


def audit_event_read(actor: User, event: OutreachEvent) -> None:
    """One VIEW event naming the attendees and recipients the event page shows. An event naming no registered
    person still records that it was read when it shows names (attendees or recipients not in the registry)."""
    person_ids = event_person_ids(event)
    named = person_ids or any(a.name for a in event.attendees.all()) or bool(event.potential_recipients.all())
    if named:
        record_view(
            actor, object_type=EVENT_OBJECT, object_id=event.pk, centre_id=event.centre_id, person_ids=person_ids
        )


# --- potential recipients ---------------------------------------------------------------------------------


def list_recipients_for(
    actor: User,
    *,
    status: str | None = None,
    event=None,
    territory=None,
    search: str | None = None,
) -> QuerySet[PotentialRecipient]:
    """The centre's potential recipients (to follow up first, then newest). Audit what is shown with
    `audit_recipients_shown(actor, rows, query)`."""
    _require_view(actor)
    qs = PotentialRecipient.objects.filter(centre_id=actor.centre_id)
    if status:
        qs = qs.filter(status=status)
    if event not in (None, ""):
        qs = qs.filter(event_id=as_int(event))
    if territory not in (None, ""):
        qs = qs.filter(subtree_q(_territory_filter(actor, territory), "territory__"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search) | Q(need__icontains=search))
    return qs.select_related("event", "event__territory", "territory", "person", "found_by").order_by(
        "-found_on", "-id"
    )


def audit_recipients_shown(actor: User, rows, query: str = "") -> None:
    """One VIEW event for a page of potential recipients, naming the registered persons among them."""
    rows = list(rows)
    person_ids = [r.person_id for r in rows if r.person_id]
    if person_ids:
        record_list_view(actor, object_type=RECIPIENT_OBJECT, person_ids=person_ids, query=query)
    elif rows:
        record_view(actor, object_type=RECIPIENT_OBJECT, object_id=None, centre_id=actor.centre_id)


def get_recipient_for(actor: User, pk, *, audit: bool = True) -> PotentialRecipient:
    _require_view(actor)
    rid = as_int(pk)
    recipient = (
        PotentialRecipient.objects.filter(pk=rid, centre_id=actor.centre_id)
        .select_related("event", "event__territory", "territory", "person", "contact", "referral", "found_by")
        .first()
        if rid is not None
        else None
    )
    if recipient is None:
        raise NotFound()
    if audit:
        record_view(
            actor,
            object_type=RECIPIENT_OBJECT,
            object_id=recipient.pk,
            centre_id=recipient.centre_id,
            person_id=recipient.person_id,
        )
    return recipient


# --- the territory view -----------------------------------------------------------------------------------

VISITED, PLANNED, NOT_REACHED = "visited", "planned", "not_reached"


@dataclass
class TerritoryRow:
    territory_id: int
    name: str
    level: str
    parent_id: int | None
    depth: int  # 1 for the root's children
    held_count: int = 0  # held events in the year, here and below
    last_held_on: dt.date | None = None
    planned_count: int = 0  # planned events from `on` on, here and below
    next_planned_on: dt.date | None = None
    child_count: int = 0

    @property
    def state(self) -> str:
        if self.held_count:
            return VISITED
        if self.planned_count:
            return PLANNED
        return NOT_REACHED


@dataclass
class TerritoryView:
    root: Territory
    year: int
    on: dt.date
    rows: list[TerritoryRow]  # depth first, by name: the tree under the root
    counts: dict[str, int] = field(default_factory=dict)  # {visited, planned, not_reached} of the root's children

    def children_of(self, territory_id: int) -> list[TerritoryRow]:
        return [r for r in self.rows if r.parent_id == territory_id]


def _subtree_nodes(root_id: int) -> list[tuple[int, str, str, int]]:
    """(id, name, level, parent_id) of every node below `root_id`: one recursive query walking the parent index
    (portable SQL: PostgreSQL and SQLite), cheaper than the ancestry joins of `subtree_q` over a whole district."""
    sql = (  # accounts_territory is Territory's table (checked by the tests of the territory view)
        "WITH RECURSIVE sub(id, name, level, parent_id) AS ("
        "SELECT id, name, level, parent_id FROM accounts_territory WHERE parent_id = %s "
        "UNION ALL SELECT t.id, t.name, t.level, t.parent_id FROM accounts_territory t JOIN sub ON t.parent_id = sub.id"
        ") SELECT id, name, level, parent_id FROM sub"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id])
        return cursor.fetchall()


def _tree_rows(root: Territory) -> list[TerritoryRow]:
    nodes = _subtree_nodes(root.pk)
    children: dict[int | None, list] = defaultdict(list)
    for node in nodes:
        children[node[3]].append(node)
    rows: list[TerritoryRow] = []

    def walk(parent_id: int, depth: int) -> None:
        for pk, name, level, parent in sorted(children.get(parent_id, ()), key=lambda n: (n[1].casefold(), n[0])):
            rows.append(TerritoryRow(pk, name, level, parent, depth, child_count=len(children.get(pk, ()))))
            walk(pk, depth + 1)

    walk(root.pk, 1)
    return rows


def territory_view(actor: User, root=None, year: int | None = None, *, on: dt.date) -> TerritoryView:
    """Every node under `root` (the centre's territory when left out) with what happened there in `year` (the
    year of `on` when left out): visited (held events in the year, here or below, and the last day), planned
    (planned events from `on` on), or not reached. Two queries for any size: the tree and one aggregate of the
    events per territory; the roll-up to the parents is done here."""
    _require_view(actor)
    if root in (None, ""):
        if not actor.centre.territory_id:
            raise NotFound()
        root = actor.centre.territory
    else:
        root = _territory_in_area(actor, root)
    year = year or on.year
    rows = _tree_rows(root)
    by_id = {row.territory_id: row for row in rows}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    held = Q(status=EventStatus.HELD, date__gte=first, date__lte=last)
    planned = Q(status=EventStatus.PLANNED, date__gte=on)
    if year < on.year:
        planned &= Q(date__lte=last)  # a past year has nothing planned ahead
    aggregates = (
        OutreachEvent.objects.filter(centre_id=actor.centre_id)  # all in the centre's area; others are skipped
        .filter(held | planned)
        .values("territory_id")
        .annotate(
            held_count=Count("id", filter=held),
            last_held_on=Max("date", filter=held),
            planned_count=Count("id", filter=planned),
            next_planned_on=Min("date", filter=planned),
        )
    )
    for agg in aggregates:
        node = by_id.get(agg["territory_id"])
        while node is not None:  # the event counts here and in every ancestor below the root
            node.held_count += agg["held_count"]
            node.planned_count += agg["planned_count"]
            if agg["last_held_on"] and (node.last_held_on is None or agg["last_held_on"] > node.last_held_on):
                node.last_held_on = agg["last_held_on"]
            if agg["next_planned_on"] and (
                node.next_planned_on is None or agg["next_planned_on"] < node.next_planned_on
            ):
                node.next_planned_on = agg["next_planned_on"]
            node = by_id.get(node.parent_id)
    counts = Counter(row.state for row in rows if row.depth == 1)
    return TerritoryView(
        root=root,
        year=year,
        on=on,
        rows=rows,
        counts={VISITED: counts[VISITED], PLANNED: counts[PLANNED], NOT_REACHED: counts[NOT_REACHED]},
    )


# --- the community diagnosis ------------------------------------------------------------------------------


@dataclass
class Diagnosis:
    territory: Territory
    on: dt.date
    population: int  # persons of the registry living there (their household's place, else their own)
    households: int
    open_cases: int
    cases_by_circumstance: list[tuple[str, int]]  # most frequent first
    beneficiaries: int  # persons who are the party of a benefit decision in force
    benefits: list[tuple[str, int]]  # benefit code, decisions in force
    service_clients: int
    services: list[tuple[str, int]]  # service code, decisions in force
    recipients: dict[str, int]  # found, open, contacted, referred, dismissed (found this year)
    events: dict[str, int]  # held this year, planned from `on`


def _residents(centre_id: int, root_id: int, on: dt.date) -> QuerySet[Person]:
    """Persons living in the subtree: the territory of their current household when they have one, else their
    own."""
    current = Membership.objects.filter(person_id=OuterRef("pk"), valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )
    in_place = current.filter(subtree_q(root_id, "household__territory__"))
    return Person.objects.filter(centre_id=centre_id).filter(
        Exists(in_place) | (~Exists(current) & subtree_q(root_id, "territory__"))
    )


def community_diagnosis(actor: User, territory=None, *, on: dt.date) -> Diagnosis:
    """Counts for one territory (the centre's when left out) and everything below it: population of the registry,
    open cases by circumstance, beneficiaries of benefits in force, services received (service decisions in
    force), potential recipients found this year and what became of them, events held this year. Names no one."""
    _require_view(actor)
    if territory in (None, ""):
        if not actor.centre.territory_id:
            raise NotFound()
        territory = actor.centre.territory_id
    root = _territory_in_area(actor, territory)
    centre_id = actor.centre_id
    residents = _residents(centre_id, root.pk, on)
    resident_ids = residents.values("pk")
    population = residents.count()
    households = (
        Membership.objects.filter(person_id__in=resident_ids, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
        .values("household_id")
        .distinct()
        .count()
    )
    cases = Case.objects.filter(centre_id=centre_id, status__in=OPEN_STATUSES).filter(
        Q(person_id__in=resident_ids) | Q(household__territory__in=Territory.objects.filter(subtree_q(root.pk)))
    )
    circumstances: Counter = Counter()
    open_cases = 0
    for row in cases.values_list("circumstances", flat=True):
        open_cases += 1
        circumstances.update(row or [])
    month_start = on.replace(day=1)
    benefit_rows = (
        BenefitDecision.objects.filter(
            centre_id=centre_id,
            status=BenefitStatus.APPROVED,
            state=GrantState.ACTIVE,
            period_from__lte=on,
            applicant_id__in=resident_ids,
        )
        .filter(Q(period_to__isnull=True) | Q(period_to__gte=month_start))
        .values_list("benefit", "applicant_id")
    )
    benefits: Counter = Counter()
    beneficiaries: set[int] = set()
    for benefit, applicant in benefit_rows:
        benefits[benefit] += 1
        beneficiaries.add(applicant)
    service_rows = (
        ServiceDecision.objects.filter(
            centre_id=centre_id, status=ServiceStatus.ISSUED, starts_on__lte=on, person_id__in=resident_ids
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values_list("service_code", "person_id")
    )
    services: Counter = Counter()
    clients: set[int] = set()
    for code, person in service_rows:
        services[code] += 1
        clients.add(person)
    first = dt.date(on.year, 1, 1)
    rec = (
        PotentialRecipient.objects.filter(centre_id=centre_id, found_on__gte=first, found_on__lte=on)
        .filter(subtree_q(root.pk, "territory__"))
        .aggregate(
            found=Count("id"),
            open=Count("id", filter=Q(status=RecipientStatus.OPEN)),
            contacted=Count("id", filter=Q(status=RecipientStatus.CONTACTED)),
            referred=Count("id", filter=Q(status=RecipientStatus.REFERRED)),
            dismissed=Count("id", filter=Q(status=RecipientStatus.DISMISSED)),
        )
    )
    events = (
        OutreachEvent.objects.filter(centre_id=centre_id)
        .filter(subtree_q(root.pk, "territory__"))
        .aggregate(
            held=Count("id", filter=Q(status=EventStatus.HELD, date__gte=first, date__lte=on)),
            planned=Count("id", filter=Q(status=EventStatus.PLANNED, date__gte=on)),
        )
    )
    return Diagnosis(
        territory=root,
        on=on,
        population=population,
        households=households,
        open_cases=open_cases,
        cases_by_circumstance=sorted(circumstances.items(), key=lambda kv: (-kv[1], kv[0])),
        beneficiaries=len(beneficiaries),
        benefits=sorted(benefits.items(), key=lambda kv: (-kv[1], kv[0])),
        service_clients=len(clients),
        services=sorted(services.items(), key=lambda kv: (-kv[1], kv[0])),
        recipients=rec,
        events=events,
    )


# --- counts for the report (issue 12) ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutreachCounts:
    start: dt.date
    end: dt.date
    events_held_by_kind: dict[str, int]
    events_held: int
    headcount: int  # attendance (headcounts summed)
    named_attendees: int
    leaflets_by_service: dict[str, int]
    recipients_found: int
    recipients_contacted: int  # became contacts in the period (counted once each)
    recipients_referred: int
    recipients_dismissed: int


def outreach_counts(centre: Centre | int, start: dt.date, end: dt.date) -> OutreachCounts:
    """What the centre's outreach did from `start` to `end` (inclusive), for the report: four queries."""
    centre_id = as_int(centre)
    held = OutreachEvent.objects.filter(centre_id=centre_id, status=EventStatus.HELD, date__gte=start, date__lte=end)
    by_kind = dict(held.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    totals = held.aggregate(events=Count("id"), headcount=Sum("headcount"))
    named = EventAttendee.objects.filter(event__in=held).count()
    leaflets = dict(
        LeafletCount.objects.filter(event__in=held)
        .values_list("service_code")
        .annotate(n=Sum("count"))
        .order_by("service_code")
    )
    recipients = PotentialRecipient.objects.filter(centre_id=centre_id).aggregate(
        found=Count("id", filter=Q(found_on__gte=start, found_on__lte=end)),
        contacted=Count(
            "id",
            filter=Q(status=RecipientStatus.CONTACTED, converted_on__gte=start, converted_on__lte=end),
        ),
        referred=Count(
            "id",
            filter=Q(status=RecipientStatus.REFERRED, converted_on__gte=start, converted_on__lte=end),
        ),
        dismissed=Count(
            "id", filter=Q(status=RecipientStatus.DISMISSED, updated_at__date__gte=start, updated_at__date__lte=end)
        ),
    )
    return OutreachCounts(
        start=start,
        end=end,
        events_held_by_kind=by_kind,
        events_held=totals["events"] or 0,
        headcount=totals["headcount"] or 0,
        named_attendees=named,
        leaflets_by_service=leaflets,
        recipients_found=recipients["found"],
        recipients_contacted=recipients["contacted"],
        recipients_referred=recipients["referred"],
        recipients_dismissed=recipients["dismissed"],
    )
