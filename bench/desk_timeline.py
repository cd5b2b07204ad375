"""Server time of the worker's desk and of a household timeline, over synthetic casework in PostgreSQL.

    .venv/bin/python bench/desk_timeline.py --persons 50000 --rows 200000 --seed 1 \
        --database-url postgres://postgres@127.0.0.1:5432/socius_bench_desk --create-db

1. Persons in households: bench/synthetic.py (COPY), into centre `--centre` (skipped with --persons 0).
2. Casework on top, with bulk_create: `--workers-n` social workers in one team, one case per
   `--households-per-case` households (opening events), `--rows` contacts, home visits and social work
   activities (40/30/30) spread over cases and households in the last two years, plus for each case an
   assessment, a help plan (goal, two actions), a social contract with an obligation, and a referral
   for one case in five. Already loaded casework is kept (step 2 is skipped when the centre has cases).
3. Requests through Django's test Client (full middleware, session of a worker): the home page with
   the desk, GET /api/v1/desk/, the household timeline page and GET /api/v1/households/{id}/timeline/
   for the busiest household of that worker; one warm-up, then `--requests` timed runs each; p50/p95
   in milliseconds and the number of queries per request.
Synthetic data only. Nothing asserts a time: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_bench_desk"
BATCH = 5000


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


def load_casework(args, centre) -> None:
    from django.db import transaction
    from django.utils import timezone

    from socius.accounts.models import Team, User
    from socius.accounts.roles import Role
    from socius.assessments.models import Assessment
    from socius.casework.models import (
        Case,
        CaseCounter,
        CaseEvent,
        CaseEventKind,
        Contact,
        HomeVisit,
        Partner,
        Referral,
        SocialWorkActivity,
        VisitStatus,
    )
    from socius.plans.models import Goal, HelpPlan, Obligation, PlanAction, SocialContract
    from socius.registry.models import Household, Membership

    rng = random.Random(args.seed)
    today = timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        team = Team.objects.create(centre=centre, problem_group="family", name="Bench family team")
        workers = []
        for i in range(args.workers_n):
            user = User(username=f"{centre.code}-worker{i}", centre=centre, role=Role.SOCIAL_WORKER)
            user.set_unusable_password()
            workers.append(user)
        User.objects.bulk_create(workers)
        workers = list(User.objects.filter(centre=centre, role=Role.SOCIAL_WORKER).order_by("pk"))
        team.members.add(*workers)
        households = list(Household.objects.filter(centre=centre).order_by("pk").values_list("pk", flat=True))
        members: dict[int, list[int]] = {}
        for household_id, person_id in Membership.objects.filter(household__centre=centre).values_list(
            "household_id", "person_id"
        ):
            members.setdefault(household_id, []).append(person_id)
        case_households = households[:: args.households_per_case]
        year = today.year
        cases = [
            Case(
                centre=centre,
                year=year,
                number=n + 1,
                reference=f"{year}/{n + 1:04d}",
                household_id=h,
                assigned_worker=workers[n % len(workers)],
                team=team,
                circumstances=["poverty"],
                opened_on=today - dt.timedelta(days=rng.randint(0, 700)),
            )
            for n, h in enumerate(case_households)
        ]
        Case.objects.bulk_create(cases, batch_size=BATCH)
        CaseCounter.objects.update_or_create(centre=centre, year=year, defaults={"last_number": len(cases)})
        cases = list(Case.objects.filter(centre=centre).order_by("pk"))
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(case=c, kind=CaseEventKind.OPENED, at=_aware(c.opened_on), actor=c.assigned_worker, data={})
                for c in cases
            ],
            batch_size=BATCH,
        )
        print(f"  {len(workers)} workers, {len(cases)} cases", flush=True)

        n_contacts, n_visits = args.rows * 4 // 10, args.rows * 3 // 10
        n_activities = args.rows - n_contacts - n_visits
        contact_rows, contact_households = [], []
        for _ in range(n_contacts):
            h = rng.choice(case_households) if rng.random() < 0.5 else rng.choice(households)
            contact_households.append(h)
            contact_rows.append(
                Contact(
                    centre=centre,
                    occurred_at=_aware(today - dt.timedelta(days=rng.randint(0, 700)), rng.randint(8, 16)),
                    channel=rng.choice(("office", "phone", "home")),
                    household_id=h,
                    handled_by=rng.choice(workers),
                )
            )
        Contact.objects.bulk_create(contact_rows, batch_size=BATCH)
        through = Contact.persons.through
        links = [
            through(contact_id=c.pk, person_id=rng.choice(members[h]))
            for c, h in zip(contact_rows, contact_households, strict=True)
            if members.get(h)
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        print(f"  {n_contacts} contacts", flush=True)

        visits = []
        for _ in range(n_visits):
            case = rng.choice(cases)
            day = today + dt.timedelta(days=rng.randint(-700, 20))
            done = day < today - dt.timedelta(days=3) or rng.random() < 0.2
            visits.append(
                HomeVisit(
                    case=case,
                    planned_on=day,
                    done_on=day if done else None,
                    status=VisitStatus.DONE if done else VisitStatus.PLANNED,
                    place="",
                    purpose="Synthetic visit",
                )
            )
        HomeVisit.objects.bulk_create(visits, batch_size=BATCH)
        HomeVisit.visitors.through.objects.bulk_create(
            [HomeVisit.visitors.through(homevisit_id=v.pk, user_id=v.case.assigned_worker_id) for v in visits],
            batch_size=BATCH,
        )
        print(f"  {n_visits} home visits", flush=True)
        activities = []
        for _ in range(n_activities):
            case = rng.choice(cases)
            activities.append(
                SocialWorkActivity(
                    case=case,
                    type=rng.choice(("information", "guidance", "counselling")),
                    performed_on=today - dt.timedelta(days=rng.randint(0, 700)),
                    duration_minutes=rng.choice((15, 30, 60)),
                    performed_by_id=case.assigned_worker_id,
                )
            )
        SocialWorkActivity.objects.bulk_create(activities, batch_size=BATCH)
        print(f"  {n_activities} social work activities", flush=True)

        Assessment.objects.bulk_create(
            [
                Assessment(
                    case=c,
                    instrument_code="pl-rws",
                    instrument_version="2021",
                    kind="initial",
                    need_identified_on=c.opened_on,
                    due_on=c.opened_on + dt.timedelta(days=20),
                )
                for c in cases
            ],
            batch_size=BATCH,
        )
        plans = HelpPlan.objects.bulk_create(
            [HelpPlan(case=c, title="Plan", status="active", valid_from=c.opened_on) for c in cases], batch_size=BATCH
        )
        goals = Goal.objects.bulk_create([Goal(plan=p, description="Goal") for p in plans], batch_size=BATCH)
        PlanAction.objects.bulk_create(
            [
                PlanAction(
                    goal=g,
                    kind="social_work",
                    description=f"Action {i}",
                    responsible="worker",
                    due_on=today + dt.timedelta(days=rng.randint(-30, 60)),
                )
                for g in goals
                for i in range(2)
            ],
            batch_size=BATCH,
        )
        contracts = SocialContract.objects.bulk_create(
            [
                SocialContract(
                    case=c,
                    variant="IA_IIA",
                    worker_id=c.assigned_worker_id,
                    valid_from=c.opened_on,
                    valid_until=max(
                        c.opened_on + dt.timedelta(days=30), today + dt.timedelta(days=rng.randint(-10, 180))
                    ),
                    status="in_progress",
                )
                for c in cases
            ],
            batch_size=BATCH,
        )
        Obligation.objects.bulk_create(
            [
                Obligation(
                    contract=k,
                    party="client",
                    description="Obligation",
                    due_on=today + dt.timedelta(days=rng.randint(-20, 60)),
                )
                for k in contracts
            ],
            batch_size=BATCH,
        )
        partner = Partner.objects.create(centre=centre, name="Bench school", kind="school")
        Referral.objects.bulk_create(
            [
                Referral(
                    centre=centre,
                    case=c,
                    direction="outgoing",
                    partner=partner,
                    reason="Bench",
                    sent_on=(sent := today - dt.timedelta(days=rng.randint(0, 60))),
                    response_due_on=sent + dt.timedelta(days=rng.randint(0, 45)),
                )
                for c in cases[::5]
            ],
            batch_size=BATCH,
        )
    print(f"  casework loaded in {time.perf_counter() - started:.0f} s", flush=True)


def _aware(day: dt.date, hour: int = 9):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def measure(client, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the request resets connection.queries_log.
    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times, len(executed)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=50_000, help="persons to add with synthetic.py (0: none)")
    parser.add_argument("--rows", type=int, default=200_000, help="contacts, visits and activities in all")
    parser.add_argument("--centre", default="bench-desk")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers-n", type=int, default=50, help="social workers holding the cases")
    parser.add_argument("--households-per-case", type=int, default=4)
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

    from socius.accounts.models import Centre, User
    from socius.casework.models import Case, Contact, HomeVisit, SocialWorkActivity

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only.")
    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None or not centre.persons.exists():
        raise SystemExit(f"Centre {args.centre} has no persons: run with --persons N first.")
    if not Case.objects.filter(centre=centre).exists():
        load_casework(args, centre)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    worker = User.objects.filter(centre=centre, username=f"{centre.code}-worker0").get()
    household_id = (
        Case.objects.filter(centre=centre, assigned_worker=worker)
        .annotate(n=Count("visits"))
        .order_by("-n")
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
        "worker's open cases": Case.objects.filter(assigned_worker=worker).count(),
    }
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    pages = [
        ("home page with the desk", "/"),
        ("GET /api/v1/desk/", "/api/v1/desk/"),
        ("household timeline page", f"/households/{household_id}/timeline/"),
        ("GET /api/v1/households/{id}/timeline/", f"/api/v1/households/{household_id}/timeline/"),
    ]
    print(f"{'page':<42}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
    for label, url in pages:
        times, n_queries = measure(client, url, args.requests)
        print(
            f"{label:<42}{len(times):>6}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
            f"{max(times):>9.1f}{n_queries:>9}"
        )
    print(f"(mean of all timed requests {statistics.mean(times):.1f} ms for the last page)")


if __name__ == "__main__":
    main()
