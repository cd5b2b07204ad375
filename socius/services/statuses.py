"""Codes and states of social services: decisions, waiting lists, rosters, visits and deliveries, monthly
statements (decision 0016)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceUnit(models.TextChoices):
    """The unit a service is counted in (from the pack's catalogue)."""

    HOUR = "hour", _("hour")
    TRIP = "trip", _("trip")
    MEAL = "meal", _("meal")
    DAY = "day", _("day")
    SESSION = "session", _("session")  # e.g. counselling


class QuantityPer(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")  # in force from starts_on to ends_on
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")  # a draft withdrawn before it was issued


DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.DRAFT: frozenset({DecisionStatus.ISSUED, DecisionStatus.CANCELLED}),
    DecisionStatus.ISSUED: frozenset({DecisionStatus.SUSPENDED, DecisionStatus.ENDED}),
    DecisionStatus.SUSPENDED: frozenset({DecisionStatus.ISSUED, DecisionStatus.ENDED}),
    DecisionStatus.ENDED: frozenset(),
    DecisionStatus.CANCELLED: frozenset(),
}
# Decisions whose services may be planned and delivered.
DELIVERABLE_STATUSES = frozenset({DecisionStatus.ISSUED})


class ProviderKind(models.TextChoices):
    CENTRE = "centre", _("The centre's staff")
    CONTRACTED = "contracted", _("Contracted provider")


class WorkerKind(models.TextChoices):
    CARER = "carer", _("Carer")
    DRIVER = "driver", _("Driver")
    COOK = "cook", _("Canteen staff")
    OTHER = "other", _("Other")


class WaitingPriority(models.IntegerChoices):
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")  # a decision was issued for the service
    WITHDRAWN = "withdrawn", _("Withdrawn")


WAITING_TRANSITIONS: dict[str, frozenset[str]] = {
    WaitingStatus.WAITING: frozenset({WaitingStatus.PLACED, WaitingStatus.WITHDRAWN}),
    WaitingStatus.PLACED: frozenset(),
    WaitingStatus.WITHDRAWN: frozenset({WaitingStatus.WAITING}),
}


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


ROSTER_TRANSITIONS: dict[str, frozenset[str]] = {
    RosterStatus.DRAFT: frozenset({RosterStatus.PUBLISHED}),
    RosterStatus.PUBLISHED: frozenset({RosterStatus.DRAFT}),  # reopened to change it
}


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DELIVERED = "delivered", _("Delivered")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.DELIVERED, VisitStatus.MISSED, VisitStatus.CANCELLED}),
    VisitStatus.DELIVERED: frozenset(),
    VisitStatus.MISSED: frozenset(),
    VisitStatus.CANCELLED: frozenset({VisitStatus.PLANNED}),
}


class MissedReason(models.TextChoices):
    CLIENT_ABSENT = "client_absent", _("The client was not at home")
    CLIENT_REFUSED = "client_refused", _("The client refused the visit")
    CLIENT_IN_HOSPITAL = "client_in_hospital", _("The client was in hospital")
    CARER_ILL = "carer_ill", _("The carer was ill")
    TRANSPORT = "transport", _("No transport")
    WEATHER = "weather", _("Weather or road conditions")
    OTHER = "other", _("Other reason")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")  # replaced by a corrected statement


STATEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    StatementStatus.DRAFT: frozenset({StatementStatus.ISSUED, StatementStatus.CANCELLED}),
    StatementStatus.ISSUED: frozenset({StatementStatus.CANCELLED}),
    StatementStatus.CANCELLED: frozenset(),
}


class DeliveryOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    MISSED = "missed", _("Missed")
