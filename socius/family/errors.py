"""Errors of the family assistant programme, child protection and the Blue Card, raised by their services and
answered at the edge (409 with the reason; nothing was written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, InvalidTransition


class CaseloadCapReached(Conflict):
    """The assistant already works with as many families as the law allows (PL art. 15 ust. 4)."""

    def __init__(self, assistant, cap: int, load: int, legal_basis: str = ""):
        self.assistant_id = assistant.pk
        self.cap = cap
        self.load = load
        self.legal_basis = legal_basis
        name = assistant.get_full_name() or assistant.username
        message = _(
            "%(assistant)s already works with %(load)s families; the most allowed is %(cap)s. "
            "Close a family's work or choose another assistant."
        ) % {"assistant": name, "load": load, "cap": cap}
        if legal_basis:
            message = f"{message} ({legal_basis})"
        super().__init__(message, code="caseload_cap_reached")


class InvalidFamilyTransition(InvalidTransition):
    """A record cannot move from its state to the one asked (statuses.*_TRANSITIONS)."""


class ConsentRequired(Conflict):
    """The work needs the family's consent (unless a court ordered it), and no live consent is recorded."""

    def __init__(self):
        super().__init__(
            _("The family has not consented: record a family member's consent first (a court order needs none)."),
            code="consent_required",
        )


class QuorumNotMet(Conflict):
    """Fewer voting members are present than the quorum the law sets for the body."""

    def __init__(self, present: int, quorum: int):
        self.present = present
        self.quorum = quorum
        super().__init__(
            _("Only %(present)s voting members are present; the meeting needs %(quorum)s to decide.")
            % {"present": present, "quorum": quorum},
            code="quorum_not_met",
        )


class NotInPack(Conflict):
    """A code the centre's jurisdiction pack does not offer (a meeting body, the Blue Card outside Poland)."""

    def __init__(self, code: str):
        self.code_asked = code
        super().__init__(
            _("“%(code)s” is not available in this centre's jurisdiction.") % {"code": code}, code="not_in_pack"
        )
