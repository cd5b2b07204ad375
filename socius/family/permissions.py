"""Who may do what in the family assistant programme, child protection and the Blue Card (decision 0015).

Family support and children hang on a case: whoever reads the case's content reads them (the assigned
worker, the team leader of the case's team, the director, staff the case was shared with), and so does the
assistant of the family and the responsible worker of the child. Meetings are seen by the centre's
caseworkers; an agenda item's content by the case's readers and the meeting's members. A Blue Card is seen
by the current staff members of its group and the director, nobody else: every other caller, auditors and
other centres included, is told "not found".
"""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import (
    APPROVE_ENROLMENTS,
    START_BLUE_CARD,
    VIEW_ASSISTANT_LOADS,
    WORK_CHILD_PROTECTION,
    WORK_FAMILY_SUPPORT,
    Role,
)
from socius.casework.permissions import can_view_case_content


def _same_centre(actor: User, record) -> bool:
    return bool(actor.centre_id) and actor.centre_id == record.centre_id


# --- the family assistant programme -------------------------------------------------------------------


def can_request_enrolment(actor: User, case) -> bool:
    """A social worker (or anyone doing family work) who reads the case may request an assistant for it."""
    return actor.can(WORK_FAMILY_SUPPORT) and can_view_case_content(actor, case)


def can_decide_enrolment(actor: User, enrolment) -> bool:
    """The head of the centre approves or refuses a request and assigns the assistant."""
    return actor.can(APPROVE_ENROLMENTS) and _same_centre(actor, enrolment)


def is_family_assistant_of(actor: User, enrolment) -> bool:
    return enrolment.assistant_id is not None and enrolment.assistant_id == actor.pk


def can_view_enrolment(actor: User, enrolment) -> bool:
    """The family's assistant, and whoever reads the content of the enrolment's case."""
    if not _same_centre(actor, enrolment):
        return False
    return is_family_assistant_of(actor, enrolment) or can_view_case_content(actor, enrolment.case)


def can_work_enrolment(actor: User, enrolment) -> bool:
    """Consents, work plan, activity log, assessments: the family's assistant, and those who answer for the
    case (its worker, the team leader, the director) while the enrolment is open."""
    if not (actor.can(WORK_FAMILY_SUPPORT) and _same_centre(actor, enrolment)):
        return False
    if is_family_assistant_of(actor, enrolment):
        return True
    case = enrolment.case
    answers_for_case = actor.role in (Role.DIRECTOR, Role.TEAM_LEADER) and can_view_case_content(actor, case)
    return case.assigned_worker_id == actor.pk or answers_for_case


def can_view_assistant_loads(actor: User) -> bool:
    """Team leaders and the director see each assistant's load."""
    return actor.can(VIEW_ASSISTANT_LOADS)


def can_view_timesheet(actor: User, assistant: User) -> bool:
    """An assistant their own; team leaders and the director every assistant of their centre."""
    if not actor.centre_id or actor.centre_id != assistant.centre_id:
        return False
    return actor.pk == assistant.pk or can_view_assistant_loads(actor)


# --- child protection ------------------------------------------------------------------------------------


def can_record_children(actor: User) -> bool:
    return actor.can(WORK_CHILD_PROTECTION)


def can_view_child(actor: User, record) -> bool:
    """The responsible worker, and whoever reads the content of the child's case."""
    if not _same_centre(actor, record):
        return False
    return record.responsible_worker_id == actor.pk or can_view_case_content(actor, record.case)


def can_work_child(actor: User, record) -> bool:
    return actor.can(WORK_CHILD_PROTECTION) and can_view_child(actor, record)


def can_view_meetings(actor: User) -> bool:
    """The commission calendar: those who do child protection work in the centre."""
    return actor.can(WORK_CHILD_PROTECTION)


def can_manage_meeting(actor: User, meeting) -> bool:
    """Schedule, set members, record attendance, minutes and decisions: caseworkers of the centre."""
    return actor.can(WORK_CHILD_PROTECTION) and _same_centre(actor, meeting)


def is_meeting_member(actor: User, meeting) -> bool:
    cached = getattr(meeting, "_member_user_ids", None)
    if cached is None:
        cached = frozenset(meeting.members.filter(user__isnull=False).values_list("user_id", flat=True))
        meeting._member_user_ids = cached
    return actor.pk in cached or meeting.chair_id == actor.pk


def can_view_agenda_item(actor: User, item) -> bool:
    """An item's question and decision: the meeting's members and chair, the director, the case's readers."""
    meeting = item.meeting
    if not _same_centre(actor, meeting) or not can_view_meetings(actor):
        return False
    return actor.role == Role.DIRECTOR or is_meeting_member(actor, meeting) or can_view_case_content(actor, item.case)


def can_work_task(actor: User, task) -> bool:
    """A follow-up task: the person it is assigned to, and those who answer for its case."""
    if not (bool(actor.centre_id) and actor.centre_id == task.centre_id):
        return False
    return task.assigned_to_id == actor.pk or can_view_case_content(actor, task.case)


# --- the Blue Card ---------------------------------------------------------------------------------------


def can_start_blue_card(actor: User) -> bool:
    return actor.can(START_BLUE_CARD)


def is_blue_card_member(actor: User, card) -> bool:
    """A current staff member of the card's group (read once per card object)."""
    cached = getattr(card, "_member_user_ids", None)
    if cached is None:
        cached = frozenset(
            card.members.filter(user__isnull=False, removed_on__isnull=True).values_list("user_id", flat=True)
        )
        card._member_user_ids = cached
    return actor.pk in cached


def can_view_blue_card(actor: User, card) -> bool:
    """The group's current staff members and the director of the card's centre; nobody else."""
    if not (actor.is_active and _same_centre(actor, card)):
        return False
    return actor.role == Role.DIRECTOR or is_blue_card_member(actor, card)


def can_work_blue_card(actor: User, card) -> bool:
    """Forms, meetings, plan, monitoring, closing: the group's staff members (and the director)."""
    return can_start_blue_card(actor) and can_view_blue_card(actor, card)


def can_manage_blue_card_group(actor: User, card) -> bool:
    """Who is in the group: the director (for the chair of the interdisciplinary team) and the members."""
    return can_work_blue_card(actor, card)
