"""What benefits offer the read models of `socius.desk`: decision events on the case, household and person
timelines (described in the reader's language, the benefit's name from its pack), and on the desk the
proposals waiting for the reader's approval and the grants on their own cases ending this month."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.benefits.models import Decision, DecisionEvent, DecisionEventKind
from socius.benefits.selectors import can_approve_decisions, decisions_ending_in, month_end, proposals_to_approve
from socius.benefits.statuses import DecisionKind, GrantState
from socius.casework.statuses import OPEN_STATUSES
from socius.common.formatting import format_money
from socius.common.timeline import (
    DeskSection,
    Entry,
    EventTable,
    Group,
    HistoryScope,
    TimelineItem,
    TimelineSource,
    desk_ref,
    move_text,
)
from socius.rulebook.engine.benefits import UnknownBenefit
from socius.rulebook.engine.jurisdiction import benefit_definition

BENEFIT = Group("benefit", gettext_lazy("Benefits"), 75)


def timeline_source() -> TimelineSource:
    return TimelineSource(
        groups=(BENEFIT,),
        events=EventTable(
            source="benefit",
            model=DecisionEvent,
            groups={},
            default_group=BENEFIT.code,
            labels=dict(DecisionEventKind.choices),
            describe=describe_decision_event,
        ),
        history=history,
    )


# --- in words ------------------------------------------------------------------------------------------


def benefit_label(code: str) -> str:
    """The benefit's name in the reader's language, from its pack (the code if no pack declares it)."""
    try:
        return benefit_definition(code).label_in(get_language())
    except UnknownBenefit:
        return str(code or "—")


def _amount(data: dict) -> str:
    try:
        value = Decimal(str(data.get("amount")))
    except (InvalidOperation, ValueError):
        return "—"
    return format_money(value, data.get("currency", ""))


def _month(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "YEAR_MONTH_FORMAT")
    except (TypeError, ValueError):
        return "—"


def _what(data: dict) -> str:
    """ "Grant: Zasiłek okresowy, 600,00 PLN": the decision's kind, its benefit and amount."""
    kinds = dict(DecisionKind.choices)
    return _("%(kind)s: %(benefit)s, %(amount)s") % {
        "kind": kinds.get(data.get("kind"), "—"),
        "benefit": benefit_label(data.get("benefit")),
        "amount": _amount(data),
    }


def decision_link(decision_id) -> str:
    """The decision's page (the web layer's URL, reversed by name: benefits does not import web)."""
    return reverse("web:benefit_decision", args=[decision_id])


def describe_decision_event(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if isinstance(data.get("decision"), int):
        entry.link = decision_link(data["decision"])
    lines = [_what(data)]
    if kind == DecisionEventKind.APPROVED and data.get("reference"):
        lines.append(_("Decision number: %(reference)s") % {"reference": data["reference"]})
    elif kind == DecisionEventKind.RETURNED and data.get("comment"):
        lines.append(_("Comment: %(comment)s") % {"comment": data["comment"]})
    elif kind == DecisionEventKind.STATE_CHANGED:
        state = data.get("state")
        before, after = state if isinstance(state, list) and len(state) == 2 else (None, None)
        lines.append(move_text(GrantState.choices, {"from": before, "to": after}))
        if data.get("by"):
            lines.append(_("By decision %(reference)s") % {"reference": data["by"]})
        if data.get("from_month"):
            lines.append(_("From %(date)s") % {"date": _month(data["from_month"])})
    return lines


# --- the household and person timelines ----------------------------------------------------------------


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Decision events of readable cases (one query): a decision is case content; each row links to its
    decision's page."""
    if BENEFIT.code not in scope.wanted or not scope.readable_ids:
        return []
    events = DecisionEvent.objects.filter(case_id__in=scope.readable_ids).order_by("-at", "-id")[: scope.limit]
    items = []
    for e in events:
        title = f"{e.get_kind_display()}: {benefit_label(e.data.get('benefit'))}"
        item = scope.case_item(e.at, BENEFIT.code, title, e.case_id, detail=_amount(e.data), sort_id=e.pk)
        items.append(dataclasses.replace(item, link=decision_link(e.decision_id)))
    return items


# --- the worker's desk ------------------------------------------------------------------------------------

DESK_LIST_LIMIT = 50
_CLIENT = ("case", "case__household", "case__person")


def _proposals(actor, day: dt.date) -> list[Decision] | None:
    """Proposals waiting for the actor's approval (never their own), oldest first; None for those without
    the right (their desk has no such section)."""
    if not can_approve_decisions(actor):
        return None
    return _named(proposals_to_approve(actor).select_related(*_CLIENT)[:DESK_LIST_LIMIT])


def _ending(actor, day: dt.date) -> list[Decision]:
    """Active grants on the actor's own open cases whose period ends this month."""
    return _named(
        decisions_ending_in(actor, day)
        .filter(case__assigned_worker_id=actor.pk, case__status__in=OPEN_STATUSES)
        .select_related(*_CLIENT)[:DESK_LIST_LIMIT]
    )


def _named(decisions) -> list[Decision]:
    """The decisions, each with `benefit_label`: its benefit's name in the reader's language."""
    decisions = list(decisions)
    for decision in decisions:
        decision.benefit_label = benefit_label(decision.benefit)
    return decisions


def _title(decision: Decision) -> str:
    return f"{decision.get_kind_display()}: {decision.benefit_label}"


def _proposal_refs(rows, day: dt.date) -> list[dict]:
    return [
        desk_ref(d.case, timezone.localdate(d.proposed_at), False, f"{_title(d)} ({_amount_of(d)})") for d in rows or ()
    ]


def _ending_refs(rows, day: dt.date) -> list[dict]:
    return [desk_ref(d.case, month_end(d.period_to), False, f"{d.reference} {_title(d)}") for d in rows]


def _amount_of(decision: Decision) -> str:
    return _amount({"amount": decision.amount, "currency": decision.currency})


def desk_sections() -> tuple[DeskSection, ...]:
    proposals = DeskSection(
        code="proposals_to_approve",
        order=60,
        read=_proposals,
        cases=lambda rows: [d.case for d in rows or ()],
        refs=_proposal_refs,
        template="web/desk/proposals_to_approve.html",
    )
    ending = DeskSection(
        code="decisions_ending",
        order=70,
        read=_ending,
        cases=lambda rows: [d.case for d in rows],
        refs=_ending_refs,
        template="web/desk/decisions_ending.html",
    )
    return proposals, ending
