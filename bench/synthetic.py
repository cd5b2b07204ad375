"""Synthetic persons in households for one centre, loaded into PostgreSQL with COPY.

    .venv/bin/python bench/synthetic.py --jurisdiction PL --persons 1000000 --centre bench-pl \
        --database-url postgres://postgres@127.0.0.1:5432/socius_bench --create-db --seed 1

Names, streets and localities come from Faker (pl_PL; ro_RO with ru_RU for part of MD; lt_LT with
pl_PL and ru_RU for part of LT), read once into pools and sampled with Zipf-like weights: calling
Faker per row is far too slow for a million rows. National IDs come from the factories' helpers and
agree with the birth date and sex; search columns are computed with `socius.common.text.fold`
exactly as `Person.refresh_search_columns` does. Worker processes generate chunks of households and
stream them with COPY; secondary indexes and foreign keys of the three tables are dropped for the
load and rebuilt afterwards (`--indexes keep` loads into the indexed tables instead).
Synthetic data only: any resemblance to a real person is chance.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import multiprocessing as mp
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_bench"
TABLES = ("registry_household", "registry_person", "registry_membership")

# Household sizes of people known to social welfare centres: many single persons and lone parents.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
HOUSEHOLD_SIZE_WEIGHTS = (30, 25, 19, 15, 6, 3, 1.3, 0.7)

# Which Faker locale a household's names come from, by jurisdiction.
LOCALE_MIX = {
    "PL": (("pl_PL", 99), ("ru_RU", 1)),  # a few Ukrainian/Russian-speaking newcomers
    "MD": (("ro_RO", 75), ("ru_RU", 25)),
    "LT": (("lt_LT", 62), ("pl_PL", 30), ("ru_RU", 8)),  # Šalčininkai: a large Polish community
}
CITIZENSHIP = {
    "PL": (("PL", 98), ("UA", 2)),
    "MD": (("MD", 95), ("RO", 3), ("RU", 1), ("UA", 1)),
    "LT": (("LT", 97), ("PL", 1), ("BY", 1), ("UA", 1)),
}
ID_COVERAGE = {"PL": 0.97, "MD": 0.92, "LT": 0.95}  # share of persons with a national ID on file

# Extra surnames where Faker's pool is tiny (ro_RO has 44, lt_LT 37): common, widely published names.
MD_SURNAMES = (
    "Rusu", "Ciobanu", "Ceban", "Lungu", "Munteanu", "Cojocaru", "Țurcan", "Sârbu", "Rotari", "Bivol",
    "Cebotari", "Moraru", "Guțu", "Popa", "Cazacu", "Bălan", "Ursu", "Rotaru", "Melnic", "Croitoru", "Lupu",
    "Roșca", "Grosu", "Buzu", "Țurcanu", "Botnari", "Vrabie", "Cucu", "Mihai", "Ungureanu", "Pascari",
    "Bordian", "Creangă", "Prodan", "Stratan", "Leahu", "Gâscă", "Cernei", "Donică", "Bejenaru", "Chiriac",
    "Nistor", "Ababii", "Rusnac", "Plămădeală", "Ciorbă", "Tănase", "Caraman", "Golban", "Zaharia", "Stici",
    "Străistari", "Dodon", "Sandu", "Voronin",
)  # fmt: skip
LT_SURNAMES = (
    "Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas", "Butkus",
    "Paulauskas", "Urbonas", "Kavaliauskas", "Ramanauskas", "Pocius", "Navickas", "Savickas", "Rimkus",
    "Adomaitis", "Jonaitis", "Baranauskas", "Vaitkus", "Mikalauskas", "Lukoševičius", "Juška", "Kairys",
    "Balčiūnas", "Šimkus", "Žilinskas", "Mockus", "Bernotas", "Grigas", "Rutkauskas", "Daukšas", "Vilkas",
    "Marcinkevičius", "Bagdonas", "Sabaliauskas", "Dambrauskas", "Čepulis", "Kuzminskas", "Liutkus",
    "Tamošiūnas",
)  # fmt: skip
LT_STREETS = (
    "Vilniaus", "Mokyklos", "Sodų", "Liepų", "Beržų", "Ežero", "Taikos", "Pergalės", "Gedimino", "Parko",
    "Miško", "Kalno", "Žalioji", "Naujoji", "Ąžuolų", "Klevų", "Pušų", "Sodo", "Lauko", "Kaštonų", "Jaunimo",
    "Draugystės", "Tilto", "Upės", "Pievų", "Vytauto", "Bažnyčios", "Stoties", "Lazdynų", "Šaltinio",
    "Turgaus", "Kęstučio", "Maironio", "Rūtų", "Alyvų", "Obelų", "Vyšnių", "Dvaro", "Ūkio",
    "Dariaus ir Girėno",
)  # fmt: skip
MD_STREETS = (
    "Ștefan cel Mare", "Mihai Eminescu", "Alexandru cel Bun", "Independenței", "31 August 1989", "Păcii",
    "Școlii", "Livezilor", "Gării", "Tineretului", "Bisericii", "Nistrului", "Florilor", "Viilor",
    "Ion Creangă", "Vasile Alecsandri", "Grigore Vieru", "Mateevici", "Doina", "Izvorului", "Victoriei",
    "Unirii", "Sfântul Gheorghe", "Trandafirilor", "Decebal", "Dacia", "Salcâmilor",
)  # fmt: skip
# Localities for a centre created here, when it has no territorial tree yet.
DEFAULT_ROOT = {"PL": "Moszczenica", "MD": "Dubăsari", "LT": "Šalčininkų r. sav."}


# --- pools ---------------------------------------------------------------------------------------


@dataclass
class Pools:
    jurisdiction: str
    # locale -> list of (values, cumulative weights)
    first_male: dict = field(default_factory=dict)
    first_female: dict = field(default_factory=dict)
    surnames: dict = field(default_factory=dict)  # base (male) form
    ru_female_surname: dict = field(default_factory=dict)  # Иванов -> Иванова
    streets: list = field(default_factory=list)
    localities: list = field(default_factory=list)  # (territory_id or None, name)
    locality_cum: list = field(default_factory=list)


def _zipf(values, s: float = 0.9, offset: int = 4, *, shuffle_seed: int | None = None):
    """Values with cumulative Zipf-like weights: the first of the list are the common ones.

    Lists not ordered by frequency (Faker's ru_RU, ro_RO and lt_LT lists are alphabetical or
    arbitrary) are shuffled first, so that the common names are not all the A-names.
    """
    values = list(dict.fromkeys(v for v in values if v))
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(values)
    for v in values:
        if any(c in v for c in "\t\n\r\\"):
            raise ValueError(f"pool value cannot be written to COPY unescaped: {v!r}")
    cum = list(itertools.accumulate(1.0 / (i + offset) ** s for i in range(len(values))))
    return values, cum


def _lt_gender(name: str) -> str:
    return "F" if name.endswith(("a", "ė")) else "M"


def build_pools(jurisdiction: str, localities: list[tuple[int | None, str]], seed: int) -> Pools:
    from faker import Faker

    pools = Pools(jurisdiction)
    locales = [loc for loc, _w in LOCALE_MIX[jurisdiction]]
    for loc in locales:
        fk = Faker(loc)
        fk.seed_instance(seed)
        person = fk.provider("faker.providers.person")
        if loc == "pl_PL":
            # Common -ski/-cki names first (ordered by frequency in Faker), then the long tail.
            pools.first_male[loc] = _zipf(person.first_names_male)
            pools.first_female[loc] = _zipf(person.first_names_female)
            surnames = list(person.male_last_names) + list(person.unisex_last_names)
            pools.surnames[loc] = _zipf(surnames, s=0.75, offset=8)
        elif loc == "ro_RO":
            pools.first_male[loc] = _zipf(person.first_names_male, shuffle_seed=seed)
            pools.first_female[loc] = _zipf(person.first_names_female, shuffle_seed=seed)
            extra = [n for n in person.last_names if n not in MD_SURNAMES]
            random.Random(seed).shuffle(extra)
            pools.surnames[loc] = _zipf([*MD_SURNAMES, *extra], s=0.7, offset=6)
        elif loc == "ru_RU":
            # Faker's lists are alphabetical; its surnames begin Смирнов, Иванов... in frequency order.
            pools.first_male[loc] = _zipf(person.first_names_male, shuffle_seed=seed)
            pools.first_female[loc] = _zipf(person.first_names_female, shuffle_seed=seed)
            pools.surnames[loc] = _zipf(person.last_names_male, s=0.8, offset=6)
            pools.ru_female_surname = dict(zip(person.last_names_male, person.last_names_female, strict=True))
        elif loc == "lt_LT":
            names = list(person.first_names)
            pools.first_male[loc] = _zipf([n for n in names if _lt_gender(n) == "M"], shuffle_seed=seed)
            pools.first_female[loc] = _zipf([n for n in names if _lt_gender(n) == "F"], shuffle_seed=seed)
            extra = [n for n in person.last_names if n not in LT_SURNAMES]
            random.Random(seed).shuffle(extra)
            pools.surnames[loc] = _zipf([*LT_SURNAMES, *extra], s=0.7, offset=6)
    if jurisdiction == "PL":
        fk = Faker("pl_PL")
        fk.seed_instance(seed)
        streets = sorted({fk.street_name() for _ in range(3000)})
        pools.streets = [f"ul. {s}" if not s.startswith(("aleja", "plac", "pl.", "al.")) else s for s in streets]
    elif jurisdiction == "MD":
        pools.streets = [f"str. {s}" for s in MD_STREETS]
    else:
        pools.streets = [f"{s} g." for s in LT_STREETS]
    random.Random(seed).shuffle(pools.streets)
    pools.localities = localities
    # A few large localities and many villages.
    pools.locality_cum = list(itertools.accumulate(1.0 / (i + 2) for i in range(len(localities))))
    return pools


def female_surname(locale: str, surname: str, pools: Pools, *, married: bool) -> str:
    if locale == "pl_PL":
        for male, female in (("dzki", "dzka"), ("cki", "cka"), ("ski", "ska")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        return surname
    if locale == "ru_RU":
        return pools.ru_female_surname.get(surname, surname)
    if locale == "lt_LT":
        if surname.endswith("as"):
            return surname[:-2] + ("ienė" if married else "aitė")
        if surname.endswith(("is", "ys")):
            return surname[:-2] + ("ienė" if married else "ytė")
        if surname.endswith("us"):
            return surname[:-2] + ("uvienė" if married else "utė")
        if surname.endswith("a"):
            return surname[:-1] + ("ienė" if married else "aitė")
        return surname
    return surname  # Romanian surnames do not change with sex


# --- generation ----------------------------------------------------------------------------------


@dataclass
class Chunk:
    index: int
    count: int  # number of chunks in the run
    sizes: list[int]  # household sizes
    household_id: int  # first id of each table for this chunk
    person_id: int
    membership_id: int


_W: dict = {}  # per-worker state, set by the pool initializer


def _worker_init(conninfo: str, pools: Pools, centre_id: int, on: dt.date, seed: int, taken_ids: frozenset) -> None:
    import psycopg

    _W.update(pools=pools, centre_id=centre_id, on=on, seed=seed, taken_ids=taken_ids)
    # Autocommit, so that each chunk's `conn.transaction()` is a real transaction, committed at its end.
    conn = psycopg.connect(conninfo, autocommit=True)
    conn.execute("SET synchronous_commit = off")
    _W["conn"] = conn


def _pick(rng: random.Random, pool) -> str:
    values, cum = pool
    return values[bisect.bisect(cum, rng.random() * cum[-1])]


def _weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


class IdMaker:
    """Valid national IDs from the factories' helpers, unique in the centre.

    Each chunk draws serial numbers from its own slice of the serial space, so workers never collide
    with each other; within a chunk a set catches repeats; `taken` holds the centre's existing IDs.
    """

    def __init__(self, jurisdiction: str, chunk: Chunk, rng: random.Random, taken: frozenset):
        self.jurisdiction = jurisdiction
        self.rng = rng
        self.used: set[str] = set()
        self.taken = taken
        space = 1000
        self.lo = chunk.index * space // chunk.count
        self.hi = max(self.lo, (chunk.index + 1) * space // chunk.count - 1)

    def make(self, birth: dt.date, sex: str, on: dt.date) -> str:
        from socius.testing.national_ids import make_asmens_kodas, make_idnp, make_pesel

        for _attempt in range(20):
            serial = self.rng.randint(self.lo, self.hi)
            if self.jurisdiction == "PL":
                number = make_pesel(birth, sex, serial)
            elif self.jurisdiction == "LT":
                number = make_asmens_kodas(birth, sex, serial)
            else:
                # IDNP: 2, year of assignment (3 digits), office (3 digits, this chunk's slice), serial.
                assigned = min(on.year, max(birth.year, 1995 + self.rng.randint(0, 12)))
                body = f"{assigned % 1000:03d}{serial:03d}{self.rng.randint(0, 99999):05d}"
                number = make_idnp(int(body))
            if number not in self.used and number not in self.taken:
                self.used.add(number)
                return number
        return ""  # this slice is full for that day: the person is registered without an ID


def _birth(rng: random.Random, on: dt.date, age: int) -> dt.date:
    return on - dt.timedelta(days=age * 365 + rng.randint(0, 364) + age // 4)


def _phone(rng: random.Random, jurisdiction: str) -> str:
    r = rng.randint
    if jurisdiction == "PL":
        if rng.random() < 0.15:
            return f"44 {r(600, 799)} {r(10, 99)} {r(10, 99)}"
        prefix = rng.choice((50, 51, 53, 57, 60, 66, 69, 72, 73, 78, 79, 88))
        number = f"{prefix}{r(0, 9)} {r(0, 999):03d} {r(0, 999):03d}"
        return f"+48 {number}" if rng.random() < 0.3 else number
    if jurisdiction == "MD":
        prefix = rng.choice(("60", "62", "67", "68", "69", "78", "79"))
        if rng.random() < 0.4:
            return f"+373 {prefix} {r(0, 999):03d} {r(0, 999):03d}"
        return f"0{prefix} {r(0, 999):03d} {r(0, 999):03d}"
    if rng.random() < 0.5:
        return f"+370 6{r(0, 99):02d} {r(0, 99999):05d}"
    return f"8 6{r(0, 99):02d} {r(0, 99999):05d}"


EDUCATION_ADULT = (
    ("primary", 8),
    ("lower_secondary", 14),
    ("vocational", 30),
    ("upper_secondary", 25),
    ("post_secondary", 5),
    ("higher", 10),
    ("", 8),
)
EMPLOYMENT_ADULT = (
    ("employed", 30),
    ("self_employed", 3),
    ("farmer", 6),
    ("unemployed_registered", 18),
    ("unemployed_unregistered", 10),
    ("carer", 6),
    ("unable", 8),
    ("other", 4),
    ("", 15),
)
DISABILITY = (("", 55), ("none", 30), ("mild", 5), ("moderate", 5), ("severe", 3), ("pending", 2))


def _members(rng: random.Random, size: int):
    """(relationship, age, sex, role) for each member; role picks the surname form."""
    head_age = int(rng.triangular(19, 92, 45))
    if size == 1:
        return [("head", max(head_age, 19), rng.choice("MF"), "adult")]
    out = []
    kind = rng.random()
    if size == 2 and kind < 0.12:  # an adult child caring for a parent
        head_age = rng.randint(30, 62)
        out.append(("head", head_age, rng.choice("MF"), "adult"))
        out.append(("parent", min(99, head_age + rng.randint(20, 38)), rng.choice("MF"), "parent"))
        return out
    if size == 2 and kind < 0.16:
        out.append(("head", head_age, rng.choice("MF"), "adult"))
        out.append(("sibling", max(18, head_age + rng.randint(-8, 8)), rng.choice("MF"), "sibling"))
        return out
    couple = size >= 2 and kind < (0.55 if size == 2 else 0.78)
    head_age = max(head_age, 20)
    if couple:
        head_age = min(head_age, 75 if size > 2 else 92)
        head_sex = "M" if rng.random() < 0.72 else "F"
        out.append(("head", head_age, head_sex, "adult"))
        partner_rel = "spouse" if rng.random() < 0.8 else "partner"
        other = "F" if head_sex == "M" else "M"
        out.append((partner_rel, max(18, head_age + rng.randint(-6, 6)), other, partner_rel))
    else:
        head_age = min(head_age, 60) if size > 1 else head_age
        out.append(("head", head_age, "F" if rng.random() < 0.8 else "M", "adult"))
    remaining = size - len(out)
    if remaining and size >= 5 and rng.random() < 0.3:
        out.append(("parent", min(99, head_age + rng.randint(20, 35)), rng.choice("MF"), "parent"))
        remaining -= 1
    grandchildren = 1 if remaining >= 2 and head_age >= 48 and rng.random() < 0.3 else 0
    oldest_child = max(0, min(head_age - 18, 30))
    youngest_child = max(0, head_age - 45)
    for _ in range(remaining - grandchildren):
        age = rng.randint(min(youngest_child, oldest_child), oldest_child)
        out.append(("child", age, rng.choice("MF"), "child"))
    for _ in range(grandchildren):
        out.append(("grandchild", rng.randint(0, max(0, min(12, head_age - 40))), rng.choice("MF"), "child"))
    return out


def _adult_status(rng: random.Random, age: int):
    if age < 7:
        return "none", "child"
    if age < 19:
        return "primary" if age < 15 else "lower_secondary", "student"
    if age >= 65 and rng.random() < 0.85:
        return _weighted(rng, EDUCATION_ADULT), "pensioner"
    return _weighted(rng, EDUCATION_ADULT), _weighted(rng, EMPLOYMENT_ADULT)


def generate_chunk(chunk: Chunk) -> tuple[str, str, str, int]:
    """COPY text for households, persons and memberships of one chunk (no escaping needed: see _zipf)."""
    from socius.common.text import digits_only, fold

    pools: Pools = _W["pools"]
    on: dt.date = _W["on"]
    centre = _W["centre_id"]
    jurisdiction = pools.jurisdiction
    rng = random.Random(f"{_W['seed']}-{chunk.index}")
    random.seed(f"{_W['seed']}-{chunk.index}-ids")  # the factories' helpers use the module's random
    ids = IdMaker(jurisdiction, chunk, rng, _W["taken_ids"])
    folded: dict[str, str] = {}

    def f(value: str) -> str:
        out = folded.get(value)
        if out is None:
            out = folded[value] = fold(value)
        return out

    now = dt.datetime.now(dt.UTC).isoformat()
    id_coverage = ID_COVERAGE[jurisdiction]
    households, persons, memberships = [], [], []
    hid, pid, mid = chunk.household_id, chunk.person_id, chunk.membership_id
    localities, locality_cum = pools.localities, pools.locality_cum
    checked = 0
    for size in chunk.sizes:
        locale = _weighted(rng, LOCALE_MIX[jurisdiction])
        citizenship = _weighted(rng, CITIZENSHIP[jurisdiction])
        surname = _pick(rng, pools.surnames[locale])
        territory_id, locality = localities[bisect.bisect(locality_cum, rng.random() * locality_cum[-1])]
        street = f"{rng.choice(pools.streets)} {rng.randint(1, 120)}"
        if rng.random() < 0.25:
            street += f"/{rng.randint(1, 40)}"
        address_folded = fold(f"{street} {locality}")
        territory = str(territory_id) if territory_id else "\\N"
        moved_in = (on - dt.timedelta(days=rng.randint(0, 20 * 365))).isoformat()
        households.append(f"{hid}\t{now}\t{now}\t{street}\t\t\t{centre}\t\\N\t{territory}\n")
        for relationship, age, sex, role in _members(rng, size):
            own_surname = surname
            if rng.random() < 0.06:  # a partner or relative with another surname
                own_surname = _pick(rng, pools.surnames[locale])
            if role in ("spouse", "partner", "parent") and sex == "F" and rng.random() < 0.25:
                own_surname = _pick(rng, pools.surnames[locale])
            last = (
                female_surname(locale, own_surname, pools, married=role not in ("child", "sibling"))
                if sex == "F"
                else own_surname
            )
            first = _pick(rng, pools.first_female[locale] if sex == "F" else pools.first_male[locale])
            if rng.random() < 0.05:  # a second given name
                second = _pick(rng, pools.first_female[locale] if sex == "F" else pools.first_male[locale])
                if second != first:
                    first = f"{first} {second}"
            birth = _birth(rng, on, age)
            national_id = ids.make(birth, sex, on) if rng.random() < id_coverage else ""
            phone = _phone(rng, jurisdiction) if age >= 16 and rng.random() < 0.75 else ""
            email = ""
            if age >= 18 and rng.random() < 0.18:
                email = f"{f(first).replace(' ', '.')}.{f(last).replace(' ', '')}{rng.randint(1, 99)}@example.org"
            education, employment = _adult_status(rng, age)
            disability = _weighted(rng, DISABILITY)
            fn, ln = f(first), f(last)
            search_name = f"{fn} {ln}" if fn and ln else fn or ln
            if checked < 200:  # the shortcut equals Person.refresh_search_columns: prove it on a sample
                assert search_name == fold(f"{first} {last}"), (first, last)
                checked += 1
            persons.append(
                f"{pid}\t{now}\t{now}\t{first}\t{last}\t{birth.isoformat()}\t{sex}\t{national_id}\t"
                f"{citizenship}\t{street}\t{phone}\t{email}\t{education}\t{employment}\t{disability}\t\t"
                f"{search_name}\t{address_folded}\t{digits_only(phone)}\t{centre}\t\\N\t{territory}\n"
            )
            joined = max(moved_in, birth.isoformat())
            memberships.append(f"{mid}\t{relationship}\t{joined}\t\\N\t{now}\t{hid}\t{pid}\n")
            pid += 1
            mid += 1
        hid += 1
    return "".join(households), "".join(persons), "".join(memberships), pid - chunk.person_id


HOUSEHOLD_COLUMNS = (
    "id, created_at, updated_at, street_address, external_ref, notes, centre_id, created_by_id, territory_id"
)
PERSON_COLUMNS = (
    "id, created_at, updated_at, first_name, last_name, birth_date, sex, national_id, citizenship, "
    "street_address, phone, email, education, employment_status, disability_degree, notes, "
    "search_name, search_address, phone_digits, centre_id, created_by_id, territory_id"
)
MEMBERSHIP_COLUMNS = "id, relationship, valid_from, valid_until, created_at, household_id, person_id"


def load_chunk(chunk: Chunk) -> dict:
    started = time.perf_counter()
    households, persons, memberships, count = generate_chunk(chunk)
    generated = time.perf_counter()
    conn = _W["conn"]
    with conn.transaction(), conn.cursor() as cur:
        for table, columns, data in (
            ("registry_household", HOUSEHOLD_COLUMNS, households),
            ("registry_person", PERSON_COLUMNS, persons),
            ("registry_membership", MEMBERSHIP_COLUMNS, memberships),
        ):
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(data)
    return {
        "persons": count,
        "households": len(chunk.sizes),
        "generate_s": generated - started,
        "copy_s": time.perf_counter() - generated,
    }


# --- database ------------------------------------------------------------------------------------


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when created."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info["dbname"]
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log kept in memory


def centre_and_localities(code: str, jurisdiction: str) -> tuple[int, bool, list[tuple[int | None, str]]]:
    """The centre (created with a small territorial tree when missing) and its leaf localities."""
    from faker import Faker

    from socius.accounts.models import Centre, Territory, TerritoryLevel

    centre = Centre.objects.filter(code=code).first()
    created = centre is None
    if created:
        root = Territory.objects.filter(
            jurisdiction=jurisdiction, parent=None, name=DEFAULT_ROOT[jurisdiction]
        ).first() or Territory.objects.create(
            jurisdiction=jurisdiction,
            level=TerritoryLevel.MUNICIPALITY if jurisdiction == "PL" else TerritoryLevel.DISTRICT,
            name=DEFAULT_ROOT[jurisdiction],
        )
        if not root.children.exists():
            locale = {"PL": "pl_PL", "MD": "ro_RO", "LT": "lt_LT"}[jurisdiction]
            fk = Faker(locale)
            fk.seed_instance(7)
            names = sorted({fk.city() for _ in range(200)})
            names = sorted(random.Random(7).sample(names, min(40, len(names))))
            level = TerritoryLevel.VILLAGE if jurisdiction != "LT" else TerritoryLevel.ELDERSHIP
            Territory.objects.bulk_create(
                [Territory(jurisdiction=jurisdiction, parent=root, level=level, name=n, search_name="") for n in names]
            )
            for t in root.children.all():
                t.save()  # computes search_name
        centre = Centre.objects.create(
            code=code, name=f"Synthetic centre {code}", jurisdiction=jurisdiction, territory=root
        )
    elif centre.jurisdiction != jurisdiction:
        raise SystemExit(f"Centre {code} belongs to {centre.jurisdiction}, not {jurisdiction}.")
    localities: list[tuple[int | None, str]] = []
    if centre.territory_id:
        frontier = [centre.territory]
        while frontier:
            node = frontier.pop()
            children = list(node.children.all())
            if children:
                frontier.extend(children)
            else:
                localities.append((node.pk, node.name))
    localities.sort(key=lambda t: t[1])
    return centre.pk, created, localities or [(None, "")]


def reserve_ids(cur, table: str, count: int) -> int:
    """First id of a block of `count` ids taken from the table's identity sequence (single loader)."""
    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    seq = cur.fetchone()[0]
    cur.execute("SELECT nextval(%s)", [seq])
    first = cur.fetchone()[0]
    cur.execute("SELECT setval(%s, %s)", [seq, first + max(count, 1) - 1])
    return first


def secondary_objects(cur, tables=TABLES) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Indexes (name, CREATE statement) not backing a constraint, largest tables first, and foreign keys
    of the loaded tables (also used by desk_timeline.py for the casework tables)."""
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY pg_relation_size(i.indrelid) DESC, 1
        """,
        [list(tables)],
    )
    indexes = cur.fetchall()
    cur.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
        """,
        [list(tables)],
    )
    return indexes, cur.fetchall()


def rebuild(conninfo: str, indexes, fks, workers: int) -> list[tuple[str, float]]:
    """Recreate indexes (two builds at a time: one per core) and foreign keys; (name, seconds) each."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    def run(item):
        name, statement = item
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET synchronous_commit = off")
            started = time.perf_counter()
            conn.execute(statement)
            return name, time.perf_counter() - started

    items = list(indexes) + [
        (f"{table}.{name}", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table, name, definition in fks
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items[: len(indexes)])) + list(pool.map(run, items[len(indexes) :]))


# --- main ----------------------------------------------------------------------------------------


def plan_chunks(persons: int, seed: int, workers: int) -> list[list[int]]:
    rng = random.Random(f"{seed}-sizes")
    target = max(2000, min(25000, persons // (workers * 4) or 1))
    chunks: list[list[int]] = [[]]
    in_chunk = total = 0
    while total < persons:
        size = min(rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS)[0], persons - total)
        if in_chunk >= target:
            chunks.append([])
            in_chunk = 0
        chunks[-1].append(size)
        in_chunk += size
        total += size
    if len(chunks) > 1000:
        raise SystemExit("Too many chunks for the national ID serial space; raise the chunk size.")
    return chunks


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jurisdiction", choices=("PL", "MD", "LT"), default="PL")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument(
        "--centre", default=None, help="centre code, created when missing (default bench-<jurisdiction>)"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--create-db", action="store_true", help="create the database if missing, then migrate")
    parser.add_argument("--migrate", action="store_true", help="apply migrations first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--indexes",
        choices=("auto", "drop", "keep"),
        default="auto",
        help="drop secondary indexes and foreign keys for the load and rebuild them after (auto: when the "
        "tables hold fewer persons than the load, so that a small load into a large database does not rebuild)",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/synthetic.py loads PostgreSQL only (COPY); pass --database-url postgres://...")
    code = args.centre or f"bench-{args.jurisdiction.lower()}"
    on = dt.date.today()
    calibration_before = calibrate(args.database_url)
    t0 = time.perf_counter()
    load_before = os.getloadavg()

    created_db = ensure_database(args.database_url) if args.create_db else False
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    if args.create_db or args.migrate:
        call_command("migrate", verbosity=0, interactive=False)
    centre_id, centre_created, localities = centre_and_localities(code, args.jurisdiction)
    from socius.registry.models import Person

    taken = frozenset(
        Person.objects.filter(centre_id=centre_id).exclude(national_id="").values_list("national_id", flat=True)
    )
    pools = build_pools(args.jurisdiction, localities, args.seed)
    sizes = plan_chunks(args.persons, args.seed, args.workers)
    n_households = sum(len(s) for s in sizes)
    conninfo = args.database_url
    existing = Person.objects.count()
    drop = args.indexes == "drop" or (args.indexes == "auto" and existing < args.persons)
    with connection.cursor() as cur:
        first_h = reserve_ids(cur, "registry_household", n_households)
        first_p = reserve_ids(cur, "registry_person", args.persons)
        first_m = reserve_ids(cur, "registry_membership", args.persons)
        indexes, fks = secondary_objects(cur) if drop else ([], [])
    chunks = []
    h, p = first_h, first_p
    for i, chunk_sizes in enumerate(sizes):
        chunks.append(Chunk(i, len(sizes), chunk_sizes, h, p, first_m + (p - first_p)))
        h += len(chunk_sizes)
        p += sum(chunk_sizes)
    connection.close()
    t_prepare = time.perf_counter() - t0

    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table, name, _definition in fks:
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _statement in indexes:
            conn.execute(f"DROP INDEX {name}")
    results = []
    t1 = time.perf_counter()
    try:
        ctx = mp.get_context("fork")
        with ctx.Pool(
            args.workers, initializer=_worker_init, initargs=(conninfo, pools, centre_id, on, args.seed, taken)
        ) as pool:
            for result in pool.imap_unordered(load_chunk, chunks):
                results.append(result)
                done = sum(r["persons"] for r in results)
                print(f"\r  loaded {done:,} / {args.persons:,} persons", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    finally:
        t_load = time.perf_counter() - t1
        t2 = time.perf_counter()
        built = rebuild(conninfo, indexes, fks, args.workers) if (indexes or fks) else []
        t_index = time.perf_counter() - t2
    t3 = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        in_db = conn.execute("SELECT count(*) FROM registry_person WHERE centre_id = %s", [centre_id]).fetchone()[0]
        words = conn.execute("SELECT count(*) FROM registry_search_word").fetchone()[0]
    t_analyze = time.perf_counter() - t3
    total = time.perf_counter() - t0

    persons = sum(r["persons"] for r in results)
    households = sum(r["households"] for r in results)
    gen_s = sum(r["generate_s"] for r in results)
    copy_s = sum(r["copy_s"] for r in results)
    rows = persons * 2 + households

    def rate(n, s):
        return f"{n / s:,.0f}" if s else "-"

    print(
        f"synthetic {args.jurisdiction}: {persons:,} persons, {households:,} households, {persons:,} memberships "
        f"into centre {code}{' (created)' if centre_created else ''}, database "
        f"{psycopg.conninfo.conninfo_to_dict(conninfo)['dbname']}{' (created)' if created_db else ''}, "
        f"seed {args.seed}, {args.workers} workers, {len(chunks)} chunks, {len(localities)} localities; "
        f"the centre now has {in_db:,} persons"
    )
    print(f"{'phase':<34}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
    print(f"{'prepare (migrate, centre, pools)':<34}{'':>12}{t_prepare:>10.1f}{'':>12}")
    print(f"{'load: generate + COPY (wall)':<34}{rows:>12,}{t_load:>10.1f}{rate(rows, t_load):>12}")
    print(f"{'  persons':<34}{persons:>12,}{t_load:>10.1f}{rate(persons, t_load):>12}")
    print(f"{'  generate (summed over workers)':<34}{persons:>12,}{gen_s:>10.1f}{rate(persons, gen_s):>12}")
    print(f"{'  COPY (summed over workers)':<34}{rows:>12,}{copy_s:>10.1f}{rate(rows, copy_s):>12}")
    print(f"{f'indexes + foreign keys ({len(built)})':<34}{'':>12}{t_index:>10.1f}{'':>12}")
    ranked = sorted(built, key=lambda b: -b[1])
    for name, seconds in ranked[:8]:
        print(f"    {name[:56]:<56}{seconds:>8.1f}")
    if len(ranked) > 8:
        rest = f"... {len(ranked) - 8} more (built two at a time)"
        print(f"    {rest:<56}{sum(sec for _n, sec in ranked[8:]):>8.1f}")
    print(f"{'vacuum analyze':<34}{'':>12}{t_analyze:>10.1f}{'':>12}")
    print(f"{'total':<34}{persons:>12,}{total:>10.1f}{rate(persons, total):>12}  persons/s")
    load_after = os.getloadavg()
    print(
        f"search dictionary: {words:,} words; load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(1 min), {os.cpu_count()} CPUs"
    )
    print(calibration_before.line("calibration before"))
    print(calibrate(args.database_url).line("calibration after"))


if __name__ == "__main__":
    main()
