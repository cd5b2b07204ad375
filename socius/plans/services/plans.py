"""Individual help plans: creating them, their goals and actions, status moves and reviews."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.assessments.models import Assessment
from socius.assessments.selectors import DONE, completed_interviews_of
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, ValidationFailed
from socius.common.limits import SMALL_MAX
from socius.plans.models import ActionKind, Goal, HelpPlan, PlanAction, PlanEventKind, Responsible
from socius.plans.services._common import (
    as_int,
    audit,
    case_id_of,
    event,
    is_date,
    text,
    transition_conflict,
)
from socius.plans.statuses import ACTION_TRANSITIONS, PLAN_TRANSITIONS, ActionStatus, PlanStatus, is_move_allowed

OPEN_PLAN_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.ACTIVE})


def _locked_plan(actor: User, plan_id) -> tuple[HelpPlan, object]:
    case = locked_workable_case(actor, case_id_of(HelpPlan, actor, plan_id, "case"))
    plan = HelpPlan.objects.select_for_update().get(pk=as_int(plan_id))
    return plan, case


def _require_open_plan(plan: HelpPlan) -> None:
    if plan.status not in OPEN_PLAN_STATUSES:
        raise Conflict(_("The plan is no longer open for changes."), code="plan_closed")


def _basis(case, data: dict, errors: dict) -> Assessment | None:
    """The interview the plan is based on: `data["assessment"]` (an id, or None for none), else the
    latest completed one of the case. A draft or another case's interview is a field error."""
    if "assessment" not in data:
        return completed_interviews_of(case.pk).first()
    if data["assessment"] in (None, ""):
        return None
    assessment = Assessment.objects.filter(case_id=case.pk, pk=as_int(data["assessment"]) or 0).first()
    if assessment is None or assessment.status not in DONE:
        errors["assessment"] = [_("Choose a completed interview of this case.")]
        return None
    return assessment


def create_plan(actor: User, case_id, data: dict) -> HelpPlan:
    """A draft plan. `data`: title, valid_from (a date), review_on (optional date, after valid_from),
    assessment (the completed interview whose diagnosis and conclusions it builds on: an id, None for
    none; the case's latest completed interview when left out)."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        assessment = _basis(case, data, errors)
        title = text(data.get("title"))
        if not title:
            errors["title"] = [_("Give the plan a title.")]
        valid_from = data.get("valid_from")
        if not is_date(valid_from):
            errors["valid_from"] = [_("Enter a date.")]
        elif valid_from < case.opened_on:
            errors["valid_from"] = [_("The date cannot be before the case was opened.")]
        review_on = data.get("review_on")
        if review_on is not None:
            if not is_date(review_on):
                errors["review_on"] = [_("Enter a date.")]
            elif is_date(valid_from) and review_on <= valid_from:
                errors["review_on"] = [_("The review must come after the plan takes effect.")]
        if errors:
            raise ValidationFailed(errors)
        plan = HelpPlan.objects.create(
            case=case, title=title, valid_from=valid_from, review_on=review_on, assessment=assessment, created_by=actor
        )
        event(
            actor,
            case,
            PlanEventKind.PLAN_CREATED,
            {"plan": plan.pk, "title": title, "assessment": assessment.pk if assessment else None},
        )
        audit(
            actor,
            AuditAction.CREATE,
            "help_plan",
            plan.pk,
            case,
            {k: [None, v] for k, v in snapshot(plan, HelpPlan.AUDITED_FIELDS).items() if v not in ("", None)},
        )
    return plan


def add_goal(actor: User, plan_id, *, description: str, order: int | None = None) -> Goal:
    """A goal at the end of the plan (or at `order`). Only while the plan is a draft or active."""
    with transaction.atomic():
        plan, case = _locked_plan(actor, plan_id)
        _require_open_plan(plan)
        description = text(description)
        if not description:
            raise ValidationFailed({"description": [_("Describe the goal.")]})
        if order is None:
            # At the end; past the column's top a new goal shares the last order and comes last by id.
            last = plan.goals.order_by("-order").values_list("order", flat=True).first() or 0
            order = min(last + 1, SMALL_MAX)
        elif not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= SMALL_MAX:
            raise ValidationFailed({"order": [_("Enter a whole number from 0 to %(max)d.") % {"max": SMALL_MAX}]})
        goal = Goal.objects.create(plan=plan, description=description, order=order)
        event(actor, case, PlanEventKind.GOAL_ADDED, {"plan": plan.pk, "goal": goal.pk})
        audit(actor, AuditAction.UPDATE, "help_plan", plan.pk, case, {"goals": [None, goal.pk]})
    return goal


def add_action(actor: User, goal_id, data: dict) -> PlanAction:
    """An action towards a goal. `data`: kind, description, responsible, partner_name (required when
    a partner is responsible, refused otherwise), due_on (optional, not before the plan takes effect)."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id_of(Goal, actor, goal_id, "plan__case"))
        goal = Goal.objects.select_related("plan").get(pk=as_int(goal_id))
        plan = HelpPlan.objects.select_for_update().get(pk=goal.plan_id)
        _require_open_plan(plan)
        errors: dict[str, list] = {}
        kind = data.get("kind")
        if kind not in ActionKind.values:
            errors["kind"] = [_("Choose the kind of action.")]
        description = text(data.get("description"))
        if not description:
            errors["description"] = [_("Describe the action.")]
        responsible = data.get("responsible")
        partner_name = text(data.get("partner_name"))
        if responsible not in Responsible.values:
            errors["responsible"] = [_("Say who is responsible.")]
        elif responsible == Responsible.PARTNER and not partner_name:
            errors["partner_name"] = [_("Name the partner institution or person.")]
        elif responsible != Responsible.PARTNER and partner_name:
            errors["partner_name"] = [_("Name a partner only when a partner is responsible.")]
        due_on = data.get("due_on")
        if due_on is not None:
            if not is_date(due_on):
                errors["due_on"] = [_("Enter a date.")]
            elif due_on < plan.valid_from:
                errors["due_on"] = [_("The date cannot be before the plan takes effect.")]
        if errors:
            raise ValidationFailed(errors)
        action = PlanAction.objects.create(
            goal=goal,
            kind=kind,
            description=description,
            responsible=responsible,
            partner_name=partner_name,
            due_on=due_on,
        )
        event(actor, case, PlanEventKind.ACTION_ADDED, {"plan": plan.pk, "goal": goal.pk, "action": action.pk})
        audit(
            actor,
            AuditAction.UPDATE,
            "help_plan",
            plan.pk,
            case,
            {"actions": [None, action.pk]},
        )
    return action


def change_plan_status(actor: User, plan_id, to_status: str, *, outcome: str = "") -> HelpPlan:
    """Move a plan along PLAN_TRANSITIONS. Completing needs an outcome; anything else invalid is a Conflict."""
    with transaction.atomic():
        plan, case = _locked_plan(actor, plan_id)
        if to_status not in PlanStatus.values:
            raise ValidationFailed({"status": [_("Unknown status.")]})
        if not is_move_allowed(PLAN_TRANSITIONS, plan.status, to_status):
            raise transition_conflict(PlanStatus, plan.status, to_status)
        outcome = text(outcome)
        if to_status == PlanStatus.COMPLETED and not outcome:
            raise ValidationFailed({"outcome": [_("Describe the outcome of the plan.")]})
        if to_status == PlanStatus.ACTIVE and not plan.goals.exists():
            raise ValidationFailed({"goals": [_("Add at least one goal before putting the plan into effect.")]})
        before = snapshot(plan, HelpPlan.AUDITED_FIELDS)
        from_status = plan.status
        plan.status = to_status
        if outcome:
            plan.outcome = outcome
        plan.save(update_fields=["status", "outcome"])
        event(actor, case, PlanEventKind.PLAN_STATUS_CHANGED, {"plan": plan.pk, "from": from_status, "to": to_status})
        audit(
            actor, AuditAction.UPDATE, "help_plan", plan.pk, case, diff(before, snapshot(plan, HelpPlan.AUDITED_FIELDS))
        )
    return plan


def change_action_status(actor: User, action_id, to_status: str, *, outcome: str = "") -> PlanAction:
    """Move an action along ACTION_TRANSITIONS; only while its plan is a draft or active."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id_of(PlanAction, actor, action_id, "goal__plan__case"))
        action = PlanAction.objects.select_for_update().get(pk=as_int(action_id))
        plan = HelpPlan.objects.get(goals__actions=action)
        _require_open_plan(plan)
        if to_status not in ActionStatus.values:
            raise ValidationFailed({"status": [_("Unknown status.")]})
        if not is_move_allowed(ACTION_TRANSITIONS, action.status, to_status):
            raise transition_conflict(ActionStatus, action.status, to_status)
        from_status = action.status
        action.status = to_status
        outcome = text(outcome)
        if outcome:
            action.outcome = outcome
        action.save(update_fields=["status", "outcome"])
        event(
            actor,
            case,
            PlanEventKind.ACTION_STATUS_CHANGED,
            {"plan": plan.pk, "action": action.pk, "from": from_status, "to": to_status},
        )
        changes = {f"action:{action.pk}:status": [from_status, to_status]}
        if outcome:
            changes[f"action:{action.pk}:outcome"] = [None, outcome]
        audit(actor, AuditAction.UPDATE, "help_plan", plan.pk, case, changes)
    return action


def review_plan(actor: User, plan_id, on: dt.date, note: str, *, next_review_on: dt.date | None = None) -> HelpPlan:
    """Record a review of an active plan on `on` with a note; sets the next review date (or clears it)."""
    with transaction.atomic():
        plan, case = _locked_plan(actor, plan_id)
        if plan.status != PlanStatus.ACTIVE:
            raise Conflict(_("Only an active plan is reviewed."), code="invalid_transition")
        errors: dict[str, list] = {}
        if not is_date(on):
            errors["on"] = [_("Enter a date.")]
        elif on < plan.valid_from:
            errors["on"] = [_("The date cannot be before the plan takes effect.")]
        note = text(note)
        if not note:
            errors["note"] = [_("Write what the review found.")]
        if next_review_on is not None and (not is_date(next_review_on) or (is_date(on) and next_review_on <= on)):
            errors["next_review_on"] = [_("The next review must come after this one.")]
        if errors:
            raise ValidationFailed(errors)
        before = plan.review_on
        plan.review_on = next_review_on
        plan.save(update_fields=["review_on"])
        event(
            actor,
            case,
            PlanEventKind.PLAN_REVIEWED,
            {"plan": plan.pk, "on": on.isoformat(), "note": note, "next_review_on": _iso(next_review_on)},
        )
        audit(
            actor,
            AuditAction.UPDATE,
            "help_plan",
            plan.pk,
            case,
            {"reviewed_on": [None, on.isoformat()], "review_on": [_iso(before), _iso(next_review_on)]},
        )
    return plan


def _iso(day):
    return day.isoformat() if day else None
