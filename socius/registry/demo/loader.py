"""Writing the demo: three centres with their territory, teams, staff and synthetic registry.

All in one transaction, so a failed load leaves nothing behind and a second load finds either the
whole demo or none of it. Persons, households and memberships go in with bulk inserts (search
columns filled by `refresh_search_columns`); no per-person audit events, one import event per centre.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from socius.accounts import demo as accounts_demo
from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, Team, Territory, User
from socius.accounts.teams import default_team_name
from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.registry.demo import staff
from socius.registry.demo.generator import HouseholdSpec, build_population
from socius.registry.demo.territories import CENTRE_TERRITORY, TREES, Place
from socius.registry.models import Household, Membership, Person
from socius.rulebook import get_jurisdiction

JURISDICTIONS = ("PL", "MD", "LT")
BATCH_SIZE = 1000


class DemoAlreadyLoaded(Exception):
    pass


class DemoUsernameTaken(Exception):
    pass


@dataclass
class CentreSummary:
    centre: Centre
    persons: int
    households: int
    users: int


def demo_usernames() -> list[str]:
    return [accounts_demo.USERNAME_PREFIXES[code] + u.suffix for code in JURISDICTIONS for u in staff.USERS[code]]


def load_demo(*, persons_per_centre: int, seed: int, today: dt.date | None = None) -> list[CentreSummary]:
    """Load the demo once. Raises DemoAlreadyLoaded when a demo centre exists."""
    today = today or timezone.localdate()
    token = set_origin(RequestOrigin(channel="command"))
    try:
        with transaction.atomic():
            if accounts_demo.is_demo_loaded():
                raise DemoAlreadyLoaded()
            taken = list(User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True))
            if taken:
                raise DemoUsernameTaken(", ".join(sorted(taken)))
            # One hash for every account (they share the password; hashing 21 times would take seconds).
            password_hash = make_password(accounts_demo.demo_password())
            return [_load_centre(code, persons_per_centre, seed, today, password_hash) for code in JURISDICTIONS]
    finally:
        reset_origin(token)


def _load_centre(code: str, persons: int, seed: int, today: dt.date, password_hash: str) -> CentreSummary:
    villages = _create_tree(code)
    centre_node = _find(code)
    centre = Centre.objects.create(
        code=accounts_demo.CENTRE_CODES[code],
        name=staff.CENTRE_NAMES[code],
        jurisdiction=code,
        territory=centre_node,
        **staff.CENTRE_LETTERHEADS[code],
        two_factor_roles=[],  # every demo role can be tried with the password alone (decision 0021)
    )
    teams = {
        group: Team.objects.create(centre=centre, problem_group=group, name=default_team_name(code, group))
        for group in get_jurisdiction(code).default_teams
    }
    users = _create_users(code, centre, teams, password_hash)
    households = build_population(
        code, [(name, weight) for name, (_, weight) in villages.items()], persons, seed, today
    )
    villages_by_name = {name: node for name, (node, _) in villages.items()}
    person_count = _write_registry(centre, households, villages_by_name, registered=_Registrations(seed, code, today))
    record_event(
        None,
        AuditAction.IMPORT,
        object_type="demo_data",
        object_id=centre.pk,
        centre_id=centre.pk,
        changes={
            "persons": person_count,
            "households": len(households),
            "seed": seed,
        },
    )
    return CentreSummary(centre, person_count, len(households), len(users))


def _create_tree(code: str) -> dict[str, tuple[Territory, int]]:
    """Create the country's tree; return its villages (leaves) by name, with their demo weights."""
    levels = get_jurisdiction(code).territory_levels
    villages: dict[str, tuple[Territory, int]] = {}

    def create(place: Place, parent: Territory | None, depth: int) -> None:
        node = Territory(jurisdiction=code, parent=parent, level=levels[depth], name=place.name)
        node.save()  # save() fills the folded search name
        if not place.children:
            assert place.name not in villages, f"two villages named {place.name} in the {code} tree"
            villages[place.name] = (node, place.weight)
        for child in place.children:
            create(child, node, depth + 1)

    create(TREES[code], None, 0)
    return villages


def _find(code: str) -> Territory:
    node = None
    for name in CENTRE_TERRITORY[code]:
        node = Territory.objects.get(jurisdiction=code, parent=node, name=name)
    return node


def _create_users(code: str, centre: Centre, teams: dict[str, Team], password_hash: str) -> list[User]:
    users = []
    for spec in staff.USERS[code]:
        user = User.objects.create(
            username=accounts_demo.USERNAME_PREFIXES[code] + spec.suffix,
            first_name=spec.first_name,
            last_name=spec.last_name,
            centre=centre,
            role=spec.role,
            language=spec.language,
            password=password_hash,
        )
        if spec.team:
            user.teams.add(teams[spec.team])
        users.append(user)
    return users


class _Registrations:
    """When the centre registered each household and person: spread over the past years (a household between
    REGISTERED_DAYS_AGO days ago; its members with it, or when born if later), the same for the same seed.
    The newest is older than the demo's oldest case, so nobody is registered after their case was opened."""

    REGISTERED_DAYS_AGO = (330, 8 * 365)

    def __init__(self, seed: int, code: str, today: dt.date):
        self.rng, self.today = random.Random(f"{seed}-{code}-registered"), today

    def household_day(self) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(*self.REGISTERED_DAYS_AGO))

    def moment(self, day: dt.date) -> dt.datetime:
        when = dt.datetime.combine(min(day, self.today), dt.time(self.rng.randint(8, 15), self.rng.randint(0, 59)))
        return timezone.make_aware(when)


def _write_registry(
    centre: Centre, households: list[HouseholdSpec], villages: dict[str, Territory], *, registered: _Registrations
) -> int:
    persons: dict[int, Person] = {}  # id(spec) -> row: a person who moved out appears in two households
    for household in households:
        for member in household.members:
            spec = member.person
            if id(spec) in persons:
                continue
            village = villages[spec.village]
            person = Person(
                centre=centre,
                first_name=spec.first_name,
                last_name=spec.last_name,
                birth_date=spec.birth_date,
                sex=spec.sex,
                national_id=spec.national_id,
                citizenship=spec.citizenship,
                territory=village,
                street_address=spec.street_address,
                phone=spec.phone,
                email=spec.email,
                education=spec.education,
                employment_status=spec.employment_status,
                disability_degree=spec.disability_degree,
            )
            person.refresh_search_columns(locality_name=village.name)
            persons[id(spec)] = person
    Person.objects.bulk_create(persons.values(), batch_size=BATCH_SIZE)

    rows = [
        Household(centre=centre, territory=villages[h.village], street_address=h.street_address) for h in households
    ]
    Household.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    memberships = [
        Membership(
            household=row,
            person=persons[id(m.person)],
            relationship=m.relationship,
            valid_from=m.valid_from,
            valid_until=m.valid_until,
        )
        for row, household in zip(rows, households, strict=True)
        for m in household.members
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)

    # Registration dates (bulk_create stamps "now"; bulk_update writes the values given, not the clock).
    dated: set[int] = set()
    for row, household in zip(rows, households, strict=True):
        day = registered.household_day()
        row.created_at = row.updated_at = registered.moment(day)
        for member in household.members:
            if id(member.person) in dated:
                continue
            dated.add(id(member.person))
            born = member.person.birth_date
            person = persons[id(member.person)]
            person.created_at = person.updated_at = registered.moment(max(day, born) if born else day)
    Household.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=BATCH_SIZE)
    Person.objects.bulk_update(persons.values(), ["created_at", "updated_at"], batch_size=BATCH_SIZE)
    return len(persons)
