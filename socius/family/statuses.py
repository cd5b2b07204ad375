"""Codes and states of the family assistant programme, child protection and the Blue Card, with the moves
between them (decision 0015)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- the family assistant programme -------------------------------------------------------------------


class EnrolmentRoute(models.TextChoices):
    """How a family came to the programme (PL art. 11 ustawy o wspieraniu rodziny; art. 109 § 2 pkt 1 KRO)."""

    REQUEST = "request", _("Requested by the social worker")  # after the interview; the head approves
    COURT_ORDER = "court_order", _("Ordered by a court")
    STATUTORY = "statutory", _("Statutory case")  # e.g. PL art. 11 ust. 1a: a minor parent leaving a facility


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")  # waiting for the head of the centre
    ACTIVE = "active", _("Active")  # an assistant works with the family
    MONITORING = "monitoring", _("Monitoring")  # work closed, the family is monitored for the period the law gives
    CLOSED = "closed", _("Closed")  # monitoring over (or closed without monitoring)
    REFUSED = "refused", _("Refused")  # the head did not approve the request


ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EnrolmentStatus.REQUESTED: frozenset({EnrolmentStatus.ACTIVE, EnrolmentStatus.REFUSED}),
    EnrolmentStatus.ACTIVE: frozenset({EnrolmentStatus.MONITORING, EnrolmentStatus.CLOSED}),
    EnrolmentStatus.MONITORING: frozenset({EnrolmentStatus.CLOSED, EnrolmentStatus.ACTIVE}),
    EnrolmentStatus.CLOSED: frozenset(),
    EnrolmentStatus.REFUSED: frozenset(),
}

# An enrolment that counts against the assistant's caseload cap.
LOADED_STATUSES = frozenset({EnrolmentStatus.ACTIVE})
OPEN_ENROLMENT_STATUSES = frozenset({EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING})


class ClosureOutcome(models.TextChoices):
    CHILD_STAYS = "child_stays", _("The child stays in the family")
    CHILD_RETURNED = "child_returned", _("The child returned from foster care")
    CHILD_PLACED = "child_placed", _("The child was placed in care")
    FAMILY_MOVED = "family_moved", _("The family moved away")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent was withdrawn")
    GOALS_ACHIEVED = "goals_achieved", _("The goals were achieved")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally, noted by the worker")
    ELECTRONIC = "electronic", _("Electronically")


class WorkArea(models.TextChoices):
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    BUDGETING = "budgeting", _("Budgeting")
    HEALTH = "health", _("Health")
    CHILD_DEVELOPMENT = "child_development", _("The child's development and needs")
    SCHOOL = "school", _("School")
    LEISURE = "leisure", _("Leisure")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")


class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")  # agreed with the family and the social worker: the plan in force
    SUPERSEDED = "superseded", _("Superseded")  # a later version was agreed


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActivityPlace(models.TextChoices):
    FAMILY_HOME = "family_home", _("The family's home")
    SCHOOL = "school", _("School")
    OFFICE = "office", _("An office")
    ELSEWHERE = "elsewhere", _("Elsewhere")


# --- child protection ------------------------------------------------------------------------------------


class ChildRisk(models.TextChoices):
    NEGLECT = "neglect", _("Neglect")
    VIOLENCE = "violence", _("Violence")
    ABANDONMENT = "abandonment", _("Abandonment")
    PARENTS_ABROAD = "parents_abroad", _("Parents working abroad")
    DISABILITY = "disability", _("Disability")
    BEGGING = "begging", _("Begging")
    CONFLICT_WITH_LAW = "conflict_with_law", _("In conflict with the law")


class FormOfCare(models.TextChoices):
    OWN_FAMILY = "own_family", _("Own family")
    EXTENDED_FAMILY = "extended_family", _("Extended family (guardianship)")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    FAMILY_TYPE_HOME = "family_type_home", _("Family-type home")
    RESIDENTIAL_CARE = "residential_care", _("Residential care")
    ADOPTION = "adoption", _("Adoption")


class ChildStatus(models.TextChoices):
    OPEN = "open", _("In difficulty")
    CLOSED = "closed", _("No longer in difficulty")


class MeetingBody(models.TextChoices):
    """The bodies that meet on children's cases; a pack says which of them its centres have."""

    MD_COMMISSION = "md_commission", _("Commission for the protection of children in difficulty")
    PL_INTERDISCIPLINARY_TEAM = "pl_interdisciplinary_team", _("Interdisciplinary team")
    PL_DIAGNOSTIC_GROUP = "pl_diagnostic_group", _("Diagnostic-and-support group")
    LT_CHILD_RIGHTS = "lt_child_rights", _("Child-rights meeting")
    LT_CASE_MANAGEMENT = "lt_case_management", _("Case-management meeting")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")  # minutes recorded, decisions taken
    CANCELLED = "cancelled", _("Cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# --- the Blue Card (PL procedura "Niebieskie Karty") -----------------------------------------------------


class BlueCardInitiator(models.TextChoices):
    """Who filled in form NK-A (art. 9a ust. 11-11d ustawy o przeciwdziałaniu przemocy domowej)."""

    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    POLICE = "police", _("Police")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    ALCOHOL_COMMISSION = "alcohol_commission", _("Municipal alcohol problems commission")


class BlueCardStatus(models.TextChoices):
    STARTED = "started", _("Started")  # NK-A filled in, waiting for the group
    IN_PROGRESS = "in_progress", _("Group working")  # the diagnostic-and-support group works the case
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


BLUE_CARD_TRANSITIONS: dict[str, frozenset[str]] = {
    BlueCardStatus.STARTED: frozenset({BlueCardStatus.IN_PROGRESS, BlueCardStatus.CLOSED}),
    BlueCardStatus.IN_PROGRESS: frozenset({BlueCardStatus.MONITORING, BlueCardStatus.CLOSED}),
    BlueCardStatus.MONITORING: frozenset({BlueCardStatus.IN_PROGRESS, BlueCardStatus.CLOSED}),
    BlueCardStatus.CLOSED: frozenset(),
}


class BlueCardClosureGround(models.TextChoices):
    VIOLENCE_CEASED = "violence_ceased", _("Violence ceased and the help plan was carried out")
    NOT_JUSTIFIED = "not_justified", _("Action was found not to be justified")


class BlueCardRole(models.TextChoices):
    VICTIM = "victim", _("Person affected by violence")
    SUSPECT = "suspect", _("Person suspected of violence")
    WITNESS = "witness", _("Witness")


class BlueCardForm(models.TextChoices):
    NK_A = "nk_a", _("NK-A: start of the procedure")
    NK_B = "nk_b", _("NK-B: information for the person affected")
    NK_C = "nk_c", _("NK-C: assessment with the person affected")
    NK_D = "nk_d", _("NK-D: assessment with the person suspected")
