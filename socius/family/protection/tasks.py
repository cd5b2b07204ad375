"""Follow-up tasks on a case: set by a meeting's decision or by hand, done or cancelled by whom they concern."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.casework.models import Case
from socius.casework.selectors import persons_concerned
from socius.casework.services import locked_workable_case
from socius.common.errors import ValidationFailed
from socius.family.errors import InvalidFamilyTransition
from socius.family.models import FamilyEventKind, FollowUpTask
from socius.family.permissions import can_work_task
from socius.family.protection._common import (
    TEXT_MAX,
    as_int,
    audit,
    check_date,
    check_text,
    created,
    event,
    locked_task,
    require,
    staff_member,
    text,
)
from socius.family.statuses import TaskStatus

TASK = "follow_up_task"


def create_follow_up(actor: User, case: Case, *, assigned_to: User, description: str, due_on: dt.date, decision=None):
    task = FollowUpTask.objects.create(
        centre_id=case.centre_id,
        case=case,
        decision=decision,
        assigned_to=assigned_to,
        description=description,
        due_on=due_on,
        created_by=actor,
    )
    event(
        actor,
        case.pk,
        FamilyEventKind.TASK_CREATED,
        {
            "task": task.pk,
            "assigned_to": assigned_to.pk,
            "due_on": due_on.isoformat(),
            "decision": decision.pk if decision is not None else None,
        },
    )
    audit(
        actor,
        AuditAction.CREATE,
        TASK,
        task.pk,
        centre_id=case.centre_id,
        person_id=case.person_id,
        person_ids=persons_concerned(case),
        changes=created(snapshot(task, FollowUpTask.AUDITED_FIELDS)),
    )
    return task


@transaction.atomic
def create_task(actor: User, *, case, assigned_to, description: str, due_on: dt.date) -> FollowUpTask:
    """A follow-up task on a case, set by one of those who work it."""
    case = locked_workable_case(actor, as_int(case))
    errors: dict[str, list] = {}
    user = staff_member(actor, assigned_to)
    if user is None:
        errors["assigned_to"] = [_("Choose an active staff member of the centre.")]
    description = check_text(description, errors, "description", _("Describe the task."), max_length=TEXT_MAX)
    check_date(due_on, errors, "due_on")
    if errors:
        raise ValidationFailed(errors)
    return create_follow_up(actor, case, assigned_to=user, description=description, due_on=due_on)


def _open_task(actor: User, task, to: str):
    task = locked_task(actor, task)
    require(can_work_task(actor, task))
    if task.status != TaskStatus.OPEN:
        raise InvalidFamilyTransition(task, task.status, to, labels=dict(TaskStatus.choices))
    return task


@transaction.atomic
def complete_task(actor: User, task, *, done_on: dt.date, outcome: str = "") -> FollowUpTask:
    task = _open_task(actor, task, TaskStatus.DONE)
    errors: dict[str, list] = {}
    check_date(done_on, errors, "done_on")
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(task, FollowUpTask.AUDITED_FIELDS)
    task.status = TaskStatus.DONE
    task.done_on = done_on
    task.outcome = text(outcome)
    task.save(update_fields=["status", "done_on", "outcome"])
    event(actor, task.case_id, FamilyEventKind.TASK_DONE, {"task": task.pk, "done_on": done_on.isoformat()})
    audit(
        actor,
        AuditAction.UPDATE,
        TASK,
        task.pk,
        centre_id=task.centre_id,
        person_id=task.case.person_id,
        person_ids=persons_concerned(task.case),
        changes=diff(before, snapshot(task, FollowUpTask.AUDITED_FIELDS)),
    )
    return task


@transaction.atomic
def cancel_task(actor: User, task, *, reason: str) -> FollowUpTask:
    task = _open_task(actor, task, TaskStatus.CANCELLED)
    errors: dict[str, list] = {}
    reason = check_text(reason, errors, "reason", _("Say why the task is cancelled."))
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(task, FollowUpTask.AUDITED_FIELDS)
    task.status = TaskStatus.CANCELLED
    task.outcome = reason
    task.save(update_fields=["status", "outcome"])
    audit(
        actor,
        AuditAction.UPDATE,
        TASK,
        task.pk,
        centre_id=task.centre_id,
        person_id=task.case.person_id,
        person_ids=persons_concerned(task.case),
        changes=diff(before, snapshot(task, FollowUpTask.AUDITED_FIELDS)),
    )
    return task
