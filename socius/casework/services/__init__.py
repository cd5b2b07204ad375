"""Writes for casework. Each service is one atomic step that writes its timeline event and audit rows."""

from socius.casework.services.cases import change_case_status, open_case, reassign_cases, share_case, unshare_case
from socius.casework.services.contacts import record_contact

__all__ = ["change_case_status", "open_case", "reassign_cases", "record_contact", "share_case", "unshare_case"]
