"""Who may do what with subject-access requests (decision 0022)."""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import APPROVE_SUBJECT_ACCESS, REQUEST_SUBJECT_ACCESS, VIEW_PRIVACY_REGISTERS


def can_record_requests(actor: User) -> bool:
    return actor.can(REQUEST_SUBJECT_ACCESS)


def can_decide(actor: User) -> bool:
    """The director approves or refuses (the issue: "needs the director's approval")."""
    return actor.can(APPROVE_SUBJECT_ACCESS)


def sees_every_request(actor: User) -> bool:
    """The director, and those who keep or read the privacy registers (the DPO, the administrator, auditors),
    see the centre's requests; the others those they recorded."""
    return actor.can(APPROVE_SUBJECT_ACCESS) or actor.can(VIEW_PRIVACY_REGISTERS)


def can_download(actor: User, sar) -> bool:
    """The export is the person's whole file: the director and the one who recorded the request (and hands it
    over) download it; the DPO and auditors see that it exists, not its content."""
    return actor.can(APPROVE_SUBJECT_ACCESS) or (sar.received_by_id == actor.pk and can_record_requests(actor))
