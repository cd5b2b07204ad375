"""Writes of the family assistant programme. Each service is atomic, checks who may act, moves states through
statuses.py, and writes its case timeline event (FamilyEvent) and audit row."""

from socius.family.support.activities import log_activity
from socius.family.support.assessments import record_assessment
from socius.family.support.enrolments import (
    ConsentInput,
    approve_enrolment,
    change_assistant,
    close_work,
    end_monitoring,
    enrol_family,
    record_consent,
    refuse_enrolment,
    request_enrolment,
    resume_work,
    withdraw_consent,
)
from socius.family.support.plans import (
    add_plan_item,
    agree_work_plan,
    draft_work_plan,
    remove_plan_item,
    set_plan_item_status,
    update_plan_item,
)

__all__ = [
    "ConsentInput",
    "add_plan_item",
    "agree_work_plan",
    "approve_enrolment",
    "change_assistant",
    "close_work",
    "draft_work_plan",
    "end_monitoring",
    "enrol_family",
    "log_activity",
    "record_assessment",
    "record_consent",
    "refuse_enrolment",
    "remove_plan_item",
    "request_enrolment",
    "resume_work",
    "set_plan_item_status",
    "update_plan_item",
    "withdraw_consent",
]
