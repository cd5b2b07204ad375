"""Refusals of the reporting app, turned into translated messages and 409s at the edge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, InvalidTransition
from socius.reporting.statuses import VersionStatus


class InvalidVersionTransition(InvalidTransition):
    """A report version cannot move from its state to the one asked."""

    def __init__(self, version, to: str):
        super().__init__(version, version.status, to, labels=dict(VersionStatus.choices))


class ReportFrozen(Conflict):
    """An approved or superseded version is never changed: issue a new version."""

    def __init__(self, version):
        self.version = version
        super().__init__(
            _("This version is approved and its figures are frozen. Issue a new version to change it."),
            code="report_frozen",
        )


class NarrativeNotSigned(Conflict):
    """The director approves a version whose narrative the head of service has signed off."""

    def __init__(self, version):
        self.version = version
        super().__init__(
            _("The narrative has not been signed off by the head of service yet."), code="narrative_not_signed"
        )
