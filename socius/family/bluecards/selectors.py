"""Reads of the Blue Card: only the group's current staff members and the director see a card; every other
caller (auditors and other centres included) gets "not found" or an empty list. Every read is audited under
the persons of the procedure (object_type "blue_card")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.accounts.roles import Role
from socius.common.errors import NotFound
from socius.common.limits import ID_MAX
from socius.family.bluecards.rules import Deadline, deadlines, offers_blue_card, pack_has_blue_card
from socius.family.models import (
    BlueCard,
    BlueCardEvent,
    BlueCardFormRecord,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardMonitoring,
    BlueCardParty,
    BlueCardPlanItem,
)
from socius.family.permissions import can_view_blue_card, can_work_blue_card
from socius.family.statuses import BLUE_CARD_TRANSITIONS, BlueCardRole, BlueCardStatus

OBJECT_TYPE = "blue_card"

# The card's history, as its page names the steps (BlueCardEvent.kind, services.EventKind).
EVENT_LABELS = {
    "started": _("Procedure started (NK-A)"),
    "member_added": _("Member added to the group"),
    "member_removed": _("Member left the group"),
    "form_recorded": _("Form recorded"),
    "meeting_recorded": _("Group meeting recorded"),
    "plan_item_added": _("Help plan measure added"),
    "plan_item_done": _("Help plan measure done"),
    "monitoring_noted": _("Monitoring note added"),
    "status_changed": _("Status changed"),
}


def blue_card_offered_to(actor: User, on: dt.date | None = None) -> bool:
    """Whether the actor's centre offers the procedure (the nav link, the pages): PL packs only."""
    if not (actor and actor.is_authenticated and actor.centre_id):
        return False
    return offers_blue_card(actor.centre, on) if on else pack_has_blue_card(actor.centre)


def visible_blue_cards(actor: User) -> QuerySet[BlueCard]:
    """The cards the actor may see: the director all of the centre's; anyone else those whose group they are
    a current staff member of; nobody else anything."""
    if not (actor and actor.is_authenticated and actor.is_active and actor.centre_id):
        return BlueCard.objects.none()
    cards = BlueCard.objects.filter(centre_id=actor.centre_id)
    if actor.role == Role.DIRECTOR:
        return cards
    member = BlueCardMember.objects.filter(card=OuterRef("pk"), user=actor, removed_on__isnull=True)
    return cards.filter(Exists(member))


def list_blue_cards_for(actor: User, *, status: str | None = None, q: str | None = None) -> QuerySet[BlueCard]:
    """Visible cards, newest first; `q` matches the reference or a party's family name."""
    if not blue_card_offered_to(actor):
        raise NotFound()
    cards = visible_blue_cards(actor).select_related("centre")
    if status:
        cards = cards.filter(status=status)
    q = (q or "").strip()
    if q:
        party = BlueCardParty.objects.filter(card=OuterRef("pk"), person__last_name__icontains=q)
        cards = cards.filter(Q(reference__icontains=q) | Q(Exists(party)))
    return cards.prefetch_related(
        Prefetch("parties", queryset=BlueCardParty.objects.select_related("person").order_by("role", "id"))
    ).order_by("-started_on", "-id")


def get_blue_card_for(actor: User, pk) -> BlueCard:
    """The card, if the actor may see it; NotFound otherwise (the same answer as for a card that does not exist)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 1 <= pk <= ID_MAX or not blue_card_offered_to(actor):
        raise NotFound()
    card = BlueCard.objects.select_related("centre", "household", "recorded_by").filter(pk=pk).first()
    if card is None or not can_view_blue_card(actor, card):
        raise NotFound()
    return card


def party_ids_of(cards: Iterable[BlueCard]) -> list[int]:
    ids = [c.pk for c in cards]
    rows = BlueCardParty.objects.filter(card_id__in=ids).order_by("card_id", "id").values_list("person_id", flat=True)
    return list(dict.fromkeys(rows))


def audit_blue_card_view(actor: User, card: BlueCard, *, what: str = "") -> None:
    """One VIEW event for the card, naming every person of the procedure."""
    record_view(
        actor,
        object_type=OBJECT_TYPE,
        object_id=card.pk,
        centre_id=card.centre_id,
        person_ids=party_ids_of([card]),
        changes={"document": [None, what]} if what else None,
    )


def audit_blue_card_list(actor: User, cards: Iterable[BlueCard], *, query: str = "") -> None:
    record_list_view(actor, object_type=OBJECT_TYPE, person_ids=party_ids_of(cards), query=query)


@dataclass
class BlueCardPage:
    """Everything the card's page (and the API's detail) shows, read with a fixed number of queries."""

    card: BlueCard
    victims: list[BlueCardParty] = field(default_factory=list)
    suspects: list[BlueCardParty] = field(default_factory=list)
    witnesses: list[BlueCardParty] = field(default_factory=list)
    members: list[BlueCardMember] = field(default_factory=list)
    former_members: list[BlueCardMember] = field(default_factory=list)
    forms: list[BlueCardFormRecord] = field(default_factory=list)
    meetings: list[BlueCardMeeting] = field(default_factory=list)
    plan_items: list[BlueCardPlanItem] = field(default_factory=list)
    monitoring: list[BlueCardMonitoring] = field(default_factory=list)
    events: list[BlueCardEvent] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    may_work: bool = False

    @property
    def parties(self) -> list[BlueCardParty]:
        return [*self.victims, *self.suspects, *self.witnesses]


def blue_card_page(actor: User, card: BlueCard) -> BlueCardPage:
    parties = list(BlueCardParty.objects.filter(card=card).select_related("person").order_by("id"))
    members = list(BlueCardMember.objects.filter(card=card).select_related("user").order_by("id"))
    page = BlueCardPage(
        card=card,
        victims=[p for p in parties if p.role == BlueCardRole.VICTIM],
        suspects=[p for p in parties if p.role == BlueCardRole.SUSPECT],
        witnesses=[p for p in parties if p.role == BlueCardRole.WITNESS],
        members=[m for m in members if m.removed_on is None],
        former_members=[m for m in members if m.removed_on is not None],
        forms=list(BlueCardFormRecord.objects.filter(card=card).select_related("person", "filled_by")),
        meetings=list(BlueCardMeeting.objects.filter(card=card).prefetch_related("present")),
        plan_items=list(BlueCardPlanItem.objects.filter(card=card).select_related("person")),
        monitoring=list(BlueCardMonitoring.objects.filter(card=card).select_related("recorded_by")),
        events=list(BlueCardEvent.objects.filter(card=card).select_related("actor").order_by("-at", "-id")[:50]),
        deadlines=deadlines(card),
        moves=[s for s in BlueCardStatus.values if s in BLUE_CARD_TRANSITIONS.get(card.status, frozenset())],
    )
    for event in page.events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
    card._member_user_ids = frozenset(m.user_id for m in page.members if m.user_id)
    page.may_work = can_work_blue_card(actor, card)
    return page
