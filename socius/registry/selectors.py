"""Reads for the registry, always scoped to the actor's centre: another centre's record is 'not found'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from rapidfuzz import fuzz

from socius.accounts.models import User
from socius.accounts.permissions import can_view_registry, require
from socius.common.errors import NotFound
from socius.common.text import fold
from socius.registry.models import Household, Membership, Person, Relationship
from socius.registry.search import fetch_ranked, rank_persons

SIMILAR_NAME_SCORE = 85


def list_persons_for(actor: User) -> QuerySet[Person]:
    require(actor, can_view_registry)
    return Person.objects.filter(centre_id=actor.centre_id).select_related("territory")


def get_person_for(actor: User, person_id) -> Person:
    try:
        return list_persons_for(actor).get(pk=int(person_id))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def search_persons_for(
    actor: User, query: str, *, limit: int = 20, within: QuerySet[Person] | None = None
) -> list[Person]:
    """Best matches first. `within` narrows the search (e.g. API filters); it stays scoped to the centre."""
    return list(search_results_for(actor, query, limit=limit, within=within))


class SearchResults(Sequence):
    """The ranked matches of a search; a person's row and household are read only when that person is.

    For a paginated answer: the page counts every match (`len`) but fetches its own slice alone, so
    a page of 25 out of 100 matches reads 25 rows and their households, not 100.
    """

    def __init__(self, base: QuerySet[Person], ranked: list[tuple[int, float]]):
        self.base = base
        self.ranked = ranked

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            persons = fetch_ranked(self.base, self.ranked[index])
            attach_current_households(persons)
            return persons
        return self[index : index + 1 or None][0]

    def __iter__(self):
        return iter(self[:])  # one read for all, not one per person


def search_results_for(
    actor: User, query: str, *, limit: int = 20, within: QuerySet[Person] | None = None
) -> SearchResults:
    """As search_persons_for, read lazily: slice it (a page) to fetch the persons."""
    base = list_persons_for(actor)
    if within is not None:
        base = within.filter(centre_id=actor.centre_id)
    return SearchResults(base, rank_persons(base, query, limit=limit))


def member_ids_by_household(household_ids) -> dict[int, list[int]]:
    """{household id: every person ever a member of it}, in one query: the persons whose data a
    household's records (its page, timeline, cases) may show, and so the persons their reads name."""
    out: dict[int, list[int]] = {}
    household_ids = [h for h in household_ids if h]
    if household_ids:
        rows = Membership.objects.filter(household_id__in=household_ids).order_by("household_id", "valid_from", "id")
        for household_id, person_id in rows.values_list("household_id", "person_id"):
            members = out.setdefault(household_id, [])
            if person_id not in members:
                members.append(person_id)
    return out


def current_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(valid_until__isnull=True)


def attach_current_households(persons: list[Person]) -> None:
    """Set `current_membership` on each person with one query (no N+1 on result lists)."""
    by_person = {
        m.person_id: m
        for m in current_memberships().filter(person_id__in=[p.pk for p in persons]).select_related("household")
    }
    for person in persons:
        person.current_membership = by_person.get(person.pk)


def attach_household_heads(households) -> None:
    """Set `head_member` on each household (a Person, or None): its current head, or, without one, its
    longest-standing current member. What names a household wherever it stands for a family (the case
    list, the desk). One query, whatever the number of households; duplicates and None are skipped."""
    households = [h for h in households if h is not None]
    if not households:
        return
    chosen: dict[int, Membership] = {}
    members = (
        current_memberships()
        .filter(household_id__in={h.pk for h in households})
        .select_related("person")
        .order_by("household_id", "valid_from", "id")
    )
    for m in members:
        held = chosen.get(m.household_id)
        if held is None or (m.relationship == Relationship.HEAD and held.relationship != Relationship.HEAD):
            chosen[m.household_id] = m
    for household in households:
        held = chosen.get(household.pk)
        household.head_member = held.person if held else None


def current_membership_of(person: Person) -> Membership | None:
    return current_memberships().filter(person=person).select_related("household").first()


def membership_history_of(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("household").order_by("-valid_from", "-id")


def list_households_for(actor: User) -> QuerySet[Household]:
    require(actor, can_view_registry)
    return (
        Household.objects.filter(centre_id=actor.centre_id)
        .select_related("territory")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=current_memberships().select_related("person").order_by("id"),
                to_attr="current_members",
            )
        )
    )


def get_household_for(actor: User, household_id) -> Household:
    try:
        return list_households_for(actor).get(pk=int(household_id))
    except (Household.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def household_history(household: Household) -> QuerySet[Membership]:
    return household.memberships.select_related("person").order_by("-valid_from", "-id")


def find_similar_persons(
    centre_id: int,
    *,
    first_name: str,
    last_name: str,
    birth_date: dt.date | None,
    exclude_pk=None,
    without_national_id: bool = False,
) -> list[Person]:
    """Persons of the centre born the same day whose folded name is close: candidates for a duplicate."""
    if not birth_date:
        return []
    wanted = fold(f"{first_name} {last_name}")
    candidates = Person.objects.filter(centre_id=centre_id, birth_date=birth_date)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    if without_national_id:
        candidates = candidates.filter(national_id="")
    return [p for p in candidates if fuzz.token_sort_ratio(wanted, p.search_name) >= SIMILAR_NAME_SCORE]


def find_person_by_national_id(centre_id: int, national_id: str, *, exclude_pk=None) -> Person | None:
    if not national_id:
        return None
    qs = Person.objects.filter(centre_id=centre_id, national_id=national_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()
