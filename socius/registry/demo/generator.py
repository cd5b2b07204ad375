"""Synthetic persons in households for one demo centre, as plain data (no database here).

Households of 1-7 members with believable relationships and ages: the head is an adult, spouses
are of similar age, children are born when their mother is 18-44, grandparents are a generation
older; a few grown-up children have moved out to a household of their own (their closed membership
is kept as history). Names follow the country's language communities (see `names`), national IDs
are valid and match birth date and sex (about 10% have none), addresses lie in the centre's villages.
Synthetic data only: never real personal data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from socius.common.text import fold
from socius.registry.demo import names
from socius.registry.demo.names import NamePool
from socius.registry.demo.national_ids import make_national_id
from socius.registry.models import DisabilityDegree, Education, EmploymentStatus, Relationship

E, J, D = Education, EmploymentStatus, DisabilityDegree
R = Relationship

# Household sizes 1-7 (weights in per cent): small households dominate a rural centre's register.
SIZE_WEIGHTS = {1: 24, 2: 24, 3: 19, 4: 16, 5: 9, 6: 5, 7: 3}
NO_NATIONAL_ID_SHARE = 0.10


@dataclass
class PersonSpec:
    first_name: str
    last_name: str
    sex: str
    birth_date: dt.date
    national_id: str = ""
    citizenship: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    employment_status: str = ""
    disability_degree: str = ""
    village: str = ""  # the current household's locality and address, filled in at the end
    street_address: str = ""


@dataclass
class MemberSpec:
    person: PersonSpec
    relationship: str
    valid_from: dt.date
    valid_until: dt.date | None = None


@dataclass
class HouseholdSpec:
    village: str
    street_address: str
    members: list[MemberSpec] = field(default_factory=list)

    @property
    def head(self) -> PersonSpec:
        return next(m.person for m in self.members if m.relationship == R.HEAD and m.valid_until is None)


@dataclass(frozen=True)
class FixedPerson:
    """A person every demo must contain (tests and walkthroughs look for them by name)."""

    first_name: str
    last_name: str
    sex: str
    birth_date: dt.date
    village: str


@dataclass(frozen=True)
class Profile:
    """What differs by country: language communities, addresses, phones, pension age, farming."""

    code: str
    communities: Sequence[tuple[NamePool, float]]
    citizenship: str
    address: Callable[[random.Random, str], str]
    phone: Callable[[random.Random], str]
    pension_age: tuple[int, int]  # women, men
    farmer_weight: int
    fixed: Sequence[tuple[FixedPerson, ...]]  # households built around fixed persons


Members = list[tuple[PersonSpec, str]]  # (person, relationship to the head), the head first
Built = tuple[Members, str]  # and the family name the children carry

_KINDS_BY_SIZE = {
    1: (("single", 1),),
    2: (("couple", 50), ("single_parent", 25), ("with_parent", 15), ("siblings", 10)),
    3: (("couple", 70), ("single_parent", 30)),
    4: (("couple", 60), ("single_parent", 15), ("couple_with_parent", 13), ("three_generations", 12)),
}

# Shares in per cent of the register (a social welfare centre's clients, not the whole population).
_EDUCATION_19_24 = (
    (E.UPPER_SECONDARY, 45),
    (E.VOCATIONAL, 25),
    (E.LOWER_SECONDARY, 15),
    (E.POST_SECONDARY, 8),
    (E.HIGHER, 7),
)
_EDUCATION_25_64 = (
    (E.VOCATIONAL, 30), (E.UPPER_SECONDARY, 28), (E.HIGHER, 17), (E.LOWER_SECONDARY, 12),
    (E.PRIMARY, 8), (E.POST_SECONDARY, 4), (E.NONE, 1),
)  # fmt: skip
_EDUCATION_65_UP = (
    (E.PRIMARY, 35),
    (E.VOCATIONAL, 30),
    (E.UPPER_SECONDARY, 18),
    (E.HIGHER, 8),
    (E.LOWER_SECONDARY, 6),
    (E.NONE, 3),
)
_EMPLOYMENT_19_24 = (
    (J.STUDENT, 40), (J.EMPLOYED, 30), (J.UNEMPLOYED_REGISTERED, 12), (J.UNEMPLOYED_UNREGISTERED, 10),
    (J.CARER, 4), (J.OTHER, 4),
)  # fmt: skip
_EMPLOYMENT_WORKING_AGE = (  # farmers' share comes from the country profile
    (J.EMPLOYED, 34), (J.UNEMPLOYED_REGISTERED, 15), (J.UNEMPLOYED_UNREGISTERED, 8), (J.SELF_EMPLOYED, 5),
    (J.CARER, 6), (J.UNABLE, 6), (J.PENSIONER, 3), (J.OTHER, 3),
)  # fmt: skip
_DISABILITY_ADULT = ((D.NONE, 84), (D.MILD, 5), (D.MODERATE, 5), (D.SEVERE, 3), (D.PENDING, 3))
_DISABILITY_65_UP = ((D.NONE, 68), (D.MILD, 10), (D.MODERATE, 11), (D.SEVERE, 9), (D.PENDING, 2))

# --- addresses and phones ------------------------------------------------------------------------

_PL_STREETS = names.words(
    "Szkolna Kościelna Polna Leśna Ogrodowa Główna Spacerowa Słoneczna Krótka Łąkowa Kwiatowa Lipowa "
    "Parkowa Długa Wiejska Piotrkowska Sportowa Zielona Brzozowa Różana"
)
_MD_STREETS = (
    "Ștefan cel Mare", "Mihai Eminescu", "Alexandru cel Bun", "Păcii", "Independenței", "Livezilor",
    "Nistrului", "Școlii", "Ion Creangă", "Vasile Alecsandri", "Mihai Viteazul", "Unirii", "Tineretului",
    "Florilor", "Grădinilor", "Morii", "Viilor", "Gagarin",
)  # fmt: skip
_LT_STREETS = names.words(
    "Vilniaus Mokyklos Sodų Žalioji Bažnyčios Liepų Pušų Ežero Beržų Naujoji Parko Lauko Miško Tylioji "
    "Gėlių Pievų Kalno Jaunimo"
)


def _pl_address(rng: random.Random, village: str) -> str:
    number = rng.randint(1, 160)
    if rng.random() < 0.45:  # small villages number their houses without street names
        return f"{village} {number}"
    flat = f"/{rng.randint(1, 12)}" if rng.random() < 0.08 else ""
    return f"ul. {rng.choice(_PL_STREETS)} {number}{flat}"


def _md_address(rng: random.Random, village: str) -> str:
    flat = f", ap. {rng.randint(1, 40)}" if rng.random() < 0.05 else ""
    return f"str. {rng.choice(_MD_STREETS)} {rng.randint(1, 140)}{flat}"


def _lt_address(rng: random.Random, village: str) -> str:
    flat = f"-{rng.randint(1, 30)}" if rng.random() < 0.1 else ""
    return f"{rng.choice(_LT_STREETS)} g. {rng.randint(1, 90)}{flat}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _pl_phone(rng: random.Random) -> str:
    number = rng.choice(("50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88")) + _digits(rng, 7)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    return f"+48 {spaced}" if rng.random() < 0.4 else spaced


def _md_phone(rng: random.Random) -> str:
    prefix = rng.choice(("60", "62", "67", "68", "69", "78", "79"))
    rest = _digits(rng, 6)
    return f"+373 {prefix} {rest[:3]} {rest[3:]}" if rng.random() < 0.4 else f"0{prefix} {rest[:3]} {rest[3:]}"


def _lt_phone(rng: random.Random) -> str:
    rest = "6" + _digits(rng, 7)
    return f"+370 {rest[:3]} {rest[3:]}" if rng.random() < 0.6 else f"8 {rest[:3]} {rest[3:]}"


PROFILES: dict[str, Profile] = {
    "PL": Profile(
        code="PL",
        communities=((names.POLISH, 1.0),),
        citizenship="PL",
        address=_pl_address,
        phone=_pl_phone,
        pension_age=(60, 65),
        farmer_weight=10,
        fixed=(
            (
                FixedPerson("Łukasz", "Kowalski", "M", dt.date(1978, 3, 14), "Moszczenica"),
                FixedPerson("Anna", "Kowalska", "F", dt.date(1981, 9, 2), "Moszczenica"),
                FixedPerson("Zuzanna", "Kowalska", "F", dt.date(2012, 5, 27), "Moszczenica"),
            ),
            (FixedPerson("Łucja", "Żółkiewska", "F", dt.date(1952, 11, 2), "Kiełczówka"),),
        ),
    ),
    "MD": Profile(
        code="MD",
        # About a fifth of the register writes its names in Cyrillic (Russian and Ukrainian speakers).
        communities=((names.MOLDOVAN, 0.8), (names.RUSSIAN, 0.2)),
        citizenship="MD",
        address=_md_address,
        phone=_md_phone,
        pension_age=(62, 63),
        farmer_weight=14,
        fixed=(
            (
                FixedPerson("Ștefan", "Popescu", "M", dt.date(1969, 7, 21), "Coșnița"),
                FixedPerson("Mariana", "Popescu", "F", dt.date(1972, 1, 15), "Coșnița"),
            ),
            (FixedPerson("Ольга", "Иванова", "F", dt.date(1958, 2, 9), "Cocieri"),),
        ),
    ),
    "LT": Profile(
        code="LT",
        # Poles are the majority in the Šalčininkai district; the demo keeps a Lithuanian majority
        # with about 30% Polish names, as the brief asks.
        communities=((names.LITHUANIAN, 0.7), (names.LITHUANIAN_POLES, 0.3)),
        citizenship="LT",
        address=_lt_address,
        phone=_lt_phone,
        pension_age=(64, 65),
        farmer_weight=8,
        fixed=(
            (
                FixedPerson("Ąžuolas", "Kazlauskas", "M", dt.date(1994, 8, 30), "Šalčininkai"),
                FixedPerson("Gabija", "Kazlauskienė", "F", dt.date(1996, 4, 12), "Šalčininkai"),
                FixedPerson("Emilija", "Kazlauskaitė", "F", dt.date(2021, 10, 3), "Šalčininkai"),
            ),
        ),
    ),
}

# --- dates ---------------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


# --- the generator -------------------------------------------------------------------------------


class Population:
    """Builds the households of one centre. `villages` are (name, weight) pairs."""

    def __init__(self, profile: Profile, villages: Sequence[tuple[str, int]], rng: random.Random, today: dt.date):
        self.profile = profile
        self.rng = rng
        self.today = today
        self.villages = [name for name, weight in villages if weight > 0]
        self.village_weights = [weight for _, weight in villages if weight > 0]
        self.used_ids: set[str] = set()

    # persons

    def birth_for_age(self, age: int) -> dt.date:
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + dt.timedelta(days=1)
        return _between(self.rng, earliest, latest)

    def person(self, first: str, last: str, sex: str, birth: dt.date, *, with_id: bool | None = None) -> PersonSpec:
        rng, age = self.rng, age_on(birth, self.today)
        p = PersonSpec(first, last, sex, birth, citizenship=self.profile.citizenship)
        if with_id is None:
            with_id = rng.random() >= NO_NATIONAL_ID_SHARE
        if with_id:
            p.national_id = self._unique_id(birth, sex)
        if (age >= 18 and rng.random() < (0.4 if age >= 85 else 0.75)) or (14 <= age < 18 and rng.random() < 0.4):
            p.phone = self.profile.phone(rng)
        if (16 <= age <= 60 and rng.random() < 0.3) or (60 < age <= 75 and rng.random() < 0.08):
            p.email = self._email(first, last)
        p.disability_degree = self._disability(age)
        p.education = self._education(age)
        p.employment_status = self._employment(age, sex, p.disability_degree)
        return p

    def _unique_id(self, birth: dt.date, sex: str) -> str:
        while True:
            number = make_national_id(self.profile.code, self.rng, birth, sex, self.today)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def _email(self, first: str, last: str) -> str:
        local = f"{fold(first)}.{fold(last)}".replace(" ", "")
        if self.rng.random() < 0.5:
            local += str(self.rng.randint(1, 99))
        return f"{local}@{self.rng.choice(('example.com', 'example.net', 'example.org'))}"

    def _disability(self, age: int) -> str:
        if age < 18:
            return D.CHILD if self.rng.random() < 0.04 else D.NONE
        return _weighted(self.rng, _DISABILITY_ADULT if age < 65 else _DISABILITY_65_UP)

    def _education(self, age: int) -> str:
        if age < 15:
            return ""  # still at school: no completed level to record
        if age < 19:
            return E.LOWER_SECONDARY
        if age < 25:
            return _weighted(self.rng, _EDUCATION_19_24)
        return _weighted(self.rng, _EDUCATION_25_64 if age < 65 else _EDUCATION_65_UP)

    def _employment(self, age: int, sex: str, disability: str) -> str:
        rng = self.rng
        if age < 7:
            return J.CHILD
        if age < 19:
            return J.STUDENT
        pension_age = self.profile.pension_age[0 if sex == "F" else 1]
        if age >= pension_age:
            return _weighted(rng, ((J.PENSIONER, 92), (J.EMPLOYED, 4), (J.FARMER, 4)))
        if disability == D.SEVERE and rng.random() < 0.7:
            return J.UNABLE
        if age < 25:
            return _weighted(rng, _EMPLOYMENT_19_24)
        return _weighted(rng, ((J.FARMER, self.profile.farmer_weight), *_EMPLOYMENT_WORKING_AGE))

    # households

    def fixed_households(self) -> list[HouseholdSpec]:
        households = []
        for group in self.profile.fixed:
            head = group[0]
            household = HouseholdSpec(head.village, self.profile.address(self.rng, head.village))
            since = max(_years_before(self.today, 8), _years_before(head.birth_date, -18))
            for i, fixed in enumerate(group):
                person = self.person(fixed.first_name, fixed.last_name, fixed.sex, fixed.birth_date, with_id=True)
                relationship = (
                    R.HEAD if i == 0 else (R.SPOUSE if age_on(fixed.birth_date, self.today) >= 18 else R.CHILD)
                )
                household.members.append(MemberSpec(person, relationship, max(since, fixed.birth_date)))
            households.append(household)
        return households

    def households(self, persons: int) -> list[HouseholdSpec]:
        """Households until the centre holds `persons` persons, the fixed ones included."""
        out = self.fixed_households()
        count = sum(len(h.members) for h in out)
        sizes, weights = list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values())
        while count < persons:
            size = min(self.rng.choices(sizes, weights=weights)[0], persons - count)
            built = self._household(size, room=persons - count - size)
            out.extend(built)
            count += len({id(m.person) for h in built for m in h.members})
        for household in out:
            for member in household.members:
                if member.valid_until is None:
                    member.person.village = household.village
                    member.person.street_address = household.street_address
        return out

    def _pool(self) -> NamePool:
        communities = self.profile.communities
        return self.rng.choices([c for c, _ in communities], weights=[w for _, w in communities])[0]

    def _since(self, head_birth: dt.date) -> dt.date:
        """When the household was formed: within the last 25 years, after the head came of age."""
        earliest = max(_years_before(self.today, 25), _years_before(head_birth, -18))
        return _between(self.rng, earliest, self.today - dt.timedelta(days=30))

    def _household(self, size: int, room: int) -> list[HouseholdSpec]:
        rng = self.rng
        village = rng.choices(self.villages, weights=self.village_weights)[0]
        household = HouseholdSpec(village, self.profile.address(rng, village))
        pool = self._pool()
        extra: list[HouseholdSpec] = []
        kind = _weighted(rng, _KINDS_BY_SIZE[min(size, 4)])
        members, base = getattr(self, f"_{kind}")(pool, size)
        since = self._since(members[0][0].birth_date)
        for person, relationship in members:
            household.members.append(MemberSpec(person, relationship, max(since, person.birth_date)))
        # Now and then a grown-up child of a family has left for a household of their own: keep that history.
        if room >= 1 and kind in ("couple", "single_parent") and size >= 3 and rng.random() < 0.15:
            moved = self._moved_out_child(pool, household, base, since)
            if moved:
                extra.append(moved)
        return [household, *extra]

    # household kinds: each returns ([(person, relationship)] with the head first, the children's family name)

    def _adult_age(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def _new(self, pool: NamePool, sex: str, age: int, base: str | None = None, married: bool = False) -> PersonSpec:
        birth = self.birth_for_age(age)
        base = base or pool.surname(self.rng)
        return self.person(pool.given(self.rng, sex, birth.year), pool.surname_for(base, sex, married), sex, birth)

    def _children(self, pool: NamePool, base: str, mother_age: int, count: int, max_age: int = 28) -> Members:
        # Born when the mother was 18 to 44; grown-up children up to `max_age` still live at home.
        youngest = max(0, mother_age - 44)
        oldest = max(youngest, min(mother_age - 18, max_age))
        out = []
        for _ in range(count):
            sex = self.rng.choice("FM")
            out.append((self._new(pool, sex, self.rng.randint(youngest, oldest), base), R.CHILD))
        return out

    def _single(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        age = rng.randint(65, 92) if rng.random() < 0.4 else rng.randint(19, 64)
        sex = ("F" if rng.random() < 0.65 else "M") if age >= 65 else ("M" if rng.random() < 0.55 else "F")
        base = pool.surname(rng)
        return [
            (self._new(pool, sex, age, base, married=sex == "F" and age >= 30 and rng.random() < 0.7), R.HEAD)
        ], base

    def _couple_pair(self, pool: NamePool, husband_age: int) -> tuple[Members, str, int]:
        """Head and spouse (or partner); returns the members, the family name and the woman's age."""
        rng = self.rng
        base = pool.surname(rng)
        wife_age = max(18, husband_age + rng.randint(-7, 3))
        husband = self._new(pool, "M", husband_age, base)
        if rng.random() < 0.8:
            wife, relationship = self._new(pool, "F", wife_age, base, married=True), R.SPOUSE
        else:
            wife, relationship = self._new(pool, "F", wife_age, married=rng.random() < 0.3), R.PARTNER
        pair = (
            [(husband, R.HEAD), (wife, relationship)]
            if rng.random() < 0.65
            else [(wife, R.HEAD), (husband, relationship)]
        )
        return pair, base, wife_age

    def _couple(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        if size == 2:
            members, base, _ = self._couple_pair(pool, rng.randint(22, 88))
            return members, base
        members, base, wife_age = self._couple_pair(pool, rng.randint(24, 58))
        children = self._children(pool, base, wife_age, size - 2)
        if size >= 5 and rng.random() < 0.1:  # a relative lives with them instead of one more child
            head = members[0][0]
            relative_age = max(18, min(90, age_on(head.birth_date, self.today) + rng.randint(-10, 25)))
            children[-1] = (self._new(pool, rng.choice("FM"), relative_age, married=True), R.OTHER_RELATIVE)
        return members + children, base

    def _single_parent(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        sex = "F" if rng.random() < 0.85 else "M"
        age = rng.randint(22, 55)
        base = pool.surname(rng)
        parent = self._new(pool, sex, age, base, married=rng.random() < 0.7)
        return [(parent, R.HEAD), *self._children(pool, base, age, size - 1, max_age=25)], base

    def _with_parent(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        age = rng.randint(30, 62)
        base = pool.surname(rng)
        head = self._new(pool, rng.choice("FM"), age, base)
        parent_sex = "F" if rng.random() < 0.7 else "M"
        parent = self._new(pool, parent_sex, min(97, age + rng.randint(20, 35)), base, married=True)
        return [(head, R.HEAD), (parent, R.PARENT)], base

    def _siblings(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        age = rng.randint(25, 85)
        base = pool.surname(rng)
        sibling_age = max(19, min(95, age + rng.randint(-8, 8)))
        return [
            (self._new(pool, rng.choice("FM"), age, base), R.HEAD),
            (self._new(pool, rng.choice("FM"), sibling_age, base), R.SIBLING),
        ], base

    def _couple_with_parent(self, pool: NamePool, size: int) -> Built:
        rng = self.rng
        members, base, wife_age = self._couple_pair(pool, rng.randint(28, 55))
        head = members[0][0]
        head_age = age_on(head.birth_date, self.today)
        # The head's own parent: shares the head's family name when the head is the husband.
        parent_base = base if head.sex == "M" else pool.surname(rng)
        parent_sex = "F" if rng.random() < 0.7 else "M"
        parent = self._new(pool, parent_sex, min(97, head_age + rng.randint(20, 34)), parent_base, married=True)
        return members + self._children(pool, base, wife_age, size - 3, max_age=25) + [(parent, R.PARENT)], base

    def _three_generations(self, pool: NamePool, size: int) -> Built:
        """Grandparents (or a widowed grandparent) at the head, a grown-up child, grandchildren."""
        rng = self.rng
        gp_age = rng.randint(52, 82)
        if rng.random() < 0.6:
            members, base, grandmother_age = self._couple_pair(pool, gp_age)
        else:
            base = pool.surname(rng)
            members, grandmother_age = [(self._new(pool, "F", gp_age, base, married=True), R.HEAD)], gp_age
        child_age = max(19, grandmother_age - rng.randint(20, 32))
        child_sex = rng.choice("FM")
        child = self._new(pool, child_sex, child_age, base)
        members.append((child, R.CHILD))
        left = size - len(members)
        if child_sex == "M" and left >= 2 and rng.random() < 0.6:  # the son's wife (a daughter-in-law)
            in_law = self._new(pool, "F", max(18, child_age + rng.randint(-5, 2)), base, married=True)
            members.append((in_law, R.OTHER_RELATIVE))
            left -= 1
        mother_age = child_age if child_sex == "F" else max(18, child_age - 2)
        for person, _ in self._children(pool, base, mother_age, left, max_age=20):
            members.append((person, R.GRANDCHILD))
        return members, base

    def _moved_out_child(
        self, pool: NamePool, household: HouseholdSpec, base: str, since: dt.date
    ) -> HouseholdSpec | None:
        """A grown-up child who lived here and now heads a household of their own."""
        rng = self.rng
        mother = next((m.person for m in household.members[:2] if m.person.sex == "F"), household.members[0].person)
        mother_age = age_on(mother.birth_date, self.today)
        if mother_age < 38:
            return None
        child = self._new(pool, rng.choice("FM"), rng.randint(19, min(34, mother_age - 19)), base)
        of_age = _years_before(child.birth_date, -18)
        moved_on = _between(rng, max(of_age, since) + dt.timedelta(days=1), self.today - dt.timedelta(days=30))
        if moved_on <= max(since, child.birth_date) or moved_on >= self.today:
            return None
        household.members.append(MemberSpec(child, R.CHILD, max(since, child.birth_date), valid_until=moved_on))
        village = rng.choices(self.villages, weights=self.village_weights)[0]
        own = HouseholdSpec(village, self.profile.address(rng, village))
        own.members.append(MemberSpec(child, R.HEAD, moved_on))
        return own


def build_population(
    code: str, villages: Sequence[tuple[str, int]], persons: int, seed: int | str, today: dt.date
) -> list[HouseholdSpec]:
    """All households of one demo centre; the same seed and day give the same data."""
    rng = random.Random(f"socius-demo-{code}-{seed}")
    return Population(PROFILES[code], villages, rng, today).households(persons)
