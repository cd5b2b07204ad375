"""Where the Blue Card is offered and its deadlines: dated parameters of the centre's pack (PL only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socius.common.errors import NotFound
from socius.rulebook import get_jurisdiction

NKA_TO_CHAIR = "blue_card/nka_to_chair_deadline"
CHAIR_TO_GROUP = "blue_card/chair_to_group_deadline"
FIRST_MEETING = "blue_card/first_meeting_deadline"


def offers_blue_card(centre, on: dt.date) -> bool:
    """A centre offers the procedure when its pack has the first-meeting deadline in force on the day
    (Poland: Dz.U. 2023 poz. 1870); Moldova and Lithuania have no such procedure."""
    if centre is None:
        return False
    return get_jurisdiction(centre.jurisdiction).has_parameter(FIRST_MEETING, on)


def pack_has_blue_card(centre) -> bool:
    """Whether the centre's pack knows the procedure at all, whatever the day."""
    # Asked on every page (the menu's link): a cached read of the parameter, not a walk of the pack's folder.
    return centre is not None and get_jurisdiction(centre.jurisdiction).knows_parameter(FIRST_MEETING)


def require_blue_card(centre, on: dt.date | None = None) -> None:
    """Outside a pack that offers it, the Blue Card does not exist: "not found"."""
    if not (offers_blue_card(centre, on) if on else pack_has_blue_card(centre)):
        raise NotFound()


def first_meeting_due_on(centre, received_on: dt.date) -> dt.date:
    return get_jurisdiction(centre.jurisdiction).due_on(FIRST_MEETING, received_on)


@dataclass(frozen=True)
class Deadline:
    name: str
    due_on: dt.date
    days: int
    source: str
    legal_basis: str
    confirmed: bool


def deadlines(card) -> list[Deadline]:
    """The card's deadlines: NK-A to the chair (from the day it was filled in), the chair to the group and
    the first meeting (from the day the chair received it), each with its source."""
    pack = get_jurisdiction(card.centre.jurisdiction)
    out = []
    for name, start in (
        (NKA_TO_CHAIR, card.started_on),
        (CHAIR_TO_GROUP, card.received_on),
        (FIRST_MEETING, card.received_on),
    ):
        if not pack.has_parameter(name, start):
            continue
        value = pack.parameter_in_force(name, start)
        out.append(
            Deadline(
                name=name.rsplit("/", 1)[1],
                due_on=pack.due_on(name, start),
                days=int(value.value),
                source=value.source,
                legal_basis=value.legal_basis,
                confirmed=value.confirmed,
            )
        )
    return out
