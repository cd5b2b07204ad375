"""Issue 12: the monthly activity report of a district with 1,000,000 persons and 10,000,000 events over 3 years,
cold and from the figure cache, frozen; MRPiPS-03 for a year; a dashboard page; a naive per-record loop for the
ratio; EXPLAIN of the heaviest queries. PostgreSQL only.

    .venv/bin/python bench/reporting.py --database-url postgres://postgres@127.0.0.1:5432/socius_report_bench \
        --persons 1000000 --rows 10000000 --snapshot

Load (skipped when the centre already has contacts): persons with `synthetic.py` and three years of casework with
`desk_timeline.py` (COPY; contacts, home visits and social work activities 40/30/30 of `--rows`, with their cases,
contracts, referrals and timeline events; no audit rows), then the locality of each contact, case and visit as
migration casework 0009 backfills it (triggers off for that UPDATE: the change trail is not the measurement),
VACUUM ANALYZE. `--snapshot` keeps the loaded database as `<name>_setup` and starts later runs from a copy of it.

Measured in process (Django, the database above), for `--month` (default: the last full month):

- cold: the report's figures computed from the records (cache emptied), without and with its 12 months of
  history; then the history precomputed (`socius.reporting.tasks.precompute`, what the monthly job does) and the
  month cold;
- computed: `report_data()` again, every figure and its history served by the cache (`--runs` times, p50/p95);
- after a write elsewhere: a contact recorded today, then `report_data()` (the stamps' second level);
- frozen: an approved version (figures stored), `report_data()`;
- naive: the month's indicators counted by a Python loop over every record (the ratio to the SQL figures);
- MRPiPS-03 for a year and the dashboard page when their parts are in the tree (else said so);
- EXPLAIN (ANALYZE, BUFFERS) of the three slowest queries of a cold computation.

Where the indicators of the casework part are not registered yet, the script registers stand-ins with the same
codes and counting rules (contacts by channel, home visits done, cases opened and closed, referrals sent),
and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402
from bench.family_support import copy_database, database_exists, snapshot_name  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_report_bench"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


# --- load ---------------------------------------------------------------------------------------------------------


LOCALITIES_SQL = [
    # As migration casework 0009 backfills them: the household's locality, else the person's.
    """UPDATE casework_case c SET territory_id = h.territory_id FROM registry_household h
       WHERE h.id = c.household_id AND c.centre_id = %(centre)s""",
    """UPDATE casework_case c SET territory_id = p.territory_id FROM registry_person p
       WHERE c.household_id IS NULL AND p.id = c.person_id AND c.centre_id = %(centre)s""",
    """UPDATE casework_contact c SET territory_id = h.territory_id FROM registry_household h
       WHERE h.id = c.household_id AND c.centre_id = %(centre)s""",
    """UPDATE casework_contact c SET territory_id = x.territory_id FROM (
         SELECT DISTINCT ON (cp.contact_id) cp.contact_id, p.territory_id
         FROM casework_contact_persons cp JOIN registry_person p ON p.id = cp.person_id
         WHERE p.territory_id IS NOT NULL ORDER BY cp.contact_id, p.id) x
       WHERE x.contact_id = c.id AND c.territory_id IS NULL AND c.centre_id = %(centre)s""",
    """UPDATE casework_homevisit v SET territory_id = c.territory_id FROM casework_case c
       WHERE c.id = v.case_id AND c.centre_id = %(centre)s""",
]


TRAILED_CASEWORK = (
    "casework_case", "casework_contact", "casework_contact_persons", "casework_homevisit",
    "casework_socialworkactivity", "casework_socialworkactivity_participants", "casework_referral",
    "assessments_assessment", "plans_helpplan", "plans_goal", "plans_planaction", "plans_socialcontract",
    "plans_socialcontract_clients", "plans_obligation", "plans_caseflag",
)  # fmt: skip


def trail_inserts(url: str, on: bool) -> None:
    """The change trail's insert trigger of the casework tables off for the bulk load (an entry with the whole
    row for each of the 25 million rows would double the load) and on again after it."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in TRAILED_CASEWORK:
            conn.execute(f"ALTER TABLE {table} {'ENABLE' if on else 'DISABLE'} TRIGGER socius_trail_insert")


# Server-side top-up (`--top-up`): contacts and home visits generated by INSERT … SELECT from `--top-up-from` to
# today, evenly spread, each where its household (contact) or case (visit) lives, 90% of visits done; the triggers
# off (no trail rows) as for the COPY load.
TOP_UP_SQL = [
    """INSERT INTO casework_contact (id, created_at, updated_at, occurred_at, channel, topics, outcomes, notes,
         centre_id, created_by_id, handled_by_id, household_id, territory_id)
       SELECT m.mx + g, t.ts, t.ts, t.ts,
         (ARRAY['office','office','office','phone','phone','home','email','outreach','letter'])[1 + (g * 7919) %% 9],
         '["benefits_information"]', '["information_given"]', '', %(centre)s, w.ids[1 + (g * 31) %% w.n],
         w.ids[1 + (g * 31) %% w.n], h.id, h.territory_id
       FROM (SELECT coalesce(max(id), 0) AS mx FROM casework_contact) m,
            (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM accounts_user
              WHERE centre_id = %(centre)s AND role = 'social_worker') w,
            generate_series(1::bigint, %(contacts)s) g
       CROSS JOIN LATERAL (SELECT %(start)s::timestamptz + (g::float8 / %(contacts)s) * %(span)s * interval '1 day'
         + ((g * 37) %% 600) * interval '1 minute' AS ts) t
       JOIN (SELECT row_number() OVER (ORDER BY id) AS rn, id, territory_id FROM registry_household
              WHERE centre_id = %(centre)s) h ON h.rn = 1 + (g * 104729) %% %(households)s""",
    """INSERT INTO casework_homevisit (id, created_at, updated_at, planned_on, done_on, status, place, purpose,
         outcome, cancel_reason, case_id, territory_id)
       SELECT m.mx + g, t.d, t.d, t.d::date, CASE WHEN g %% 10 < 9 THEN t.d::date END,
         CASE WHEN g %% 10 < 9 THEN 'done' ELSE 'cancelled' END, 'home', '', '',
         CASE WHEN g %% 10 < 9 THEN '' ELSE 'client absent' END, c.id, c.territory_id
       FROM (SELECT coalesce(max(id), 0) AS mx FROM casework_homevisit) m, generate_series(1::bigint, %(visits)s) g
       CROSS JOIN LATERAL (SELECT %(start)s::timestamptz + (g::float8 / %(visits)s) * %(span)s * interval '1 day'
         AS d) t
       JOIN (SELECT row_number() OVER (ORDER BY id) AS rn, id, territory_id FROM casework_case
              WHERE centre_id = %(centre)s) c ON c.rn = 1 + (g * 7907) %% %(cases)s""",
]


def top_up(args) -> None:
    import psycopg

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        centre = conn.execute("SELECT id FROM accounts_centre WHERE code = %s", [args.centre]).fetchone()[0]
        households = conn.execute("SELECT count(*) FROM registry_household WHERE centre_id = %s", [centre]).fetchone()[
            0
        ]
        cases = conn.execute("SELECT count(*) FROM casework_case WHERE centre_id = %s", [centre]).fetchone()[0]
        start = dt.date.fromisoformat(args.top_up_from)
        params = {
            "centre": centre,
            "households": households,
            "cases": cases,
            "contacts": args.top_up_contacts,
            "visits": args.top_up_visits,
            "start": f"{start} 06:00+00",
            "span": (dt.date.today() - start).days,
        }
        conn.execute("SET session_replication_role = replica")
        for statement in TOP_UP_SQL:
            t0 = time.perf_counter()
            cur = conn.execute(statement, params)
            print(f"  top-up: {cur.rowcount:>10,} rows {statement.split()[2]} in {time.perf_counter() - t0:.1f} s")
        conn.execute("SET session_replication_role = origin")
        for table in ("casework_contact", "casework_homevisit"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def load(args) -> None:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", "PL", "--persons", str(args.persons),
         "--centre", args.centre, "--database-url", args.database_url, "--seed", str(args.seed), "--create-db"],
        check=True,
    )  # fmt: skip
    t_persons = time.perf_counter() - t0
    trail_inserts(args.database_url, on=False)
    t1 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "desk_timeline.py"), "--persons", "0", "--rows", str(args.rows),
         "--seed", str(args.seed), "--centre", args.centre, "--no-audit", "--database-url", args.database_url,
         "--load-only"],
        check=True,
    )  # fmt: skip
    trail_inserts(args.database_url, on=True)
    print(f"load: persons {t_persons:.1f} s; casework {time.perf_counter() - t1:.1f} s")
    fill_localities(args)


def fill_localities(args) -> None:
    """Where each contact, case and visit happened, as migration casework 0009 backfills it (desk_timeline.py
    predates the column), with the triggers off for the UPDATE; then VACUUM ANALYZE."""
    import psycopg

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        centre = conn.execute("SELECT id FROM accounts_centre WHERE code = %s", [args.centre]).fetchone()[0]
        t1 = time.perf_counter()
        conn.execute("SET session_replication_role = replica")  # no trail rows, no FK checks for the fill
        for statement in LOCALITIES_SQL:
            cur = conn.execute(statement, {"centre": centre})
            print(f"  localities: {cur.rowcount:>10,} rows  {statement.split()[1]}", flush=True)
        conn.execute("SET session_replication_role = origin")
        t_fill = time.perf_counter() - t1
        t2 = time.perf_counter()
        for table in ("casework_case", "casework_contact", "casework_homevisit", "accounts_changetrailentry"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        t_vacuum = time.perf_counter() - t2
    print(f"localities {t_fill:.1f} s; vacuum analyze {t_vacuum:.1f} s")


def needs_localities(args) -> bool:
    import psycopg

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM casework_contact c JOIN accounts_centre k ON k.id = c.centre_id "
            "WHERE k.code = %s) AND NOT EXISTS (SELECT 1 FROM casework_contact c JOIN accounts_centre k "
            "ON k.id = c.centre_id WHERE k.code = %s AND c.territory_id IS NOT NULL)",
            [args.centre, args.centre],
        ).fetchone()
    return bool(row[0])


# --- stand-in indicators (until the casework part's are merged) ----------------------------------------------------


def register_standins() -> list[str]:
    """Indicators with the casework part's codes and counting rules, registered only where that part's are not."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Count

    from socius.casework.models import Case, Contact, ContactChannel
    from socius.casework.models_referrals import Referral
    from socius.casework.models_visits import HomeVisit, VisitStatus
    from socius.reporting.indicators import REGISTRY, Figure, Indicator, Part, Unit, count_by_group, register

    tz = ZoneInfo(settings.TIME_ZONE)

    def bounds(scope):
        return (
            dt.datetime.combine(scope.start, dt.time(), tzinfo=tz),
            dt.datetime.combine(scope.end, dt.time(), tzinfo=tz),
        )

    def contacts(scope, group=None, part=None):
        start, end = bounds(scope)
        qs = Contact.objects.filter(centre=scope.centre, occurred_at__gte=start, occurred_at__lt=end)
        qs = qs.filter(scope.in_group("territory_id", group))
        return qs.filter(channel=part) if part else qs

    def contacts_figure(scope):
        figure = count_by_group(contacts(scope), "territory_id", scope)
        rows = (
            contacts(scope)
            .annotate(_g=scope.group_of("territory_id"))
            .values("channel", "_g")
            .annotate(n=Count("pk"))
            .order_by()
        )
        parts: dict = {}
        for r in rows:
            parts.setdefault(r["channel"], {})[r["_g"]] = r["n"]
        labels = dict(ContactChannel.choices)
        return Figure(
            figure.total,
            figure.by_group,
            tuple(Part(c, str(labels.get(c, c)), sum(g.values()), g) for c, g in sorted(parts.items())),
        )

    def visits(scope, group=None, part=None):
        qs = HomeVisit.objects.filter(
            case__centre=scope.centre, status=VisitStatus.DONE, done_on__gte=scope.start, done_on__lt=scope.end
        )
        return qs.filter(scope.in_group("territory_id", group))

    def opened(scope, group=None, part=None):
        qs = Case.objects.filter(centre=scope.centre, opened_on__gte=scope.start, opened_on__lt=scope.end)
        return qs.filter(scope.in_group("territory_id", group))

    def closed(scope, group=None, part=None):
        qs = Case.objects.filter(centre=scope.centre, closed_on__gte=scope.start, closed_on__lt=scope.end)
        return qs.filter(scope.in_group("territory_id", group))

    def referrals(scope, group=None, part=None):
        qs = Referral.objects.filter(centre=scope.centre, sent_on__gte=scope.start, sent_on__lt=scope.end)
        return qs.filter(scope.in_group("case__territory_id", group))

    specs = [
        ("contacts", "casework", contacts, contacts_figure, "territory_id"),
        ("home_visits", "casework", visits, None, "territory_id"),
        ("cases_opened", "cases", opened, None, "territory_id"),
        ("cases_closed", "cases", closed, None, "territory_id"),
        ("referrals_sent", "cases", referrals, None, "case__territory_id"),
    ]
    added = []
    for order, (code, section, records, compute, path) in enumerate(specs):
        if code in REGISTRY:
            continue

        def default_compute(scope, records=records, path=path):
            return count_by_group(records(scope), path, scope)

        register(
            Indicator(
                code=code,
                section=section,
                label=code,
                unit=Unit.COUNT,
                definition="bench stand-in",
                compute=compute or default_compute,
                records=records,
                visible=lambda actor, qs: qs,
                columns=(),
                persons_of=lambda rows: [],
                audit_object_type="bench",
                kinds=frozenset({"monthly_activity"}),
                order=order,
                extra={"path": path},
            )
        )
        added.append(code)
    return added


# --- measurement ---------------------------------------------------------------------------------------------------


def naive_month(scope, indicators) -> tuple[float, dict]:
    """The month's figures by a per-record Python loop: every record loaded as a model instance, its column found
    from its locality, counted in Python (what a report written without the database's aggregates does)."""
    from socius.reporting.indicators import NO_LOCALITY

    column = {}
    for g in scope.groups:
        for t in g.territory_ids:
            column[t] = g.id
    t0 = time.perf_counter()
    out = {}
    for indicator in indicators:
        path = indicator.extra.get("path", "territory_id").split("__")
        amount = indicator.amount_field
        total, by_group = 0, {}
        for record in indicator.records(scope, None, None).iterator(chunk_size=2000):
            obj = record
            try:
                for step in path[:-1]:
                    obj = getattr(obj, step)
                g = column.get(getattr(obj, path[-1]), NO_LOCALITY)
            except AttributeError:
                g = None  # a locality the loop does not know how to reach: the total only
            value = getattr(record, amount) if amount else 1
            by_group[g] = by_group.get(g, 0) + value
            total += value
        out[indicator.code] = (total, by_group)
    return time.perf_counter() - t0, out


def explain_slowest(queries: list[dict], top: int = 3) -> list[str]:
    from django.db import connection

    ranked = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:top]
    lines = []
    for q in ranked:
        sql = q["sql"]
        lines.append(f"-- {float(q['time']) * 1000:.0f} ms: {sql[:300]}{'…' if len(sql) > 300 else ''}")
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines.extend("   " + row[0] for row in cur.fetchall())
    return lines


def measure(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.DEBUG = False
    from socius.accounts.models import Centre, User
    from socius.casework.models import Contact
    from socius.reporting import cache
    from socius.reporting.indicators import build_scope, indicators_for
    from socius.reporting.models import Report, ReportVersion
    from socius.reporting.periods import parse_period
    from socius.reporting.report import report_data
    from socius.reporting.statuses import ReportKind, VersionStatus
    from socius.reporting.tasks import precompute

    standins = register_standins()
    centre = Centre.objects.get(code=args.centre)
    director = User.objects.filter(centre=centre, role="director").first()
    newest = Contact.objects.filter(centre=centre).order_by("-occurred_at").values_list("occurred_at", flat=True)[:1]
    last_day = timezone.localtime(newest[0]).date() if newest else dt.date.today()
    month = parse_period(args.month or f"{(last_day.replace(day=1) - dt.timedelta(days=1)):%Y-%m}")
    kind = ReportKind.MONTHLY_ACTIVITY
    indicators = indicators_for(kind)
    scope = build_scope(centre, month.start, month.end)
    counts = {
        "contacts": Contact.objects.filter(centre=centre).count(),
    }
    from socius.casework.models_visits import HomeVisit, SocialWorkActivity

    counts["home visits"] = HomeVisit.objects.count()
    counts["activities"] = SocialWorkActivity.objects.count()
    from socius.registry.models import Person

    counts["persons"] = Person.objects.filter(centre=centre).count()
    print(
        f"centre {centre.code}: {counts['persons']:,} persons, {counts['contacts']:,} contacts, "
        f"{counts['home visits']:,} home visits, {counts['activities']:,} activities; report month {month.key}; "
        f"{len(scope.groups)} columns; indicators: {', '.join(i.code for i in indicators)}"
    )
    if standins:
        print(f"stand-in indicators (the casework part is not in this tree): {', '.join(standins)}")

    sources = {t for i in indicators for t in cache.source_tables(i, scope)}
    clocks = cache.table_clocks(sources)
    print(
        f"source tables: {len(sources)}; on the change trail: {sum(1 for c in clocks.values() if c[0] == 'trail')}; "
        f"without a clock (checked at every read): {', '.join(t for t, c in clocks.items() if c == [cache.UNSEEN])}"
    )
    before = calibrate(args.database_url)
    print(before.line("calibration before"))
    report, _ = Report.objects.get_or_create(
        centre=centre,
        kind=kind,
        period=month.key,
        territory=None,
        defaults={"period_start": month.start, "period_end": month.end},
    )
    ReportVersion.objects.filter(report=report).delete()
    results: list[tuple[str, str]] = []

    def timed(label, fn, runs=1):
        times, stats = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - t0)
            stats.append(cache.LAST_STATS)
        if runs == 1:
            text = ms(times[0])
        else:
            text = (
                f"p50 {ms(statistics.median(times))}, p95 {ms(percentile(times, 95))}, max {ms(max(times))} "
                f"({runs} runs)"
            )
        results.append((label, text))
        print(f"{label:<70} {text}", flush=True)
        return value

    # Cold: the cache emptied.
    cache.invalidate(centre.pk)
    connection.force_debug_cursor = True
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        timed("cold: the month's figures, no history", lambda: report_data(director, report, history=False))
    cold_queries = list(captured.captured_queries)
    connection.force_debug_cursor = False
    if not args.quick:
        cache.invalidate(centre.pk)
        timed("cold: the month and its 12 months of history, all computed", lambda: report_data(director, report))
    cache.invalidate(centre.pk)
    previous = month.previous_months(1)[0]
    t0 = time.perf_counter()
    precompute(previous.key, centre.pk, history=11, territories=False)
    print(f"{'  (the monthly job: the 12 months before, precomputed)':<70} {ms(time.perf_counter() - t0)}")
    timed("cold: the month computed, its history from the cache", lambda: report_data(director, report))
    timed("computed: the month and its history from the cache", lambda: report_data(director, report), args.runs)

    Contact.objects.create(
        centre=centre, occurred_at=timezone.now(), channel="office", handled_by=director, territory=None
    )
    timed("computed, after a contact recorded today (stamps re-checked)", lambda: report_data(director, report))
    timed("computed, the next read", lambda: report_data(director, report), args.runs)

    data = report_data(director, report)
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        status=VersionStatus.APPROVED,
        figures={r.indicator.code: r.live.as_json() for r in data.rows},
        approved_by=director,
        approved_at=timezone.now(),
    )
    timed("frozen: an approved version, live figures from the cache", lambda: report_data(director, report), args.runs)
    version.delete()

    if args.quick:
        indicators = [i for i in indicators if i.code in ("contacts", "home_visits")]
    naive_s, naive = naive_month(scope, indicators)
    sql_s = None
    for label, text in results:
        if label.startswith("cold: the month's figures"):
            sql_s = text
    print(f"{'naive: the month by a per-record Python loop':<70} {ms(naive_s)} (SQL, cold: {sql_s})")
    for indicator in indicators:
        row = data.row(indicator.code)
        total, _by_group = naive[indicator.code]
        same = row is not None and row.live.total == total
        print(f"  {indicator.code:<28} {total:>10,}  {'equal' if same else 'DIFFERENT'} to the SQL figure")
    results.append(("naive: the month by a per-record Python loop", ms(naive_s)))

    # MRPiPS-03 for a year.
    yearly = indicators_for("mrpips_03")
    if yearly:
        year = parse_period(str(month.start.year - (month.start.month < 12)))
        year_scope = build_scope(centre, year.start, year.end)
        cache.invalidate(centre.pk, "mrpips_03")
        timed(
            f"MRPiPS-03 for {year.key}, cold ({len(yearly)} indicators)",
            lambda: cache.cached_figures(year_scope, "mrpips_03", yearly, period=year.key),
        )
        timed(
            f"MRPiPS-03 for {year.key}, from the cache",
            lambda: cache.cached_figures(year_scope, "mrpips_03", yearly, period=year.key),
            args.runs,
        )
    else:
        print("MRPiPS-03: not measured, no indicator of kind mrpips_03 in this tree (the statutory part)")

    # The dashboard: the selectors alone, then the director's home page (the dashboard since issue 12).
    try:
        from socius.reporting.dashboard import dashboard_filters, dashboard_for
    except ImportError:
        print("dashboard: not measured, socius.reporting.dashboard is not in this tree (the dashboards part)")
    else:
        from django.test import Client
        from django.urls import reverse

        filters = dashboard_filters(director, period=month.key, on=last_day)
        timed(f"dashboard: dashboard_for(director, {month.key})", lambda: dashboard_for(director, filters, on=last_day))
        timed(
            f"dashboard: dashboard_for(director, {month.key}), again",
            lambda: dashboard_for(director, filters, on=last_day),
            args.runs,
        )
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(director)
        for name, url in (("home", reverse("web:home")), ("dashboard page", f"{reverse('web:home')}")):
            if name == "dashboard page":
                try:
                    url = reverse("web:dashboard") + f"?period={month.key}"
                except Exception:  # the route is the dashboards part's
                    continue
            response = client.get(url)
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
            text = (
                f"p50 {ms(statistics.median(times))}, p95 {ms(percentile(times, 95))}, max {ms(max(times))} "
                f"({args.runs} runs, HTTP {response.status_code})"
            )
            results.append((f"dashboard: {name} {url}", text))
            print(f"{'dashboard: ' + name + ' ' + url:<70} {text}", flush=True)

    print("EXPLAIN of the three slowest queries of the cold month:")
    for line in explain_slowest(cold_queries):
        print(line)
    print(calibrate(args.database_url).line("calibration after"))


def migrate(args) -> None:
    """This tree's migrations (the figure cache's, reporting 0003) on the loaded database."""
    env = {**os.environ, "DATABASE_URL": args.database_url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"], check=True, env=env)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=10_000_000, help="contacts, home visits and activities")
    parser.add_argument("--centre", default="bench-rep")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", default=None, help="YYYY-MM (default: the last full month of the data)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--snapshot", action="store_true", help="keep the loaded database as <name>_setup")
    parser.add_argument("--fresh", action="store_true", help="reload even when a snapshot exists")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="leave out the cold month with its history; naive loop on two indicators"
    )
    parser.add_argument("--top-up", action="store_true", help="add contacts and visits by INSERT … SELECT")
    parser.add_argument("--top-up-from", default="2024-12-12")
    parser.add_argument("--top-up-contacts", type=int, default=5_100_000)
    parser.add_argument("--top-up-visits", type=int, default=3_600_000)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("PostgreSQL only.")
    name = args.database_url.rsplit("/", 1)[-1]
    snap = snapshot_name(args.database_url)
    if args.top_up:
        fill_localities(args)  # the rows already there first: the top-up writes its own
        top_up(args)
    if not database_exists(args.database_url):
        if args.snapshot and not args.fresh and database_exists(args.database_url, snap):
            t0 = time.perf_counter()
            copy_database(args.database_url, snap, name)
            print(f"database {name} copied from {snap} in {time.perf_counter() - t0:.1f} s")
        else:
            load(args)
            migrate(args)
            if args.snapshot:
                copy_database(args.database_url, name, snap)
                print(f"snapshot kept as {snap}")
    elif needs_localities(args):
        fill_localities(args)
        migrate(args)
        if args.snapshot:
            copy_database(args.database_url, name, snap)
            print(f"snapshot kept as {snap}")
    if not args.setup_only:
        measure(args)


if __name__ == "__main__":
    main()
