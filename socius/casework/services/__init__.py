"""Writes for casework. Each service is one atomic step that writes its timeline event and audit rows."""

from socius.casework.services._case_content import locked_workable_case
from socius.casework.services.activities import record_activity
from socius.casework.services.cases import change_case_status, open_case, reassign_cases, share_case, unshare_case
from socius.casework.services.contacts import record_contact
from socius.casework.services.documents import attach_document, remove_document
from socius.casework.services.visits import cancel_visit, plan_visit, record_done_visit, record_visit_done

__all__ = [
    "attach_document",
    "cancel_visit",
    "change_case_status",
    "locked_workable_case",
    "open_case",
    "plan_visit",
    "reassign_cases",
    "record_activity",
    "record_contact",
    "record_done_visit",
    "record_visit_done",
    "remove_document",
    "share_case",
    "unshare_case",
]
