"""Case statuses, closure reasons and the one map of allowed status moves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("Opened")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("No longer eligible")
    MOVED_AWAY = "moved_away", _("Moved away")
    REFUSED_COOPERATION = "refused_cooperation", _("Refused cooperation")
    DIED = "died", _("Died")
    TRANSFERRED = "transferred", _("Transferred to another institution")
    OTHER = "other", _("Other")


OPEN_STATUSES: frozenset[str] = frozenset({CaseStatus.OPENED, CaseStatus.ACTIVE, CaseStatus.SUSPENDED})

# Every status move a case may make; `change_case_status` refuses anything else with Conflict.
#
# - opened -> active: the worker starts working with the family (interview done, plan begun);
#   opened -> closed: opened by mistake, or the family declined help before work began.
# - active <-> suspended: work pauses (hospital stay, prison, long absence) and resumes.
# - closed -> active (reopening): a mature product needs it. Families come back within weeks, and a
#   case closed by mistake must be put right without a second case and a second reference number.
#   Reopening clears the closure reason and date on the case; the timeline keeps the earlier closure
#   (STATUS_CHANGED event with its reason), so statistics for the period it was closed stay explainable.
#   A reopening needs a note saying why.
# - Nothing moves back to `opened`: it means "not yet worked on" and happens once.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPENED: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.SUSPENDED, CaseStatus.CLOSED}),
    CaseStatus.SUSPENDED: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


# --- referrals ------------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# A referral awaits an answer while sent or acknowledged; only those can be overdue.
AWAITING_ANSWER_STATUSES: frozenset[str] = frozenset({ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED})

# Every move a referral may make; `change_referral_status` refuses anything else with Conflict.
#
# - sent -> acknowledged -> answered -> closed is the ordinary path; many partners answer without
#   acknowledging first (sent -> answered).
# - Any open status may be closed (the referral was withdrawn, or is no longer needed); closing needs
#   an outcome saying why. Nothing moves back: a new question to the partner is a new referral.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACKNOWLEDGED, ReferralStatus.ANSWERED, ReferralStatus.CLOSED}),
    ReferralStatus.ACKNOWLEDGED: frozenset({ReferralStatus.ANSWERED, ReferralStatus.CLOSED}),
    ReferralStatus.ANSWERED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}


def is_referral_move_allowed(from_status: str, to_status: str) -> bool:
    return to_status in REFERRAL_TRANSITIONS.get(from_status, frozenset())
