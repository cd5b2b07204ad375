"""The director's and team leaders' dashboard (issue 12): counts and sums for a period, a territory and a team,
in a fixed number of grouped queries whatever the data size. Figures name no one, so reading them is not a view
of anyone's record (no audit); the drill links lead to lists and report pages that audit what they show.

What is counted (one rule each, the report's rules where the report counts the same thing):
- caseload: open cases per worker and per team today (`desk.selectors.caseload_for`), overdue items
  (`desk.overview.centre_figures`; for one chosen team, the overdue items of its workers' cases);
- activity per month: contacts (citizens heard, anonymous included) by the day they happened in the centre's
  time, and home visits done, for the 12 months ending with the period;
- aid paid: payments for the months of the period in approved, exported or reconciled runs, not cancelled,
  returned or reissued; persons and households counted once in the total and once per benefit and per fund;
  against the budget: each fund's allocation for the year and what was spent of it to the period's end (the fund
  statement of `payments.funds`);
- reasons for assistance: the cases worked during the period (opened before its end and not closed before its
  start) by qualifying circumstance; a case with two circumstances counts under each, once in the total;
- results by territory: an event counts where it happened (the locality kept on the contact, visit, case or
  payment), a territory's figure is that of its whole subtree; records with no locality count in the total only.

Team: a director may choose any team of the centre; a team leader sees their teams only (all of them, or one).
Narrowed to a team: cases, visits and reasons of the team's cases; contacts handled by its members; payments of
decisions on its cases (transfers to institutions have no case and are left out); the budget is not shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.accounts.models import Team, Territory, User
from socius.accounts.roles import Role
from socius.accounts.selectors import is_in_centre_area
from socius.benefits.timeline import benefit_label
from socius.casework import statutory
from socius.casework.models import Case, Contact, HomeVisit, VisitStatus
from socius.casework.permissions import team_ids_of
from socius.common.errors import Forbidden, ValidationFailed
from socius.common.validation import as_int
from socius.community.selectors_calendar import centre_time_zone
from socius.desk.overview import centre_figures
from socius.desk.selectors import CaseloadLine, Overdue, caseload_for
from socius.payments.funds import NOT_SPENDING, fund_statement
from socius.payments.models import Fund, Payment
from socius.payments.permissions import reads_every_payment
from socius.payments.statuses import LOCKED_RUN_STATUSES
from socius.reporting.periods import Period, month_period, parse_period
from socius.reporting.permissions import can_view_dashboard
from socius.rulebook.engine.jurisdiction import get_jurisdiction

TREND_MONTHS = 12
ZERO = Decimal("0.00")

# The measures of the territorial view: additive, so a territory's figure is the sum of its subtree's.
MEASURES: dict[str, object] = {
    "contacts": gettext_lazy("Citizens heard (contacts)"),
    "home_visits": gettext_lazy("Home visits made"),
    "cases_opened": gettext_lazy("Cases opened"),
    "amount_paid": gettext_lazy("Social aid paid (amount)"),
}
DEFAULT_MEASURE = "contacts"


# --- filters -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    period: Period
    territory: Territory | None  # None: the whole centre
    team: Team | None  # None: the whole centre (director) or all the team leader's teams
    measure: str = DEFAULT_MEASURE

    def team_ids(self, actor: User) -> tuple[int, ...] | None:
        """The teams the figures are narrowed to (None: not narrowed)."""
        if self.team is not None:
            return (self.team.pk,)
        if actor.role == Role.DIRECTOR:
            return None
        return tuple(sorted(team_ids_of(actor)))


def teams_for(actor: User) -> QuerySet[Team]:
    """The teams the actor may narrow the dashboard to: any active team of the centre for the director, the
    team leader's own teams."""
    teams = Team.objects.filter(centre_id=actor.centre_id, is_active=True).order_by("name")
    if actor.role != Role.DIRECTOR:
        teams = teams.filter(pk__in=sorted(team_ids_of(actor)))
    return teams


def default_period(actor: User, on: dt.date | None = None) -> Period:
    day = on or timezone.localdate(timezone=centre_time_zone(actor.centre))
    return month_period(day.year, day.month)


def dashboard_filters(
    actor: User, *, period=None, territory=None, team=None, measure=None, on: dt.date | None = None
) -> Filters:
    """The filters from their raw values (ids, period key), each refused on its own field: ValidationFailed with a
    message naming it; a team that is not the actor's is refused on `team` too (never another's figures)."""
    if not can_view_dashboard(actor):
        raise Forbidden()
    errors: dict[str, list[str]] = {}
    found_period = default_period(actor, on)
    if period not in (None, ""):
        try:
            found_period = parse_period(period, field="period")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    found_territory = None
    if territory not in (None, ""):
        pk = as_int(territory) if not isinstance(territory, Territory) else territory.pk
        found_territory = Territory.objects.filter(pk=pk).first() if pk else None
        if found_territory is None or not is_in_centre_area(actor.centre, found_territory):
            errors["territory"] = [_("Choose a territory of the centre's area.")]
            found_territory = None
    found_team = None
    if team not in (None, ""):
        pk = as_int(team) if not isinstance(team, Team) else team.pk
        found_team = teams_for(actor).filter(pk=pk).first() if pk else None
        if found_team is None:
            errors["team"] = [_("Choose one of the teams offered.")]
    measure = measure or DEFAULT_MEASURE
    if measure not in MEASURES:
        errors["measure"] = [_("Choose one of the measures offered.")]
    if errors:
        raise ValidationFailed(errors)
    return Filters(found_period, found_territory, found_team, measure)


# --- the territorial tree -------------------------------------------------------------------------------------


Number = int | Decimal


@dataclass
class Node:
    pk: int
    parent_id: int | None
    name: str
    level: str
    own: Number = 0  # recorded at this node itself
    value: Number = 0  # the node and its subtree
    children: list[Node] = field(default_factory=list)


def _tree(actor: User, root_id: int | None) -> tuple[dict[int, Node], Node | None]:
    """The nodes of the centre's jurisdiction under `root_id` (one query: a tree of a few thousand nodes)."""
    rows = Territory.objects.filter(jurisdiction=actor.centre.jurisdiction).values_list(
        "pk", "parent_id", "name", "level"
    )
    nodes = {pk: Node(pk, parent, name, level) for pk, parent, name, level in rows}
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.name)
    root = nodes.get(root_id) if root_id else None
    if root is None:
        return {}, None
    keep: dict[int, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        keep[node.pk] = node
        stack.extend(node.children)
    return keep, root


def _roll_up(root: Node) -> None:
    def walk(node: Node) -> Number:
        node.value = node.own + sum((walk(child) for child in node.children), type(node.own)(0))
        return node.value

    walk(root)


# --- the dashboard --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamLine:
    team: Team
    members: int
    open_cases: int
    opened: int  # in the period
    closed: int  # in the period


@dataclass(frozen=True)
class MonthActivity:
    period: Period
    contacts: int
    visits: int


@dataclass(frozen=True)
class AidLine:
    code: str
    label: str
    persons: int
    households: int
    amount: Decimal


@dataclass(frozen=True)
class BudgetLine:
    fund: Fund
    allocation: Decimal
    spent_in_period: Decimal
    spent_to_date: Decimal  # from January to the period's last month
    available: Decimal

    @property
    def share_spent(self) -> Decimal | None:
        """Spent to date as a percentage of the allocation (None without an allocation)."""
        if not self.allocation:
            return None
        return (self.spent_to_date * 100 / self.allocation).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ReasonLine:
    code: str
    label: str
    cases: int


@dataclass(frozen=True)
class TerritoryResult:
    measure: str
    root: Node | None
    groups: tuple[Node, ...]  # the root's children (communities, elderships), ranked
    localities: tuple[Node, ...]  # the nodes below them, ranked
    total: Number  # the whole scope, records with no locality included
    unlocated: Number  # records naming no locality (or the root itself)

    @property
    def is_money(self) -> bool:
        return self.measure == "amount_paid"


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    team_ids: tuple[int, ...] | None
    day: dt.date
    currency: str
    caseload: tuple[CaseloadLine, ...]
    teams: tuple[TeamLine, ...]
    overdue: Overdue
    open_cases: int
    months: tuple[MonthActivity, ...]
    aid_by_benefit: tuple[AidLine, ...]
    aid_by_fund: tuple[AidLine, ...]
    aid_total: AidLine
    budget: tuple[BudgetLine, ...] | None  # None: not shown (a team chosen, or the reader does not read funds)
    reasons: tuple[ReasonLine, ...]
    cases_in_period: int
    territories: TerritoryResult

    @property
    def period(self) -> Period:
        return self.filters.period


def _moment(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _subtree_ids(nodes: dict[int, Node]) -> list[int] | None:
    return sorted(nodes) if nodes else None


def dashboard_for(actor: User, filters: Filters, *, on: dt.date | None = None) -> Dashboard:
    """The dashboard for `filters`, as of `on` (today in the centre's time when left out)."""
    if not can_view_dashboard(actor):
        raise Forbidden()
    centre = actor.centre
    tz = centre_time_zone(centre)
    day = on or timezone.localdate(timezone=tz)
    period = filters.period
    team_ids = filters.team_ids(actor)
    root_id = filters.territory.pk if filters.territory is not None else centre.territory_id
    nodes, root = _tree(actor, root_id)
    # The whole centre is not narrowed by place; a territory narrows every figure to its subtree.
    place_ids = _subtree_ids(nodes) if filters.territory is not None else None

    def placed(qs: QuerySet, path: str) -> QuerySet:
        return qs if place_ids is None else qs.filter(**{f"{path}__in": place_ids})

    # Sources, narrowed by centre, team and place (not yet by time).
    cases = Case.objects.filter(centre_id=centre.pk)
    visits = HomeVisit.objects.filter(case__centre_id=centre.pk, status=VisitStatus.DONE)
    contacts = Contact.objects.filter(centre_id=centre.pk)
    payments = (
        Payment.objects.filter(centre_id=centre.pk, run__status__in=list(LOCKED_RUN_STATUSES))
        .exclude(status__in=list(NOT_SPENDING))
        .order_by()
    )
    if team_ids is not None:
        cases = cases.filter(team_id__in=team_ids)
        visits = visits.filter(case__team_id__in=team_ids)
        members = User.objects.filter(teams__id__in=team_ids).values("pk")
        contacts = contacts.filter(handled_by_id__in=members)
        payments = payments.filter(decision__case__team_id__in=team_ids)
    cases_placed = placed(cases, "territory_id")
    visits_placed = placed(visits, "territory_id")
    contacts_placed = placed(contacts, "territory_id")
    payments_placed = placed(payments, "territory_id")

    # Caseload and overdue items: today's, not the period's.
    team = filters.team
    caseload = tuple(caseload_for(actor, team=team, on=day))
    if team is None:
        glance = centre_figures(actor, on=day)
        overdue, open_cases = glance.overdue, glance.open_cases
    else:
        overdue = Overdue(
            visits=sum(line.overdue.visits for line in caseload),
            interviews=sum(line.overdue.interviews for line in caseload),
            plan_actions=sum(line.overdue.plan_actions for line in caseload),
            obligations=sum(line.overdue.obligations for line in caseload),
            referrals=sum(line.overdue.referrals for line in caseload),
        )
        open_cases = sum(line.open_cases for line in caseload)
    teams = _team_lines(actor, team_ids, period)

    months = _months(period, tz, contacts_placed, visits_placed)
    by_benefit, by_fund, total = _aid(payments_placed, period)
    budget = None
    if team is None and filters.territory is None and reads_every_payment(actor):
        budget = _budget(centre.pk, period)
    reasons, cases_in_period = _reasons(actor, cases_placed, period)
    territories = _territories(
        filters.measure,
        nodes,
        root,
        period,
        tz,
        cases=cases_placed,
        visits=visits_placed,
        contacts=contacts_placed,
        payments=payments_placed,
    )
    return Dashboard(
        filters=filters,
        team_ids=team_ids,
        day=day,
        currency=get_jurisdiction(centre.jurisdiction).currency,
        caseload=caseload,
        teams=teams,
        overdue=overdue,
        open_cases=open_cases,
        months=months,
        aid_by_benefit=by_benefit,
        aid_by_fund=by_fund,
        aid_total=total,
        budget=budget,
        reasons=reasons,
        cases_in_period=cases_in_period,
        territories=territories,
    )


def _team_lines(actor: User, team_ids: tuple[int, ...] | None, period: Period) -> tuple[TeamLine, ...]:
    """Per team: members, open cases today, cases opened and closed in the period (two queries)."""
    from socius.casework.statuses import OPEN_STATUSES

    teams = teams_for(actor)
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    teams = list(teams.annotate(n_members=Count("members", filter=Q(members__is_active=True), distinct=True)))
    counts = {
        row["team_id"]: row
        for row in Case.objects.filter(centre_id=actor.centre_id, team_id__in=[t.pk for t in teams])
        .values("team_id")
        .annotate(
            open=Count("id", filter=Q(status__in=list(OPEN_STATUSES))),
            opened=Count("id", filter=Q(opened_on__gte=period.start, opened_on__lt=period.end)),
            closed=Count("id", filter=Q(closed_on__gte=period.start, closed_on__lt=period.end)),
        )
        .order_by()
    }
    return tuple(
        TeamLine(
            team=t,
            members=t.n_members,
            open_cases=counts.get(t.pk, {}).get("open", 0),
            opened=counts.get(t.pk, {}).get("opened", 0),
            closed=counts.get(t.pk, {}).get("closed", 0),
        )
        for t in teams
    )


def trend_months(period: Period) -> list[Period]:
    """The 12 months ending with the period's last month, oldest first."""
    last = month_period(period.last_day.year, period.last_day.month)
    return [*last.previous_months(TREND_MONTHS - 1), last]


def _months(period: Period, tz, contacts: QuerySet, visits: QuerySet) -> tuple[MonthActivity, ...]:
    """Contacts and home visits done per month (two grouped queries)."""
    months = trend_months(period)
    first, end = months[0].start, months[-1].end
    by_contacts = {
        (row["m"].year, row["m"].month): row["n"]
        for row in contacts.filter(occurred_at__gte=_moment(first, tz), occurred_at__lt=_moment(end, tz))
        .annotate(m=TruncMonth("occurred_at", tzinfo=tz))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_visits = {
        (row["m"].year, row["m"].month): row["n"]
        for row in visits.filter(done_on__gte=first, done_on__lt=end)
        .annotate(m=TruncMonth("done_on"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    }
    return tuple(
        MonthActivity(
            m, by_contacts.get((m.start.year, m.start.month), 0), by_visits.get((m.start.year, m.start.month), 0)
        )
        for m in months
    )


def _aid(payments: QuerySet, period: Period) -> tuple[tuple[AidLine, ...], tuple[AidLine, ...], AidLine]:
    """Persons, households and amounts paid for the period's months, per benefit, per fund and in total
    (three grouped queries; distinct counts, so a person paid twice counts once in each line)."""
    paid = payments.filter(month__gte=period.start, month__lt=period.end)
    figures = {
        "persons": Count("person_id", distinct=True),
        "households": Count("household_id", distinct=True),
        "amount": Sum("amount"),
    }
    by_benefit = [
        AidLine(
            row["benefit"] or "",
            benefit_label(row["benefit"]) if row["benefit"] else _("Transfers to institutions"),
            row["persons"],
            row["households"],
            row["amount"] or ZERO,
        )
        for row in paid.values("benefit").annotate(**figures).order_by()
    ]
    fund_rows = list(paid.values("fund_id").annotate(**figures).order_by())
    names = dict(
        Fund.objects.filter(pk__in=[r["fund_id"] for r in fund_rows if r["fund_id"]]).values_list("pk", "name")
    )
    by_fund = [
        AidLine(
            str(row["fund_id"] or ""),
            names.get(row["fund_id"]) or _("No fund"),
            row["persons"],
            row["households"],
            row["amount"] or ZERO,
        )
        for row in fund_rows
    ]
    total = paid.aggregate(**figures)
    total_line = AidLine("", _("Total"), total["persons"], total["households"], total["amount"] or ZERO)

    def ranked(lines):
        return tuple(sorted(lines, key=lambda line: (-line.amount, line.label)))

    return ranked(by_benefit), ranked(by_fund), total_line


def _budget(centre_id: int, period: Period) -> tuple[BudgetLine, ...]:
    """Each active fund's year (the year of the period's end) from its statement: allocation, spent in the
    period and to its last month, available (the fund statement's rule). Five queries per fund (a centre has a
    handful)."""
    year = period.last_day.year
    lines = []
    for fund in Fund.objects.filter(centre_id=centre_id, is_active=True).order_by("code"):
        statement = fund_statement(fund, year)
        upto = [m for m in statement.months if m.month <= period.last_day]
        in_period = sum((m.spent for m in statement.months if period.start <= m.month < period.end), ZERO)
        lines.append(
            BudgetLine(
                fund=fund,
                allocation=statement.allocation,
                spent_in_period=in_period,
                spent_to_date=upto[-1].spent_to_date if upto else ZERO,
                available=statement.available,
            )
        )
    return tuple(lines)


def _reasons(actor: User, cases: QuerySet, period: Period) -> tuple[tuple[ReasonLine, ...], int]:
    """The cases worked during the period by qualifying circumstance, most frequent first, and how many cases
    (each once). One query each: the circumstances are unnested in the database."""
    worked = cases.filter(opened_on__lt=period.end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
    total = worked.count()
    counts = _count_circumstances(worked)
    labels = {
        c.code: c.label for c in statutory.circumstances(actor.centre.jurisdiction, period.last_day, get_language())
    }
    lines = [ReasonLine(code, labels.get(code, code), n) for code, n in counts.items()]
    return tuple(sorted(lines, key=lambda r: (-r.cases, r.label))), total


def _count_circumstances(cases: QuerySet) -> dict[str, int]:
    try:
        sql, params = cases.values("id", "circumstances").query.sql_with_params()
    except EmptyResultSet:  # narrowed to nothing (a team leader of no team)
        return {}
    if connection.vendor == "postgresql":
        query = (
            f"SELECT c.value, COUNT(DISTINCT s.id) FROM ({sql}) AS s "  # noqa: S608 (Django's compiled SQL)
            "CROSS JOIN LATERAL jsonb_array_elements_text(s.circumstances) AS c(value) GROUP BY c.value"
        )
    else:
        query = (
            f"SELECT c.value, COUNT(DISTINCT s.id) FROM ({sql}) AS s, "  # noqa: S608
            "json_each(s.circumstances) AS c GROUP BY c.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {str(code): n for code, n in cursor.fetchall()}


def _territories(
    measure: str, nodes, root, period: Period, tz, *, cases, visits, contacts, payments
) -> TerritoryResult:
    """The measure per territory of the scope's tree, each node's figure its subtree's (one grouped query).
    `total` counts every record of the scope; `unlocated` those naming no locality (or the scope's own node)."""
    if measure == "contacts":
        qs = contacts.filter(occurred_at__gte=_moment(period.start, tz), occurred_at__lt=_moment(period.end, tz))
        value = Count("id")
    elif measure == "home_visits":
        qs = visits.filter(done_on__gte=period.start, done_on__lt=period.end)
        value = Count("id")
    elif measure == "cases_opened":
        qs = cases.filter(opened_on__gte=period.start, opened_on__lt=period.end)
        value = Count("id")
    else:
        qs = payments.filter(month__gte=period.start, month__lt=period.end)
        value = Sum("amount")
    zero = ZERO if measure == "amount_paid" else 0
    total = unlocated = zero
    for node in nodes.values():
        node.own = zero
    for row in qs.values("territory_id").annotate(v=value).order_by():
        amount = row["v"] or zero
        total += amount
        node = nodes.get(row["territory_id"])
        if node is None or node is root:
            unlocated += amount
        else:
            node.own = amount
    if root is None:
        return TerritoryResult(measure, None, (), (), total, unlocated)
    _roll_up(root)
    groups = list(root.children)
    localities = [n for g in groups for n in _below(g)]

    def ranked(items):
        return tuple(sorted(items, key=lambda n: (-n.value, n.name)))

    return TerritoryResult(measure, root, ranked(groups), ranked(localities), total, unlocated)


def _below(node: Node) -> list[Node]:
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def classes_of(values: list[Number], count: int = 5) -> list[tuple[Number, Number]]:
    """Equal-interval classes (low, high inclusive) over the positive values for the choropleth's shading; zero
    has a class of its own (class 0)."""
    top = max((v for v in values), default=0)
    if not top:
        return []
    step = Decimal(top) / count
    bounds = []
    for index in range(count):
        low = step * index
        high = step * (index + 1)
        bounds.append((low, high))
    return bounds


def class_of(value: Number, bounds: list[tuple[Number, Number]]) -> int:
    """0 for nothing, else 1..len(bounds)."""
    if not value or not bounds:
        return 0
    for index, (_low, high) in enumerate(bounds, start=1):
        if Decimal(value) <= high:
            return index
    return len(bounds)


__all__ = [
    "DEFAULT_MEASURE",
    "MEASURES",
    "Dashboard",
    "Filters",
    "class_of",
    "classes_of",
    "dashboard_filters",
    "dashboard_for",
    "default_period",
    "teams_for",
    "trend_months",
]
