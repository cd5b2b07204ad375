"""The family's work plan (PL art. 15 ust. 1 pkt 1, ust. 3): the assistant drafts a version (copying the agreed
one's items), edits its items, and agrees it with the family and the social worker; agreeing supersedes the
previous agreed version, so the versions are the plan's history."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import WORK_CASES
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.family.errors import ConsentRequired, InvalidFamilyTransition
from socius.family.models import EnrolmentConsent, FamilyEventKind, WorkPlan, WorkPlanItem
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus, PlanItemStatus, WorkArea, WorkPlanStatus
from socius.family.support._common import (
    as_int,
    audit,
    check_date,
    check_text,
    current_member_ids,
    event,
    is_date,
    raise_if,
    workable_enrolment,
)

PLAN_FIELDS = WorkPlan.AUDITED_FIELDS
ITEM_FIELDS = WorkPlanItem.AUDITED_FIELDS
EDITABLE_ITEM_FIELDS = ("area", "goal", "action", "responsible", "due_on", "expected_effect")
WORKING = (EnrolmentStatus.ACTIVE,)


def _plan_transition(plan: WorkPlan, to: str) -> InvalidFamilyTransition:
    return InvalidFamilyTransition(plan, plan.status, to, labels=dict(WorkPlanStatus.choices))


def _locked_plan(actor: User, plan) -> tuple[WorkPlan, object]:
    """The plan's enrolment (locked, worked by the actor, active), then the plan row."""
    pk = as_int(plan)
    enrolment_id = (
        WorkPlan.objects.filter(pk=pk, enrolment__centre_id=actor.centre_id)
        .values_list("enrolment_id", flat=True)
        .first()
        if pk is not None and actor.centre_id
        else None
    )
    if enrolment_id is None:
        raise NotFound()
    enrolment = workable_enrolment(actor, enrolment_id, statuses=WORKING)
    return WorkPlan.objects.select_for_update().get(pk=pk), enrolment


def _locked_item(actor: User, item) -> tuple[WorkPlanItem, WorkPlan, object]:
    pk = as_int(item)
    plan_id = (
        WorkPlanItem.objects.filter(pk=pk, plan__enrolment__centre_id=actor.centre_id)
        .values_list("plan_id", flat=True)
        .first()
        if pk is not None and actor.centre_id
        else None
    )
    if plan_id is None:
        raise NotFound()
    plan, enrolment = _locked_plan(actor, plan_id)
    return WorkPlanItem.objects.select_for_update().get(pk=pk), plan, enrolment


def _require_draft(plan: WorkPlan) -> None:
    if plan.status != WorkPlanStatus.DRAFT:
        raise Conflict(_("Only a draft plan can be changed: draft a new version first."), code="plan_not_draft")


def _clean_item_fields(fields: dict, errors: dict, *, partial: bool) -> dict:
    cleaned: dict = {}
    if not partial or "area" in fields:
        if fields.get("area") not in WorkArea.values:
            errors["area"] = [_("Choose an area of work.")]
        else:
            cleaned["area"] = fields["area"]
    for name, max_length, required in (
        ("goal", 500, True),
        ("action", None, True),
        ("responsible", 200, True),
        ("expected_effect", None, False),
    ):
        if not partial or name in fields:
            cleaned[name] = check_text(errors, name, fields.get(name), max_length=max_length, required=required)
    if not partial or "due_on" in fields:
        check_date(errors, "due_on", fields.get("due_on"), required=False)
        cleaned["due_on"] = fields.get("due_on")
    return cleaned


@transaction.atomic
def draft_work_plan(actor: User, enrolment) -> WorkPlan:
    """A new draft version, with the agreed plan's items copied (their statuses kept); the existing draft
    when there is one."""
    locked = workable_enrolment(actor, enrolment, statuses=WORKING)
    draft = WorkPlan.objects.filter(enrolment=locked, status=WorkPlanStatus.DRAFT).first()
    if draft is not None:
        return draft
    last = WorkPlan.objects.filter(enrolment=locked).aggregate(v=Max("version"))["v"] or 0
    plan = WorkPlan.objects.create(enrolment=locked, version=last + 1, created_by=actor)
    agreed = WorkPlan.objects.filter(enrolment=locked, status=WorkPlanStatus.AGREED).first()
    if agreed is not None:
        WorkPlanItem.objects.bulk_create(
            WorkPlanItem(
                plan=plan,
                area=i.area,
                goal=i.goal,
                action=i.action,
                responsible=i.responsible,
                due_on=i.due_on,
                expected_effect=i.expected_effect,
                status=i.status,
                done_on=i.done_on,
                position=i.position,
            )
            for i in agreed.items.all()
        )
    audit(
        actor,
        AuditAction.CREATE,
        "work_plan",
        plan.pk,
        locked,
        {**diff({}, snapshot(plan, PLAN_FIELDS)), "copied_from": [None, agreed.pk if agreed else None]},
    )
    return plan


@transaction.atomic
def add_plan_item(
    actor: User, plan, *, area, goal, action, responsible, due_on=None, expected_effect=""
) -> WorkPlanItem:
    locked_plan, enrolment = _locked_plan(actor, plan)
    _require_draft(locked_plan)
    errors: dict = {}
    cleaned = _clean_item_fields(
        {
            "area": area,
            "goal": goal,
            "action": action,
            "responsible": responsible,
            "due_on": due_on,
            "expected_effect": expected_effect,
        },
        errors,
        partial=False,
    )
    raise_if(errors)
    position = (locked_plan.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = WorkPlanItem.objects.create(plan=locked_plan, position=position, **cleaned)
    audit(actor, AuditAction.CREATE, "work_plan_item", item.pk, enrolment, diff({}, snapshot(item, ITEM_FIELDS)))
    return item


@transaction.atomic
def update_plan_item(actor: User, item, **fields) -> WorkPlanItem:
    """Change some of an item's fields (area, goal, action, responsible, due_on, expected_effect); draft only."""
    unknown = sorted(set(fields) - set(EDITABLE_ITEM_FIELDS))
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be changed here.")] for name in unknown})
    locked_item, locked_plan, enrolment = _locked_item(actor, item)
    _require_draft(locked_plan)
    errors: dict = {}
    cleaned = _clean_item_fields(fields, errors, partial=True)
    raise_if(errors)
    before = snapshot(locked_item, ITEM_FIELDS)
    for name, value in cleaned.items():
        setattr(locked_item, name, value)
    locked_item.save()
    changes = diff(before, snapshot(locked_item, ITEM_FIELDS))
    if changes:
        audit(actor, AuditAction.UPDATE, "work_plan_item", locked_item.pk, enrolment, changes)
    return locked_item


@transaction.atomic
def remove_plan_item(actor: User, item) -> None:
    locked_item, locked_plan, enrolment = _locked_item(actor, item)
    _require_draft(locked_plan)
    before = snapshot(locked_item, ITEM_FIELDS)
    pk = locked_item.pk
    locked_item.delete()
    audit(actor, AuditAction.DELETE, "work_plan_item", pk, enrolment, diff(before, {}) or {"id": [pk, None]})


@transaction.atomic
def agree_work_plan(actor: User, plan, *, agreed_on, agreed_with, social_worker, review_on=None) -> WorkPlan:
    """The draft becomes the plan in force, agreed with family members and the social worker consulted; the
    previous agreed version is superseded. Needs at least one item and, unless a court ordered the work,
    a live consent (ConsentRequired)."""
    locked_plan, enrolment = _locked_plan(actor, plan)
    if locked_plan.status != WorkPlanStatus.DRAFT:
        raise _plan_transition(locked_plan, WorkPlanStatus.AGREED)
    errors: dict = {}
    check_date(errors, "agreed_on", agreed_on, not_before=enrolment.started_on)
    check_date(errors, "review_on", review_on, required=False, not_before=agreed_on if is_date(agreed_on) else None)
    person_ids = [as_int(p) for p in (agreed_with or ())]
    if not person_ids:
        errors["agreed_with"] = [_("Choose the family members the plan was agreed with.")]
    elif is_date(agreed_on) and not set(person_ids) <= current_member_ids(enrolment.household_id, agreed_on):
        errors["agreed_with"] = [_("Choose members of the family's household.")]
    worker_pk = as_int(social_worker)
    worker = (
        User.objects.filter(pk=worker_pk, centre_id=actor.centre_id, is_active=True).first()
        if worker_pk is not None
        else None
    )
    if worker is None or not worker.can(WORK_CASES):
        errors["social_worker"] = [_("Choose the social worker consulted.")]
    if not locked_plan.items.exists():
        errors["non_field_errors"] = [_("Add at least one item to the plan before agreeing it.")]
    raise_if(errors)
    if (
        enrolment.route != EnrolmentRoute.COURT_ORDER
        and not EnrolmentConsent.objects.filter(
            enrolment=enrolment, withdrawn_on__isnull=True, given_on__lte=agreed_on
        ).exists()
    ):
        raise ConsentRequired()
    previous = WorkPlan.objects.select_for_update().filter(enrolment=enrolment, status=WorkPlanStatus.AGREED).first()
    if previous is not None:
        before_previous = snapshot(previous, PLAN_FIELDS)
        previous.status = WorkPlanStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        audit(
            actor,
            AuditAction.UPDATE,
            "work_plan",
            previous.pk,
            enrolment,
            diff(before_previous, snapshot(previous, PLAN_FIELDS)),
        )
    before = snapshot(locked_plan, PLAN_FIELDS)
    locked_plan.status = WorkPlanStatus.AGREED
    locked_plan.agreed_on = agreed_on
    locked_plan.social_worker = worker
    locked_plan.review_on = review_on
    locked_plan.save()
    locked_plan.agreed_with.set(person_ids)
    event(
        actor,
        enrolment,
        FamilyEventKind.WORK_PLAN_AGREED,
        {
            "plan_id": locked_plan.pk,
            "version": locked_plan.version,
            "agreed_on": agreed_on.isoformat(),
            "review_on": review_on.isoformat() if review_on else None,
            "superseded_plan_id": previous.pk if previous else None,
        },
    )
    changes = diff(before, snapshot(locked_plan, PLAN_FIELDS))
    changes["agreed_with"] = [[], sorted(person_ids)]
    audit(actor, AuditAction.UPDATE, "work_plan", locked_plan.pk, enrolment, changes)
    return locked_plan


@transaction.atomic
def set_plan_item_status(actor: User, item, *, status, on) -> WorkPlanItem:
    """Mark an item of the plan in force (or of the draft) planned, in progress, done (on `on`) or dropped."""
    locked_item, locked_plan, enrolment = _locked_item(actor, item)
    if locked_plan.status == WorkPlanStatus.SUPERSEDED:
        raise Conflict(_("This plan version was superseded: change the plan in force."), code="plan_superseded")
    errors: dict = {}
    if status not in PlanItemStatus.values:
        errors["status"] = [_("Choose a status.")]
    check_date(errors, "on", on)
    raise_if(errors)
    before = snapshot(locked_item, ITEM_FIELDS)
    locked_item.status = status
    locked_item.done_on = on if status == PlanItemStatus.DONE else None
    locked_item.save(update_fields=["status", "done_on"])
    changes = diff(before, snapshot(locked_item, ITEM_FIELDS))
    if changes:
        audit(actor, AuditAction.UPDATE, "work_plan_item", locked_item.pk, enrolment, changes)
    return locked_item
