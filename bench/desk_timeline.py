"""Server time of the worker's desk and of a household timeline, over synthetic casework in PostgreSQL.

    .venv/bin/python bench/desk_timeline.py --persons 1000000 --rows 5000000 --seed 1 \
        --database-url postgres://postgres@127.0.0.1:5432/socius_bench_scale --create-db

1. Persons in households: bench/synthetic.py (COPY), into centre `--centre` (skipped with --persons 0).
2. Casework on top, streamed with COPY, as a big city centre would have written it over `--years` years:
   social workers in teams by problem group (family, unemployment, disability, addictions, elderly), each
   team with a team leader, one case per `--households-per-case` households (a single person's case is
   often opened for the person), about 20% of them closed; per case an environmental interview, a help
   plan (goal, two actions), a social contract with an obligation, a referral for one case in five; and
   `--rows` contacts, home visits and social work activities (40/30/30). Everything the services write
   alongside is written too: case, plan and assessment timeline events with the services' data shapes,
   persons of contacts, visitors, participants, contract clients and (unless --no-audit) the audit rows.
   Days are generated in order, so ids follow time as in a live system. Already loaded casework is kept
   (step 2 is skipped when the centre has cases).
3. Requests through Django's test Client (full middleware, session of a worker with a typical caseload):
   the home page with the desk, GET /api/v1/desk/, the household timeline page and
   GET /api/v1/households/{id}/timeline/ for the worker's busiest household, the page of the worker's open
   case with the most timeline events and GET /api/v1/cases/{id}/timeline/; one warm-up, then `--requests`
   timed runs each; p50/p95 in milliseconds and the number of queries per request. Skipped with --load-only.
Synthetic data only. Nothing asserts a time: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)
from bench.synthetic import _weighted, rebuild, secondary_objects  # noqa: E402  (the registry loader's helpers)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_bench_desk"
CASES_PER_WORKER = 96  # open and closed; with ~20% closed, about 77 open cases each
FLUSH_LINES = 100_000  # COPY lines handed to the writer at a time
N = "\\N"  # NULL in COPY text

# --- what the centre's work looks like -------------------------------------------------------------

# Problem groups of the teams, with the qualifying circumstances of their cases (code, probability) and texts.
GROUPS: dict[str, dict] = {
    "family": {
        "team": "Zespół ds. pomocy rodzinie",
        "circumstances": (("poverty", 0.8), ("care_helplessness", 0.6), ("maternity_large_family", 0.2),
                          ("domestic_violence", 0.06)),
        "topics": ("family_child", "benefits_information", "cash_benefit_application", "housing"),
        "goal": "Poprawa funkcjonowania opiekuńczo-wychowawczego rodziny",
        "actions": (("social_work", "worker", "", "Konsultacje wychowawcze z rodzicami raz w miesiącu"),
                    ("service", "partner", "Poradnia Psychologiczno-Pedagogiczna", "Diagnoza i terapia dziecka")),
        "obligation": "Regularne posyłanie dzieci do szkoły i udział w konsultacjach",
        "contract": ("Trudności opiekuńczo-wychowawcze, niskie dochody", "Więzi rodzinne, gotowość do zmiany",
                     "Brak stałego zatrudnienia", "Poprawa opieki nad dziećmi"),
        "partners": ("school", "court_curator", "health_service", "court", "police"),
    },
    "unemployment": {
        "team": "Zespół ds. aktywizacji zawodowej",
        "circumstances": (("unemployment", 1.0), ("poverty", 0.7)),
        "topics": ("employment", "benefits_information", "cash_benefit_application", "documents"),
        "goal": "Podjęcie zatrudnienia",
        "actions": (("referral", "partner", "Powiatowy Urząd Pracy", "Rejestracja w urzędzie pracy i szkolenie"),
                    ("social_work", "client", "", "Poszukiwanie pracy i udział w klubie pracy")),
        "obligation": "Zarejestrowanie się w urzędzie pracy i poszukiwanie zatrudnienia",
        "contract": ("Długotrwałe bezrobocie", "Doświadczenie zawodowe, dobra motywacja",
                     "Brak kwalifikacji", "Podjęcie pracy"),
        "partners": ("labour_office", "ngo"),
    },
    "disability": {
        "team": "Zespół ds. osób z niepełnosprawnościami",
        "circumstances": (("disability", 1.0), ("long_illness", 0.5), ("poverty", 0.4)),
        "topics": ("disability", "health", "benefits_information", "cash_benefit_application"),
        "goal": "Zapewnienie usług opiekuńczych i rehabilitacji",
        "actions": (("service", "worker", "", "Przyznanie usług opiekuńczych w miejscu zamieszkania"),
                    ("financial", "worker", "", "Zasiłek celowy na leki i rehabilitację")),
        "obligation": "Udział w rehabilitacji i regularne wizyty lekarskie",
        "contract": ("Niepełnosprawność, długotrwała choroba", "Wsparcie rodziny",
                     "Ograniczona samodzielność", "Utrzymanie samodzielności"),
        "partners": ("health_service", "other", "ngo"),
    },
    "addictions": {
        "team": "Zespół ds. przeciwdziałania uzależnieniom",
        "circumstances": (("addiction", 1.0), ("poverty", 0.5), ("domestic_violence", 0.1), ("homelessness", 0.1)),
        "topics": ("health", "violence", "housing", "benefits_information"),
        "goal": "Podjęcie i kontynuowanie leczenia odwykowego",
        "actions": (("referral", "partner", "Poradnia Terapii Uzależnień", "Podjęcie terapii w poradni"),
                    ("social_work", "client", "", "Udział w grupie wsparcia")),
        "obligation": "Utrzymanie abstynencji i udział w terapii",
        "contract": ("Uzależnienie od alkoholu", "Wcześniejsze okresy abstynencji",
                     "Nawroty, konflikty w rodzinie", "Ukończenie terapii"),
        "partners": ("health_service", "police", "court"),
    },
    "elderly": {
        "team": "Zespół ds. osób starszych",
        "circumstances": (("long_illness", 0.7), ("disability", 0.4), ("poverty", 0.4)),
        "topics": ("elderly_care", "health", "benefits_information", "documents"),
        "goal": "Zapewnienie opieki i bezpieczeństwa w miejscu zamieszkania",
        "actions": (("service", "worker", "", "Usługi opiekuńcze dwie godziny dziennie"),
                    ("material", "worker", "", "Pomoc rzeczowa: opał na zimę")),
        "obligation": "Współpraca z opiekunką i przyjmowanie leków",
        "contract": ("Wiek, choroby przewlekłe, samotność", "Dobre relacje z sąsiadami",
                     "Niska emerytura", "Bezpieczne życie w domu"),
        "partners": ("ngo", "health_service", "other"),
    },
}  # fmt: skip
PARTNERS = (
    ("Szkoła Podstawowa nr 12", "school"), ("Szkoła Podstawowa nr 45", "school"),
    ("Zespół Szkół Zawodowych nr 3", "school"), ("Komenda Rejonowa Policji I", "police"),
    ("Komisariat Policji Śródmieście", "police"), ("Poradnia Zdrowia Psychicznego", "health_service"),
    ("Poradnia Terapii Uzależnień", "health_service"), ("Szpital Miejski, oddział geriatryczny", "health_service"),
    ("Poradnia Psychologiczno-Pedagogiczna nr 2", "health_service"),
    ("Sąd Rejonowy, Wydział Rodzinny i Nieletnich", "court"), ("Zespół Kuratorskiej Służby Sądowej", "court_curator"),
    ("Powiatowy Urząd Pracy", "labour_office"), ("Centrum Aktywizacji Zawodowej", "labour_office"),
    ("Stowarzyszenie Nadzieja", "ngo"), ("Fundacja Pomocy Seniorom", "ngo"), ("Bank Żywności", "ngo"),
    ("Caritas, punkt pomocy", "ngo"), ("Ośrodek Interwencji Kryzysowej", "other_centre"),
    ("Dom Pomocy Społecznej", "other"), ("Środowiskowy Dom Samopomocy", "other"),
)  # fmt: skip
REFERRAL_REASONS = {
    "school": "Opinia o sytuacji szkolnej dziecka", "police": "Informacja o interwencjach domowych",
    "health_service": "Konsultacja i leczenie", "court": "Wniosek o wgląd w sytuację rodziny",
    "court_curator": "Współpraca w nadzorze kuratorskim", "labour_office": "Aktywizacja zawodowa",
    "ngo": "Wsparcie rzeczowe i doradcze", "other_centre": "Interwencja kryzysowa", "other": "Usługi specjalistyczne",
}  # fmt: skip
VISIT_PURPOSES = (
    "Aktualizacja wywiadu środowiskowego", "Monitorowanie realizacji planu pomocy", "Wizyta kontrolna",
    "Ocena warunków mieszkaniowych", "Rozmowa wspierająca z rodziną", "Sprawdzenie realizacji kontraktu",
    "Pomoc w sprawach urzędowych", "",
)  # fmt: skip
VISIT_OUTCOMES = (
    "Rodzina współpracuje, plan jest realizowany.", "Warunki mieszkaniowe bez zmian.",
    "Ustalono kolejne kroki z klientem.", "Klient nieobecny, pozostawiono zawiadomienie.",
    "Omówiono sytuację finansową rodziny.", "Przekazano informacje o dostępnych formach pomocy.",
)  # fmt: skip
CANCEL_REASONS = ("Klient w szpitalu", "Zmiana terminu na prośbę klienta", "Choroba pracownika", "")
SUSPEND_REASONS = ("Pobyt w szpitalu", "Pobyt w zakładzie karnym", "Długotrwały wyjazd")
CLOSURE_REASONS = (
    ("goals_achieved", 35), ("no_longer_eligible", 25), ("moved_away", 15), ("refused_cooperation", 10),
    ("transferred", 8), ("died", 7),
)  # fmt: skip
ACTIVITY_TYPES = (
    ("information", 25), ("guidance", 20), ("counselling", 15), ("supportive_conversation", 25),
    ("negotiation_mediation", 5), ("advocacy", 6), ("corrective_services", 4),
)  # fmt: skip
ACTIVITY_MINUTES = ((15, 20), (30, 35), (45, 15), (60, 20), (90, 7), (120, 3))
ACTIVITY_NOTES = ("", "", "Rozmowa o sytuacji rodziny.", "Omówiono postępy w realizacji planu.",
                  "Pomoc w przygotowaniu dokumentów.")  # fmt: skip
CHANNELS = (("office", 45), ("phone", 35), ("home", 8), ("outreach", 4), ("email", 6), ("letter", 2))
OUTCOMES = ((("information_given",), 55), (("application_taken",), 15), (("information_given", "referral"), 5),
            (("application_taken", "information_given"), 10), ((), 15))  # fmt: skip
CONTACT_NOTES = ("", "", "", "Pytanie o zasiłek okresowy", "Zgłoszenie trudnej sytuacji mieszkaniowej",
                 "Prośba o pomoc w wypełnieniu wniosku", "Informacja o terminie wizyty")  # fmt: skip
STAFF_FIRST = ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Ewa", "Barbara", "Marta",
               "Aleksandra", "Justyna", "Dorota", "Beata", "Paulina", "Tomasz", "Piotr", "Marcin", "Paweł")  # fmt: skip
STAFF_LAST = ("Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król",
              "Wieczorek", "Jabłońska", "Majewska", "Olszewska", "Stępień", "Malinowska", "Dudek")  # fmt: skip

# COPY targets: key -> (model path, field names in the order the generator writes them).
TABLES = {
    "case": ("casework.Case", ("id", "created_at", "updated_at", "centre", "year", "number", "reference",
             "household", "person", "circumstances", "assigned_worker", "team", "status", "closure_reason",
             "opened_on", "closed_on", "notes", "created_by")),
    "contact": ("casework.Contact", ("id", "created_at", "updated_at", "centre", "occurred_at", "channel",
                "household", "topics", "outcomes", "notes", "handled_by", "created_by")),
    "contact_persons": ("casework.Contact.persons", ("id", "contact", "person")),
    "visit": ("casework.HomeVisit", ("id", "created_at", "updated_at", "case", "planned_on", "done_on", "status",
              "place", "purpose", "outcome", "cancel_reason", "next_visit", "created_by")),
    "visit_visitors": ("casework.HomeVisit.visitors", ("id", "homevisit", "user")),
    "activity": ("casework.SocialWorkActivity", ("id", "created_at", "updated_at", "case", "type", "performed_on",
                 "duration_minutes", "performed_by", "notes", "created_by")),
    "activity_participants": ("casework.SocialWorkActivity.participants", ("id", "socialworkactivity", "person")),
    "assessment": ("assessments.Assessment", ("id", "created_at", "updated_at", "case", "instrument_code",
                   "instrument_version", "kind", "status", "answers", "need_identified_on", "urgent",
                   "permanent_help", "due_on", "completed_on", "signed_on", "renewal_due_on", "diagnosis",
                   "conclusions", "created_by")),
    "assessment_event": ("assessments.AssessmentEvent", ("id", "assessment", "case", "at", "actor", "kind", "data")),
    "plan": ("plans.HelpPlan", ("id", "case", "title", "status", "valid_from", "review_on", "outcome", "assessment",
             "created_by", "created_at")),
    "goal": ("plans.Goal", ("id", "plan", "description", "order")),
    "action": ("plans.PlanAction", ("id", "goal", "kind", "description", "responsible", "partner_name", "due_on",
               "status", "outcome")),
    "contract": ("plans.SocialContract", ("id", "case", "variant", "worker", "causes", "strengths", "limitations",
                 "goals", "valid_from", "valid_until", "evaluation", "status", "signed_on", "ended_on",
                 "end_reasons", "consequence", "created_by", "created_at")),
    "contract_clients": ("plans.SocialContract.clients", ("id", "socialcontract", "person")),
    "obligation": ("plans.Obligation", ("id", "contract", "party", "description", "due_on", "is_done")),
    "referral": ("casework.Referral", ("id", "created_at", "updated_at", "centre", "case", "direction", "partner",
                 "reason", "documents", "sent_on", "response_due_on", "status", "outcome", "answered_on",
                 "closed_on", "created_by")),
    "case_event": ("casework.CaseEvent", ("id", "case", "at", "actor", "kind", "data")),
    "plan_event": ("plans.PlanEvent", ("id", "case", "at", "actor", "kind", "data")),
    "audit": ("accounts.AuditEvent", ("id", "at", "actor", "actor_username", "centre", "action", "object_type",
              "object_id", "person_id", "changes", "ip", "channel")),
}  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def load_persons(args) -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "synthetic.py"),
        "--jurisdiction",
        "PL",
        "--persons",
        str(args.persons),
        "--centre",
        args.centre,
        "--database-url",
        args.database_url,
        "--seed",
        str(args.seed),
    ]
    if args.create_db:
        command.append("--create-db")
    subprocess.run(command, check=True)


# --- tables ----------------------------------------------------------------------------------------


def esc(text: str) -> str:
    """A value for COPY text format (JSON may carry backslashes)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def js(value) -> str:
    return esc(json.dumps(value, ensure_ascii=False))


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


def _quoted(column: str) -> str:
    return '"' + column + '"'  # e.g. Goal.order


class Writer(threading.Thread):
    """Streams the generator's batches with COPY on its own connection, one transaction per batch, tables
    in foreign key order; the generator goes on with the next batch meanwhile (the other core)."""

    def __init__(self, conninfo: str, specs: dict):
        super().__init__(daemon=True)
        self.conninfo = conninfo
        self.sql = {
            key: f"COPY {table} ({', '.join(_quoted(c) for c in columns)}) FROM STDIN"
            for key, (table, columns) in specs.items()
        }
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.stats = {key: [0, 0.0] for key in specs}
        self.error: BaseException | None = None

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.conninfo) as conn:
                conn.execute("SET synchronous_commit = off")
                conn.commit()
                while (batch := self.queue.get()) is not None:
                    with conn.transaction(), conn.cursor() as cur:
                        for key, sql in self.sql.items():
                            lines = batch.get(key)
                            if not lines:
                                continue
                            started = time.perf_counter()
                            with cur.copy(sql) as copy:
                                copy.write("".join(lines))
                            stat = self.stats[key]
                            stat[0] += len(lines)
                            stat[1] += time.perf_counter() - started
        except BaseException as exc:  # handed to the generator, which stops
            self.error = exc
            while True:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    break

    def finish(self) -> None:
        while self.is_alive():
            try:
                self.queue.put(None, timeout=1)
                break
            except queue.Full:
                continue
        self.join()

    def put(self, batch) -> None:
        while True:
            if self.error is not None:
                raise RuntimeError(f"COPY failed: {self.error}") from self.error
            try:
                self.queue.put(batch, timeout=1)
                return
            except queue.Full:
                continue


# --- households of the centre ----------------------------------------------------------------------


class Households:
    """Current members of every household of the centre, in flat arrays (a million persons in ~40 MB)."""

    def __init__(self, conninfo: str, centre_id: int):
        import psycopg

        from socius.registry.models import Household, Membership, Person

        self.ids = array("q")
        self.start = array("q")
        self.person = array("q")
        self.birth = array("l")  # date ordinals
        self.since = array("l")
        sql = (
            f"SELECT m.household_id, m.person_id, p.birth_date, m.valid_from FROM {Membership._meta.db_table} m "
            f"JOIN {Household._meta.db_table} h ON h.id = m.household_id "
            f"JOIN {Person._meta.db_table} p ON p.id = m.person_id "
            "WHERE h.centre_id = %s AND m.valid_until IS NULL ORDER BY m.household_id, m.person_id"
        )
        last = None
        with psycopg.connect(conninfo) as conn, conn.cursor(name="bench_members") as cur:
            cur.itersize = 50_000
            cur.execute(sql, [centre_id])
            for household_id, person_id, birth, since in cur:
                if household_id != last:
                    self.ids.append(household_id)
                    self.start.append(len(self.person))
                    last = household_id
                self.person.append(person_id)
                self.birth.append(birth.toordinal())
                self.since.append(since.toordinal())
        self.start.append(len(self.person))
        # The day the household began: the first day one of its current members lived in it.
        since = self.since
        self.earliest = array("l", (min(since[self.start[h] : self.start[h + 1]]) for h in range(len(self.ids))))

    def __len__(self) -> int:
        return len(self.ids)

    def members(self, h: int) -> range:
        return range(self.start[h], self.start[h + 1])

    def present(self, h: int, day: int) -> list[int]:
        """Indexes of the members living in household `h` on `day` (memberships are open-ended)."""
        since = self.since
        return [m for m in range(self.start[h], self.start[h + 1]) if since[m] <= day]


# --- the generator ---------------------------------------------------------------------------------


class Case:
    __slots__ = (
        "act_m", "activated", "assessment_done_m", "assessment_id", "circumstances", "close_m", "closed", "group",
        "h", "head_name", "household_id", "id", "idx", "number", "open_m", "opened", "person_id", "place", "reason",
        "reference", "susp_m", "suspended", "team_id", "updated_m", "worker", "year",
    )  # fmt: skip


class Generator:
    """Writes the centre's casework day by day, from `first_day` to today, as COPY lines per table.

    Moments are ints: day ordinal * 86400 + second of the day (Europe/Warsaw wall time). Work that a service
    would write later (a visit done, a contract signed) is scheduled on its day, so that each table's ids
    and physical order follow time as in a live system.
    """

    def __init__(self, args, centre, specs, writer: Writer, households: Households, rules, today: dt.date, now_m: int):
        from zoneinfo import ZoneInfo

        from django.conf import settings

        self.centre_id = centre.pk
        self.writer = writer
        self.hh = households
        self.rules = rules
        self.rng = random.Random(f"{args.seed}-casework")
        self.today = today.toordinal()
        self.now_m = now_m
        self.first_day = self.today - int(args.years * 365.25)
        self.audit_on = args.audit
        self.out: dict[str, list[str]] = {key: [] for key in specs}
        self.pending = 0
        self.next_id: dict[str, int] = {}
        self.first_id: dict[str, int] = {}
        self.later: dict[int, list] = {}
        self.day = self.first_day
        tz = ZoneInfo(settings.TIME_ZONE)
        # Date text and UTC offset of every day the data may name (up to two years ahead for due dates).
        self.base = self.first_day - 400
        self.iso: list[str] = []
        self.offset: list[str] = []
        for ordinal in range(self.base, self.today + 800):
            day = dt.date.fromordinal(ordinal)
            self.iso.append(day.isoformat())
            z = dt.datetime.combine(day, dt.time(12), tzinfo=tz).strftime("%z")
            self.offset.append(f"{z[:3]}:{z[3:]}")
        self.workers: list[tuple[int, str, int]] = []  # (user id, username, team id)
        self.team_workers: dict[int, list[int]] = {}  # team id -> indexes into workers
        self.ip: list[str] = []
        self.partners: dict[str, list[tuple[int, str]]] = {}

    # helpers

    def stamp(self, m: int) -> str:
        day, sec = divmod(m, 86400)
        i = day - self.base
        return f"{self.iso[i]} {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}{self.offset[i]}"

    def stamp_t(self, m: int) -> str:
        day, sec = divmod(m, 86400)
        i = day - self.base
        return f"{self.iso[i]}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}{self.offset[i]}"

    def d(self, day: int) -> str:
        return self.iso[day - self.base]

    def at(self, day: int, from_h: float = 8, to_h: float = 16) -> int:
        """A moment on `day` between the hours, never after now."""
        m = day * 86400 + int((from_h + self.rng.random() * (to_h - from_h)) * 3600)
        return min(m, self.now_m)

    def new_id(self, key: str) -> int:
        i = self.next_id[key]
        self.next_id[key] = i + 1
        return i

    def emit(self, key: str, line: str) -> None:
        self.out[key].append(line)
        self.pending += 1

    def schedule(self, day: int, fn, *args) -> None:
        if day < self.day:
            raise AssertionError(f"task scheduled in the past: {fn.__name__} on {day} < {self.day}")
        self.later.setdefault(day, []).append((fn, args))

    def case_event(self, c: Case, m: int, actor: int, kind: str, data: str) -> None:
        i = self.new_id("case_event")
        self.emit("case_event", f"{i}\t{c.id}\t{self.stamp(m)}\t{actor}\t{kind}\t{data}\n")

    def plan_event(self, c: Case, m: int, actor: int, kind: str, data: str) -> None:
        i = self.new_id("plan_event")
        self.emit("plan_event", f"{i}\t{c.id}\t{self.stamp(m)}\t{actor}\t{kind}\t{data}\n")

    def audit(self, m: int, worker: int, action: str, object_type: str, object_id: int, person_id, changes: str):
        if not self.audit_on:
            return
        user_id, username, _team = self.workers[worker]
        i = self.new_id("audit")
        person = N if person_id is None else person_id
        self.emit(
            "audit",
            f"{i}\t{self.stamp(m)}\t{user_id}\t{username}\t{self.centre_id}\t{action}\t{object_type}\t{object_id}\t"
            f"{person}\t{changes}\t{self.ip[worker]}\tweb\n",
        )

    def flush(self) -> None:
        if self.pending:
            self.writer.put(self.out)
            self.out = {key: [] for key in self.out}
            self.pending = 0

    def colleague(self, worker: int) -> int:
        mates = self.team_workers[self.workers[worker][2]]
        return mates[int(self.rng.random() * len(mates))] if len(mates) > 1 else worker

    # the run

    def run(self, cases: list[Case], visits: array, activities: array, contacts: array) -> None:
        vi = ai = ci = ki = 0
        for day in range(self.first_day, self.today + 1):
            self.day = day
            while ki < len(cases) and cases[ki].opened == day:
                self.open_case(cases[ki])
                ki += 1
            self.run_tasks(day)
            while vi < len(visits) and visits[vi] >> 42 == day - self.base:
                key = visits[vi]
                self.visit(cases[key & 0x1FFFFF], day, (key >> 21 & 0x1FFFFF) + self.base)
                vi += 1
            while ai < len(activities) and activities[ai] >> 42 == day - self.base:
                key = activities[ai]
                self.activity(cases[key & 0x1FFFFF], day, (key >> 21 & 0x1FFFFF) + self.base)
                ai += 1
            while ci < len(contacts) and contacts[ci] >> 42 == day - self.base:
                key = contacts[ci]
                self.contact(cases, day, key >> 40 & 3, key & 0xFFFFFFFFFF)
                ci += 1
            self.run_tasks(day)
            if self.pending >= FLUSH_LINES:
                self.flush()
        if self.later:
            raise AssertionError(f"tasks left after today: {sorted(self.later)[:5]}")
        self.flush()

    def run_tasks(self, day: int) -> None:
        while tasks := self.later.pop(day, None):
            for fn, args in tasks:
                fn(*args)

    # cases

    def open_case(self, c: Case) -> None:
        w = c.worker
        user_id = self.workers[w][0]
        circumstances = json.dumps(c.circumstances)
        self.emit(
            "case",
            f"{c.id}\t{self.stamp(c.open_m)}\t{self.stamp(c.updated_m)}\t{self.centre_id}\t{c.year}\t{c.number}\t"
            f"{c.reference}\t{c.household_id or N}\t{c.person_id or N}\t{circumstances}\t{user_id}\t{c.team_id}\t"
            f"{self.final_status(c)}\t{c.reason}\t{self.d(c.opened)}\t{self.d(c.closed) if c.closed else N}\t\t"
            f"{user_id}\n",
        )
        opened_on = self.d(c.opened)
        self.case_event(
            c,
            c.open_m,
            user_id,
            "opened",
            f'{{"reference": "{c.reference}", "circumstances": {circumstances}, "assigned_worker": {user_id}, '
            f'"team": {c.team_id}, "opened_on": "{opened_on}"}}',
        )
        changes = {"reference": [None, c.reference]}
        if c.household_id:
            changes["household"] = [None, c.household_id]
        if c.person_id:
            changes["person"] = [None, c.person_id]
        changes.update(
            circumstances=[None, c.circumstances],
            assigned_worker=[None, user_id],
            team=[None, c.team_id],
            status=[None, "opened"],
            opened_on=[None, opened_on],
        )
        self.audit(c.open_m, w, "create", "case", c.id, c.person_id, js(changes))
        rng = self.rng
        if c.activated:
            self.schedule(c.activated, self.case_status, c, c.act_m, "opened", "active", None)
        if c.suspended:
            self.schedule(c.suspended, self.case_status, c, c.susp_m, "active", "suspended", None)
        if c.closed:
            self.schedule(c.closed, self.case_status, c, c.close_m, "active", "closed", c.reason)
        start = min(c.opened + int(rng.random() * 3), self.today)
        self.schedule(start, self.start_assessment, c, max(self.at(start, 10, 15), c.open_m + 600))
        plan_day = c.opened + 7 + int(rng.random() * 24)
        if self.workable(c, plan_day):
            self.schedule(plan_day, self.create_plan, c, self.at(plan_day, 10, 15))
        if c.idx % 5 == 0:
            sent = c.opened + 5 + int(rng.random() * 56)
            if self.workable(c, sent):
                self.schedule(sent, self.send_referral, c, self.at(sent, 10, 15))

    def final_status(self, c: Case) -> str:
        if c.closed:
            return "closed"
        if c.suspended:
            return "suspended"
        return "active" if c.activated else "opened"

    def later_moment(self, c: Case, after: int, day: int) -> int:
        """A working-hours moment on `day`, after `after`, while the case is open and not after now; else 0."""
        if day > self.today:
            return 0
        m = max(self.at(day, 9, 16), after + 600)
        return m if self.before_close(c, m) else 0

    def workable(self, c: Case, day: int) -> bool:
        """The case is open on `day` (a closed case takes nothing after the day it is closed)."""
        return day <= self.today and (not c.closed or day <= c.closed)

    def before_close(self, c: Case, m: int) -> bool:
        return m <= self.now_m and (not c.closed or m < c.close_m)

    def case_status(self, c: Case, m: int, from_status: str, to_status: str, reason) -> None:
        user_id = self.workers[c.worker][0]
        on = self.d(m // 86400)
        changes = {"status": [from_status, to_status]}
        if to_status == "closed":
            data = f'{{"from": "{from_status}", "to": "closed", "on": "{on}", "closure_reason": "{reason}"}}'
            changes.update(closure_reason=["", reason], closed_on=[None, on])
        elif to_status == "suspended":
            why = SUSPEND_REASONS[int(self.rng.random() * len(SUSPEND_REASONS))]
            data = f'{{"from": "{from_status}", "to": "{to_status}", "on": "{on}", "reason": "{why}"}}'
        else:
            data = f'{{"from": "{from_status}", "to": "{to_status}", "on": "{on}"}}'
        self.case_event(c, m, user_id, "status_changed", data)
        self.audit(m, c.worker, "update", "case", c.id, c.person_id, js(changes))

    # assessments (the environmental interview)

    def start_assessment(self, c: Case, m: int) -> None:
        rng, g = self.rng, self.rules
        i = self.new_id("assessment")
        w = c.worker
        user_id = self.workers[w][0]
        day = m // 86400
        urgent = rng.random() < 0.05
        permanent = rng.random() < 0.12
        need = c.opened
        due = g.due_on(need, urgent)
        # Answers saved a few days after the start, completed before the deadline (mostly), then signed.
        saved_m = self.later_moment(c, m, day + 1 + int(rng.random() * (2 if urgent else 5)))
        late = 0 if urgent else 2 + int(rng.random() * (10 if rng.random() < 0.9 else 20))
        done_m = self.later_moment(c, saved_m, saved_m // 86400 + late) if saved_m else 0
        sign_m = self.later_moment(c, done_m, done_m // 86400 + int(rng.random() * 6)) if done_m else 0
        sign_m = sign_m if rng.random() < 0.9 else 0
        done_day, sign_day = done_m // 86400, sign_m // 86400
        renewal = g.renewal_due_on(done_day, permanent) if done_m else None
        status = "signed" if sign_m else "completed" if done_m else "draft"
        c.assessment_id, c.assessment_done_m = i, done_m
        answers, changed = g.answers(c, self.hh, saved_m // 86400, rng) if saved_m else ({}, [])
        group = GROUPS[c.group]
        diagnosis = f"Sytuacja: {group['contract'][0].lower()}." if saved_m else ""
        conclusions = f"Cel: {group['goal'].lower()}." if saved_m else ""
        updated = max(m, saved_m, done_m, sign_m)
        self.emit(
            "assessment",
            f"{i}\t{self.stamp(m)}\t{self.stamp(updated)}\t{c.id}\t{g.instrument.code}\t{g.instrument.version}\t"
            f"initial\t{status}\t{js(answers)}\t{self.d(need)}\t{'t' if urgent else 'f'}\t"
            f"{'t' if permanent else 'f'}\t{self.d(due) if due else N}\t{self.d(done_day) if done_m else N}\t"
            f"{self.d(sign_day) if sign_m else N}\t{self.d(renewal) if renewal else N}\t{diagnosis}\t{conclusions}\t"
            f"{user_id}\n",
        )
        data = {
            "instrument": g.instrument.code,
            "version": g.instrument.version,
            "kind": "initial",
            "due_on": self.d(due) if due else None,
        }
        self.assessment_event(i, c, m, user_id, "started", js(data))
        audit = {
            **data,
            "case": c.id,
            "need_identified_on": self.d(need),
            "urgent": urgent,
            "permanent_help": permanent,
        }
        self.audit(m, w, "create", "assessment", i, c.person_id, js(audit))
        if saved_m:
            saved = js({"changed": changed, "diagnosis": True, "conclusions": True})
            self.schedule(saved_m // 86400, self.assessment_step, c, i, saved_m, "draft_saved", saved, saved)
        if done_m:
            on, ren = self.d(done_day), (self.d(renewal) if renewal else None)
            data = js({"on": on, "renewal_due_on": ren})
            changes = js({"status": ["draft", "completed"], "completed_on": [None, on], "renewal_due_on": [None, ren]})
            self.schedule(done_m // 86400, self.assessment_step, c, i, done_m, "completed", data, changes)
        if sign_m:
            on = self.d(sign_day)
            changes = js({"status": ["completed", "signed"], "signed_on": [None, on]})
            self.schedule(sign_m // 86400, self.assessment_step, c, i, sign_m, "signed", f'{{"on": "{on}"}}', changes)

    def assessment_event(self, assessment_id: int, c: Case, m: int, actor: int, kind: str, data: str) -> None:
        i = self.new_id("assessment_event")
        self.emit("assessment_event", f"{i}\t{assessment_id}\t{c.id}\t{self.stamp(m)}\t{actor}\t{kind}\t{data}\n")

    def assessment_step(self, c: Case, assessment_id: int, m: int, kind: str, data: str, changes: str) -> None:
        self.assessment_event(assessment_id, c, m, self.workers[c.worker][0], kind, data)
        self.audit(m, c.worker, "update", "assessment", assessment_id, c.person_id, changes)

    # help plans

    def create_plan(self, c: Case, m: int) -> None:
        rng = self.rng
        w = c.worker
        user_id = self.workers[w][0]
        group = GROUPS[c.group]
        day = m // 86400
        plan_id, goal_id = self.new_id("plan"), self.new_id("goal")
        title = "Indywidualny plan pomocy"
        review = day + 180
        active_day = day + int(rng.random() * 4)
        active_m = self.at(active_day, 12, 16) if self.workable(c, active_day) else 0
        active_m = active_m if active_m > m + 300 and self.before_close(c, active_m) else 0
        complete_m = c.close_m - 600 if c.closed and active_m and c.close_m - 600 > active_m else 0
        status = "completed" if complete_m else "active" if active_m else "draft"
        outcome = "Sprawa zakończona, cele planu omówione z klientem." if complete_m else ""
        # Based on the case's latest completed interview, as the service does by default.
        basis = c.assessment_id if c.assessment_done_m and c.assessment_done_m < m else None
        self.emit(
            "plan",
            f"{plan_id}\t{c.id}\t{title}\t{status}\t{self.d(day)}\t{self.d(review)}\t{outcome}\t{basis or N}\t"
            f"{user_id}\t{self.stamp(m)}\n",
        )
        self.emit("goal", f"{goal_id}\t{plan_id}\t{group['goal']}\t1\n")
        self.plan_event(c, m, user_id, "plan_created", js({"plan": plan_id, "title": title, "assessment": basis}))
        changes = {"case": [None, c.id], "title": [None, title], "status": [None, "draft"]}
        changes.update(valid_from=[None, self.d(day)], review_on=[None, self.d(review)])
        if basis:
            changes["assessment"] = [None, basis]
        self.audit(m, w, "create", "help_plan", plan_id, c.person_id, js(changes))
        self.plan_event(c, m + 60, user_id, "goal_added", f'{{"plan": {plan_id}, "goal": {goal_id}}}')
        self.audit(m + 60, w, "update", "help_plan", plan_id, c.person_id, f'{{"goals": [null, {goal_id}]}}')
        for n, (kind, responsible, partner, description) in enumerate(group["actions"]):
            action_id = self.new_id("action")
            due = day + 14 + int(rng.random() * 166)
            status, moves = "planned", []
            if active_m:
                # Past their due date most actions are done (some after a while in progress), a few dropped or
                # still open; before it, some are in progress.
                x = rng.random()
                if due < self.today - 7:
                    path = (("done",) if x < 0.7 else ("in_progress", "done") if x < 0.85 else ("dropped",) if
                            x < 0.9 else ("in_progress",) if x < 0.95 else ())  # fmt: skip
                else:
                    path = ("in_progress",) if x < 0.3 else ()
                previous, when = "planned", active_m
                for to in path:
                    target = (
                        day + 3 + int(rng.random() * 10) if to == "in_progress" else due - 20 + int(rng.random() * 24)
                    )
                    move_m = self.later_moment(c, when, max(target, when // 86400))
                    if not move_m or (complete_m and move_m >= complete_m):
                        break
                    moves.append((move_m, previous, to))
                    previous, when, status = to, move_m, to
            self.emit(
                "action",
                f"{action_id}\t{goal_id}\t{kind}\t{description}\t{responsible}\t{partner}\t{self.d(due)}\t{status}\t\n",
            )
            at = m + 120 + 60 * n
            data = f'{{"plan": {plan_id}, "goal": {goal_id}, "action": {action_id}}}'
            self.plan_event(c, at, user_id, "action_added", data)
            self.audit(at, w, "update", "help_plan", plan_id, c.person_id, f'{{"actions": [null, {action_id}]}}')
            for move_m, previous, to in moves:
                self.schedule(move_m // 86400, self.action_status, c, plan_id, action_id, move_m, previous, to)
        if active_m:
            self.schedule(active_m // 86400, self.plan_status, c, plan_id, active_m, "draft", "active", "")
        if complete_m:
            self.schedule(complete_m // 86400, self.plan_status, c, plan_id, complete_m, "active", "completed", outcome)
        contract_day = day + int(rng.random() * 11)
        contract_m = self.at(contract_day, 10, 15) if self.workable(c, contract_day) else 0
        if contract_m > m + 300 and self.before_close(c, contract_m):
            self.schedule(contract_day, self.draft_contract, c, contract_m)

    def plan_status(self, c: Case, plan_id: int, m: int, from_status: str, to_status: str, outcome: str) -> None:
        data = f'{{"plan": {plan_id}, "from": "{from_status}", "to": "{to_status}"}}'
        self.plan_event(c, m, self.workers[c.worker][0], "plan_status", data)
        changes = {"status": [from_status, to_status]}
        if outcome:
            changes["outcome"] = ["", outcome]
        self.audit(m, c.worker, "update", "help_plan", plan_id, c.person_id, js(changes))

    def action_status(self, c: Case, plan_id: int, action_id: int, m: int, from_status: str, to_status: str):
        data = f'{{"plan": {plan_id}, "action": {action_id}, "from": "{from_status}", "to": "{to_status}"}}'
        self.plan_event(c, m, self.workers[c.worker][0], "action_status", data)
        changes = f'{{"action:{action_id}:status": ["{from_status}", "{to_status}"]}}'
        self.audit(m, c.worker, "update", "help_plan", plan_id, c.person_id, changes)

    # social contracts

    def draft_contract(self, c: Case, m: int) -> None:
        rng = self.rng
        w = c.worker
        user_id = self.workers[w][0]
        group = GROUPS[c.group]
        day = m // 86400
        contract_id, obligation_id = self.new_id("contract"), self.new_id("obligation")
        variant = "IA_IIA" if rng.random() < 0.7 else "IB_IIB"
        until = day + 90 + int(rng.random() * 275)
        if c.person_id:
            clients = [c.person_id]
        else:
            present = self.hh.present(c.h, day) or list(self.hh.members(c.h))
            adults = [p for p in present if self.hh.birth[p] <= day - 18 * 366] or present
            k = 2 if len(adults) > 1 and rng.random() < 0.3 else 1
            clients = sorted(self.hh.person[p] for p in rng.sample(adults, k))
        # What happens next: signed, started, then fulfilled or terminated at its end (or the case's closure).
        moves = []  # (moment, status, event kind, event extra, audit changes)
        signed_m = self.later_moment(c, m, day + 1 + int(rng.random() * 7))
        started_m = ended_m = 0
        status, signed_on, ended_on, evaluation, reasons = "draft", None, None, "", ""
        if signed_m:
            status, signed_on = "signed", signed_m // 86400
            moves.append((signed_m, "signed", "contract_signed", None, {"signed_on": [None, self.d(signed_on)]}))
            started_m = self.later_moment(c, signed_m, signed_on + int(rng.random() * 4))
        if started_m:
            status = "in_progress"
            moves.append((started_m, "in_progress", "contract_started", {"on": self.d(started_m // 86400)}, {}))
            end_day, x = until - int(rng.random() * 8), rng.random()
            if c.closed and c.closed <= end_day:  # the case closes first: the contract is ended with it
                end_m, x = c.close_m - 900, 0.9
            else:
                end_m = self.later_moment(c, started_m, end_day)
            if started_m < end_m <= self.now_m and x < 0.95:
                ended_m, ended_on = end_m, end_m // 86400
                if x < 0.85:
                    status, evaluation = "fulfilled", "Kontrakt zrealizowany, cele osiągnięte."
                    change = {"evaluation": ["", evaluation], "ended_on": [None, self.d(ended_on)]}
                    moves.append((end_m, "fulfilled", "contract_fulfilled", None, change))
                else:
                    status, reasons = "terminated", "Zakończenie współpracy"
                    change = {"ended_on": [None, self.d(ended_on)], "end_reasons": ["", reasons]}
                    moves.append((end_m, "terminated", "contract_terminated", None, change))
        due = day + 14 + int(rng.random() * min(60, until - day - 15))
        done = status == "fulfilled" or (status == "in_progress" and due < self.today and rng.random() < 0.7)
        causes, strengths, limitations, goals = group["contract"]
        self.emit(
            "contract",
            f"{contract_id}\t{c.id}\t{variant}\t{user_id}\t{causes}\t{strengths}\t{limitations}\t{goals}\t"
            f"{self.d(day)}\t{self.d(until)}\t{evaluation}\t{status}\t{self.d(signed_on) if signed_on else N}\t"
            f"{self.d(ended_on) if ended_on else N}\t{reasons}\t\t{user_id}\t{self.stamp(m)}\n",
        )
        for person_id in clients:
            self.emit("contract_clients", f"{self.new_id('contract_clients')}\t{contract_id}\t{person_id}\n")
        self.emit(
            "obligation",
            f"{obligation_id}\t{contract_id}\tclient\t{group['obligation']}\t{self.d(due)}\t{'t' if done else 'f'}\n",
        )
        self.plan_event(c, m, user_id, "contract_drafted", f'{{"contract": {contract_id}, "variant": "{variant}"}}')
        changes = {
            "case": [None, c.id],
            "variant": [None, variant],
            "worker": [None, user_id],
            "causes": [None, causes],
            "strengths": [None, strengths],
            "limitations": [None, limitations],
            "goals": [None, goals],
            "valid_from": [None, self.d(day)],
            "valid_until": [None, self.d(until)],
            "status": [None, "draft"],
            "clients": [None, clients],
        }
        self.audit(m, w, "create", "social_contract", contract_id, c.person_id, js(changes))
        data = f'{{"contract": {contract_id}, "obligation": {obligation_id}}}'
        self.plan_event(c, m + 60, user_id, "obligation_added", data)
        changes = f'{{"obligations": [null, {obligation_id}]}}'
        self.audit(m + 60, w, "update", "social_contract", contract_id, c.person_id, changes)
        previous = "draft"
        for move_m, to, kind, extra, change in moves:
            self.schedule(
                move_m // 86400, self.contract_move, c, contract_id, move_m, previous, to, kind, extra, change
            )
            previous = to
        if done:
            tick_m = max(started_m + 60, self.at(min(due, self.today), 9, 16))
            if ended_m:
                tick_m = min(tick_m, ended_m - 60)
            if tick_m > started_m and self.before_close(c, tick_m):
                changes = f'{{"obligation:{obligation_id}:is_done": [false, true]}}'
                self.schedule(tick_m // 86400, self.audit, tick_m, w, "update", "social_contract", contract_id,
                              c.person_id, changes)  # fmt: skip

    def contract_move(self, c: Case, contract_id, m, from_status, to_status, kind, extra, change) -> None:
        data = {"contract": contract_id, "from": from_status, "to": to_status, **(extra or {})}
        self.plan_event(c, m, self.workers[c.worker][0], kind, js(data))
        self.audit(m, c.worker, "update", "social_contract", contract_id, c.person_id,
                   js({"status": [from_status, to_status], **change}))  # fmt: skip

    # referrals

    def send_referral(self, c: Case, m: int) -> None:
        rng = self.rng
        w = c.worker
        user_id = self.workers[w][0]
        day = m // 86400
        kinds = [k for k in GROUPS[c.group]["partners"] if k in self.partners]
        kind = kinds[int(rng.random() * len(kinds))]
        partner_id, partner_name = self.partners[kind][int(rng.random() * len(self.partners[kind]))]
        kind_reason = REFERRAL_REASONS[kind]
        i = self.new_id("referral")
        documents = ["Wywiad środowiskowy"] if rng.random() < 0.5 else []
        due = day + 14
        path = []  # (day, to status, outcome)
        x = rng.random()
        if x < 0.35:
            path.append((day + 1 + int(rng.random() * 5), "acknowledged", ""))
        if rng.random() < 0.8:
            path.append((day + 3 + int(rng.random() * 20), "answered", "Odpowiedź partnera otrzymana."))
            if rng.random() < 0.3:
                path.append((path[-1][0] + 1 + int(rng.random() * 10), "closed", "Odpowiedź partnera otrzymana."))
        elif rng.random() < 0.3:
            path.append((day + 10 + int(rng.random() * 20), "closed", "Skierowanie nieaktualne."))
        status, outcome, answered_on, closed_on, previous, when = "sent", "", None, None, "sent", m
        for target, to, text in path:
            move_m = max(self.at(max(target, day), 9, 16), when + 60) if self.workable(c, target) else 0
            if not move_m or not self.before_close(c, move_m):
                break
            data = {"referral": i, "from": previous, "to": to, "on": self.d(move_m // 86400)}
            change = {"status": [previous, to]}
            if text:
                data["outcome"] = text
                if text != outcome:
                    change["outcome"] = [outcome, text]
                outcome = text
            if to == "answered":
                answered_on = move_m // 86400
                change["answered_on"] = [None, self.d(answered_on)]
            if to == "closed":
                closed_on = move_m // 86400
                change["closed_on"] = [None, self.d(closed_on)]
            self.schedule(move_m // 86400, self.referral_move, c, i, move_m, js(data), js(change))
            status, previous, when = to, to, move_m
        self.emit(
            "referral",
            f"{i}\t{self.stamp(m)}\t{self.stamp(when)}\t{self.centre_id}\t{c.id}\toutgoing\t{partner_id}\t"
            f"{kind_reason}\t{js(documents)}\t{self.d(day)}\t{self.d(due)}\t{status}\t{outcome}\t"
            f"{self.d(answered_on) if answered_on else N}\t{self.d(closed_on) if closed_on else N}\t{user_id}\n",
        )
        data = {
            "referral": i,
            "partner": partner_id,
            "partner_name": partner_name,
            "sent_on": self.d(day),
            "response_due_on": self.d(due),
        }
        self.case_event(c, m, user_id, "referral_sent", js(data))
        changes = {"case": [None, c.id], "direction": [None, "outgoing"], "partner": [None, partner_id]}
        changes["reason"] = [None, kind_reason]
        if documents:
            changes["documents"] = [None, documents]
        changes.update(sent_on=[None, self.d(day)], response_due_on=[None, self.d(due)], status=[None, "sent"])
        self.audit(m, w, "create", "referral", i, c.person_id, js(changes))

    def referral_move(self, c: Case, referral_id: int, m: int, data: str, changes: str) -> None:
        self.case_event(c, m, self.workers[c.worker][0], "referral_status", data)
        self.audit(m, c.worker, "update", "referral", referral_id, c.person_id, changes)

    # home visits, social work, contacts

    def visit(self, c: Case, day: int, planned_on: int) -> None:
        rng = self.rng
        w = c.worker
        user_id = self.workers[w][0]
        i = self.new_id("visit")
        m = max(self.at(day, 8, 15), c.open_m + 600) if day == c.opened else self.at(day, 8, 15)
        if c.closed and m >= c.close_m:
            m = c.close_m - 1200
        visitors = [user_id]
        if rng.random() < 0.15:
            mate = self.colleague(w)
            if mate != w:
                visitors = sorted((user_id, self.workers[mate][0]))
        x = rng.random()
        if c.closed and planned_on <= c.closed:
            status = "done" if x < 0.9 else "cancelled"
        elif planned_on < self.today - 3:
            status = "done" if x < 0.9 else "cancelled" if x < 0.98 else "planned"
        elif planned_on < self.today:
            status = "done" if x < 0.6 else "planned"
        else:
            status = "planned"
        end_m = 0
        if status == "done":
            end_m = max(self.at(planned_on, 9, 15), m + 60)
        elif status == "cancelled":
            end_m = max(self.at(max(planned_on - int(rng.random() * 2), day), 8, 15), m + 60)
        if end_m and (end_m > self.now_m or not self.before_close(c, end_m)):
            status, end_m = "planned", 0
        purpose = VISIT_PURPOSES[int(rng.random() * len(VISIT_PURPOSES))]
        outcome = VISIT_OUTCOMES[int(rng.random() * len(VISIT_OUTCOMES))] if status == "done" else ""
        reason = CANCEL_REASONS[int(rng.random() * len(CANCEL_REASONS))] if status == "cancelled" else ""
        planned_iso = self.d(planned_on)
        self.emit(
            "visit",
            f"{i}\t{self.stamp(m)}\t{self.stamp(end_m or m)}\t{c.id}\t{planned_iso}\t"
            f"{planned_iso if status == 'done' else N}\t{status}\t{c.place}\t{purpose}\t{outcome}\t{reason}\t{N}\t"
            f"{user_id}\n",
        )
        for visitor in visitors:
            self.emit("visit_visitors", f"{self.new_id('visit_visitors')}\t{i}\t{visitor}\n")
        v = ", ".join(map(str, visitors))
        self.case_event(
            c, m, user_id, "visit_planned", f'{{"visit": {i}, "planned_on": "{planned_iso}", "visitors": [{v}]}}'
        )
        self.audit(
            m,
            w,
            "create",
            "home_visit",
            i,
            c.person_id,
            f'{{"case": [null, {c.id}], "planned_on": [null, "{planned_iso}"], "status": [null, "planned"], '
            f'"visitors": [null, [{v}]]}}',
        )
        if status == "done":
            self.schedule(end_m // 86400, self.visit_done, c, i, end_m, planned_iso)
        elif status == "cancelled":
            self.schedule(end_m // 86400, self.visit_cancelled, c, i, end_m, reason)

    def visit_done(self, c: Case, visit_id: int, m: int, done_on: str) -> None:
        self.case_event(
            c, m, self.workers[c.worker][0], "visit_done", f'{{"visit": {visit_id}, "done_on": "{done_on}"}}'
        )
        changes = f'{{"status": ["planned", "done"], "done_on": [null, "{done_on}"]}}'
        self.audit(m, c.worker, "update", "home_visit", visit_id, c.person_id, changes)

    def visit_cancelled(self, c: Case, visit_id: int, m: int, reason: str) -> None:
        data = f'{{"visit": {visit_id}, "reason": "{reason}"}}' if reason else f'{{"visit": {visit_id}}}'
        self.case_event(c, m, self.workers[c.worker][0], "visit_cancelled", data)
        changes = '{"status": ["planned", "cancelled"]}'
        self.audit(m, c.worker, "update", "home_visit", visit_id, c.person_id, changes)

    def activity(self, c: Case, day: int, performed_on: int) -> None:
        rng = self.rng
        w = c.worker
        performer = self.colleague(w) if rng.random() < 0.1 else w
        performer_id = self.workers[performer][0]
        i = self.new_id("activity")
        m = max(self.at(day, 9, 16), c.open_m + 600)
        if c.closed and m >= c.close_m:
            m = c.close_m - 1800
        kind = _weighted(rng, ACTIVITY_TYPES)
        minutes = _weighted(rng, ACTIVITY_MINUTES)
        notes = ACTIVITY_NOTES[int(rng.random() * len(ACTIVITY_NOTES))]
        on = self.d(performed_on)
        self.emit(
            "activity",
            f"{i}\t{self.stamp(m)}\t{self.stamp(m)}\t{c.id}\t{kind}\t{on}\t{minutes}\t{performer_id}\t{notes}\t"
            f"{performer_id}\n",
        )
        participants: list[int] = []
        if rng.random() < 0.85:
            if c.person_id:
                participants = [c.person_id]
            else:
                present = self.hh.present(c.h, performed_on)
                if present:
                    k = min(len(present), 1 if rng.random() < 0.7 else 2)
                    participants = sorted(self.hh.person[p] for p in rng.sample(present, k))
        for person_id in participants:
            self.emit("activity_participants", f"{self.new_id('activity_participants')}\t{i}\t{person_id}\n")
        data = f'{{"activity": {i}, "type": "{kind}", "performed_on": "{on}", "duration_minutes": {minutes}}}'
        self.case_event(c, m, performer_id, "activity_recorded", data)
        p = ", ".join(map(str, participants))
        self.audit(
            m,
            performer,
            "create",
            "social_work_activity",
            i,
            c.person_id,
            f'{{"case": [null, {c.id}], "type": [null, "{kind}"], "performed_on": [null, "{on}"], '
            f'"duration_minutes": [null, {minutes}], "performed_by": [null, {performer_id}], '
            f'"participants": [null, [{p}]]}}',
        )

    def contact(self, cases: list[Case], day: int, kind: int, ref: int) -> None:
        """kind 0: about a case (its worker), 1: a household without a case (the worker on duty), 2: anonymous."""
        rng = self.rng
        hh = self.hh
        household_id, persons = None, []
        if kind == 0:
            c = cases[ref]
            w = c.worker
            if c.person_id:
                persons = [c.person_id]
            else:
                household_id = c.household_id
                h = c.h
            topics_from = GROUPS[c.group]["topics"]
        else:
            w = int(rng.random() * len(self.workers))
            topics_from = ("benefits_information", "cash_benefit_application", "housing", "documents", "other")
            if kind == 1:
                h = ref
                household_id = hh.ids[h]
        if household_id:
            present = hh.present(h, day)
            x = rng.random()
            k = 0 if x < 0.05 or not present else 1 if x < 0.8 else 2
            persons = sorted(hh.person[p] for p in rng.sample(present, min(k, len(present))))
        user_id, _username, _team = self.workers[w]
        i = self.new_id("contact")
        m = self.at(day, 7.5, 17.5)
        channel = _weighted(rng, CHANNELS)
        topics = [topics_from[int(rng.random() * len(topics_from))]]
        if rng.random() < 0.3:
            extra = topics_from[int(rng.random() * len(topics_from))]
            if extra not in topics:
                topics.append(extra)
        outcomes = list(_weighted(rng, OUTCOMES))
        notes = CONTACT_NOTES[int(rng.random() * len(CONTACT_NOTES))]
        topics_js, outcomes_js = json.dumps(topics), json.dumps(outcomes)
        self.emit(
            "contact",
            f"{i}\t{self.stamp(m)}\t{self.stamp(m)}\t{self.centre_id}\t{self.stamp(m)}\t{channel}\t"
            f"{household_id or N}\t{topics_js}\t{outcomes_js}\t{notes}\t{user_id}\t{user_id}\n",
        )
        for person_id in persons:
            self.emit("contact_persons", f"{self.new_id('contact_persons')}\t{i}\t{person_id}\n")
        if self.audit_on:
            changes = f'{{"occurred_at": [null, "{self.stamp_t(m)}"], "channel": [null, "{channel}"]'
            if household_id:
                changes += f', "household": [null, {household_id}]'
            changes += f', "topics": [null, {topics_js}]'
            if outcomes:
                changes += f', "outcomes": [null, {outcomes_js}]'
            if notes:
                changes += f', "notes": [null, "{notes}"]'
            changes += f', "handled_by": [null, {user_id}]'
            if persons:
                changes += f', "persons": [null, [{", ".join(map(str, persons))}]]'
            changes += "}"
            for person_id in persons or [None]:
                self.audit(m, w, "create", "contact", i, person_id, changes)


class Rules:
    """What the jurisdiction pack says, cached by day: interview deadlines, the instrument, valid answers."""

    def __init__(self, jurisdiction: str, first_day: int):
        from socius.assessments.answers import instrument_in_force

        self.jurisdiction = jurisdiction
        self.instrument = instrument_in_force(jurisdiction, dt.date.fromordinal(first_day))
        last = instrument_in_force(jurisdiction, dt.date.today())
        if self.instrument is None or last is None or self.instrument.code != last.code:
            raise SystemExit("One assessment instrument must be in force over the whole period (see --years).")
        self._due: dict = {}
        self._renewal: dict = {}
        self.checked = 0

    def due_on(self, day: int, urgent: bool) -> int | None:
        from socius.assessments.services import compute_due_on

        key = (day, urgent)
        if key not in self._due:
            due = compute_due_on(self.jurisdiction, dt.date.fromordinal(day), urgent)
            self._due[key] = due.toordinal() if due else None
        return self._due[key]

    def renewal_due_on(self, day: int, permanent: bool) -> int | None:
        from socius.assessments.services import compute_renewal_due_on

        if not permanent:
            return None
        if day not in self._renewal:
            due = compute_renewal_due_on(self.jurisdiction, dt.date.fromordinal(day), True)
            self._renewal[day] = due.toordinal() if due else None
        return self._renewal[day]

    def answers(self, c: Case, hh: Households, interview_day: int, rng: random.Random) -> tuple[dict, list[str]]:
        """Answers to the required questions of the initial interview, in storage form; the first ones are
        checked against the instrument with `merge_answers` (the service's own check)."""
        from socius.assessments.answers import merge_answers, missing_required

        group = GROUPS[c.group]
        size = len(hh.present(c.h, interview_day)) or 1
        answers = {
            "I_A": {
                "applicant_name": c.head_name,
                "address": c.place or "-",
                "interview_date": dt.date.fromordinal(interview_day).isoformat(),
                "household_size": size,
                "family_members": f"Gospodarstwo domowe: {size} os.",
            },
            "I_H": {"needs_expectations": f"Oczekiwania: {group['goal'].lower()}."},
            "I_I": {"diagnosis": f"Sytuacja: {group['contract'][0].lower()}.", "worker_conclusions": group["goal"]},
            "I_J": {"help_plan": "; ".join(a[3] for a in group["actions"])},
        }
        changed = [f"{s}.{f}" for s, fields in answers.items() for f in fields]
        if self.checked < 50:
            merged, errors, _changed = merge_answers(self.instrument, {}, answers)
            if errors or merged != answers or missing_required(self.instrument, "initial", merged):
                raise SystemExit(f"Synthetic interview answers are not valid for {self.instrument.code}: {errors}")
            self.checked += 1
        return answers, changed


def plan_teams(rng: random.Random, group_counts: dict[str, int], n_workers: int, team_size: int):
    """Teams per problem group in proportion to the group's cases, workers split evenly in each group."""
    groups = [g for g, n in sorted(group_counts.items(), key=lambda kv: -kv[1]) if n]
    n_teams = max(1, min(n_workers, max(round(n_workers / team_size), 1)))
    total = sum(group_counts.values())
    if n_teams >= len(groups):
        teams = dict.fromkeys(groups, 1)
        for _ in range(n_teams - len(groups)):  # the next team goes where teams carry the most cases
            g = max(groups, key=lambda g: group_counts[g] / teams[g])
            teams[g] += 1
    else:
        teams = dict.fromkeys(groups[:n_teams], 1)
    workers = {g: max(teams[g], round(n_workers * group_counts[g] / total)) for g in teams}
    while sum(workers.values()) > n_workers:
        g = max((g for g in workers if workers[g] > teams[g]), key=lambda g: workers[g] / teams[g])
        workers[g] -= 1
    while sum(workers.values()) < n_workers:
        g = max(teams, key=lambda g: group_counts[g] / workers[g])
        workers[g] += 1
    return teams, workers


def load_casework(args, centre) -> None:
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from socius.accounts.models import Team, Territory, User
    from socius.accounts.roles import Role
    from socius.casework.models import CaseCounter, Partner
    from socius.registry.models import Household, Person

    calibration_before = calibrate(args.database_url)
    t0 = time.perf_counter()
    load_before = os.getloadavg()
    conninfo = args.database_url
    specs = table_specs()
    tables = [table for table, _columns in specs.values()]
    with connection.cursor() as cur:
        check_columns(cur, specs)
    now = timezone.localtime()
    today = now.date()
    # An hour ago: what a service writes a minute or two after a moment (a goal after its plan) stays in the past.
    now_m = today.toordinal() * 86400 + now.hour * 3600 + now.minute * 60 + now.second - 3600
    rng = random.Random(f"{args.seed}-plan")
    rules = Rules(centre.jurisdiction, today.toordinal() - int(args.years * 365.25))

    # 1. The centre's households, the cases' households and what kind of case each one is.
    hh = Households(conninfo, centre.pk)
    if not len(hh):
        raise SystemExit(f"Centre {centre.code} has no households.")
    t_read = time.perf_counter() - t0
    n_cases = max(1, len(hh) // args.households_per_case)
    today_o = today.toordinal()
    first_day = today_o - int(args.years * 365.25)
    cases: list[Case] = []
    settled = [h for h in range(len(hh)) if hh.earliest[h] <= today_o - 30]  # a case needs its household
    n_cases = min(n_cases, len(settled))
    for h in sorted(rng.sample(settled, n_cases)):
        c = Case()
        c.h = h
        ages = [(today_o - hh.birth[m]) / 365.25 for m in hh.members(h)]
        x = rng.random()
        if max(ages) >= 65 and len(ages) <= 2:
            c.group = "elderly" if x < 0.7 else "disability"
        elif min(ages) < 18:
            c.group = "family" if x < 0.6 else "unemployment" if x < 0.8 else "addictions" if x < 0.9 else "disability"
        else:
            c.group = "unemployment" if x < 0.45 else "disability" if x < 0.7 else "addictions" if x < 0.9 else "family"
        c.household_id = hh.ids[h]
        c.person_id = None
        if len(ages) == 1 and rng.random() < 0.6:  # a single person's case is often opened for the person
            c.household_id, c.person_id = None, hh.person[hh.start[h]]
        picked = [code for code, p in GROUPS[c.group]["circumstances"] if rng.random() < p]
        c.circumstances = picked or [GROUPS[c.group]["circumstances"][0][0]]
        low = max(first_day, hh.earliest[h])
        c.opened = low + int(rng.random() * (today_o - low + 1))
        cases.append(c)
    eligible = sum(1 for c in cases if c.opened <= today_o - 60)
    p_close = min(1.0, 0.2 * n_cases / eligible) if eligible else 0
    for c in cases:
        c.closed = c.activated = c.suspended = c.assessment_done_m = 0
        c.assessment_id = None
        c.reason = ""
        if c.opened <= today_o - 60 and rng.random() < p_close:
            c.closed = c.opened + 30 + int(rng.random() * (today_o - c.opened - 30))  # at the latest yesterday
            c.reason = _weighted(rng, CLOSURE_REASONS)
        act = c.opened + 3 + int(rng.random() * 12)
        if act <= today_o and (not c.closed or act < c.closed):
            c.activated = act
            if not c.closed and rng.random() < 0.03:
                c.suspended = max(act + 1, today_o - int(rng.random() * 90))
                if c.suspended > today_o:
                    c.suspended = 0
    cases.sort(key=lambda c: (c.opened, c.h))

    # 2. Staff: teams by problem group, a leader each, social workers holding ~CASES_PER_WORKER cases.
    n_workers = args.workers_n or max(1, round(n_cases / CASES_PER_WORKER))
    group_counts = dict.fromkeys(GROUPS, 0)
    for c in cases:
        group_counts[c.group] += 1
    teams_per_group, workers_per_group = plan_teams(rng, group_counts, n_workers, args.team_size)
    if User.objects.filter(username__startswith=f"{centre.code}-").exists():
        raise SystemExit(f"Centre {centre.code} already has bench staff but no cases: drop the database and reload.")
    staff_names = random.Random(f"{args.seed}-staff")
    password = make_password(None)
    joined = timezone.make_aware(dt.datetime.combine(dt.date.fromordinal(first_day - 30), dt.time(8)))

    def user(username: str, role: str) -> User:
        return User(
            username=username,
            first_name=staff_names.choice(STAFF_FIRST),
            last_name=staff_names.choice(STAFF_LAST),
            email=f"{username}@example.org",
            centre=centre,
            role=role,
            password=password,
            date_joined=joined,
        )

    labels = {
        "family": "rodzina",
        "unemployment": "bezrobocie",
        "disability": "niepelnosprawnosc",
        "addictions": "uzaleznienia",
        "elderly": "seniorzy",
    }
    group_workers: dict[str, list[int]] = {}
    team_rows: list[tuple[Team, User, list[User]]] = []
    worker_users: list[User] = []
    for g, n_teams in teams_per_group.items():
        n = workers_per_group[g]
        group_workers[g] = []
        for k in range(n_teams):
            team = Team(centre=centre, problem_group=g, name=f"{GROUPS[g]['team']} {k + 1}")
            leader = user(f"{centre.code}-leader-{labels[g]}{k + 1}", Role.TEAM_LEADER)
            members = []
            for _ in range(n // n_teams + (1 if k < n % n_teams else 0)):
                group_workers[g].append(len(worker_users))
                u = user(f"{centre.code}-worker{len(worker_users)}", Role.SOCIAL_WORKER)
                worker_users.append(u)
                members.append(u)
            team_rows.append((team, leader, members))
    Team.objects.bulk_create([t for t, _l, _m in team_rows])
    director = user(f"{centre.code}-director", Role.DIRECTOR)
    User.objects.bulk_create([*worker_users, *(leader for _t, leader, _m in team_rows), director])
    through = User.teams.through
    through.objects.bulk_create(
        [through(user_id=u.pk, team_id=t.pk) for t, leader, members in team_rows for u in (leader, *members)]
    )
    worker_team = {u.pk: t.pk for t, _leader, members in team_rows for u in members}
    partners: dict[str, list[tuple[int, str]]] = {}
    for p in Partner.objects.bulk_create(
        [Partner(centre=centre, name=name, kind=kind, address="ul. Synthetic 1") for name, kind in PARTNERS]
    ):
        partners.setdefault(p.kind, []).append((p.pk, p.name))

    # 3. Cases: worker, team, reference numbers in the order they were opened; places and names for the forms.
    for g in GROUPS:
        if g not in group_workers:
            group_workers[g] = list(range(len(worker_users)))  # a group without a team: anyone takes it
    numbers: dict[int, int] = {}
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [specs["case"][0]])
        first_case = cur.fetchone()[0]
    case_households = {c.h for c in cases}
    place: dict[int, tuple[str, str]] = {}
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            f"SELECT h.id, concat_ws(', ', NULLIF(h.street_address, ''), t.name) FROM {Household._meta.db_table} h "
            f"LEFT JOIN {Territory._meta.db_table} t ON t.id = h.territory_id WHERE h.id = ANY(%s)",
            [[hh.ids[h] for h in case_households]],
        )
        streets = dict(rows.fetchall())
        rows = conn.execute(
            f"SELECT id, first_name || ' ' || last_name FROM {Person._meta.db_table} WHERE id = ANY(%s)",
            [[hh.person[hh.start[h]] for h in case_households]],
        )
        names = dict(rows.fetchall())
        for h in case_households:
            place[h] = (streets.get(hh.ids[h], ""), names.get(hh.person[hh.start[h]], ""))
    for idx, c in enumerate(cases):
        c.idx = idx
        c.id = first_case + idx
        ws = group_workers[c.group]
        c.worker = ws[int(rng.random() * len(ws))]
        c.team_id = worker_team[worker_users[c.worker].pk]
        c.year = dt.date.fromordinal(c.opened).year
        c.number = numbers[c.year] = numbers.get(c.year, 0) + 1
        c.reference = f"{c.year}/{c.number:04d}"
        c.place, c.head_name = place[c.h]
        c.place = esc(c.place[:250])
        c.open_m = min(c.opened * 86400 + int((8 + rng.random() * 2) * 3600), now_m - 3600)
        c.close_m = c.closed * 86400 + int((15.5 + rng.random() * 0.4) * 3600) if c.closed else 0
        c.act_m = min(c.activated * 86400 + int((9 + rng.random() * 6) * 3600), now_m) if c.activated else 0
        c.susp_m = min(c.suspended * 86400 + int((9 + rng.random() * 6) * 3600), now_m) if c.suspended else 0
        c.updated_m = max(c.open_m, c.close_m, c.act_m, c.susp_m)
    if len(cases) >= 1 << 21 or len(hh) >= 1 << 40:
        raise SystemExit("Too many cases for the loader's keys.")

    # 4. When each visit, social work activity and contact happens (their rows are written on that day).
    base = first_day - 400
    n_contacts, n_visits = args.rows * 4 // 10, args.rows * 3 // 10
    n_activities = args.rows - n_contacts - n_visits

    def cumulative(span) -> list[float]:
        total, out = 0.0, []
        for c in cases:
            total += max(0, span(c))
            out.append(total)
        return out

    def end(c: Case) -> int:
        return c.closed or today_o

    visit_cum = cumulative(lambda c: (c.closed or today_o + 30) - c.opened)
    keys = []
    for _ in range(n_visits):
        c = cases[min(bisect.bisect(visit_cum, rng.random() * visit_cum[-1]), n_cases - 1)]
        last = c.closed or today_o + 30
        planned_on = c.opened + 1 + int(rng.random() * (last - c.opened))
        if planned_on <= today_o:
            day = max(c.opened, planned_on - 1 - int(rng.random() * 14))
        else:
            low = max(c.opened, planned_on - 45, today_o - 14)
            day = low + int(rng.random() * (today_o - low + 1))
        keys.append((day - base) << 42 | (planned_on - base) << 21 | c.idx)
    keys.sort()
    visits = array("Q", keys)
    activity_cum = cumulative(lambda c: end(c) - c.opened + 1)
    keys = []
    for _ in range(n_activities):
        c = cases[min(bisect.bisect(activity_cum, rng.random() * activity_cum[-1]), n_cases - 1)]
        performed_on = c.opened + int(rng.random() * (end(c) - c.opened + 1))
        x = rng.random()
        day = min(performed_on + (0 if x < 0.6 else 1 if x < 0.85 else 2 + int(rng.random() * 2)), end(c))
        keys.append((day - base) << 42 | (performed_on - base) << 21 | c.idx)
    keys.sort()
    activities = array("Q", keys)
    contact_cum = cumulative(lambda c: min(today_o, (c.closed + 30) if c.closed else today_o) - c.opened + 31)
    keys = []
    for _ in range(n_contacts):
        x = rng.random()
        if x < 0.5:
            c = cases[min(bisect.bisect(contact_cum, rng.random() * contact_cum[-1]), n_cases - 1)]
            low = max(first_day, c.opened - 30, min(hh.earliest[c.h], c.opened))
            high = min(today_o, c.closed + 30) if c.closed else today_o
            day = low + int(rng.random() * (high - low + 1))
            keys.append((day - base) << 42 | c.idx)
        else:
            if x < 0.9:
                h = int(rng.random() * len(hh))
                low = max(first_day, min(hh.earliest[h], today_o))
                day = low + int(rng.random() * (today_o - low + 1))
                keys.append((day - base) << 42 | 1 << 40 | h)
            else:
                day = first_day + int(rng.random() * (today_o - first_day + 1))
                keys.append((day - base) << 42 | 2 << 40)
    keys.sort()
    contacts = array("Q", keys)
    del keys, visit_cum, activity_cum, contact_cum

    # 5. Indexes and foreign keys: dropped for a load into (nearly) empty tables, rebuilt after.
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {specs['case_event'][0]}")
        existing = cur.fetchone()[0]
        drop = args.indexes == "drop" or (args.indexes == "auto" and existing < args.rows)
        indexes, fks = secondary_objects(cur, tables) if drop else ([], [])
    t_prepare = time.perf_counter() - t0
    writer = Writer(conninfo, specs)
    gen = Generator(args, centre, specs, writer, hh, rules, today, now_m)
    gen.workers = [(u.pk, u.username, worker_team[u.pk]) for u in worker_users]
    for w, (_pk, _name, team_id) in enumerate(gen.workers):
        gen.team_workers.setdefault(team_id, []).append(w)
    gen.ip = [f"10.20.{w // 250}.{w % 250 + 1}" for w in range(len(gen.workers))]
    gen.partners = partners
    with connection.cursor() as cur:
        for key, (table, _columns) in specs.items():
            if key == "case":  # numbered with the plan of the cases above
                gen.first_id[key], gen.next_id[key] = first_case, first_case + n_cases
                continue
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            gen.first_id[key] = gen.next_id[key] = cur.fetchone()[0]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table, name, _definition in fks:
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _statement in indexes:
            conn.execute(f"DROP INDEX {name}")
    print(
        f"  {len(hh):,} households, {n_cases:,} cases, {len(worker_users):,} social workers in {len(team_rows)} teams "
        f"({', '.join(f'{g} {n}' for g, n in teams_per_group.items())}), each with a team leader; "
        + (f"dropped {len(indexes)} indexes and {len(fks)} foreign keys" if drop else "indexes kept"),
        flush=True,
    )
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    writer.start()
    try:
        gen.run(cases, visits, activities, contacts)
    finally:
        writer.finish()  # also when the generator failed: what was queued is written, then indexes come back
        t_load = time.perf_counter() - t1
        cpu_gen = time.process_time() - cpu1
        built = []
        t2 = time.perf_counter()
        if indexes or fks:
            built = rebuild(conninfo, indexes, fks, 2)
        t_index = time.perf_counter() - t2
    if writer.error is not None:
        raise SystemExit(f"COPY failed: {writer.error}")

    # 6. Sequences past the ids written, the case counters, then VACUUM ANALYZE.
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for key, (table, _columns) in specs.items():
            last = max(gen.next_id[key] - 1, gen.first_id[key])
            conn.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
    for year, number in numbers.items():
        CaseCounter.objects.update_or_create(centre=centre, year=year, defaults={"last_number": number})
    t3 = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in [*tables, "accounts_user", "accounts_team", "accounts_user_teams", "casework_partner"]:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    t_analyze = time.perf_counter() - t3
    total = time.perf_counter() - t0

    def rate(n, s):
        return f"{n / s:,.0f}" if s else "-"

    rows = sum(s[0] for s in writer.stats.values())
    copy_s = sum(s[1] for s in writer.stats.values())
    print(
        f"casework: {n_cases:,} cases ({sum(1 for c in cases if c.closed):,} closed) of {len(hh):,} households, "
        f"{len(worker_users):,} social workers, {len(team_rows)} team leaders, 1 director, seed {args.seed}, "
        f"{args.years:g} years to {today}, audit rows {'on' if args.audit else 'off'}"
    )
    print(f"{'table':<44}{'rows':>12}{'COPY s':>10}{'rows/s':>12}")
    print(f"{'prepare (households, staff, plan of the days)':<44}{'':>12}{t_prepare:>10.1f}{'':>12}")
    print(f"{'  of which reading the households':<44}{len(hh.person):>12,}{t_read:>10.1f}{'':>12}")
    for key, (table, _columns) in specs.items():
        n, seconds = writer.stats[key]
        print(f"{'  ' + table:<44}{n:>12,}{seconds:>10.1f}{rate(n, seconds):>12}")
    print(f"{'load: generate + COPY (wall)':<44}{rows:>12,}{t_load:>10.1f}{rate(rows, t_load):>12}")
    print(f"{'  COPY (writer, summed over tables)':<44}{rows:>12,}{copy_s:>10.1f}{rate(rows, copy_s):>12}")
    print(f"{'  generate (CPU of this process)':<44}{rows:>12,}{cpu_gen:>10.1f}{rate(rows, cpu_gen):>12}")
    print(f"{f'indexes + foreign keys ({len(built)})':<44}{'':>12}{t_index:>10.1f}{'':>12}")
    ranked = sorted(built, key=lambda b: -b[1])
    for name, seconds in ranked[:10]:
        print(f"    {name[:60]:<60}{seconds:>8.1f}")
    if len(ranked) > 10:
        rest = f"... {len(ranked) - 10} more (built two at a time)"
        print(f"    {rest:<60}{sum(sec for _n, sec in ranked[10:]):>8.1f}")
    print(f"{'vacuum analyze':<44}{'':>12}{t_analyze:>10.1f}{'':>12}")
    print(f"{'total':<44}{rows:>12,}{total:>10.1f}{rate(rows, total):>12}")
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    print(calibration_before.line("calibration before"))
    print(calibrate(args.database_url).line("calibration after"))


# --- measurement -----------------------------------------------------------------------------------


def measure(client, url: str, repeat: int) -> tuple[list[float], int, int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the request resets connection.queries_log.
    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        return [], len(executed), response.status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times, len(executed), 200


def typical_worker(centre, username: str | None):
    """The social worker whose number of open cases is the median of the centre (or the one named)."""
    from django.db.models import Count, Q

    from socius.accounts.models import User
    from socius.accounts.roles import Role

    if username:
        return User.objects.get(username=username)
    workers = list(
        User.objects.filter(centre=centre, role=Role.SOCIAL_WORKER)
        .annotate(n=Count("assigned_cases", filter=~Q(assigned_cases__status="closed")))
        .order_by("n", "pk")
    )
    return workers[len(workers) // 2]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=50_000, help="persons to add with synthetic.py (0: none)")
    parser.add_argument("--rows", type=int, default=200_000, help="contacts, visits and activities in all")
    parser.add_argument("--centre", default="bench-desk")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers-n",
        type=int,
        default=0,
        help=f"social workers holding the cases (default: one per {CASES_PER_WORKER} cases, ~77 of them open)",
    )
    parser.add_argument("--team-size", type=int, default=12, help="social workers per team (default 12)")
    parser.add_argument("--households-per-case", type=int, default=4)
    parser.add_argument("--years", type=float, default=3, help="the casework spans this many years up to today")
    parser.add_argument(
        "--audit", action=argparse.BooleanOptionalAction, default=True, help="write the audit rows the services write"
    )
    parser.add_argument(
        "--indexes",
        choices=("auto", "drop", "keep"),
        default="auto",
        help="drop the secondary indexes and foreign keys of the casework tables for the load and rebuild them "
        "after (auto: when the tables hold fewer rows than the load)",
    )
    parser.add_argument("--load-only", action="store_true", help="load, then exit without measuring")
    parser.add_argument("--worker", default=None, help="username to measure as (default: a typical caseload)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    args = parser.parse_args(argv)

    if args.persons:
        load_persons(args)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from socius.casework.models import Case, CaseEvent, Contact, HomeVisit, SocialWorkActivity
    from socius.plans.models import PlanEvent

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only.")
    from socius.accounts.models import Centre

    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None or not centre.persons.exists():
        raise SystemExit(f"Centre {args.centre} has no persons: run with --persons N first.")
    if not Case.objects.filter(centre=centre).exists():
        load_casework(args, centre)
    if args.load_only:
        return

    worker = typical_worker(centre, args.worker)
    own = Case.objects.filter(centre=centre, assigned_worker=worker)
    busiest = (
        own.exclude(status="closed")
        .annotate(n=Count("events", distinct=True) + Count("plan_events", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    household_id = (
        own.filter(household__isnull=False)
        .annotate(n=Count("visits"))
        .order_by("-n", "pk")
        .values_list("household_id", flat=True)
        .first()
    )
    client = Client()
    client.force_login(worker)
    counts = {
        "persons": centre.persons.count(),
        "cases": Case.objects.filter(centre=centre).count(),
        "contacts": Contact.objects.filter(centre=centre).count(),
        "visits": HomeVisit.objects.filter(case__centre=centre).count(),
        "activities": SocialWorkActivity.objects.filter(case__centre=centre).count(),
    }
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    events = CaseEvent.objects.filter(case=busiest).count() + PlanEvent.objects.filter(case=busiest).count()
    print(
        f"Worker {worker.username} (id {worker.pk}): {own.exclude(status='closed').count()} open cases of "
        f"{own.count()}; busiest household {household_id}; case {busiest.pk} ({busiest.reference}) with "
        f"{events} case and plan events"
    )
    pages = [
        ("home page with the desk", "/"),
        ("GET /api/v1/desk/", "/api/v1/desk/"),
        ("household timeline page", f"/households/{household_id}/timeline/"),
        ("GET /api/v1/households/{id}/timeline/", f"/api/v1/households/{household_id}/timeline/"),
        ("case page", f"/cases/{busiest.pk}/"),
    ]
    with contextlib.suppress(NoReverseMatch):  # the case timeline API, where the tree has it
        pages.append(("GET /api/v1/cases/{id}/timeline/", reverse("api-case-timeline", args=[busiest.pk])))
    # The caseload as the worker's team leader and as the director (one row per worker of their teams / centre).
    from socius.accounts.models import User
    from socius.accounts.roles import Role

    leader = User.objects.filter(role=Role.TEAM_LEADER, teams__in=worker.teams.all()).order_by("pk").first()
    director = User.objects.filter(centre=centre, role=Role.DIRECTOR).order_by("pk").first()
    clients = {None: client}
    for reader in (leader, director):
        if reader is not None:
            clients[reader.username] = Client()
            clients[reader.username].force_login(reader)
            pages += [
                (f"caseload page ({reader.username})", "/cases/caseload/", reader.username),
                (f"GET /api/v1/caseload/ ({reader.username})", "/api/v1/caseload/", reader.username),
            ]
    print(calibrate(args.database_url).line("calibration before"))
    print(f"{'page':<54}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
    for label, url, *reader in pages:
        times, n_queries, status = measure(clients[reader[0] if reader else None], url, args.requests)
        if status != 200:
            print(f"{label:<54}  answered {status} ({url})")
            continue
        print(
            f"{label:<54}{len(times):>6}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
            f"{max(times):>9.1f}{n_queries:>9}"
        )
    print(calibrate(args.database_url).line("calibration after"))


if __name__ == "__main__":
    main()
