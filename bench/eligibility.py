"""Set-based eligibility for a million households in three centres (PL, MD, LT), outcomes stored with compact
traces, against a one-household-at-a-time ORM loop on a sample.

    .venv/bin/python bench/eligibility.py --households 1000000 --sample 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/socius_elig_bench [--keep] [--reuse]

1. A database of its own, created (dropped first if present) and migrated; `bench/synthetic.py` loads persons in
   households into three centres (bench-pl, bench-md, bench-lt), enough for `--households` in all (a third
   each); then synthetic monthly incomes for the three months before `--period`, by person, in a bench table
   `bench_income` (the registry keeps no incomes; an application keeps its declared ones): about a third of the
   adults have none, the others a wage, a pension, a disability pension, an unemployment benefit or alimony,
   drawn by age and employment status, amounts in the centre's currency around its country's minimum wage and
   pensions (seeded, generated in the server by one INSERT … SELECT).
2. Set-based: each household with its country's benefit (PL `pl.periodic_allowance`, MD `md.social_aid`, LT
   `lt.social_benefit`) for `--period`: worker processes (forked after the packs are loaded) take ranges of
   household ids; per range one query for the members on the month's first day with their persons and their
   incomes aggregated by the server, the engine's facts built by `socius.benefits.batch.households`,
   evaluated with `engine.evaluate_values` (the batch trace: shape tokens and values; the full trace once per
   shape, checked against it), and written with one COPY of text lines into `benefits_evaluationresult` (a
   trace template once per shape, the values per row). Printed: wall time, time per phase summed over the
   workers, and the CPU of the workers and of their PostgreSQL sessions (read from /proc: on a shared machine
   the wall time mostly measures the others' load).
3. The straightforward way on a `--sample` of households (a third per centre): per household its memberships
   with their persons, its incomes, the evaluation, the template looked up (get_or_create) and the result
   saved (`objects.create`), one household at a time. The ratio of the two rates is printed.
4. Equivalence: on the first `--check` households of each centre, an application is made (head as applicant,
   incomes declared, LT's member facts recorded; rolled back afterwards) and evaluated as the one-application
   service does (`selectors.facts_for_application`, `engine.evaluate`, `services.stored_trace`); its figures,
   reasons and stored trace must equal the set-based result expanded from its template. Differences are
   printed, one line each.

The calibration line (bench/calibration.py) is printed before and after; `--keep` keeps the database, and
`--reuse` runs again on a kept one (population and incomes as they are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_recalc_bench"
CENTRES = (
    ("PL", "bench-pl", "pl.periodic_allowance"),
    ("MD", "bench-md", "md.social_aid"),
    ("LT", "bench-lt", "lt.social_benefit"),
)
PERSONS_PER_HOUSEHOLD = 2.62  # synthetic.py's household sizes
RANGE = 25_000  # households per unit of work

# Monthly amounts by country (currency units): minimum wage and typical pensions around 2025, for realistic
# shares of eligible households; not legal values, only the synthetic population's incomes.
INCOME_LEVELS = {
    "PL": {"wage": 3500, "pension": 2200, "unemployment": 1300, "alimony": 600},
    "MD": {"wage": 5000, "pension": 2800, "unemployment": 1500, "alimony": 800},
    "LT": {"wage": 800, "pension": 500, "unemployment": 300, "alimony": 150},
}
# What a worker records per member for LT's activity condition (the member facts of an application).
LT_FLAGS = {"employed": "works", "self_employed": "works", "farmer": "works", "student": "studying",
            "pensioner": "receives_pension", "carer": "caring_for_disabled"}  # fmt: skip


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(info["dbname"])))


def load_population(url: str, households: int, seed: int, workers: int) -> float:
    started = time.perf_counter()
    persons = int(households / 3 * PERSONS_PER_HOUSEHOLD * 1.04) + 1000
    for index, (country, code, _benefit) in enumerate(CENTRES):
        command = [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", country, "--persons",
                   str(persons), "--centre", code, "--seed", str(seed + index), "--database-url", url,
                   "--workers", str(workers)]  # fmt: skip
        if index == 0:
            command.append("--create-db")
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print("  " + next(line for line in out.splitlines() if line.startswith("synthetic ")))
    return time.perf_counter() - started


INCOME_SQL = """
INSERT INTO bench_income (person_id, month, kind, amount)
SELECT p.id, m.month, x.kind, round((x.base * (0.55 + 0.9 * r.u) * (0.96 + 0.08 * random()))::numeric, 2)
FROM registry_person p
JOIN accounts_centre c ON c.id = p.centre_id AND c.code = %(centre)s
CROSS JOIN LATERAL (SELECT random() AS u, random() AS v) r
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN p.birth_date > %(adult)s THEN NULL
        WHEN p.employment_status = 'pensioner' OR p.birth_date <= %(old)s THEN 'pension'
        WHEN p.employment_status = 'unable' THEN 'disability_pension'
        WHEN p.employment_status IN ('employed', 'self_employed', 'farmer') AND r.v < 0.85 THEN 'employment'
        WHEN p.employment_status = 'unemployed_registered' AND r.v < 0.35 THEN 'unemployment_benefit'
        WHEN r.v < 0.12 THEN 'alimony'
        ELSE NULL END AS kind
) k
CROSS JOIN LATERAL (
    SELECT k.kind, CASE k.kind WHEN 'employment' THEN %(wage)s WHEN 'pension' THEN %(pension)s
        WHEN 'disability_pension' THEN %(pension)s * 0.8 WHEN 'unemployment_benefit' THEN %(unemployment)s
        ELSE %(alimony)s END AS base
) x
CROSS JOIN (SELECT unnest(%(months)s::date[]) AS month) m
WHERE k.kind IS NOT NULL
"""


def load_incomes(period: dt.date, seed: int) -> tuple[int, float]:
    from django.db import connection

    from socius.rulebook.engine.benefits import months_before

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_income")
        cur.execute(
            "CREATE TABLE bench_income (person_id bigint NOT NULL, month date NOT NULL, kind text NOT NULL, "
            "amount numeric(12, 2) NOT NULL)"
        )
        cur.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        for country, code, _benefit in CENTRES:
            levels = INCOME_LEVELS[country]
            cur.execute(
                INCOME_SQL,
                {
                    "centre": code,
                    "adult": period.replace(year=period.year - 18),
                    "old": period.replace(year=period.year - 66),
                    "months": list(months_before(period, 3)),
                    **levels,
                },
            )
        cur.execute("CREATE INDEX bench_income_person ON bench_income (person_id)")
        cur.execute("ANALYZE bench_income")
        cur.execute("SELECT count(*) FROM bench_income")
        rows = cur.fetchone()[0]
    return rows, time.perf_counter() - started


def household_ranges(households: int) -> list[tuple[int, str, str, int, int, int]]:
    """(centre id, country, benefit, first id, last id + 1, count) units: the first households of each centre,
    a third of `households` each."""
    from django.db import connection

    units = []
    share = [households // 3 + (1 if i < households % 3 else 0) for i in range(3)]
    with connection.cursor() as cur:
        for (country, code, benefit), wanted in zip(CENTRES, share, strict=True):
            cur.execute(
                "SELECT h.id FROM registry_household h JOIN accounts_centre c ON c.id = h.centre_id AND c.code = %s "
                "WHERE EXISTS (SELECT 1 FROM registry_membership m WHERE m.household_id = h.id AND m.valid_from <= %s "
                "AND (m.valid_until IS NULL OR m.valid_until > %s)) ORDER BY h.id LIMIT %s",
                [code, PERIOD, PERIOD, wanted],
            )
            ids = [row[0] for row in cur.fetchall()]
            if len(ids) < wanted:
                raise SystemExit(f"{code}: {len(ids):,} households, {wanted:,} wanted")
            cur.execute("SELECT id FROM accounts_centre WHERE code = %s", [code])
            centre_id = cur.fetchone()[0]
            for start in range(0, len(ids), RANGE):
                part = ids[start : start + RANGE]
                units.append((centre_id, country, benefit, part[0], part[-1] + 1, len(part)))
    return units


def _flags_for(country: str):
    if country != "LT":
        return None
    return lambda person: (LT_FLAGS[person.employment_status],) if person.employment_status in LT_FLAGS else ()


def _server_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, read from /proc when the
    server runs on this machine (else NaN): the server's share of the work, which wall time under a shared
    machine's load does not show."""
    from django.db import connection

    connection.ensure_connection()
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


_COMPACTOR = None  # one per worker process: the trace shapes it has seen, across its ranges
_TEMPLATES: dict[str, int] = {}


def set_based_unit(unit) -> dict:
    """One range of households: facts in one query (incomes aggregated by the server), evaluation with the
    batch trace, one COPY of the compact results."""
    global _COMPACTOR
    from django.db import transaction
    from django.utils import timezone

    from socius.benefits.batch import save_templates
    from socius.benefits.batch.households import ValuesCompactor, copy_results, evaluate_range, household_facts

    if _COMPACTOR is None:
        _COMPACTOR = ValuesCompactor()
    centre_id, country, benefit, lo, hi, _count = unit
    server0 = _server_cpu()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    facts = household_facts(centre_id, lo, hi, PERIOD, incomes_sql="bench_income", member_flags=_flags_for(country))
    t1 = time.perf_counter()
    result, evaluated = evaluate_range(centre_id, benefit, facts, _COMPACTOR)
    t2 = time.perf_counter()
    with transaction.atomic():
        new = {key: shape for key, shape in _COMPACTOR.shapes.items() if key not in _TEMPLATES}
        if new:
            _TEMPLATES.update(save_templates(new))
        written = copy_results(centre_id, benefit, PERIOD, evaluated, _TEMPLATES, at=timezone.now())
    t3 = time.perf_counter()
    return {"benefit": benefit, "households": len(facts), "eligible": result.eligible, "amount": result.amount,
            "errors": len(result.errors), "written": written, "facts_s": t1 - t0, "evaluate_s": t2 - t1,
            "store_s": t3 - t2, "cpu_s": time.process_time() - cpu0,
            "server_cpu_s": _server_cpu() - server0}  # fmt: skip


PERIOD = dt.date(2026, 11, 1)


def orm_loop(units, sample: int) -> tuple[int, float, float]:
    """One household at a time, as a first version would: ORM reads, evaluate, get_or_create, create."""
    import hashlib
    import json

    from django.db import connection
    from django.db.models import Q

    from socius.benefits.batch import PersonRow, member_from, trace_shape
    from socius.benefits.models import EvaluationResult, TraceTemplate
    from socius.registry.models import Membership
    from socius.rulebook.engine.benefits import Facts, IncomeRecord, evaluate

    per_centre = sample // 3
    chosen = []
    for centre_id in dict.fromkeys(u[0] for u in units):
        first = next(u for u in units if u[0] == centre_id)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT h.id FROM registry_household h WHERE h.centre_id = %s AND h.id >= %s AND EXISTS (SELECT 1 "
                "FROM registry_membership m WHERE m.household_id = h.id AND m.valid_from <= %s AND (m.valid_until "
                "IS NULL OR m.valid_until > %s)) ORDER BY h.id LIMIT %s",
                [centre_id, first[3], PERIOD, PERIOD, per_centre],
            )
            chosen += [(row[0], first) for row in cur.fetchall()]
    started = time.perf_counter()
    cpu = time.process_time()
    for household_id, (centre_id, country, benefit, *_rest) in chosen:
        memberships = list(
            Membership.objects.filter(household_id=household_id, valid_from__lte=PERIOD)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=PERIOD))
            .select_related("person")
            .order_by("valid_from", "id")
        )
        memberships.sort(key=lambda m: m.relationship != "head")
        with connection.cursor() as cur:
            cur.execute(
                "SELECT person_id, month, kind, amount FROM bench_income WHERE person_id = ANY(%s)",
                [[m.person_id for m in memberships]],
            )
            incomes: dict[int, list] = {}
            for person_id, month, kind, amount in cur.fetchall():
                incomes.setdefault(person_id, []).append(IncomeRecord(kind=kind, amount=amount, month=month))
        flags = _flags_for(country)
        members = []
        for index, m in enumerate(memberships):
            person = PersonRow(m.person.pk, m.person.birth_date, m.person.employment_status, m.person.disability_degree)
            members.append(
                member_from(
                    person,
                    m.relationship,
                    is_applicant=index == 0,
                    incomes=incomes.get(m.person_id, ()),
                    flags=flags(person) if flags else (),
                )
            )
        outcome = evaluate(benefit, Facts(period=PERIOD, members=tuple(members), application_on=PERIOD))
        shape = trace_shape(outcome)
        key = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()
        template, _created = TraceTemplate.objects.get_or_create(
            key=key,
            defaults={
                "benefit": benefit,
                "formula_version": outcome.version,
                "rules_version": outcome.rules_version,
                "steps": shape["steps"],
            },
        )
        EvaluationResult.objects.create(
            centre_id=centre_id, household_id=household_id, benefit=benefit, period=PERIOD, eligible=outcome.eligible,
            amount=outcome.amount, minimum=outcome.minimum, maximum=outcome.maximum,
            reasons=[r.code for r in outcome.reasons], template=template, trace_values=list(outcome.trace_values),
        )  # fmt: skip
    return len(chosen), time.perf_counter() - started, time.process_time() - cpu


def service_check(units, per_centre: int) -> tuple[int, list[str]]:
    """The set-based outcomes against the one-application service path on the first `per_centre` households of
    each centre: for each, an application (the head as applicant, the month's first day, the household's
    incomes declared, LT's member facts recorded) whose facts come from `selectors.facts_for_application`,
    evaluated with `engine.evaluate`; its figures, reasons and stored trace (`services.stored_trace`) must
    equal the stored result expanded from its template. Everything it creates is rolled back."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from socius.accounts.models import Team
    from socius.benefits.batch import expanded_trace
    from socius.benefits.models import Application, ApplicationMember, IncomeDeclaration
    from socius.benefits.models_recalculation import EvaluationResult
    from socius.benefits.selectors import facts_for_application
    from socius.benefits.services import stored_trace
    from socius.casework.models import Case
    from socius.registry.models import Membership
    from socius.rulebook.engine.benefits import evaluate

    checked, differences = 0, []
    with transaction.atomic():
        worker = get_user_model().objects.create(username="bench-service-check")
        for centre_id in dict.fromkeys(u[0] for u in units):
            country, benefit = next((u[1], u[2]) for u in units if u[0] == centre_id)
            flags = _flags_for(country)
            team = Team.objects.create(centre_id=centre_id, problem_group="poverty", name="bench service check")
            results = (
                EvaluationResult.objects.filter(centre_id=centre_id, benefit=benefit, period=PERIOD)
                .select_related("template")
                .order_by("household_id")[:per_centre]
            )
            for number, result in enumerate(results, start=1):
                members = list(
                    Membership.objects.filter(household_id=result.household_id, valid_from__lte=PERIOD)
                    .exclude(valid_until__lte=PERIOD)
                    .select_related("person")
                    .order_by("valid_from", "id")
                )
                members.sort(key=lambda m: m.relationship != "head")
                case = Case.objects.create(
                    centre_id=centre_id, year=PERIOD.year, number=900_000 + number, reference=f"BENCH/{number}",
                    household_id=result.household_id, assigned_worker=worker, team=team, opened_on=PERIOD,
                )  # fmt: skip
                application = Application.objects.create(
                    centre_id=centre_id, case=case, household_id=result.household_id,
                    applicant_id=members[0].person_id, benefit=benefit, applied_on=PERIOD, period_from=PERIOD,
                )  # fmt: skip
                with connection.cursor() as cur:
                    cur.execute(
                        "SELECT person_id, month, kind, amount FROM bench_income WHERE person_id = ANY(%s)",
                        [[m.person_id for m in members]],
                    )
                    IncomeDeclaration.objects.bulk_create(
                        IncomeDeclaration(application=application, person_id=p, month=mo, kind=k, amount=a)
                        for p, mo, k, a in cur.fetchall()
                    )
                if flags:
                    ApplicationMember.objects.bulk_create(
                        ApplicationMember(application=application, person_id=m.person_id, flags=list(flags(m.person)))
                        for m in members
                        if flags(m.person)
                    )
                facts, _ids = facts_for_application(application)
                outcome = evaluate(benefit, facts)
                service = (outcome.eligible, outcome.amount, outcome.minimum, outcome.maximum,
                           [r.code for r in outcome.reasons], stored_trace(outcome))  # fmt: skip
                stored = (result.eligible, result.amount, result.minimum, result.maximum, result.reasons,
                          expanded_trace(result.template, result.trace_values))  # fmt: skip
                checked += 1
                if service != stored:
                    differences.append(f"{benefit} household {result.household_id}: {service[:5]} != {stored[:5]}")
        transaction.set_rollback(True)
    return checked, differences


def _has_incomes() -> int:
    """The rows of an existing bench_income table (0 when there is none)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_income') IS NOT NULL")
        if not cur.fetchone()[0]:
            return 0
        cur.execute("SELECT count(*) FROM bench_income")
        return cur.fetchone()[0]


def warm_up() -> None:
    """Load the packs (benefit YAML, parameters of the month) in the parent, so the forked workers share them
    instead of each reading them again."""
    from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member, evaluate

    adult = Member(role="applicant", birth_date=dt.date(1980, 1, 1), flags=frozenset({"works"}),
                   incomes=(IncomeRecord(kind="employment", amount=Decimal("100.00"), month=PERIOD),))  # fmt: skip
    child = Member(role="child", birth_date=PERIOD.replace(year=PERIOD.year - 5))
    for _country, _code, benefit in CENTRES:
        for members in ((adult,), (adult, child), (adult, adult, child, child)):
            evaluate(benefit, Facts(period=PERIOD, members=members, application_on=PERIOD))


def main(argv=None) -> None:
    global PERIOD
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="households of the one-at-a-time ORM loop")
    parser.add_argument("--check", type=int, default=200, help="households a centre checked against the service")
    parser.add_argument("--period", default="2026-11", help="the month evaluated (YYYY-MM)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep an existing population (skip the load)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/eligibility.py needs PostgreSQL (COPY)")
    PERIOD = dt.date.fromisoformat(args.period + "-01")
    before = calibrate(args.database_url)
    print(before.line("calibration before"), flush=True)
    t_load = 0.0
    if not args.reuse:
        drop_database(args.database_url)
        print("loading the population with bench/synthetic.py:", flush=True)
        t_load = load_population(args.database_url, args.households, args.seed, args.workers)
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    from django.db import connection, connections

    if args.reuse and _has_incomes():
        income_rows, t_incomes = _has_incomes(), 0.0
    else:
        income_rows, t_incomes = load_incomes(PERIOD, args.seed)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE benefits_evaluationresult, benefits_tracetemplate CASCADE")
        cur.execute("VACUUM ANALYZE registry_membership")
    units = household_ranges(args.households)
    warm_up()
    connections.close_all()
    load_avg = os.getloadavg()
    started = time.perf_counter()
    results = []
    with mp.get_context("fork").Pool(args.workers) as pool:
        for result in pool.imap_unordered(set_based_unit, units):
            results.append(result)
            done = sum(r["households"] for r in results)
            print(f"\r  evaluated {done:,} / {args.households:,} households", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT template_id) FROM benefits_evaluationresult")
        stored, templates = cur.fetchone()
        cur.execute("SELECT pg_total_relation_size('benefits_evaluationresult')")
        size = cur.fetchone()[0]
    households = sum(r["households"] for r in results)
    loop_n, loop_s, loop_cpu = orm_loop(units, args.sample)
    checked, differences = service_check(units, args.check)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM benefits_evaluationresult")
        stored_after = cur.fetchone()[0]

    print(
        f"eligibility: {households:,} households in 3 centres for {PERIOD:%Y-%m}, each with its country's benefit "
        f"(PL pl.periodic_allowance, MD md.social_aid, LT lt.social_benefit); {income_rows:,} synthetic income rows "
        f"(3 months); population load {t_load:.1f} s, incomes {t_incomes:.1f} s"
    )
    by_benefit: dict[str, Counter] = {}
    for r in results:
        c = by_benefit.setdefault(r["benefit"], Counter())
        for key in ("households", "eligible", "errors", "written"):
            c[key] += r[key]
        c["amount"] += r["amount"]
    print(f"{'benefit':<24}{'households':>12}{'eligible':>10}{'share':>8}{'sum of amounts':>18}{'errors':>8}")
    for benefit, c in by_benefit.items():
        print(f"{benefit:<24}{c['households']:>12,}{c['eligible']:>10,}{c['eligible'] / c['households']:>8.1%}"
              f"{c['amount']:>18,.2f}{c['errors']:>8}")  # fmt: skip
    facts_s = sum(r["facts_s"] for r in results)
    eval_s = sum(r["evaluate_s"] for r in results)
    store_s = sum(r["store_s"] for r in results)
    cpu_s = sum(r["cpu_s"] for r in results)
    print(f"set-based, {args.workers} worker processes, {len(units)} ranges of up to {RANGE:,} households:")
    print(f"  wall {wall:.1f} s, {households / wall:,.0f} households/s  (target: under 60 s for 1,000,000)")
    print(f"  summed over workers: facts (1 query a range) {facts_s:.1f} s, evaluate {eval_s:.1f} s "
          f"({eval_s / households * 1e6:.0f} µs a household), store (COPY) {store_s:.1f} s; CPU time of the "
          f"workers {cpu_s:.1f} s ({cpu_s / households * 1e6:.0f} µs a household)")  # fmt: skip
    server_s = sum(r["server_cpu_s"] for r in results)
    print(f"  CPU: workers {cpu_s:.1f} s + their PostgreSQL sessions {server_s:.1f} s = {cpu_s + server_s:.1f} s "
          f"({(cpu_s + server_s) / households * 1e6:.0f} µs a household; {(cpu_s + server_s) / 2:.1f} s of wall on "
          f"two otherwise idle cores)")  # fmt: skip
    print(f"  stored {stored:,} results with {templates} trace templates; table with indexes {size / 2**20:,.0f} MiB "
          f"({size / max(stored, 1):.0f} bytes a result)")  # fmt: skip
    loop_rate = loop_n / loop_s
    print(f"one household at a time (ORM loop, {loop_n:,} households, one process): {loop_s:.1f} s, "
          f"{loop_rate:,.0f} households/s, {loop_s / loop_n * 1000:.2f} ms a household (CPU of the process "
          f"{loop_cpu / loop_n * 1e6:.0f} µs); "
          f"{stored_after - stored:,} results stored")  # fmt: skip
    print(f"ratio set-based / ORM loop: {households / wall / loop_rate:.1f}x the rate "
          f"(the loop would take {args.households / loop_rate:,.0f} s for {args.households:,})")  # fmt: skip
    print(
        f"equal to the one-application service (facts_for_application, evaluate, stored_trace): "
        f"{checked - len(differences):,} of {checked:,} households checked (the first {args.check} of each centre)"
    )
    for line in differences[:10]:
        print("  DIFFERENT: " + line)
    print(f"for comparison (issue 8): openIMIS enrolment 69 s for 100,000 beneficiaries = 1,449 a second; "
          f"here {households / wall:,.0f} a second")  # fmt: skip
    print(f"load average during the set-based phase: {load_avg[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    print(before.line("calibration before"))
    connections.close_all()
    print(calibrate(args.database_url).line("calibration after"))
    if not args.keep:
        drop_database(args.database_url)
        print(f"database {args.database_url.rsplit('/', 1)[-1]} dropped")


if __name__ == "__main__":
    main()
