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
from socius.registry.models import Household, Membership, Person
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
