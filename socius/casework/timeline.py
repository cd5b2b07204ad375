"""What casework offers the read models of `socius.desk`: its case events, contacts, home visits, social
work and referrals on the timelines, and the visits and referrals due on the worker's desk.

Described in words here, beside the tables, in the reader's language; unioned and paged by the desk app.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.casework.models import (
    ActivityType,
    CaseEvent,
    CaseEventKind,
    Contact,
    DocumentKind,
    HomeVisit,
    Referral,
    SocialWorkActivity,
    VisitStatus,
)
from socius.casework.selectors import worker_desk
from socius.casework.selectors_referrals import referrals_awaiting_answer_for
from socius.casework.statuses import CaseStatus, ClosureReason, ReferralStatus
from socius.common.timeline import (
    DeskSection,
    Entry,
    EventTable,
    Group,
    HistoryScope,
    TimelineItem,
    TimelineSource,
    clock_text,
    day_start,
    day_text,
    desk_ref,
    move_text,
)

CONTACT = Group("contact", gettext_lazy("Contacts"), 10, in_case_timeline=False)
CASE = Group("case", gettext_lazy("Case events"), 20)
VISIT = Group("visit", gettext_lazy("Home visits"), 30)
ACTIVITY = Group("activity", gettext_lazy("Social work"), 40)
REFERRAL = Group("referral", gettext_lazy("Referrals"), 80)
DOCUMENT = Group("document", gettext_lazy("Documents"), 90, in_household_timeline=False)

# Which case events belong to each group.
CASE_EVENT_GROUPS: dict[str, str] = {
    CaseEventKind.OPENED: CASE.code,
    CaseEventKind.STATUS_CHANGED: CASE.code,
    CaseEventKind.REASSIGNED: CASE.code,
    CaseEventKind.SHARED: CASE.code,
    CaseEventKind.UNSHARED: CASE.code,
    CaseEventKind.NOTE: CASE.code,
    CaseEventKind.VISIT_PLANNED: VISIT.code,
    CaseEventKind.VISIT_DONE: VISIT.code,
    CaseEventKind.VISIT_CANCELLED: VISIT.code,
    CaseEventKind.ACTIVITY_RECORDED: ACTIVITY.code,
    CaseEventKind.REFERRAL_SENT: REFERRAL.code,
    CaseEventKind.REFERRAL_RECEIVED: REFERRAL.code,
    CaseEventKind.REFERRAL_STATUS_CHANGED: REFERRAL.code,
    CaseEventKind.DOCUMENT_ATTACHED: DOCUMENT.code,
    CaseEventKind.DOCUMENT_REMOVED: DOCUMENT.code,
}

# On the household and person timelines: lifecycle events are what a summary tells anyway (shown, without
# details, to summary-only readers too); visit, social work and referral events are not repeated there,
# those rows come from their own tables.
SUMMARY_EVENT_KINDS = (CaseEventKind.OPENED, CaseEventKind.STATUS_CHANGED, CaseEventKind.REASSIGNED)
CASE_EVENT_KINDS = (*SUMMARY_EVENT_KINDS, CaseEventKind.SHARED, CaseEventKind.UNSHARED, CaseEventKind.NOTE)


def timeline_source() -> TimelineSource:
    return TimelineSource(
        groups=(CONTACT, CASE, VISIT, ACTIVITY, REFERRAL, DOCUMENT),
        events=EventTable(
            source="case",
            model=CaseEvent,
            groups=CASE_EVENT_GROUPS,
            default_group=CASE.code,
            labels=dict(CaseEventKind.choices),
            describe=describe_case_event,
            user_ids=users_named,
        ),
        history=history,
    )


# --- the case timeline: case events in words ----------------------------------------------------------


def users_named(entry: Entry) -> set[int]:
    data, kind = entry.data, entry.kind
    if kind == CaseEventKind.REASSIGNED:
        return {v for v in (data.get("from"), data.get("to")) if isinstance(v, int)}
    if kind in (CaseEventKind.SHARED, CaseEventKind.UNSHARED, CaseEventKind.OPENED):
        value = data.get("user") or data.get("assigned_worker")
        return {value} if isinstance(value, int) else set()
    return set()


def describe_case_event(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == CaseEventKind.STATUS_CHANGED:
        lines = [move_text(CaseStatus.choices, data)]
        if data.get("on") and data["on"] != timezone.localtime(entry.at).date().isoformat():
            lines.append(_("With effect from %(date)s") % {"date": day_text(data["on"])})  # recorded late
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
                % {"date": day_text(data.get("planned_on")), "time": clock_text(data["planned_time"])}
            ]
        return [_("Planned for %(date)s") % {"date": day_text(data.get("planned_on"))}]
    if kind == CaseEventKind.VISIT_DONE:
        if data.get("done_time"):
            when = {"date": day_text(data.get("done_on")), "time": clock_text(data["done_time"])}
            return [_("Done on %(date)s at %(time)s") % when]
        return [_("Done on %(date)s") % {"date": day_text(data.get("done_on"))}]
    if kind == CaseEventKind.VISIT_CANCELLED:
        return [_("Reason: %(reason)s") % {"reason": data["reason"]}] if data.get("reason") else []
    if kind == CaseEventKind.ACTIVITY_RECORDED:
        types = dict(ActivityType.choices)
        return [
            _("%(type)s, %(date)s, %(minutes)s min")
            % {
                "type": types.get(data.get("type"), "—"),
                "date": day_text(data.get("performed_on")),
                "minutes": data.get("duration_minutes"),
            }
        ]
    if kind in (CaseEventKind.REFERRAL_SENT, CaseEventKind.REFERRAL_RECEIVED):
        return [
            _("Partner institution: %(name)s") % {"name": data.get("partner_name") or "—"},
            _("Response due on %(date)s") % {"date": day_text(data.get("response_due_on"))},
        ]
    if kind == CaseEventKind.REFERRAL_STATUS_CHANGED:
        lines = [move_text(ReferralStatus.choices, data)]
        if data.get("outcome"):
            lines.append(_("Outcome: %(outcome)s") % {"outcome": data["outcome"]})
        return lines
    if kind in (CaseEventKind.DOCUMENT_ATTACHED, CaseEventKind.DOCUMENT_REMOVED):
        kinds = dict(DocumentKind.choices)
        if data.get("kind") in kinds:
            return [f"{data.get('title', '—')} ({kinds[data['kind']]})"]
        return [str(data.get("title") or "—")]
    return []


# --- the household and person timelines ----------------------------------------------------------------


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Contacts (of the household, or naming the persons), case lifecycle events (details only for cases
    whose content the actor reads), and the home visits, social work and referrals of readable cases:
    one query per kind asked for (two for contacts)."""
    items: list[TimelineItem] = []
    wanted, limit = scope.wanted, scope.limit
    if CONTACT.code in wanted:
        # Two index-friendly reads (by household, by person) merged here: an OR across the persons join
        # with DISTINCT makes PostgreSQL scan the centre's contacts.
        base = Contact.objects.filter(centre_id=scope.actor.centre_id).order_by("-occurred_at", "-id")
        by_person = Contact.persons.through.objects.filter(person_id__in=scope.person_ids).values("contact_id")
        contacts = {c.pk: c for c in base.filter(pk__in=by_person)[:limit]}
        if scope.household_id is not None:
            contacts.update((c.pk, c) for c in base.filter(household_id=scope.household_id)[:limit])
        for c in contacts.values():
            items.append(
                TimelineItem(
                    at=c.occurred_at,
                    kind=CONTACT.code,
                    title=str(_("Contact: %(channel)s") % {"channel": c.get_channel_display()}),
                    link=reverse("web:contact_detail", args=[c.pk]),
                    sort_id=c.pk,
                )
            )
    readable = scope.readable_ids
    if CASE.code in wanted and (readable or scope.summary_ids):
        events = CaseEvent.objects.filter(
            Q(case_id__in=readable, kind__in=CASE_EVENT_KINDS)
            | Q(case_id__in=scope.summary_ids, kind__in=SUMMARY_EVENT_KINDS)
        ).order_by("-at", "-id")[:limit]
        shown = set(readable)
        for e in events:
            title = e.get_kind_display()
            restricted = e.case_id not in shown
            items.append(scope.case_item(e.at, CASE.code, title, e.case_id, sort_id=e.pk, restricted=restricted))
    if not readable:
        return items
    if VISIT.code in wanted:
        visits = HomeVisit.objects.filter(case_id__in=readable).order_by("-planned_on", "-id")[:limit]
        for v in visits:
            done = v.status == VisitStatus.DONE and v.done_on
            day, time = (v.done_on, v.done_time) if done else (v.planned_on, v.planned_time)
            title = _("Home visit (%(status)s)") % {"status": v.get_status_display()}
            items.append(
                scope.case_item(
                    day_start(day, time),
                    VISIT.code,
                    title,
                    v.case_id,
                    anchor=f"visit-{v.pk}",
                    detail=v.purpose[:200],
                    sort_id=v.pk,
                    all_day=time is None,
                )
            )
    if ACTIVITY.code in wanted:
        activities = SocialWorkActivity.objects.filter(case_id__in=readable).order_by("-performed_on", "-id")[:limit]
        for a in activities:
            title = a.get_type_display()
            items.append(
                scope.case_item(day_start(a.performed_on), ACTIVITY.code, title, a.case_id, sort_id=a.pk, all_day=True)
            )
    if REFERRAL.code in wanted:
        referrals = Referral.objects.filter(case_id__in=readable).select_related("partner").order_by("-sent_on", "-id")
        for r in referrals[:limit]:
            title = _("Referral (%(direction)s): %(partner)s") % {
                "direction": r.get_direction_display(),
                "partner": r.partner.name,
            }
            items.append(
                scope.case_item(
                    day_start(r.sent_on),
                    REFERRAL.code,
                    title,
                    r.case_id,
                    detail=r.get_status_display(),
                    sort_id=r.pk,
                    all_day=True,
                )
            )
    return items


# --- the worker's desk ------------------------------------------------------------------------------------


DESK_LIST_LIMIT = 50  # every desk list is capped (the desk is a reminder, not a report)


def _visit_refs(visits, day: dt.date) -> list[dict]:
    return [desk_ref(v.case, v.planned_on, v.planned_on < day, v.place) for v in visits.overdue] + [
        desk_ref(v.case, v.planned_on, False, v.place) for v in visits.this_week
    ]


def _referrals_due(actor, day: dt.date) -> list[Referral]:
    qs = referrals_awaiting_answer_for(actor, day).select_related("case__household", "case__person")
    return list(qs[:DESK_LIST_LIMIT])


def desk_sections() -> tuple[DeskSection, ...]:
    """Visits still planned on the worker's own open cases (overdue, and this week: their own card) and
    referrals awaiting an answer."""
    visits = DeskSection(
        code="visits",
        order=20,
        read=lambda actor, day: worker_desk(actor, day),
        cases=lambda visits: [v.case for v in (*visits.overdue, *visits.this_week)],
        refs=_visit_refs,
        template="web/home_desk_visits.html",
        own_card=True,
    )
    referrals = DeskSection(
        code="referrals",
        order=50,
        read=_referrals_due,
        cases=lambda referrals: [r.case for r in referrals],
        refs=lambda referrals, day: [
            desk_ref(r.case, r.response_due_on, r.is_overdue, r.partner.name) for r in referrals
        ],
        template="web/desk/referrals.html",
    )
    return visits, referrals
