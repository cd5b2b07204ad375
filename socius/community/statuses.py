"""Codes and states of community work: outreach events, potential recipients, staff group supervision and the
centre's calendar, with the moves between them (decision 0016)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", _("Information meeting")
    PREVENTIVE_SESSION = "preventive_session", _("Preventive session")
    COMMUNITY_MOBILISATION = "community_mobilisation", _("Community mobilisation meeting")
    TRAINING = "training", _("Training")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.PLANNED: frozenset({EventStatus.HELD, EventStatus.CANCELLED}),
    EventStatus.HELD: frozenset(),
    EventStatus.CANCELLED: frozenset({EventStatus.PLANNED}),  # planned again (a new date)
}


class PartnerRole(models.TextChoices):
    """Who the centre meets in a territory (LT seniūnas, seniūnaitis; MD primar; PL sołtys as community chair)."""

    ELDER = "elder", _("Elder")
    SUB_ELDER = "sub_elder", _("Sub-elder")
    MAYOR = "mayor", _("Mayor")
    COMMUNITY_CHAIR = "community_chair", _("Community chair")
    SCHOOL = "school", _("School")
    PARISH = "parish", _("Parish")
    NGO = "ngo", _("Non-governmental organisation")
    HEALTH = "health", _("Health service")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other partner")


class AttendeeConsent(models.TextChoices):
    """A named attendee is recorded only with their consent, given so."""

    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally, noted by the worker")


class RecipientStatus(models.TextChoices):
    """A potential recipient found in the community: open until it becomes a contact or a referral, or is
    dismissed (not in need, moved away, refused)."""

    OPEN = "open", _("To follow up")
    CONTACTED = "contacted", _("Became a contact")
    REFERRED = "referred", _("Referred")
    DISMISSED = "dismissed", _("Dismissed")


RECIPIENT_TRANSITIONS: dict[str, frozenset[str]] = {
    RecipientStatus.OPEN: frozenset({RecipientStatus.CONTACTED, RecipientStatus.REFERRED, RecipientStatus.DISMISSED}),
    RecipientStatus.CONTACTED: frozenset(),
    RecipientStatus.REFERRED: frozenset(),
    RecipientStatus.DISMISSED: frozenset({RecipientStatus.OPEN}),
}


# A supervision moves as an outreach event does (planned, held, cancelled): one set of states, one API enum.
SupervisionStatus = EventStatus


SUPERVISION_TRANSITIONS: dict[str, frozenset[str]] = {
    SupervisionStatus.PLANNED: frozenset({SupervisionStatus.HELD, SupervisionStatus.CANCELLED}),
    SupervisionStatus.HELD: frozenset(),
    SupervisionStatus.CANCELLED: frozenset({SupervisionStatus.PLANNED}),
}


class FacilitatorKind(models.TextChoices):
    INTERNAL = "internal", _("Internal (a member of staff)")
    EXTERNAL = "external", _("External supervisor")


class CalendarKind(models.TextChoices):
    """What the centre's calendar shows. Outreach, commission meetings and supervisions come from their own
    records; trainings, office closures and other entries are written in the calendar itself."""

    OUTREACH = "outreach", _("Outreach")
    COMMISSION = "commission", _("Commission meeting")
    SUPERVISION = "supervision", _("Supervision")
    TRAINING = "training", _("Training")
    OFFICE_CLOSURE = "office_closure", _("Office closure")
    OTHER = "other", _("Other")


# The kinds a calendar entry (CalendarEntry) may have: the rest are drawn from their own records.
ENTRY_KINDS = (CalendarKind.TRAINING, CalendarKind.OFFICE_CLOSURE, CalendarKind.OTHER)
