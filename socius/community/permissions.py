"""Who may do what in community work (decision 0016).

Outreach events and potential recipients are the centre's: every member of staff who reads cases sees them
(named attendees and recipients are personal data: each read is audited under the persons named); those who do
casework plan, record and follow them up. A supervision's topics, notes and follow-ups are read only by its
participants, its facilitator (when on staff) and the director; everyone else sees the date, the status and how
many took part. The calendar's own entries are kept by team leaders, the director and the administrator.
"""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import MANAGE_CALENDAR, VIEW_CASES, WORK_COMMUNITY, Role


def _same_centre(actor: User, record) -> bool:
    return bool(actor.centre_id) and actor.centre_id == record.centre_id


def can_view_community(actor: User) -> bool:
    """Outreach events, potential recipients, the territory view, the diagnosis."""
    return bool(actor.centre_id) and actor.can(VIEW_CASES)


def can_work_community(actor: User) -> bool:
    """Plan and record outreach, record potential recipients and follow them up, plan supervisions."""
    return bool(actor.centre_id) and actor.can(WORK_COMMUNITY)


def can_view_event(actor: User, event) -> bool:
    return can_view_community(actor) and _same_centre(actor, event)


def can_work_event(actor: User, event) -> bool:
    return can_work_community(actor) and _same_centre(actor, event)


def can_view_supervision(actor: User, supervision) -> bool:
    """That it took place, when, by whom facilitated, how many took part: the centre's staff who read cases."""
    return can_view_community(actor) and _same_centre(actor, supervision)


def can_read_supervision_notes(actor: User, supervision) -> bool:
    """Topics, notes and follow-ups: the participants, the facilitator on staff and the director."""
    if not _same_centre(actor, supervision):
        return False
    if actor.role == Role.DIRECTOR or supervision.facilitator_id == actor.pk:
        return True
    return supervision.participants.filter(pk=actor.pk).exists()


def can_manage_calendar(actor: User) -> bool:
    """Trainings, office closures and other entries of the centre's calendar."""
    return bool(actor.centre_id) and actor.can(MANAGE_CALENDAR)


def can_view_calendar(actor: User) -> bool:
    """Every member of a centre's staff sees its calendar (what each entry links to keeps its own rules)."""
    return bool(actor.centre_id) and actor.is_active
