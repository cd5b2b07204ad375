"""Errors of community work, raised by its services and answered at the edge (409 with the reason; nothing was
written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, InvalidTransition


class InvalidCommunityTransition(InvalidTransition):
    """A record cannot move from its state to the one asked (statuses.*_TRANSITIONS)."""


class AlreadyFollowedUp(Conflict):
    """A potential recipient already became a contact or a referral: it is counted once."""

    def __init__(self, recipient):
        self.recipient = recipient
        super().__init__(
            _("This potential recipient was already followed up on %(day)s.")
            % {"day": recipient.converted_on.isoformat() if recipient.converted_on else "—"},
            code="already_followed_up",
        )


class TerritoryOutsideCentre(Conflict):
    """The territory is not in the centre's part of the territorial tree."""

    def __init__(self, territory):
        self.territory = territory
        super().__init__(
            _("“%(territory)s” is not in your centre's area.") % {"territory": territory.name},
            code="territory_outside_centre",
        )
