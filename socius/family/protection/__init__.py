"""Child protection: children in difficulty, their forms of care, meetings on their cases, decisions and
follow-up tasks. Each service is atomic, checks who may act, and writes its audit rows and timeline events."""

from socius.family.protection.children import (
    change_form_of_care,
    close_child,
    reassign_child,
    record_child,
    update_risks,
)
from socius.family.protection.meetings import (
    MemberInput,
    TaskInput,
    cancel_meeting,
    hold_meeting,
    put_on_agenda,
    record_attendance,
    record_decision,
    remove_from_agenda,
    schedule_meeting,
    set_meeting_members,
)
from socius.family.protection.tasks import cancel_task, complete_task, create_task

__all__ = [
    "MemberInput",
    "TaskInput",
    "cancel_meeting",
    "cancel_task",
    "change_form_of_care",
    "close_child",
    "complete_task",
    "create_task",
    "hold_meeting",
    "put_on_agenda",
    "reassign_child",
    "record_attendance",
    "record_child",
    "record_decision",
    "remove_from_agenda",
    "schedule_meeting",
    "set_meeting_members",
    "update_risks",
]
