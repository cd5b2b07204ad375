"""Read model: one case's whole timeline, newest first, merged from the three append-only event tables.

Casework writes CaseEvent (lifecycle, sharing, visits, social work, referrals, documents), assessments
write AssessmentEvent and plans write PlanEvent; each app keeps its own table so a lower app never learns
of a higher one. This module, above all three, merges them in SQL (UNION ALL ordered by time, paged with
LIMIT/OFFSET), so a page costs the same few queries whatever the case's history: the page, its count,
and one query for the users named on it.

Content: every entry is case content. `case_timeline_for` fetches the case with `get_case_content_for`
(NotFound outside the centre, Forbidden without content access, the view audited); `case_timeline` takes
a case already fetched that way (the case page, which has audited it once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import CharField, QuerySet, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.models import User
from socius.assessments.models import AssessmentEvent, AssessmentEventKind, AssessmentKind
from socius.casework.models import (
    ActivityType,
    Case,
    CaseEvent,
    CaseEventKind,
    DocumentKind,
)
from socius.casework.selectors import get_case_content_for
from socius.casework.statuses import CaseStatus, ClosureReason, ReferralStatus
from socius.desk.selectors import TimelineKind
from socius.plans.models import Consequence, ContractVariant, PlanEvent, PlanEventKind
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Group:
    """What a reader filters the case timeline by: the household timeline's kinds of record (but its
    contacts, which belong to no case), and the case's documents."""

    CASE = TimelineKind.CASE
    VISIT = TimelineKind.VISIT
    ACTIVITY = TimelineKind.ACTIVITY
    REFERRAL = TimelineKind.REFERRAL
    ASSESSMENT = TimelineKind.ASSESSMENT
    PLAN = TimelineKind.PLAN
    CONTRACT = TimelineKind.CONTRACT
    DOCUMENT = "document"

    CHOICES = (
        *((value, label) for value, label in TimelineKind.CHOICES if value != TimelineKind.CONTACT),
        (DOCUMENT, gettext_lazy("Documents")),
    )
    ALL = frozenset(value for value, _label in CHOICES)


# Which event kinds of each table belong to each group.
CASE_EVENT_GROUPS: dict[str, str] = {
    CaseEventKind.OPENED: Group.CASE,
    CaseEventKind.STATUS_CHANGED: Group.CASE,
    CaseEventKind.REASSIGNED: Group.CASE,
    CaseEventKind.SHARED: Group.CASE,
    CaseEventKind.UNSHARED: Group.CASE,
    CaseEventKind.NOTE: Group.CASE,
    CaseEventKind.VISIT_PLANNED: Group.VISIT,
    CaseEventKind.VISIT_DONE: Group.VISIT,
    CaseEventKind.VISIT_CANCELLED: Group.VISIT,
    CaseEventKind.ACTIVITY_RECORDED: Group.ACTIVITY,
    CaseEventKind.REFERRAL_SENT: Group.REFERRAL,
    CaseEventKind.REFERRAL_RECEIVED: Group.REFERRAL,
    CaseEventKind.REFERRAL_STATUS_CHANGED: Group.REFERRAL,
    CaseEventKind.DOCUMENT_ATTACHED: Group.DOCUMENT,
    CaseEventKind.DOCUMENT_REMOVED: Group.DOCUMENT,
}
CONTRACT_EVENT_KINDS = frozenset(
    {
        PlanEventKind.CONTRACT_DRAFTED,
        PlanEventKind.OBLIGATION_ADDED,
        PlanEventKind.CONTRACT_SIGNED,
        PlanEventKind.CONTRACT_STARTED,
        PlanEventKind.CONTRACT_FULFILLED,
        PlanEventKind.CONTRACT_BREACHED,
        PlanEventKind.CONTRACT_REFUSED,
        PlanEventKind.CONTRACT_TERMINATED,
        PlanEventKind.FLAG_CLEARED,
    }
)
PLAN_EVENT_GROUPS: dict[str, str] = {
    kind: (Group.CONTRACT if kind in CONTRACT_EVENT_KINDS else Group.PLAN) for kind in PlanEventKind.values
}

SOURCE_CASE, SOURCE_ASSESSMENT, SOURCE_PLAN = "case", "assessment", "plan"
_LABELS = {
    SOURCE_CASE: dict(CaseEventKind.choices),
    SOURCE_ASSESSMENT: dict(AssessmentEventKind.choices),
    SOURCE_PLAN: dict(PlanEventKind.choices),
}
_GROUPS = {SOURCE_CASE: CASE_EVENT_GROUPS, SOURCE_PLAN: PLAN_EVENT_GROUPS}


@dataclass
class Entry:
    """One row of the case timeline, whichever table it came from."""

    source: str
    id: int
    at: dt.datetime
    kind: str
    actor_id: int | None
    data: dict
    actor_name: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        return _GROUPS.get(self.source, {}).get(self.kind, Group.ASSESSMENT)

    @property
    def label(self) -> str:
        return str(_LABELS[self.source].get(self.kind, self.kind))

    @property
    def key(self) -> str:
        """Unique across the three tables (the ids of each table overlap)."""
        return f"{self.source}-{self.id}"


def _rows(model, source: str, case_id: int, kinds: list[str] | None) -> QuerySet:
    qs = model.objects.filter(case_id=case_id)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return (
        qs.order_by()
        .annotate(source=Value(source, output_field=CharField()))
        .values_list("source", "id", "at", "kind", "actor_id", "data")
    )


def _kinds_for(groups: frozenset[str], mapping: dict[str, str]) -> list[str]:
    return [kind for kind, group in mapping.items() if group in groups]


def timeline_rows(case_id: int, groups: frozenset[str] | set[str] | None = None) -> QuerySet:
    """The case's events of `groups` (all when None) as one UNION ALL query, newest first.

    Rows are tuples (source, id, at, kind, actor_id, data); slice it (LIMIT/OFFSET) and count it in SQL."""
    wanted = Group.ALL & set(groups or ()) or Group.ALL
    parts = []
    case_kinds = _kinds_for(wanted, CASE_EVENT_GROUPS)
    if case_kinds:
        parts.append(_rows(CaseEvent, SOURCE_CASE, case_id, None if wanted == Group.ALL else case_kinds))
    if Group.ASSESSMENT in wanted:
        parts.append(_rows(AssessmentEvent, SOURCE_ASSESSMENT, case_id, None))
    plan_kinds = _kinds_for(wanted, PLAN_EVENT_GROUPS)
    if plan_kinds:
        parts.append(_rows(PlanEvent, SOURCE_PLAN, case_id, None if wanted == Group.ALL else plan_kinds))
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    # "source" breaks ties between tables written in the same microsecond, "id" within one.
    return combined.order_by("-at", "-source", "-id")


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    page: Page
    groups: frozenset[str]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def case_timeline(
    case: Case, *, groups=None, page: int | str | None = 1, per_page: int = PAGE_SIZE, centre_id: int | None = None
) -> TimelinePage:
    """A page of the timeline of a case already fetched with `get_case_content_for`, newest first, each
    entry described in words. Three queries: the count, the page, the users it names."""
    wanted = frozenset(Group.ALL & set(groups or ())) or Group.ALL
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    paginator = Paginator(timeline_rows(case.pk, wanted), per_page)
    current = paginator.get_page(page)
    entries = described_entries(current.object_list, centre_id if centre_id is not None else case.centre_id)
    return TimelinePage(entries=entries, page=current, groups=wanted)


def case_timeline_for(actor: User, case_id, **options) -> TimelinePage:
    """`case_timeline` of a case the actor may read (NotFound / Forbidden otherwise; the view audited)."""
    case = get_case_content_for(actor, case_id)
    return case_timeline(case, **options)


# --- describing entries in words ---------------------------------------------------------------------


def _day(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return "—"


def _clock(value) -> str:
    try:
        return formats.time_format(dt.time.fromisoformat(value), "TIME_FORMAT")
    except (TypeError, ValueError):
        return "—"


def _move(choices, data: dict) -> str:
    labels = dict(choices)
    return _("%(from)s → %(to)s") % {"from": labels.get(data.get("from"), "—"), "to": labels.get(data.get("to"), "—")}


def _user_ids(entries: list[Entry]) -> set[int]:
    ids = {e.actor_id for e in entries if e.actor_id}
    for e in entries:
        if e.source != SOURCE_CASE:
            continue
        if e.kind == CaseEventKind.REASSIGNED:
            ids.update(v for v in (e.data.get("from"), e.data.get("to")) if isinstance(v, int))
        elif e.kind in (CaseEventKind.SHARED, CaseEventKind.UNSHARED, CaseEventKind.OPENED):
            value = e.data.get("user") or e.data.get("assigned_worker")
            if isinstance(value, int):
                ids.add(value)
    return ids


def described_entries(rows, centre_id: int) -> list[Entry]:
    """Rows of `timeline_rows` (a page of them) as entries described in words (one query for the users)."""
    entries = [Entry(*row) for row in rows]
    for entry in entries:
        entry.data = entry.data if isinstance(entry.data, dict) else {}
    describe(entries, centre_id)
    return entries


def describe(entries: list[Entry], centre_id: int) -> None:
    """Fill each entry's `actor_name` and `lines` (what happened, in the reader's language): one query."""
    ids = _user_ids(entries)
    users = User.objects.filter(centre_id=centre_id).in_bulk(ids) if ids else {}

    def name(user_id) -> str:
        user = users.get(user_id)
        return (user.get_full_name() or user.username) if user else "—"

    describers = {SOURCE_CASE: _case_lines, SOURCE_ASSESSMENT: _assessment_lines, SOURCE_PLAN: _plan_lines}
    for entry in entries:
        entry.actor_name = name(entry.actor_id) if entry.actor_id else ""
        lines = describers[entry.source](entry, name)
        if entry.data.get("note") and entry.kind != PlanEventKind.PLAN_REVIEWED:
            lines.append(_("Note: %(note)s") % {"note": entry.data["note"]})
        entry.lines = [str(line) for line in lines]


def _case_lines(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == CaseEventKind.STATUS_CHANGED:
        lines = [_move(CaseStatus.choices, data)]
        if data.get("on") and data["on"] != timezone.localtime(entry.at).date().isoformat():
            lines.append(_("With effect from %(date)s") % {"date": _day(data["on"])})  # recorded late
        if data.get("closure_reason"):
            reasons = dict(ClosureReason.choices)
            lines.append(_("Closure reason: %(reason)s") % {"reason": reasons.get(data["closure_reason"], "—")})
        if data.get("reason"):
            lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        return lines
    if kind == CaseEventKind.REASSIGNED:
        lines = [_("%(from)s → %(to)s") % {"from": name(data.get("from")), "to": name(data.get("to"))}]
        if data.get("reason"):
            lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        return lines
    if kind in (CaseEventKind.SHARED, CaseEventKind.UNSHARED):
        return [name(data.get("user"))]
    if kind == CaseEventKind.OPENED:
        return (
            [_("Assigned worker: %(name)s") % {"name": name(data["assigned_worker"])}]
            if data.get("assigned_worker")
            else []
        )
    if kind == CaseEventKind.VISIT_PLANNED:
        if data.get("planned_time"):
            return [
                _("Planned for %(date)s at %(time)s")
                % {"date": _day(data.get("planned_on")), "time": _clock(data["planned_time"])}
            ]
        return [_("Planned for %(date)s") % {"date": _day(data.get("planned_on"))}]
    if kind == CaseEventKind.VISIT_DONE:
        if data.get("done_time"):
            when = {"date": _day(data.get("done_on")), "time": _clock(data["done_time"])}
            return [_("Done on %(date)s at %(time)s") % when]
        return [_("Done on %(date)s") % {"date": _day(data.get("done_on"))}]
    if kind == CaseEventKind.VISIT_CANCELLED:
        return [_("Reason: %(reason)s") % {"reason": data["reason"]}] if data.get("reason") else []
    if kind == CaseEventKind.ACTIVITY_RECORDED:
        types = dict(ActivityType.choices)
        return [
            _("%(type)s, %(date)s, %(minutes)s min")
            % {
                "type": types.get(data.get("type"), "—"),
                "date": _day(data.get("performed_on")),
                "minutes": data.get("duration_minutes"),
            }
        ]
    if kind in (CaseEventKind.REFERRAL_SENT, CaseEventKind.REFERRAL_RECEIVED):
        return [
            _("Partner institution: %(name)s") % {"name": data.get("partner_name") or "—"},
            _("Response due on %(date)s") % {"date": _day(data.get("response_due_on"))},
        ]
    if kind == CaseEventKind.REFERRAL_STATUS_CHANGED:
        lines = [_move(ReferralStatus.choices, data)]
        if data.get("outcome"):
            lines.append(_("Outcome: %(outcome)s") % {"outcome": data["outcome"]})
        return lines
    if kind in (CaseEventKind.DOCUMENT_ATTACHED, CaseEventKind.DOCUMENT_REMOVED):
        kinds = dict(DocumentKind.choices)
        if data.get("kind") in kinds:
            return [f"{data.get('title', '—')} ({kinds[data['kind']]})"]
        return [str(data.get("title") or "—")]
    return []


def _assessment_lines(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == AssessmentEventKind.STARTED:
        lines = [str(dict(AssessmentKind.choices).get(data.get("kind"), "—"))]
        if data.get("due_on"):
            lines.append(_("Due on %(date)s") % {"date": _day(data["due_on"])})
        return lines
    if kind == AssessmentEventKind.COMPLETED:
        lines = [_("Completed on %(date)s") % {"date": _day(data.get("on"))}]
        if data.get("renewal_due_on"):
            lines.append(_("Renewal due on %(date)s") % {"date": _day(data["renewal_due_on"])})
        return lines
    if kind == AssessmentEventKind.SIGNED:
        return [_("Signed on %(date)s") % {"date": _day(data.get("on"))}]
    return []


def _plan_lines(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == PlanEventKind.PLAN_CREATED:
        return [str(data.get("title") or "—")]
    if kind == PlanEventKind.PLAN_STATUS_CHANGED:
        return [_move(PlanStatus.choices, data)]
    if kind == PlanEventKind.ACTION_STATUS_CHANGED:
        return [_move(ActionStatus.choices, data)]
    if kind == PlanEventKind.PLAN_REVIEWED:
        lines = [_("Reviewed on %(date)s") % {"date": _day(data.get("on"))}]
        if data.get("note"):
            lines.append(_("Note: %(note)s") % {"note": data["note"]})
        if data.get("next_review_on"):
            lines.append(_("Next review on %(date)s") % {"date": _day(data["next_review_on"])})
        return lines
    if kind == PlanEventKind.CONTRACT_DRAFTED:
        return [str(dict(ContractVariant.choices).get(data.get("variant"), "—"))]
    if kind in CONTRACT_EVENT_KINDS and "to" in data:
        lines = [_move(ContractStatus.choices, data)]
        if data.get("on"):
            lines.append(_("From %(date)s") % {"date": _day(data["on"])})
        if data.get("consequence"):
            consequences = dict(Consequence.choices)
            lines.append(
                _("Consequence: %(consequence)s") % {"consequence": consequences.get(data["consequence"], "—")}
            )
        if data.get("legal_basis"):
            lines.append(_("Legal basis: %(basis)s") % {"basis": data["legal_basis"]})
        return lines
    if kind == PlanEventKind.FLAG_CLEARED and data.get("reason"):
        return [_("Reason: %(reason)s") % {"reason": data["reason"]}]
    return []
