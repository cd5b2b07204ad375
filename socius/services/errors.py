"""Errors of social services, raised by their services and answered at the edge (409 with the reason; nothing
was written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, InvalidTransition


class InvalidServiceTransition(InvalidTransition):
    """A record cannot move from its state to the one asked (statuses.*_TRANSITIONS)."""


class ServiceNotOffered(Conflict):
    """The service is not in the pack's catalogue, or the centre has no price for it on the day."""

    def __init__(self, service_code: str, on=None):
        self.service_code = service_code
        message = _("The centre does not offer “%(service)s”") % {"service": service_code}
        if on is not None:
            message = _("The centre does not offer “%(service)s” on %(day)s") % {
                "service": service_code,
                "day": on.isoformat(),
            }
        super().__init__(f"{message}.", code="service_not_offered")


class CapacityExceeded(Conflict):
    """The service (or the provider) has no room left for the units asked in a week."""

    def __init__(self, service_label: str, capacity, booked, asked):
        self.capacity = capacity
        self.booked = booked
        self.asked = asked
        super().__init__(
            _(
                "%(service)s has room for %(capacity)s units a week; %(booked)s are booked, so %(asked)s more "
                "do not fit. Put the client on the waiting list or choose another provider."
            )
            % {"service": service_label, "capacity": capacity, "booked": booked, "asked": asked},
            code="capacity_exceeded",
        )


class WorkerOverbooked(Conflict):
    """A roster change would give a carer more hours than their contract, or two visits at once."""

    def __init__(self, worker, message: str):
        self.worker = worker
        super().__init__(message, code="worker_overbooked")


class OutsideDecision(Conflict):
    """A visit or delivery the client's decision does not cover (another service, outside its dates, more
    units than decided for the week or month, not issued)."""

    def __init__(self, message: str):
        super().__init__(message, code="outside_decision")


class FourEyes(Conflict):
    """The drafter of a decision cannot issue it."""

    def __init__(self):
        super().__init__(_("You drafted this decision: another person must issue it."), code="four_eyes")
