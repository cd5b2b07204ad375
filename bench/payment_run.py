"""A monthly payment run for 1,000,000 active decisions on PostgreSQL, with peak memory and the ratio against a
one-decision-at-a-time ORM loop.

    .venv/bin/python bench/payment_run.py --decisions 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/socius_payrun_bench

1. A database of its own (dropped first if present, dropped at the end unless `--keep`), migrated; a PL centre
   with 40 villages, its staff and two funds (own tasks: the periodic allowance, paid from one bank account;
   state-commissioned: the purpose allowance, from another), with allocations covering the year. Then, set-based
   in the server (INSERT … SELECT generate_series): one person heading one household per decision, a case each,
   and the approved, active decisions: 90 % zasiłek okresowy from January 2025 (open-ended), 10 % one-off zasiłek
   celowy in March 2025; 80 % paid by bank transfer to a valid PL IBAN, 20 % in cash; each decision's
   commitment for 2025 on its fund (as the approval hook writes it).
2. The run of March 2025, timed by phase, as finance and the director do it: prepare (`runs.prepare_run`: one
   INSERT … SELECT, inline as without a broker), check (`runs.check_run`: the anomalies), approve
   (`runs.approve_run`: row locks, the funds' commitments check `funds.uncommitted_in_run` + `check_spending`),
   then the pain.001.001.03 files (`bankfiles.pain001.write`, streamed, one message per debtor account, split at
   `--max-transactions`), and, untimed in the total, the files' validation against the XSD.
3. The baseline: preparing April for a sample of `--sample` decisions one at a time with the ORM (read the
   decision, its person, its fund, its details, look for a payment, save the payment, then its end-to-end id),
   in a transaction rolled back; the ratio is its time per decision against the set-based preparation's.
4. Peak memory: the process's maximum resident set (resource.getrusage) after each phase; PostgreSQL's own
   memory is not in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402
from bench.eligibility import drop_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_payrun_bench"
CENTRE = "bench-pay"
MONTH = dt.date(2025, 3, 1)
SAMPLE_MONTH = dt.date(2025, 4, 1)
PERIODIC = "pl.periodic_allowance"
PURPOSE = "pl.purpose_allowance"

# Persons, households, memberships, cases, decisions and commitments, ids 1..N (a fresh database), in the server.
POPULATION_SQL = """
INSERT INTO registry_person (id, created_at, updated_at, first_name, last_name, birth_date, sex, national_id,
    citizenship, territory_id, street_address, phone, email, education, employment_status, disability_degree, notes,
    search_name, search_address, phone_digits, centre_id)
SELECT g, now(), now(), 'Anna', 'Osoba ' || g, date '1950-01-01' + (g %% 20000), 'F', '', 'PL',
    (%(localities)s::bigint[])[1 + g %% %(n_localities)s], '', '', '', '', '', '', '', '', '', '',
    %(centre)s
FROM generate_series(1, %(n)s) g;

INSERT INTO registry_household (id, created_at, updated_at, territory_id, street_address, external_ref, notes,
    centre_id)
SELECT g, now(), now(), (%(localities)s::bigint[])[1 + g %% %(n_localities)s], '', '', '', %(centre)s
FROM generate_series(1, %(n)s) g;

INSERT INTO registry_membership (id, relationship, valid_from, created_at, household_id, person_id)
SELECT g, 'head', date '2020-01-01', now(), g, g FROM generate_series(1, %(n)s) g;

INSERT INTO casework_case (id, created_at, updated_at, year, number, reference, circumstances, status,
    closure_reason, opened_on, notes, assigned_worker_id, centre_id, team_id, household_id)
SELECT g, now(), now(), 2024, g, g || '/2024', '["poverty"]'::jsonb, 'opened', '', date '2024-12-01', '',
    %(worker)s, %(centre)s, %(team)s, g
FROM generate_series(1, %(n)s) g;

INSERT INTO benefits_decision (id, kind, benefit, one_off, period_from, period_to, amount, currency,
    payment_method, iban, facts, member_ids, rules_version, parameters, reasons, trace, justification, status,
    state, proposed_at, approved_at, decided_on, returned_comment, year, number, reference, applicant_id, case_id,
    centre_id, household_id, proposed_by_id, approved_by_id)
SELECT g, 'grant', CASE WHEN g %% 10 = 0 THEN %(purpose)s ELSE %(periodic)s END, g %% 10 = 0,
    CASE WHEN g %% 10 = 0 THEN date '2025-03-01' ELSE date '2025-01-01' END, NULL,
    round(100 + (g::bigint * 7919 %% 80000) / 100.0, 2), 'PLN',
    CASE WHEN g %% 5 = 1 THEN 'cash' ELSE 'bank_transfer' END,
    CASE WHEN g %% 5 = 1 THEN '' ELSE
        'PL' || lpad((98 - (('10901014' || lpad(g::text, 16, '0') || '252100')::numeric %% 97))::int::text, 2, '0')
        || '10901014' || lpad(g::text, 16, '0') END,
    '{}'::jsonb, '[]'::jsonb, 'bench', '{}'::jsonb, '[]'::jsonb, '[]'::jsonb, '', 'approved', 'active',
    now(), now(), date '2024-12-20', '', 2025, g, g || '/2025', g, g, %(centre)s, g, %(worker)s, %(director)s
FROM generate_series(1, %(n)s) g;

INSERT INTO payments_commitment (fund_id, year, decision_id, month_from, month_to, monthly_amount, amount,
    created_at, updated_at)
SELECT CASE WHEN d.one_off THEN %(state_fund)s ELSE %(own_fund)s END, 2025, d.id, d.period_from,
    CASE WHEN d.one_off THEN d.period_from ELSE date '2025-12-01' END, d.amount,
    CASE WHEN d.one_off THEN d.amount ELSE d.amount * 12 END, now(), now()
FROM benefits_decision d WHERE d.centre_id = %(centre)s;
"""


READ_TABLES = (
    "registry_person", "registry_household", "registry_membership", "casework_case", "benefits_decision",
    "benefits_application", "payments_commitment", "payments_payment",
)  # fmt: skip


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=env, cwd=ROOT)


def load(args) -> dict:
    """The centre, its staff and funds, and the decisions with their commitments."""
    from bench.synthetic import centre_and_localities, ensure_database, setup_django

    started = time.perf_counter()
    ensure_database(args.database_url)
    migrate(args.database_url)
    os.environ.pop("CELERY_BROKER_URL", None)
    setup_django(args.database_url)
    from django.db import connection, transaction

    from socius.accounts.models import Team, User
    from socius.accounts.roles import Role
    from socius.payments.models import BenefitFund, Fund, FundAllocation

    centre_id, _created, localities = centre_and_localities(CENTRE, "PL")
    staff = {}
    for name, role in (("worker", Role.SOCIAL_WORKER), ("finance", Role.FINANCE_OFFICER), ("director", Role.DIRECTOR)):
        staff[name] = User.objects.create(username=f"{CENTRE}-{name}", centre_id=centre_id, role=role, first_name=name)
    team = Team.objects.create(centre_id=centre_id, name="Bench", problem_group="poverty")
    funds = {}
    for code, kind, benefit, iban in (
        ("own", "own_tasks", PERIODIC, "PL27114020040000300201355387"),
        ("state", "state_commissioned", PURPOSE, "PL61109010140000071219812874"),
    ):
        funds[code] = Fund.objects.create(
            centre_id=centre_id, code=code, name=f"Fund {code}", kind=kind, currency="PLN", debtor_name="GOPS Bench",
            debtor_iban=iban, debtor_bic="WBKPPLPP",
        )  # fmt: skip
        BenefitFund.objects.create(centre_id=centre_id, benefit=benefit, fund=funds[code])
    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        # Synthetic rows: no change-trail triggers while loading (they would write a trail row per person,
        # household, case, decision and commitment: 5,000,000 rows of JSON that the run does not read).
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(
            POPULATION_SQL,
            {
                "n": args.decisions, "centre": centre_id, "worker": staff["worker"].pk,
                "director": staff["director"].pk, "team": team.pk, "localities": [t for t, _name in localities],
                "n_localities": len(localities), "periodic": PERIODIC, "purpose": PURPOSE,
                "own_fund": funds["own"].pk, "state_fund": funds["state"].pk,
            },
        )  # fmt: skip
        for table in ("registry_person", "registry_household", "registry_membership", "casework_case",
                      "benefits_decision"):  # fmt: skip
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {args.decisions})")
        cur.execute(
            "SELECT fund_id, sum(amount) FROM payments_commitment WHERE fund_id IN (%s, %s) GROUP BY fund_id",
            [funds["own"].pk, funds["state"].pk],
        )
        committed = dict(cur.fetchall())
    for fund in funds.values():
        FundAllocation.objects.create(
            fund=fund, year=2025, kind="initial", amount=(committed.get(fund.pk, 0) * Decimal("1.05")).quantize(
                Decimal("0.01")), decided_on=dt.date(2025, 1, 2), recorded_by=staff["director"],
        )  # fmt: skip
    with connection.cursor() as cur:
        for table in READ_TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")
    return {
        "centre_id": centre_id,
        "staff": staff,
        "funds": funds,
        "setup_s": setup_s,
        "population_s": time.perf_counter() - started,
    }


def reuse(args) -> dict:
    """A database loaded by an earlier --setup-only: its runs removed, the rest as loaded."""
    from bench.synthetic import setup_django

    os.environ.pop("CELERY_BROKER_URL", None)
    setup_django(args.database_url)
    from django.db import connection

    from socius.accounts.models import Centre, User
    from socius.payments.models import Fund

    centre = Centre.objects.get(code=CENTRE)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM payments_payment")
        cur.execute("DELETE FROM payments_paymentrun")
        cur.execute("VACUUM ANALYZE payments_payment")
    args.keep = True
    return {
        "centre_id": centre.pk,
        "staff": {u.first_name: u for u in User.objects.filter(centre=centre)},
        "funds": {f.code: f for f in Fund.objects.filter(centre=centre)},
        "setup_s": 0.0,
        "population_s": 0.0,
    }


def orm_loop(setup: dict, sample: int) -> float:
    """April for `sample` periodic decisions, one at a time with the ORM, rolled back; seconds."""
    from django.db import transaction

    from socius.benefits.models import Decision
    from socius.payments.models import BenefitFund, Payment, PaymentDetailsChange, PaymentRun

    class Rollback(Exception):
        pass

    ids = list(
        Decision.objects.filter(centre_id=setup["centre_id"], one_off=False)
        .order_by("id")
        .values_list("id", flat=True)[:sample]
    )
    started = time.perf_counter()
    try:
        with transaction.atomic():
            run = PaymentRun.objects.create(
                centre_id=setup["centre_id"], month=SAMPLE_MONTH, number=1, prepared_by=setup["staff"]["finance"]
            )
            for decision_id in ids:
                decision = Decision.objects.select_related("applicant").get(pk=decision_id)
                if Payment.objects.filter(decision=decision, month=SAMPLE_MONTH).exclude(status="cancelled").exists():
                    continue
                fund = BenefitFund.objects.filter(centre_id=decision.centre_id, benefit=decision.benefit).first()
                details = (
                    PaymentDetailsChange.objects.filter(person_id=decision.applicant_id)
                    .order_by("-changed_at", "-id")
                    .first()
                )
                person = decision.applicant
                payment = Payment.objects.create(
                    run=run, centre_id=decision.centre_id, fund_id=fund.fund_id if fund else None, decision=decision,
                    person=person, household_id=decision.household_id, territory_id=person.territory_id,
                    payee_name=f"{person.first_name} {person.last_name}", benefit=decision.benefit,
                    purpose=f"{decision.reference} {SAMPLE_MONTH:%Y-%m}", month=SAMPLE_MONTH, amount=decision.amount,
                    currency=decision.currency,
                    channel=details.channel if details else (
                        "bank_transfer" if decision.payment_method == "bank_transfer" else "cashier"),
                    iban=details.iban if details else decision.iban, end_to_end_id=f"tmp-{decision_id}",
                )  # fmt: skip
                payment.end_to_end_id = f"BENCH-{SAMPLE_MONTH:%Y%m}-1-{payment.pk}"
                payment.save(update_fields=["end_to_end_id"])
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="decisions in the one-at-a-time ORM loop")
    parser.add_argument("--max-transactions", type=int, default=100_000, help="pain.001 transactions per file")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--setup-only", action="store_true", help="load the database, keep it, and stop")
    parser.add_argument("--reuse", action="store_true", help="run on a database loaded by --setup-only (kept)")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/payment_run.py needs PostgreSQL")
    before = calibrate(args.database_url)
    print(before.line("calibration before"), flush=True)
    if args.reuse:
        setup = reuse(args)
    else:
        drop_database(args.database_url)
        setup = load(args)
    print(
        f"setup: database, centre and funds {setup['setup_s']:.1f} s; {args.decisions:,} persons, households, cases, "
        f"decisions and commitments in the server {setup['population_s']:.1f} s",
        flush=True,
    )
    if args.setup_only:
        return
    from django.db import connection
    from django.db.models import Count

    from socius.payments import runs
    from socius.payments.models import Payment, PaymentRun

    finance, director = setup["staff"]["finance"], setup["staff"]["director"]
    phases: list[tuple[str, float, float]] = []
    load_avg = os.getloadavg()
    total_started = time.perf_counter()

    started = time.perf_counter()
    run = runs.prepare_run(finance, setup["centre_id"], MONTH)
    phases.append(("prepare (INSERT … SELECT)", time.perf_counter() - started, rss_mib()))
    prepare_s = phases[-1][1]

    started = time.perf_counter()
    run = runs.check_run(finance, run.pk)
    phases.append(("check (anomalies)", time.perf_counter() - started, rss_mib()))

    started = time.perf_counter()
    run = runs.approve_run(director, run.pk)
    phases.append(("approve (locks, commitments check)", time.perf_counter() - started, rss_mib()))

    files = []
    try:
        from socius.payments.bankfiles import pain001
    except ImportError:
        pain001 = None
    out_dir = Path(tempfile.mkdtemp(prefix="payrun-bench-"))
    if pain001 is not None:
        started = time.perf_counter()
        files = pain001.write(run, out_dir, max_transactions=args.max_transactions, execution_date=dt.date(2025, 3, 25))
        phases.append(("pain.001 files (streamed)", time.perf_counter() - started, rss_mib()))
    total_s = time.perf_counter() - total_started
    load_after = os.getloadavg()
    peak_run = rss_mib()

    validate_s = None
    if pain001 is not None:
        started = time.perf_counter()
        for f in files:
            pain001.validate_pain001(f.path)
        validate_s = time.perf_counter() - started
    rss_validate = rss_mib()

    run = PaymentRun.objects.get(pk=run.pk)
    by_channel = dict(Payment.objects.filter(run=run).values_list("channel").annotate(n=Count("id")).order_by())
    codes: dict[str, int] = {}
    for anomaly in run.anomalies:
        codes[anomaly["code"]] = codes.get(anomaly["code"], 0) + 1

    loop_s = orm_loop(setup, args.sample)
    per_set = prepare_s / max(run.payment_count, 1)
    per_loop = loop_s / args.sample

    print(
        f"run {run.month:%Y-%m}/{run.number}: {run.status}, {run.payment_count:,} payments, total {run.total:,} PLN; "
        f"channels {by_channel}; anomalies {codes or 'none'}"
    )
    for name, seconds, rss in phases:
        print(f"  {name:<40}{seconds:>8.1f} s   peak RSS so far {rss:>7,.0f} MiB")
    print(
        f"total (prepare + check + approve + pain.001): {total_s:.1f} s (target under 60 s); "
        f"peak RSS {peak_run:,.0f} MiB (target under 1 GiB)"
    )
    if files:
        sizes = sum(f.path.stat().st_size for f in files)
        print(
            f"pain.001: {len(files)} files of at most {args.max_transactions:,} transactions, "
            f"{sum(f.transactions for f in files):,} transactions, {sizes / 2**20:,.0f} MiB; debtor accounts "
            f"{sorted({f.debtor_iban for f in files})}; XSD validation of every file {validate_s:.1f} s "
            f"(not in the total), peak RSS after it {rss_validate:,.0f} MiB"
        )
    else:
        print("pain.001: the bankfiles writer is not in this branch (not measured)")
    print(
        f"one-at-a-time ORM loop: {args.sample:,} decisions in {loop_s:.1f} s ({per_loop * 1000:.2f} ms each; "
        f"{per_loop * run.payment_count:,.0f} s extrapolated to this run); set-based preparation "
        f"{per_set * 1e6:.1f} µs each: {per_loop / per_set:,.0f}× faster"
    )
    print(f"load average during the run: {load_avg[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    for f in files:
        f.path.unlink()
    out_dir.rmdir()
    print(before.line("calibration before"))
    connection.close()
    print(calibrate(args.database_url).line("calibration after"))
    if not args.keep:
        drop_database(args.database_url)
        print(f"database {args.database_url.rsplit('/', 1)[-1]} dropped")


if __name__ == "__main__":
    main()
