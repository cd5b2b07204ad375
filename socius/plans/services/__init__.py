"""Writes for help plans and social contracts. Each service is atomic and writes its timeline event and audit row."""

from socius.plans.services.contracts import (
    add_obligation,
    clear_flag,
    draft_contract,
    fulfil_contract,
    mark_obligation,
    record_breach,
    record_refusal,
    sign_contract,
    start_contract,
    terminate_contract,
)
from socius.plans.services.plans import (
    add_action,
    add_goal,
    change_action_status,
    change_plan_status,
    create_plan,
    review_plan,
)

__all__ = [
    "add_action",
    "add_goal",
    "add_obligation",
    "change_action_status",
    "change_plan_status",
    "clear_flag",
    "create_plan",
    "draft_contract",
    "fulfil_contract",
    "mark_obligation",
    "record_breach",
    "record_refusal",
    "review_plan",
    "sign_contract",
    "start_contract",
    "terminate_contract",
]
