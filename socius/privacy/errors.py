"""Refusals of subject-access requests, turned into translated messages and 409s at the edge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, InvalidTransition
from socius.privacy.statuses import SarStatus


class InvalidSarTransition(InvalidTransition):
    """A request cannot move from its state to the one asked."""

    def __init__(self, request, to: str):
        super().__init__(request, request.status, to, labels=dict(SarStatus.choices))


class SelfApproval(Conflict):
    """Four eyes: the one who recorded the request does not approve it (decision 0022)."""

    def __init__(self, request):
        self.request = request
        super().__init__(
            _("You recorded this request, so another approver must approve it (four eyes)."), code="self_approval"
        )


class ExportNotReady(Conflict):
    """The export is still being produced, or its production failed."""

    def __init__(self, request):
        self.request = request
        super().__init__(_("The export is not ready yet."), code="export_not_ready")
