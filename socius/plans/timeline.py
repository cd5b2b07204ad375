"""What plans offer the read models of `socius.desk`: help plan and social contract events on the
timelines, and the plan actions and contract deadlines due on the worker's desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.casework.statuses import OPEN_STATUSES
from socius.common.timeline import (
    DeskSection,
    Entry,
    EventTable,
    Group,
    HistoryScope,
    TimelineItem,
    TimelineSource,
    day_text,
    desk_ref,
    move_text,
)
from socius.plans.models import (
    Consequence,
    ContractVariant,
    Obligation,
    PlanAction,
    PlanEvent,
    PlanEventKind,
    SocialContract,
)
from socius.plans.selectors import RUNNING_CONTRACTS, open_plan_actions, unmet_obligations
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus

PLAN = Group("plan", gettext_lazy("Help plans"), 60)
CONTRACT = Group("contract", gettext_lazy("Social contracts"), 70)

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
    kind: (CONTRACT.code if kind in CONTRACT_EVENT_KINDS else PLAN.code) for kind in PlanEventKind.values
}


def timeline_source() -> TimelineSource:
    return TimelineSource(
        groups=(PLAN, CONTRACT),
        events=EventTable(
            source="plan",
            model=PlanEvent,
            groups=PLAN_EVENT_GROUPS,
            default_group=PLAN.code,
            labels=dict(PlanEventKind.choices),
            describe=describe_plan_event,
            own_note_kinds=frozenset({PlanEventKind.PLAN_REVIEWED}),
        ),
        history=history,
    )


def describe_plan_event(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == PlanEventKind.PLAN_CREATED:
        return [str(data.get("title") or "—")]
    if kind == PlanEventKind.PLAN_STATUS_CHANGED:
        return [move_text(PlanStatus.choices, data)]
    if kind == PlanEventKind.ACTION_STATUS_CHANGED:
        return [move_text(ActionStatus.choices, data)]
    if kind == PlanEventKind.PLAN_REVIEWED:
        lines = [_("Reviewed on %(date)s") % {"date": day_text(data.get("on"))}]
        if data.get("note"):
            lines.append(_("Note: %(note)s") % {"note": data["note"]})
        if data.get("next_review_on"):
            lines.append(_("Next review on %(date)s") % {"date": day_text(data["next_review_on"])})
        return lines
    if kind == PlanEventKind.CONTRACT_DRAFTED:
        return [str(dict(ContractVariant.choices).get(data.get("variant"), "—"))]
    if kind in CONTRACT_EVENT_KINDS and "to" in data:
        lines = [move_text(ContractStatus.choices, data)]
        if data.get("on"):
            lines.append(_("From %(date)s") % {"date": day_text(data["on"])})
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


def _is_contract_event(kind: str) -> bool:
    # On the household and person timelines a cleared flag counts with the plans (as it always has).
    return kind.startswith("contract") or kind == PlanEventKind.OBLIGATION_ADDED


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Plan and contract events of readable cases (one query for both groups)."""
    wanted = {PLAN.code, CONTRACT.code} & scope.wanted
    if not wanted or not scope.readable_ids:
        return []
    events = PlanEvent.objects.filter(case_id__in=scope.readable_ids)
    contract_events = Q(kind__startswith="contract") | Q(kind=PlanEventKind.OBLIGATION_ADDED)
    if wanted == {PLAN.code}:
        events = events.exclude(contract_events)
    elif wanted == {CONTRACT.code}:
        events = events.filter(contract_events)
    return [
        scope.case_item(
            e.at,
            CONTRACT.code if _is_contract_event(e.kind) else PLAN.code,
            e.get_kind_display(),
            e.case_id,
            sort_id=e.pk,
        )
        for e in events.order_by("-at", "-id")[: scope.limit]
    ]


# --- the worker's desk ------------------------------------------------------------------------------------

ACTION_DAYS = 7
CONTRACT_DAYS = 14
DESK_LIST_LIMIT = 50
_CLIENT = ("case", "case__household", "case__person")  # what a desk row needs to name the client


def plan_actions_due(actor, day: dt.date) -> list[PlanAction]:
    """Open actions of live plans on the actor's own open cases, due within 7 days or overdue (one query)."""
    return list(
        open_plan_actions(actor.centre_id, assigned_worker_id=actor.pk)
        .filter(due_on__lte=day + dt.timedelta(days=ACTION_DAYS))
        .select_related(*(f"goal__plan__{path}" for path in _CLIENT))
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )


@dataclass(frozen=True)
class ContractDeadlines:
    obligations: list[Obligation]  # unmet, due within CONTRACT_DAYS or overdue
    contracts_ending: list[SocialContract]  # running, ending within CONTRACT_DAYS (or past their end)


def contract_deadlines(actor, day: dt.date) -> ContractDeadlines:
    """Unmet obligations and ends of running contracts on the actor's own open cases within 14 days, or
    overdue (two queries)."""
    horizon = day + dt.timedelta(days=CONTRACT_DAYS)
    obligations = (
        unmet_obligations(actor.centre_id, assigned_worker_id=actor.pk)
        .filter(due_on__lte=horizon)
        .select_related(*(f"contract__{path}" for path in _CLIENT))
        .order_by("due_on", "id")
    )
    contracts = (
        SocialContract.objects.filter(
            case__centre_id=actor.centre_id,
            case__assigned_worker_id=actor.pk,
            case__status__in=OPEN_STATUSES,
            status__in=RUNNING_CONTRACTS,
            valid_until__lte=horizon,
        )
        .select_related(*_CLIENT)
        .order_by("valid_until", "id")
    )
    return ContractDeadlines(
        obligations=list(obligations[:DESK_LIST_LIMIT]), contracts_ending=list(contracts[:DESK_LIST_LIMIT])
    )


def _deadline_refs(rows: ContractDeadlines, day: dt.date) -> list[dict]:
    obligations = [
        desk_ref(o.contract.case, o.due_on, bool(o.due_on and o.due_on < day), o.description) for o in rows.obligations
    ]
    return obligations + [
        desk_ref(c.case, c.valid_until, c.valid_until < day, str(c.get_variant_display()))
        for c in rows.contracts_ending
    ]


def desk_sections() -> tuple[DeskSection, ...]:
    actions = DeskSection(
        code="plan_actions",
        order=30,
        read=plan_actions_due,
        cases=lambda actions: [a.goal.plan.case for a in actions],
        refs=lambda actions, day: [
            desk_ref(a.goal.plan.case, a.due_on, bool(a.due_on and a.due_on < day), a.description) for a in actions
        ],
        template="web/desk/plan_actions.html",
    )
    deadlines = DeskSection(
        code="contract_deadlines",
        order=40,
        read=contract_deadlines,
        cases=lambda rows: [o.contract.case for o in rows.obligations] + [c.case for c in rows.contracts_ending],
        refs=_deadline_refs,
        template="web/desk/contract_deadlines.html",
    )
    return actions, deadlines
