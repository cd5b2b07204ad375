"""The Blue Card procedure (PL "Niebieska Karta"): services, selectors, documents and pack rules."""

from socius.family.bluecards.services import (
    add_group_member,
    add_monitoring_note,
    add_plan_item,
    change_blue_card_status,
    close_blue_card,
    mark_plan_item_done,
    record_form,
    record_meeting,
    remove_group_member,
    start_blue_card,
)

__all__ = [
    "add_group_member",
    "add_monitoring_note",
    "add_plan_item",
    "change_blue_card_status",
    "close_blue_card",
    "mark_plan_item_done",
    "record_form",
    "record_meeting",
    "remove_group_member",
    "start_blue_card",
]
