"""Family assistants at the issue's scale (issue 10): the assistant's desk, a family page and the monthly
timesheets, over synthetic data in PostgreSQL.

    .venv/bin/python bench/family_support.py --database-url postgres://postgres@127.0.0.1:5432/socius_family_bench

1. Persons in households: bench/synthetic.py (COPY), `--persons` (default 1,000,000) into a PL centre
   (`--centre`, default bench-family); the database is created and migrated when missing.
2. The family assistant programme of that centre over `--months` months up to `--today`, written with COPY
   from one seeded generator (the rows the services write, `socius.family.support`):
   `--assistants` family assistants (default 500) in teams of 25 with a team leader, social workers holding the
   families' cases (one per 100 families, teams of 12 with a leader) and a director; `--families` enrolments
   (default 20,000) of households with a child and an adult: each assistant works 10-15 families at a time
   (never more than 15 active, the PL cap) and takes the next family when one closes, so most enrolments are
   closed or in monitoring (6 months) and about 6,500 are active; 1% requested and waiting, 0.5% refused;
   routes request (approved by the director) 80%, court order 15%, statutory 5%. Per enrolment: its case
   (shared with the assistant, as approval does), the consents of one or two adults (withdrawn when the work
   closed on a withdrawal), agreed work plans (version 1 two to four weeks after the start, 4-6 items; 40% of
   long enrolments re-agreed as version 2, the first superseded; 10% of active ones with a draft), an
   assessment every 6 months (court opinions for some court orders), `--activities` activity entries
   (default 2,000,000) on weekdays of the active periods (a sixth of the rate in monitoring), with the family
   members present for 60%, and the FamilyEvent rows the services append (one per activity, and per request,
   approval/order, consent, plan agreed, assessment, closure, end of monitoring). Audit rows of the writes are
   not written (nothing measured reads them). Ids follow time (activities in order of their day).
3. Measured through Django's test Client (full middleware, the user's session), each page requested for
   `--requests` different subjects (default 200): one request with its queries counted (the first,
   which also warms that subject's rows), one timed:
   - the assistant's desk `web:family_desk` as `--requests` assistants, and the selector
     `selectors_support.assistant_desk(actor, day)` alone;
   - a family page `web:family_enrolment` of `--requests` enrolments (active and in monitoring, the ones with
     most activities included) as their assistant, and the selector `family_page(actor, enrolment, day)`;
   - `timesheets(director, month)` for all assistants of the centre (last full month, `--timesheet-runs`
     runs) and the timesheet PDF `web:family_timesheet_pdf` of one assistant.
   p50/p95/max in ms, and the queries per request (min-max over the subjects, and for the smallest and largest
   subject: they must not grow with the data). A page or selector not in the tree yet is reported, not timed.

Database handling: `--setup-only` loads and stops; a database whose centre already has enrolments is reused
(only measured; `--fresh` drops it first); `--snapshot` keeps the set-up database as `<name>_setup` and starts
later runs from a copy of it. Synthetic data only. Nothing asserts a time: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_family_bench"
CENTRE = "bench-family"
CAP = 15  # PL caseload cap (art. 15 ust. 3 ustawy o wspieraniu rodziny)
MONITORING_DAYS = 182  # local practice: 6 months
ASSESSMENT_DAYS = 182  # every 6 months (art. 15 ust. 1 pkt 16)
FAMILIES_PER_WORKER = 100
ASSISTANTS_PER_TEAM = 25
WORKERS_PER_TEAM = 12
FLUSH_LINES = 100_000
N = "\\N"  # NULL in COPY text

# COPY targets: key -> (model path, field names in the order the generator writes them), in foreign key order.
TABLES = {
    "case": ("casework.Case", ("id", "created_at", "updated_at", "centre", "year", "number", "reference",
             "household", "person", "circumstances", "assigned_worker", "team", "status", "closure_reason",
             "opened_on", "closed_on", "notes", "created_by")),
    "case_share": ("casework.CaseShare", ("id", "case", "user", "shared_by", "shared_at")),
    "enrolment": ("family.FamilyEnrolment", ("id", "created_at", "updated_at", "centre", "case", "household",
                  "assistant", "route", "status", "reason", "requested_by", "requested_on", "decided_by",
                  "decided_on", "refusal_reason", "court_name", "court_reference", "court_order_on", "legal_basis",
                  "started_on", "closed_on", "outcome", "closure_note", "monitoring_until", "ended_on", "fund",
                  "created_by")),
    "consent": ("family.EnrolmentConsent", ("id", "enrolment", "person", "given_on", "method", "note",
                "recorded_by", "withdrawn_on", "withdrawal_note", "created_at")),
    "plan": ("family.WorkPlan", ("id", "enrolment", "version", "status", "agreed_on", "social_worker", "review_on",
             "note", "created_by", "created_at")),
    "plan_agreed_with": ("family.WorkPlan.agreed_with", ("id", "workplan", "person")),
    "item": ("family.WorkPlanItem", ("id", "plan", "area", "goal", "action", "responsible", "due_on",
             "expected_effect", "status", "done_on", "position")),
    "assessment": ("family.FamilyAssessment", ("id", "enrolment", "assessed_on", "period_from", "period_until",
                   "situation", "progress", "strengths", "difficulties", "recommendation", "is_court_opinion",
                   "court_name", "court_reference", "requested_on", "author", "created_at")),
    "activity": ("family.AssistantActivity", ("id", "centre", "enrolment", "assistant", "on", "minutes", "place",
                 "areas", "others_present", "notes", "created_at")),
    "activity_members": ("family.AssistantActivity.family_members", ("id", "assistantactivity", "person")),
    "event": ("family.FamilyEvent", ("id", "case", "at", "actor", "kind", "data")),
}  # fmt: skip

AREAS = ("housekeeping", "budgeting", "health", "child_development", "school", "leisure", "employment", "housing")
GOALS = {
    "housekeeping": ("Utrzymanie porządku i higieny w mieszkaniu", "Codzienne porządki według ustalonego grafiku"),
    "budgeting": ("Planowanie budżetu domowego", "Prowadzenie zeszytu wydatków i spłata zaległości czynszowych"),
    "health": ("Regularna opieka medyczna dzieci", "Szczepienia i bilanse zdrowia u lekarza rodzinnego"),
    "child_development": ("Wspieranie rozwoju dziecka", "Zajęcia w poradni psychologiczno-pedagogicznej"),
    "school": ("Regularne uczęszczanie dzieci do szkoły", "Kontakt z wychowawcą raz w miesiącu"),
    "leisure": ("Wspólne spędzanie czasu wolnego", "Udział w zajęciach świetlicy środowiskowej"),
    "employment": ("Podjęcie zatrudnienia przez rodzica", "Rejestracja w urzędzie pracy i udział w szkoleniu"),
    "housing": ("Poprawa warunków mieszkaniowych", "Wniosek o dodatek mieszkaniowy i drobne remonty"),
}  # fmt: skip
RESPONSIBLE = ("asystent rodziny", "rodzice", "matka", "ojciec", "pedagog szkolny", "pracownik socjalny")
ACTIVITY_NOTES = ("", "", "", "Rozmowa o planie dnia dzieci", "Pomoc w przygotowaniu dokumentów",
                  "Wspólne zakupy i planowanie posiłków", "Konsultacja z wychowawcą", "Wizyta u lekarza")  # fmt: skip
PLACES = (("family_home", 70), ("school", 10), ("office", 10), ("elsewhere", 10))
MINUTES = (30, 45, 45, 60, 60, 60, 75, 90, 120)
OUTCOMES_MONITORED = (("goals_achieved", 60), ("child_stays", 30), ("child_returned", 10))
OUTCOMES_CLOSED = (("family_moved", 40), ("consent_withdrawn", 30), ("child_placed", 30))
COURTS = ("Sąd Rejonowy, III Wydział Rodzinny i Nieletnich", "Sąd Rejonowy, IV Wydział Rodzinny i Nieletnich")
STAFF_FIRST = ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Ewa", "Barbara", "Marta",
               "Aleksandra", "Justyna", "Dorota", "Beata", "Paulina", "Tomasz", "Piotr", "Marcin", "Paweł")  # fmt: skip
STAFF_LAST = ("Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król",
              "Wieczorek", "Jabłońska", "Majewska", "Olszewska", "Stępień", "Malinowska", "Dudek")  # fmt: skip


def weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def esc(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def js(value) -> str:
    return esc(json.dumps(value, ensure_ascii=False))


def is_weekday(o: int) -> bool:
    return (o - 1) % 7 < 5  # date.fromordinal(1) is a Monday


def d(o: int | None) -> str:
    return dt.date.fromordinal(o).isoformat() if o else N


def stamp(o: int, seconds: int) -> str:
    """A timestamp in UTC: day ordinal `o` at `seconds` after midnight."""
    h, rest = divmod(seconds, 3600)
    return f"{dt.date.fromordinal(o).isoformat()} {h:02d}:{rest // 60:02d}:{rest % 60:02d}+00"


# --- tables ----------------------------------------------------------------------------------------


def table_specs() -> dict[str, tuple[str, tuple[str, ...]]]:
    """key -> (db table, db columns) from the models, so a renamed column fails here and not in COPY."""
    from django.apps import apps

    specs = {}
    for key, (path, fields) in TABLES.items():
        app_label, model_name, *m2m = path.split(".")
        model = apps.get_model(app_label, model_name)
        if m2m:
            model = model._meta.get_field(m2m[0]).remote_field.through
        specs[key] = (model._meta.db_table, tuple(model._meta.get_field(name).column for name in fields))
    return specs


def check_columns(cur, specs) -> None:
    """Every NOT NULL column without a default is written; every written column exists."""
    for table, columns in specs.values():
        cur.execute(
            "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' "
            "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
            [table],
        )
        found = dict(cur.fetchall())
        missing = [c for c in columns if c not in found]
        required = [c for c, needed in found.items() if needed and c not in columns]
        if missing or required:
            raise SystemExit(f"{table}: the loader writes unknown columns {missing}, leaves out required {required}")


class Copier:
    """Lines per table, written with COPY on Django's connection (so it runs inside a test's transaction too)
    every FLUSH_LINES lines, tables in foreign key order."""

    def __init__(self, specs: dict):
        from django.db import connection

        self.connection = connection
        self.sql = {
            key: f"COPY {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN"
            for key, (table, columns) in specs.items()
        }
        self.lines: dict[str, list[str]] = {key: [] for key in specs}
        self.pending = 0
        self.stats = {key: [0, 0.0] for key in specs}
        self.next_id: dict[str, int] = {}
        with connection.cursor() as cur:
            for key, (table, _columns) in specs.items():
                cur.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
                self.next_id[key] = cur.fetchone()[0] + 1
        self.first_id = dict(self.next_id)
        self.specs = specs

    def new_id(self, key: str) -> int:
        i = self.next_id[key]
        self.next_id[key] = i + 1
        return i

    def emit(self, key: str, line: str) -> None:
        self.lines[key].append(line)
        self.pending += 1
        if self.pending >= FLUSH_LINES:
            self.flush()

    def flush(self) -> None:
        with self.connection.cursor() as wrapper:
            cur = wrapper.cursor  # psycopg's own cursor
            for key, sql in self.sql.items():
                lines = self.lines[key]
                if not lines:
                    continue
                started = time.perf_counter()
                with cur.copy(sql) as copy:
                    copy.write("".join(lines))
                stat = self.stats[key]
                stat[0] += len(lines)
                stat[1] += time.perf_counter() - started
                self.lines[key] = []
        self.pending = 0

    def set_sequences(self) -> None:
        with self.connection.cursor() as cur:
            for key, (table, _columns) in self.specs.items():
                if self.next_id[key] > self.first_id[key]:
                    cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, self.next_id[key] - 1])


# --- the generator ---------------------------------------------------------------------------------


class Enrolment:
    __slots__ = ("adults", "assistant", "case_id", "closed", "ended", "household", "id", "idx", "members",
                 "monitoring_until", "outcome", "requested", "route", "started", "status", "worker")  # fmt: skip


def families_of(centre_id: int, today_o: int) -> list[tuple[int, list[int], list[int]]]:
    """(household id, adult person ids, all member ids) of the centre's households with a child and an adult."""
    from django.db import connection

    out = []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT m.household_id, array_agg(m.person_id ORDER BY p.birth_date, m.person_id), "
            "array_agg(p.birth_date ORDER BY p.birth_date, m.person_id) "
            "FROM registry_membership m JOIN registry_household h ON h.id = m.household_id "
            "JOIN registry_person p ON p.id = m.person_id "
            "WHERE h.centre_id = %s AND m.valid_until IS NULL GROUP BY m.household_id ORDER BY m.household_id",
            [centre_id],
        )
        for household_id, persons, births in cur.fetchall():
            ages = [(today_o - b.toordinal()) / 365.25 if b else 40 for b in births]
            adults = [p for p, a in zip(persons, ages, strict=True) if a >= 18]
            if adults and any(a < 18 for a in ages):
                out.append((household_id, adults, list(persons)))
    return out


def plan_staff(centre, n_assistants: int, n_workers: int, seed: int):
    """Teams, team leaders, social workers, family assistants and the director (ORM, a few hundred rows)."""
    from django.contrib.auth.hashers import make_password

    from socius.accounts.models import Team, User
    from socius.accounts.roles import Role

    rng = random.Random(f"{seed}-staff")
    password = make_password(None)

    def user(username: str, role: str) -> User:
        return User(
            username=username,
            first_name=rng.choice(STAFF_FIRST),
            last_name=rng.choice(STAFF_LAST),
            email=f"{username}@example.org",
            centre=centre,
            role=role,
            password=password,
        )

    code = centre.code
    teams, members_of = [], []
    assistants, workers, leaders = [], [], []
    for k in range(max(1, -(-n_assistants // ASSISTANTS_PER_TEAM))):
        team = Team(centre=centre, problem_group="family", name=f"Zespół asystentów rodziny {k + 1}")
        leader = user(f"{code}-leader-asystenci{k + 1}", Role.TEAM_LEADER)
        group = [
            user(f"{code}-assistant{i}", Role.FAMILY_ASSISTANT)
            for i in range(k * ASSISTANTS_PER_TEAM, min(n_assistants, (k + 1) * ASSISTANTS_PER_TEAM))
        ]
        assistants += group
        leaders.append(leader)
        teams.append(team)
        members_of.append([leader, *group])
    for k in range(max(1, -(-n_workers // WORKERS_PER_TEAM))):
        team = Team(centre=centre, problem_group="family", name=f"Zespół ds. pomocy rodzinie {k + 1}")
        leader = user(f"{code}-leader-rodzina{k + 1}", Role.TEAM_LEADER)
        group = [
            user(f"{code}-worker{i}", Role.SOCIAL_WORKER)
            for i in range(k * WORKERS_PER_TEAM, min(n_workers, (k + 1) * WORKERS_PER_TEAM))
        ]
        workers += group
        leaders.append(leader)
        teams.append(team)
        members_of.append([leader, *group])
    director = user(f"{code}-director", Role.DIRECTOR)
    Team.objects.bulk_create(teams)
    User.objects.bulk_create([*assistants, *workers, *leaders, director])
    through = User.teams.through
    through.objects.bulk_create(
        [through(user_id=u.pk, team_id=t.pk) for t, members in zip(teams, members_of, strict=True) for u in members]
    )
    team_of = {u.pk: t.pk for t, members in zip(teams, members_of, strict=True) for u in members}
    return assistants, workers, director, team_of


def load_family(
    centre,
    *,
    families: int,
    assistants: int,
    activities: int,
    months: int,
    seed: int,
    today: dt.date,
    quiet: bool = False,
) -> dict:
    """Write the programme of `centre` (which has persons in households) with COPY; returns the counts."""
    from django.db import connection

    from socius.casework.models import CaseCounter

    t0 = time.perf_counter()
    rng = random.Random(f"{seed}-family")
    today_o = today.toordinal()
    first_o = today_o - int(months * 30.44)
    specs = table_specs()
    with connection.cursor() as cur:
        check_columns(cur, specs)

    # 1. Families (households with a child and an adult) and staff.
    candidates = families_of(centre.pk, today_o)
    if len(candidates) < families:
        raise SystemExit(f"Centre {centre.code} has {len(candidates):,} households with a child, {families:,} asked.")
    picked = rng.sample(candidates, families)
    t_read = time.perf_counter() - t0
    n_workers = max(1, -(-families // FAMILIES_PER_WORKER))
    staff_assistants, workers, director, team_of = plan_staff(centre, assistants, n_workers, seed)

    # 2. Each assistant's families: 10-15 slots, each a sequence of enrolments (the last one still active).
    # 1.5% of the enrolments are requests without an assistant (waiting, or refused).
    waiting = max(1, families // 100)
    refused = families // 200
    slot_target = families - waiting - refused
    slots_of = [min(CAP, 10 + int(rng.random() * 6)) for _ in range(assistants)]
    if sum(slots_of) > slot_target:
        raise SystemExit(f"{families:,} families are too few for {assistants} assistants working 10-15 each.")
    window = today_o - first_o
    pre = 120  # a slot's first family may have started up to 8 months before the window
    # Enrolments per slot ~ (window + pre) / mean cycle + the last one: a cycle that overshoots, then trim.
    cycle = (window + pre) / (slot_target / sum(slots_of))
    while True:
        runs: list[tuple[int, int, int, int]] = []  # (started, closed or 0, assistant index, slot)
        for a in range(assistants):
            for s in range(slots_of[a]):
                t = first_o - int(rng.random() * 2 * pre)
                while True:
                    start = t + int(rng.random() * 25)
                    end = start + max(20, int(cycle * (0.45 + rng.random() * 1.1)))
                    if end >= today_o or start >= today_o - 5:
                        runs.append((min(start, today_o - 1), 0, a, s))
                        break
                    runs.append((start, end, a, s))
                    t = end
        if len(runs) >= slot_target:
            break
        cycle *= 0.8
    # Exactly slot_target: the oldest closed enrolments go (the window began after them).
    closed = sorted((r for r in runs if r[1]), key=lambda r: r[0])
    drop = set(closed[: len(runs) - slot_target])
    runs = [r for r in runs if r not in drop]
    runs.sort()
    enrolments: list[Enrolment] = []
    for i, (start, end, a, _s) in enumerate(runs):
        e = Enrolment()
        e.household, e.adults, e.members = picked[i]
        e.assistant = staff_assistants[a].pk
        e.started, e.closed = start, end
        e.route = weighted(rng, (("request", 80), ("court_order", 15), ("statutory", 5)))
        e.requested = start - 5 - int(rng.random() * 25) if e.route == "request" else start
        e.monitoring_until = e.ended = 0
        e.outcome = ""
        if not end:
            e.status = "active"
        elif rng.random() < 0.75:
            e.outcome = weighted(rng, OUTCOMES_MONITORED)
            e.monitoring_until = end + MONITORING_DAYS
            if e.monitoring_until > today_o:
                e.status = "monitoring"
            else:
                e.status, e.ended = "closed", e.monitoring_until
        else:
            e.outcome = weighted(rng, OUTCOMES_CLOSED)
            e.status, e.ended = "closed", end
        enrolments.append(e)
    for j in range(waiting + refused):
        e = Enrolment()
        e.household, e.adults, e.members = picked[len(runs) + j]
        e.assistant = None
        e.route = "request"
        e.requested = today_o - 1 - int(rng.random() * (30 if j < waiting else 300))
        e.started = e.closed = e.monitoring_until = e.ended = 0
        e.outcome = ""
        e.status = "requested" if j < waiting else "refused"
        enrolments.append(e)
    enrolments.sort(key=lambda e: (e.requested, e.household))
    for idx, e in enumerate(enrolments):
        e.idx = idx
        e.worker = workers[int(rng.random() * len(workers))].pk

    # 3. Activities: enrolment by weight (active weekdays, monitoring a sixth), then a weekday in its period.
    def spans(e: Enrolment) -> list[tuple[int, int, float]]:
        if not e.started:
            return []
        out = []
        low, high = max(e.started, first_o), (e.closed or today_o)
        if high >= low:
            out.append((low, high, 1.0))
        if e.monitoring_until:
            low, high = max(e.closed + 1, first_o), min(e.monitoring_until, today_o)
            if high >= low:
                out.append((low, high, 1 / 6))
        return out

    cum, total, span_of = [], 0.0, []
    for e in enrolments:
        s = spans(e)
        span_of.append(s)
        total += sum((high - low + 1) * w for low, high, w in s)
        cum.append(total)
    keys = array("Q")
    if activities and total:
        for _ in range(activities):
            idx = min(bisect.bisect(cum, rng.random() * total), len(enrolments) - 1)
            s = span_of[idx]
            weights = [(high - low + 1) * w for low, high, w in s]
            low, high, _w = s[0] if len(s) == 1 or rng.random() * sum(weights) < weights[0] else s[1]
            day = low + int(rng.random() * (high - low + 1))
            for _try in range(7):
                if is_weekday(day):
                    break
                day = low + int(rng.random() * (high - low + 1))
            keys.append((day - first_o + 1000) << 21 | idx)
    keys = array("Q", sorted(keys))

    # 4. Write: cases, shares, enrolments, consents, plans, assessments, events; then the activities in order.
    cp = Copier(specs)
    centre_id = centre.pk
    numbers: dict[int, int] = {}
    events: list[tuple[int, int, str]] = []  # (moment in seconds since ordinal 0, case id, line without id)
    for e in enrolments:
        opened = min(e.requested - 30 - int(rng.random() * 300), e.requested)
        year = dt.date.fromordinal(opened).year
        numbers[year] = number = numbers.get(year, 0) + 1
        e.case_id = cp.new_id("case")
        opened_at = stamp(opened, 8 * 3600 + int(rng.random() * 8 * 3600))
        cp.emit(
            "case",
            f"{e.case_id}\t{opened_at}\t{opened_at}\t{centre_id}\t{year}\t{number}\t{year}/{number:04d}\t"
            f"{e.household}\t{N}\t{js(['care_helplessness', 'poverty'])}\t{e.worker}\t{team_of[e.worker]}\t"
            f"active\t\t{d(opened)}\t{N}\t\t{e.worker}\n",
        )
    cp.flush()
    counts = {"enrolments": {}, "routes": {}}
    for e in enrolments:
        e.id = cp.new_id("enrolment")
        counts["enrolments"][e.status] = counts["enrolments"].get(e.status, 0) + 1
        counts["routes"][e.route] = counts["routes"].get(e.route, 0) + 1
        requested_m = e.requested * 86400 + 9 * 3600 + int(rng.random() * 7 * 3600)
        decided_by = decided_on = N
        court = court_ref = court_on = legal = ""
        if e.route == "request":
            self_kind = "enrol_requested"
            add_event(
                events,
                requested_m,
                e.case_id,
                e.worker,
                self_kind,
                {"enrolment_id": e.id, "household_id": e.household, "requested_on": d(e.requested)},
            )
            if e.status != "requested":
                decided_by = str(director.pk)
                decided_on = d(e.started or e.requested + 3 + int(rng.random() * 10))
                kind = "enrol_approved" if e.started else "enrol_refused"
                data = (
                    {"enrolment_id": e.id, "assistant_id": e.assistant, "decided_on": decided_on}
                    if e.started
                    else {"enrolment_id": e.id, "decided_on": decided_on}
                )
                decided_o = e.started or dt.date.fromisoformat(decided_on).toordinal()
                add_event(events, decided_o * 86400 + 12 * 3600, e.case_id, director.pk, kind, data)
        else:
            kind = "enrol_ordered" if e.route == "court_order" else "enrol_statutory"
            if e.route == "court_order":
                court, court_ref = (
                    rng.choice(COURTS),
                    f"III Nsm {100 + e.idx % 900}/{dt.date.fromordinal(e.started).year % 100}",
                )
                court_on = d(e.started - 10 - int(rng.random() * 30))
                legal = "art. 109 § 2 pkt 1 KRO"
            else:
                legal = "art. 11 ust. 1a ustawy o wspieraniu rodziny"
            add_event(
                events,
                requested_m,
                e.case_id,
                e.worker,
                kind,
                {"enrolment_id": e.id, "assistant_id": e.assistant, "started_on": d(e.started)},
            )
        updated_o = max(e.requested, e.started, e.closed, e.ended)
        created_at, updated_at = stamp(e.requested, 9 * 3600), stamp(updated_o, 15 * 3600)
        cp.emit(
            "enrolment",
            f"{e.id}\t{created_at}\t{updated_at}\t{centre_id}\t{e.case_id}\t{e.household}\t{e.assistant or N}\t"
            f"{e.route}\t{e.status}\tTrudności opiekuńczo-wychowawcze stwierdzone w wywiadzie\t{e.worker}\t"
            f"{d(e.requested)}\t{decided_by}\t{decided_on}\t"
            f"{'Brak wolnego asystenta' if e.status == 'refused' else ''}\t{court}\t{court_ref}\t"
            f"{court_on if court_on else N}\t{legal}\t{d(e.started)}\t{d(e.closed)}\t{e.outcome}\t\t"
            f"{d(e.monitoring_until)}\t{d(e.ended)}\t{N}\t{e.worker}\n",
        )
        if e.assistant:
            cp.emit(
                "case_share",
                f"{cp.new_id('case_share')}\t{e.case_id}\t{e.assistant}\t{director.pk}\t"
                f"{stamp(e.started, 12 * 3600 + 60)}\n",
            )
        if not e.started:
            continue
        end_o = min(e.closed or today_o, today_o)
        # Consents: one or two adults (a court order: sometimes none).
        consenting = []
        if e.route != "court_order" or rng.random() < 0.5:
            consenting = e.adults[: 1 + (len(e.adults) > 1 and rng.random() < 0.5)]
        for person in consenting:
            cid = cp.new_id("consent")
            given = e.started - int(rng.random() * 3)
            withdrawn = e.closed if e.outcome == "consent_withdrawn" else 0
            method = weighted(rng, (("written", 80), ("oral", 15), ("electronic", 5)))
            cp.emit(
                "consent",
                f"{cid}\t{e.id}\t{person}\t{d(given)}\t{method}\t\t{e.assistant}\t{d(withdrawn)}\t"
                f"{'Rodzina rezygnuje ze współpracy' if withdrawn else ''}\t{stamp(given, 11 * 3600)}\n",
            )
            add_event(
                events,
                given * 86400 + 11 * 3600,
                e.case_id,
                e.assistant,
                "consent_given",
                {"consent_id": cid, "person_id": person, "given_on": d(given), "method": method},
            )
            if withdrawn:
                add_event(
                    events,
                    withdrawn * 86400 + 10 * 3600,
                    e.case_id,
                    e.assistant,
                    "consent_withdrawn",
                    {"consent_id": cid, "person_id": person, "withdrawn_on": d(withdrawn)},
                )
        # Work plans.
        agreed = e.started + 14 + int(rng.random() * 14)
        versions = []
        if agreed <= end_o:
            versions.append(agreed)
            if end_o - agreed > 240 and rng.random() < 0.4:
                versions.append(agreed + 180 + int(rng.random() * 30))
        previous_plan = None
        for v, agreed_o in enumerate(versions, start=1):
            status = "superseded" if v < len(versions) else "agreed"
            pid = cp.new_id("plan")
            cp.emit(
                "plan",
                f"{pid}\t{e.id}\t{v}\t{status}\t{d(agreed_o)}\t{e.worker}\t{d(agreed_o + 182)}\t\t{e.assistant}\t"
                f"{stamp(agreed_o - 3, 10 * 3600)}\n",
            )
            for person in consenting or e.adults[:1]:
                cp.emit("plan_agreed_with", f"{cp.new_id('plan_agreed_with')}\t{pid}\t{person}\n")
            period_end = versions[v] if v < len(versions) else end_o
            write_items(cp, rng, pid, agreed_o, period_end, today_o, finished=bool(e.closed) or status != "agreed")
            add_event(
                events,
                agreed_o * 86400 + 13 * 3600,
                e.case_id,
                e.assistant,
                "plan_agreed",
                {"plan_id": pid, "version": v, "agreed_on": d(agreed_o), "superseded_plan_id": previous_plan},
            )
            previous_plan = pid
        if e.status == "active" and versions and rng.random() < 0.1:
            pid = cp.new_id("plan")
            cp.emit(
                "plan",
                f"{pid}\t{e.id}\t{len(versions) + 1}\tdraft\t{N}\t{N}\t{N}\t\t{e.assistant}\t"
                f"{stamp(today_o - int(rng.random() * 10), 10 * 3600)}\n",
            )
            write_items(cp, rng, pid, today_o, today_o, today_o, finished=False, n=2 + int(rng.random() * 2))
        # Assessments every 6 months of work, a court opinion for some court orders.
        previous = e.started
        k = 1
        while True:
            on = e.started + k * ASSESSMENT_DAYS + int(rng.random() * 15) - 10
            if on > end_o:
                break
            write_assessment(cp, rng, e, previous, on, events, court=False)
            previous, k = on, k + 1
        if e.route == "court_order" and rng.random() < 0.3 and end_o - e.started > 90:
            on = e.started + 60 + int(rng.random() * (end_o - e.started - 60))
            write_assessment(cp, rng, e, e.started, on, events, court=True)
        if e.closed:
            add_event(
                events,
                e.closed * 86400 + 15 * 3600,
                e.case_id,
                e.assistant,
                "work_closed",
                {
                    "enrolment_id": e.id,
                    "closed_on": d(e.closed),
                    "outcome": e.outcome,
                    "monitoring_until": d(e.monitoring_until) if e.monitoring_until else None,
                },
            )
        if e.ended and e.monitoring_until:
            add_event(
                events,
                e.ended * 86400 + 15 * 3600,
                e.case_id,
                e.assistant,
                "monitoring_ended",
                {"enrolment_id": e.id, "ended_on": d(e.ended)},
            )

    # The activities in order of their day (ids follow time), each with its event; the other events merged in.
    events.sort()
    ev = 0
    minutes_total = 0
    for key in keys:
        idx = key & ((1 << 21) - 1)
        day = (key >> 21) - 1000 + first_o
        e = enrolments[idx]
        at = day * 86400 + 8 * 3600 + int(rng.random() * 10 * 3600)
        while ev < len(events) and events[ev][0] <= at:
            moment, case_id, rest = events[ev]
            cp.emit("event", f"{cp.new_id('event')}\t{case_id}\t{stamp(moment // 86400, moment % 86400)}\t{rest}\n")
            ev += 1
        aid = cp.new_id("activity")
        minutes = rng.choice(MINUTES)
        minutes_total += minutes
        place = weighted(rng, PLACES)
        areas = rng.sample(AREAS, 1 + int(rng.random() * 3))
        created = stamp(day, at % 86400)
        cp.emit(
            "activity",
            f"{aid}\t{centre_id}\t{e.id}\t{e.assistant}\t{d(day)}\t{minutes}\t{place}\t{js(areas)}\t\t"
            f"{rng.choice(ACTIVITY_NOTES)}\t{created}\n",
        )
        if rng.random() < 0.6:
            for person in rng.sample(e.members, min(len(e.members), 1 + int(rng.random() * 2))):
                cp.emit("activity_members", f"{cp.new_id('activity_members')}\t{aid}\t{person}\n")
        data = {"activity_id": aid, "minutes": minutes, "place": place, "areas": areas}
        cp.emit("event", f"{cp.new_id('event')}\t{e.case_id}\t{created}\t{e.assistant}\tactivity_logged\t{js(data)}\n")
    for moment, case_id, rest in events[ev:]:
        cp.emit("event", f"{cp.new_id('event')}\t{case_id}\t{stamp(moment // 86400, moment % 86400)}\t{rest}\n")
    cp.flush()
    cp.set_sequences()
    for year, number in numbers.items():
        CaseCounter.objects.update_or_create(centre=centre, year=year, defaults={"last_number": number})
    seconds = time.perf_counter() - t0
    rows = {key: stat[0] for key, stat in cp.stats.items()}
    if not quiet:
        print(
            f"family: {len(enrolments):,} enrolments ("
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counts["enrolments"].items()))
            + "; routes "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counts["routes"].items()))
            + f") of {len(candidates):,} households with a child, {assistants} assistants ({min(slots_of)}-"
            f"{max(slots_of)} families each at a time, cap {CAP}), {n_workers} social workers, seed {seed}, "
            f"{months} months to {today}; {sum(rows.values()):,} rows in {seconds:.1f} s "
            f"(reading the households {t_read:.1f} s)"
        )
        print(f"{'table':<40}{'rows':>12}{'COPY s':>10}")
        for key, (table, _columns) in specs.items():
            n, sec = cp.stats[key]
            print(f"{'  ' + table:<40}{n:>12,}{sec:>10.1f}")
    return {"enrolments": counts["enrolments"], "rows": rows, "seconds": seconds, "minutes": minutes_total}


def write_items(cp: Copier, rng, plan_id, agreed_o, period_end, today_o, *, finished: bool, n: int = 0) -> None:
    n = n or 4 + int(rng.random() * 3)
    for pos, area in enumerate(rng.sample(AREAS, n)):
        goal, action = GOALS[area]
        due = agreed_o + 14 + int(rng.random() * 200)
        done = 0
        if due < min(period_end, today_o) or finished:
            x = rng.random()
            status = "done" if x < 0.65 else "in_progress" if x < 0.85 else "planned"
            if status == "done":
                done = max(agreed_o, min(due + int(rng.random() * 20) - 10, period_end, today_o))
            elif finished and x > 0.95:
                status = "dropped"
        else:
            status = "planned" if rng.random() < 0.6 else "in_progress"
        cp.emit(
            "item",
            f"{cp.new_id('item')}\t{plan_id}\t{area}\t{goal}\t{action}\t{rng.choice(RESPONSIBLE)}\t{d(due)}\t"
            f"Poprawa w obszarze: {goal.lower()}\t{status}\t{d(done)}\t{pos}\n",
        )


def add_event(events: list, moment: int, case_id: int, actor: int, kind: str, data: dict) -> None:
    """A FamilyEvent to write at `moment` (seconds since day 0 of the ordinal calendar)."""
    events.append((moment, case_id, f"{actor}\t{kind}\t{js(data)}"))


def write_assessment(cp: Copier, rng, e: Enrolment, period_from: int, on: int, events: list, *, court: bool) -> None:
    aid = cp.new_id("assessment")
    progress = {area: "Widoczna poprawa" if rng.random() < 0.6 else "Bez zmian" for area in rng.sample(AREAS, 2)}
    court_name = rng.choice(COURTS) if court else ""
    cp.emit(
        "assessment",
        f"{aid}\t{e.id}\t{d(on)}\t{d(period_from)}\t{d(on)}\tRodzina współpracuje z asystentem, sytuacja dzieci "
        f"stabilna\t{js(progress)}\tZaangażowanie rodziców\tNiskie dochody\tKontynuacja współpracy z asystentem\t"
        f"{'true' if court else 'false'}\t{court_name}\t{f'III Nsm {e.idx % 900}/26' if court else ''}\t"
        f"{d(on - 20) if court else N}\t{e.assistant}\t{stamp(on, 14 * 3600)}\n",
    )
    kind = "court_opinion" if court else "assessment_made"
    add_event(
        events,
        on * 86400 + 14 * 3600,
        e.case_id,
        e.assistant,
        kind,
        {"assessment_id": aid, "assessed_on": d(on), "period_from": d(period_from), "period_until": d(on)},
    )


# --- databases -------------------------------------------------------------------------------------


def server(url: str):
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(url)
    return psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True), info["dbname"]


def database_exists(url: str, name: str | None = None) -> bool:
    conn, dbname = server(url)
    with conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name or dbname]).fetchone() is not None


def drop_database(url: str, name: str | None = None) -> None:
    from psycopg import sql

    conn, dbname = server(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name or dbname)))


def copy_database(url: str, source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source (a file copy in the server: seconds, not the setup's minutes)."""
    from psycopg import sql

    conn, _dbname = server(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source)))


def snapshot_name(url: str) -> str:
    return url.rsplit("/", 1)[-1] + "_setup"


def load_persons(args) -> None:
    command = [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", "PL", "--persons",
               str(args.persons), "--centre", args.centre, "--database-url", args.database_url, "--seed",
               str(args.seed), "--create-db"]  # fmt: skip
    subprocess.run(command, check=True)


def load(args) -> None:
    """Persons, then the programme with its indexes and foreign keys dropped for the load and rebuilt."""
    from bench.synthetic import rebuild, secondary_objects, setup_django

    t0 = time.perf_counter()
    load_persons(args)
    t_persons = time.perf_counter() - t0
    setup_django(args.database_url)
    from django.db import connection

    from socius.accounts.models import Centre

    centre = Centre.objects.get(code=args.centre)
    specs = table_specs()
    tables = [table for table, _columns in specs.values()]
    with connection.cursor() as cur:
        indexes, fks = secondary_objects(cur, tables)
        for table, name, _definition in fks:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _statement in indexes:
            cur.execute(f"DROP INDEX {name}")
    print(f"dropped {len(indexes)} indexes and {len(fks)} foreign keys of the family and case tables for the load")
    load_family(
        centre,
        families=args.families,
        assistants=args.assistants,
        activities=args.activities,
        months=args.months,
        seed=args.seed,
        today=args.today,
    )
    connection.close()
    t1 = time.perf_counter()
    built = rebuild(args.database_url, indexes, fks, 2)
    t_index = time.perf_counter() - t1
    t2 = time.perf_counter()
    import psycopg

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        for table in [*tables, "accounts_user", "accounts_team", "accounts_user_teams"]:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    t_vacuum = time.perf_counter() - t2
    print(
        f"setup: persons {t_persons:.1f} s; indexes and foreign keys rebuilt ({len(built)}) {t_index:.1f} s; "
        f"vacuum analyze {t_vacuum:.1f} s; total {time.perf_counter() - t0:.1f} s"
    )


# --- measurement -----------------------------------------------------------------------------------


def summary(label: str, times: list[float], queries: list[int], extra: str = "") -> str:
    if not times:
        return f"{label:<58} not timed {extra}"
    q = f"{min(queries)}-{max(queries)}" if min(queries) != max(queries) else f"{queries[0]}"
    return (
        f"{label:<58}{len(times):>6}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}{max(times):>9.1f}"
        f"{q:>10}  {extra}"
    )


def header() -> str:
    return f"{'':<58}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>10}"


class CountQueries:
    """The queries run inside the block, counted by an execute wrapper (as CaptureQueriesContext would, without
    its bounded log: Django keeps the last 9,000 queries, and a full log counts nothing)."""

    def __enter__(self):
        from django.db import connection

        self.captured_queries: list[str] = []
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        return self

    def _count(self, execute, sql, params, many, context):
        self.captured_queries.append(sql)
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def timed_requests(client, subjects: list[tuple], label: str) -> tuple[list[str], dict]:
    """Per subject (user, url, size): one request counted (and warming), one timed. Lines to print."""
    first, second, queries, by_size, failed = [], [], [], [], {}
    for user, url, size in subjects:
        client.force_login(user)
        with CountQueries() as ctx:
            started = time.perf_counter()
            response = client.get(url)
            first.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            failed[response.status_code] = failed.get(response.status_code, 0) + 1
            first.pop()
            continue
        queries.append(len(ctx.captured_queries))
        by_size.append((size, len(ctx.captured_queries)))
        started = time.perf_counter()
        response = client.get(url)
        second.append((time.perf_counter() - started) * 1000)
    lines = [
        summary(f"{label}: first request (queries counted)", first, queries or [0]),
        summary(f"{label}: second request", second, queries or [0]),
    ]
    if failed:
        lines.append(f"  {label}: answered " + ", ".join(f"{code} x{n}" for code, n in failed.items()) + f" ({url})")
    if by_size:
        by_size.sort()
        lines.append(
            f"  queries by size: smallest subject ({by_size[0][0]:,}) {by_size[0][1]}, "
            f"largest ({by_size[-1][0]:,}) {by_size[-1][1]}"
        )
    return lines, {"p95": percentile(second, 95) if second else None}


def timed_calls(fn, subjects: list[tuple], label: str) -> list[str]:
    first, second, queries, by_size = [], [], [], []
    for args, size in subjects:
        with CountQueries() as ctx:
            started = time.perf_counter()
            fn(*args)
            first.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        by_size.append((size, len(ctx.captured_queries)))
        started = time.perf_counter()
        fn(*args)
        second.append((time.perf_counter() - started) * 1000)
    by_size.sort()
    return [
        summary(f"{label}: first call (queries counted)", first, queries),
        summary(f"{label}: second call", second, queries),
        f"  queries by size: smallest subject ({by_size[0][0]:,}) {by_size[0][1]}, "
        f"largest ({by_size[-1][0]:,}) {by_size[-1][1]}",
    ]


def measure(args) -> None:
    from django.conf import settings
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from socius.accounts.models import Centre, User
    from socius.accounts.roles import Role
    from socius.family.models import AssistantActivity, FamilyEnrolment, FamilyEvent

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    centre = Centre.objects.get(code=args.centre)
    today = args.today
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last full month
    rng = random.Random(f"{args.seed}-measure")
    n = args.requests
    counts = {
        "persons": centre.persons.count(),
        "enrolments": FamilyEnrolment.objects.filter(centre=centre).count(),
        "active": FamilyEnrolment.objects.filter(centre=centre, status="active").count(),
        "monitoring": FamilyEnrolment.objects.filter(centre=centre, status="monitoring").count(),
        "activities": AssistantActivity.objects.filter(centre=centre).count(),
        "family events": FamilyEvent.objects.filter(case__centre=centre).count(),
    }
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    assistants = list(
        User.objects.filter(centre=centre, role=Role.FAMILY_ASSISTANT)
        .annotate(active=Count("family_enrolments", filter=Q(family_enrolments__status="active")))
        .order_by("pk")
    )
    loads = [a.active for a in assistants]
    print(
        f"Assistants {len(assistants)}: active families min {min(loads)}, median {statistics.median(loads):g}, "
        f"max {max(loads)} (cap {CAP}); measured on {today}, timesheets of {month:%Y-%m}"
    )
    director = User.objects.get(username=f"{centre.code}-director")
    sample = rng.sample(assistants, min(n, len(assistants)))
    while len(sample) < n:
        sample.append(rng.choice(assistants))
    open_ = (
        FamilyEnrolment.objects.filter(centre=centre, status__in=["active", "monitoring"])
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .values_list("pk", "assistant_id", "n")
    )
    open_ = list(open_)
    enrolment_sample = open_[:10] + rng.sample(open_[10:], min(n - 10, len(open_) - 10))
    users = {u.pk: u for u in User.objects.filter(pk__in={a for _pk, a, _n in enrolment_sample})}

    before = calibrate(args.database_url)
    print(before.line("calibration before"), flush=True)
    client = Client()
    print(header())
    results = {}
    try:
        desk_url = reverse("web:family_desk")
    except NoReverseMatch:
        desk_url = None
    if desk_url:
        lines, results["desk"] = timed_requests(
            client, [(a, desk_url, a.active) for a in sample], "desk web:family_desk"
        )
        print("\n".join(lines), flush=True)
    else:
        print("desk web:family_desk: not in this tree (no URL)")
    try:
        reverse("web:family_enrolment", args=[1])
        subjects = [(users[a], reverse("web:family_enrolment", args=[pk]), size) for pk, a, size in enrolment_sample]
        lines, results["page"] = timed_requests(client, subjects, "family page web:family_enrolment")
        print("\n".join(lines), flush=True)
    except NoReverseMatch:
        print("family page web:family_enrolment: not in this tree (no URL)")
    try:
        from socius.family import selectors_support as sel
    except ImportError:
        sel = None
        print("socius.family.selectors_support: not in this tree")
    if sel is not None and hasattr(sel, "assistant_desk"):
        print(
            "\n".join(
                timed_calls(sel.assistant_desk, [((a, today), a.active) for a in sample], "selector assistant_desk")
            ),
            flush=True,
        )
    if sel is not None and hasattr(sel, "family_page"):
        enrolments = FamilyEnrolment.objects.in_bulk([pk for pk, _a, _n in enrolment_sample])
        subjects = [((users[a], enrolments[pk], today), size) for pk, a, size in enrolment_sample]
        print("\n".join(timed_calls(sel.family_page, subjects, "selector family_page")), flush=True)
    if sel is not None and hasattr(sel, "timesheets"):
        walls = []
        for _ in range(args.timesheet_runs):
            with CountQueries() as ctx:
                started = time.perf_counter()
                sheets = sel.timesheets(director, month)
                walls.append(time.perf_counter() - started)
        total = sum(s.total_minutes for s in sheets)
        print(
            f"timesheets(director, {month:%Y-%m}): {len(sheets)} timesheets, {total / 60:,.0f} hours; wall "
            + ", ".join(f"{w:.2f}" for w in walls)
            + f" s (median {statistics.median(walls):.2f} s); {len(ctx.captured_queries)} queries",
            flush=True,
        )
    try:
        pdf = reverse("web:family_timesheet_pdf")
    except NoReverseMatch:
        pdf = None
        print("timesheet PDF web:family_timesheet_pdf: not in this tree (no URL)")
    if pdf:
        busiest = max(sample, key=lambda a: a.active)
        url = f"{pdf}?month={month:%Y-%m}&assistant={busiest.pk}"
        client.force_login(director)
        times, size, status = [], 0, None
        with CountQueries() as ctx:
            response = client.get(url)
        status = response.status_code
        if status == 200:
            size = len(response.content)
            for _ in range(5):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            print(
                summary(
                    f"timesheet PDF of {busiest.username} (director)",
                    times,
                    [len(ctx.captured_queries)],
                    f"{size:,} bytes",
                )
            )
        else:
            print(f"timesheet PDF: answered {status} ({url})")
    after = calibrate(args.database_url)
    print(before.line("calibration before"))
    print(after.line("calibration after"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--families", type=int, default=20_000)
    parser.add_argument("--assistants", type=int, default=500)
    parser.add_argument("--activities", type=int, default=2_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--centre", default=CENTRE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="the day measured")
    parser.add_argument("--requests", type=int, default=200, help="subjects per page (one timed request each)")
    parser.add_argument("--timesheet-runs", type=int, default=3)
    parser.add_argument("--setup-only", action="store_true", help="load the database, keep it, and stop")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="keep the set-up database as <name>_setup and start from a copy of it when it exists",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/family_support.py needs PostgreSQL (COPY)")
    os.environ.pop("CELERY_BROKER_URL", None)
    name = args.database_url.rsplit("/", 1)[-1]
    if args.fresh:
        drop_database(args.database_url)
    t0 = time.perf_counter()
    loaded = False
    if args.snapshot and database_exists(args.database_url, snapshot_name(args.database_url)):
        copy_database(args.database_url, snapshot_name(args.database_url), name)
        print(f"setup copied from the snapshot {snapshot_name(args.database_url)} in {time.perf_counter() - t0:.1f} s")
        loaded = True
    elif database_exists(args.database_url):
        import psycopg

        with psycopg.connect(args.database_url) as conn:
            try:
                loaded = conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM family_familyenrolment e "
                    "JOIN accounts_centre c ON c.id = e.centre_id WHERE c.code = %s)",
                    [args.centre],
                ).fetchone()[0]
            except psycopg.errors.UndefinedTable:
                loaded = False
        if loaded:
            print(f"database {name} already loaded: measuring only (--fresh reloads)")
        else:
            drop_database(args.database_url)
    if not loaded:
        load(args)
        if args.snapshot:
            from django.db import connection

            connection.close()
            copy_database(args.database_url, name, snapshot_name(args.database_url))
            print(f"set-up kept as {snapshot_name(args.database_url)}")
    if args.setup_only:
        return
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    measure(args)


if __name__ == "__main__":
    main()
