"""Person search latency (p50/p95/p99) by query kind, through the REST API when it exists.

    .venv/bin/python bench/search_api.py --centre bench-pl \
        --database-url postgres://postgres@127.0.0.1:5432/socius_bench

Queries are drawn from the centre's own data (seeded), so that every kind has real targets: name
fragments, names with one or two typos, names typed without diacritics, national ID prefixes, phone
fragments and street addresses, plus the fixed examples of issue 2. Each query runs once to warm
up, then `--repeat` times timed. Measured through `GET /api/v1/persons/?search=` with a token, in
process with Django's test Client (or over HTTP against `--http http://127.0.0.1:PORT`); when the
endpoint does not exist yet, `socius.registry.selectors.search_persons_for` is timed directly, and
the output says which. Each query also checks that its target is found ("found" column).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_bench"
KINDS = ("name_fragment", "typo", "no_diacritics", "id_prefix", "phone", "address")
FIXED = {
    "PL": {
        "name_fragment": ["kowal", "anna nowak", "nowak", "wisn"],
        "typo": ["kowalsky", "nowac", "wisniewsky", "lewandosky"],
        "no_diacritics": ["lukasz", "zolc", "lukasz wisniewski", "wojcik", "jozef"],
        "id_prefix": ["850", "85051"],
    },
    "MD": {
        "name_fragment": ["ciob", "ion rusu"],
        "typo": ["ciobnu", "munteanou"],
        "no_diacritics": ["stefan", "turcan", "olga ivanova"],
        "id_prefix": ["200", "20041"],
    },
    "LT": {
        "name_fragment": ["kazl", "jonas petr"],
        "typo": ["kazlauskis", "petrausks"],
        "no_diacritics": ["zukauskas", "ruta", "lukosevicius"],
        "id_prefix": ["385", "38505"],
    },
}
LETTERS = "abcdefghijklmnoprstuwyz"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def typo(rng: random.Random, word: str, edits: int) -> str:
    """`edits` random edits (substitute, delete, insert, swap), never on the first letter."""
    for _ in range(edits):
        i = rng.randint(1, len(word) - 1)
        op = rng.choice("sdit")
        if op == "s":
            word = word[:i] + rng.choice([c for c in LETTERS if c != word[i]]) + word[i + 1 :]
        elif op == "d":
            word = word[:i] + word[i + 1 :]
        elif op == "i":
            word = word[:i] + rng.choice(LETTERS) + word[i:]
        elif i < len(word) - 1:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            word = word[:i] + rng.choice([c for c in LETTERS if c != word[i]])
    return word


def build_queries(centre_id: int, jurisdiction: str, per_kind: int, seed: int) -> list[tuple[str, str, object]]:
    """(kind, query, check) triples; check(results) says whether the intended target was found."""
    from socius.common.text import fold
    from socius.registry.models import Person

    rng = random.Random(seed)
    # A random sample of the centre's persons, without ORDER BY random() over a million rows.
    persons = Person.objects.filter(centre_id=centre_id)
    bounds = persons.order_by("id").values_list("id", flat=True)
    first_id, last_id = bounds.first(), persons.order_by("-id").values_list("id", flat=True).first()
    ids = [rng.randint(first_id, last_id) for _ in range(per_kind * 12)]
    sample = list(
        persons.filter(id__in=ids).values(
            "id", "first_name", "last_name", "search_name", "national_id", "phone_digits", "street_address"
        )
    )
    rng.shuffle(sample)
    queries: list[tuple[str, str, object]] = []

    def has_word(results, words):
        return any(all(w in r["search_name"].split() for w in words) for r in results)

    def has_id(results, person_id):
        return any(r["id"] == person_id for r in results)

    fixed = FIXED[jurisdiction]
    for kind in ("name_fragment", "typo", "no_diacritics", "id_prefix"):
        for q in fixed.get(kind, []):
            queries.append((kind, q, None))

    surnames = [p for p in sample if len(fold(p["last_name"])) >= 5]
    for p in surnames[:per_kind]:
        last = fold(p["last_name"]).split()[-1]
        if rng.random() < 0.5:
            q = last[: rng.randint(4, min(6, len(last)))]
            queries.append(("name_fragment", q, lambda r, q=q: any(q in x["search_name"] for x in r)))
        else:
            first = fold(p["first_name"]).split()[0]
            q = f"{first} {last[: rng.randint(3, len(last))]}"
            queries.append(("name_fragment", q, lambda r, f=first: any(f in x["search_name"] for x in r)))
    for i, p in enumerate(surnames[per_kind : per_kind * 2]):
        last = fold(p["last_name"]).split()[-1]
        edits = 1 if i % 2 == 0 or len(last) < 7 else 2
        wrong = typo(rng, last, edits)
        if rng.random() < 0.5:
            first = fold(p["first_name"]).split()[0]
            queries.append(("typo", f"{first} {wrong}", lambda r, w=(first, last): has_word(r, w)))
        else:
            queries.append(("typo", wrong, lambda r, w=(last,): has_word(r, w)))
    accented = [
        p for p in sample if fold(p["first_name"] + p["last_name"]) != (p["first_name"] + p["last_name"]).lower()
    ]
    for p in accented[:per_kind]:
        full = fold(f"{p['first_name']} {p['last_name']}")
        words = full.split()
        q = full if rng.random() < 0.5 else words[-1]
        wanted = tuple(q.split())
        queries.append(("no_diacritics", q, lambda r, w=wanted: has_word(r, w)))
    with_id = [p for p in sample if p["national_id"]]
    for p in with_id[:per_kind]:
        q = p["national_id"][: rng.choice((3, 5, 7))]
        queries.append(("id_prefix", q, lambda r, q=q: bool(r) and r[0]["national_id"].startswith(q)))
    with_phone = [p for p in sample if len(p["phone_digits"]) >= 9]
    for p in with_phone[:per_kind]:
        digits = p["phone_digits"]
        n = rng.randint(6, 9)
        start = rng.randint(len(digits) - 9, len(digits) - n)
        q = digits[start : start + n]
        if rng.random() < 0.5 and n >= 6:
            q = " ".join(q[i : i + 3] for i in range(0, len(q), 3))  # typed as "512 345 678"
        queries.append(("phone", q, lambda r, pid=p["id"]: has_id(r, pid)))
    for p in sample[:per_kind]:
        street = p["street_address"]
        # The street with its number, or the street's name alone (its longest word, not "ul." or "g.").
        q = street.split("/")[0] if rng.random() < 0.5 else max(street.split(), key=len)
        queries.append(("address", q, None))
    return queries


def token_for(centre_id: int, code: str) -> tuple[object, str]:
    """A social worker of the centre (created once) and an API token for it."""

    from socius.accounts.models import User
    from socius.accounts.roles import Role
    from socius.accounts.tokens import issue_api_token

    user, created = User.objects.get_or_create(
        username=f"bench-{code}", defaults={"centre_id": centre_id, "role": Role.SOCIAL_WORKER}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user, issue_api_token(user, "bench")[1]


def install_audit_prototype() -> list[tuple[float, int]]:
    """Write, with every person search answered by the API, what an audited list would write: one view
    event and one row per person shown (a child table, bulk-inserted), in one transaction.

    A stand-in until the tree audits search results itself: it measures the cost of such a write
    at this scale. The table `bench_audit_event_person` is created in the bench database (and
    dropped at the end). Returns the list (ms, rows) of each write is appended to.
    """
    from django.db import connection, models, transaction

    from socius.accounts.audit import record_event
    from socius.accounts.models import AuditAction, AuditEvent
    from socius.registry.api import PersonViewSet

    class BenchAuditEventPerson(models.Model):  # noqa: DJ008 (a bench table, never shown)
        event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="+")
        person_id = models.BigIntegerField()

        class Meta:
            app_label = "accounts"
            db_table = "bench_audit_event_person"
            indexes = [models.Index(fields=["person_id", "event"], name="bench_audit_person_event")]

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audit_event_person")
    with connection.schema_editor() as editor:
        editor.create_model(BenchAuditEventPerson)
    writes: list[tuple[float, int]] = []
    paginated_response = PersonViewSet.get_paginated_response

    def audited(self, data):
        started = time.perf_counter()
        with transaction.atomic():
            user = self.request.user
            event = record_event(user, AuditAction.VIEW, object_type="person", object_id=None, centre_id=user.centre_id)
            BenchAuditEventPerson.objects.bulk_create(
                [BenchAuditEventPerson(event=event, person_id=row["id"]) for row in data]
            )
        writes.append(((time.perf_counter() - started) * 1000, len(data)))
        return paginated_response(self, data)

    PersonViewSet.get_paginated_response = audited
    return writes


def drop_audit_prototype() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audit_event_person")


def api_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/persons/")
    except Resolver404:
        return False
    return True


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--centre", default="bench-pl")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--per-kind", type=int, default=60, help="sampled queries per kind (plus fixed ones)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query after one warm-up")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=("auto", "api", "selector"), default="auto")
    parser.add_argument("--http", default="", help="measure over HTTP against this base URL (loopback)")
    parser.add_argument("--show", action="store_true", help="print each query with its time")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after start-up, as a server process may after loading Django: shows how much of "
        "the tail is Python's cyclic garbage collector walking the loaded modules",
    )
    parser.add_argument(
        "--audit-prototype",
        action="store_true",
        help="with each API search, write one view event and a row per person shown (bulk insert into a "
        "bench table), as audited list results would: the cost of such a write at this scale",
    )
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from socius.accounts.models import Centre
    from socius.registry.selectors import search_persons_for

    centre = Centre.objects.filter(code=args.centre).first()
    n_persons = centre.persons.count() if centre else 0
    if not n_persons:
        raise SystemExit(f"Centre {args.centre} has no persons: load some with bench/synthetic.py first.")
    user, key = token_for(centre.pk, args.centre)
    queries = build_queries(centre.pk, centre.jurisdiction, args.per_kind, args.seed)

    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    audit_writes: list[tuple[float, int]] = []
    mode = args.mode
    if mode == "auto":
        mode = "api" if (args.http or api_exists()) else "selector"
    if mode == "api" and args.http:
        how = f"HTTP GET {args.http.rstrip('/')}/api/v1/persons/?search= (token auth)"

        def run(q):
            url = f"{args.http.rstrip('/')}/api/v1/persons/?" + urllib.parse.urlencode({"search": q})
            request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())["results"]
    elif mode == "api":
        from django.test import Client

        client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        how = "API in process: Django test Client GET /api/v1/persons/?search= (token auth, full middleware)"
        if args.audit_prototype:
            audit_writes = install_audit_prototype()
            how += "; with the audit prototype (a view event and a bulk insert of a row per person shown)"

        def run(q):
            response = client.get("/api/v1/persons/", {"search": q})
            if response.status_code != 200:
                raise SystemExit(f"/api/v1/persons/?search={q!r} answered {response.status_code}")
            return response.json()["results"]
    else:
        why = "--mode selector" if args.mode == "selector" else "the API endpoint does not exist yet"
        how = f"selector: socius.registry.selectors.search_persons_for, limit 20 ({why})"

        def run(q):
            return [
                {"id": p.pk, "search_name": p.search_name, "national_id": p.national_id}
                for p in search_persons_for(user, q)
            ]

    def normalise(results):
        if results and "search_name" not in results[0]:  # API results: fold the names here
            from socius.common.text import fold

            for r in results:
                r["search_name"] = fold(f"{r.get('first_name', '')} {r.get('last_name', '')}")
                r["national_id"] = r.get("national_id") or ""
        return results

    from socius.accounts.models import AuditEvent

    audit_before = AuditEvent.objects.count()
    calibration_before = calibrate(args.database_url)
    timings: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)  # this process's CPU per request: less swayed by load
    found: dict[str, list[bool]] = defaultdict(list)
    sizes: dict[str, list[int]] = defaultdict(list)
    misses = []
    for kind, q, check in queries:  # warm-up pass, also the correctness check
        results = normalise(run(q))
        sizes[kind].append(len(results))
        if check is not None:
            found[kind].append(bool(check(results)))
            if not found[kind][-1]:
                misses.append(f"{kind} {q!r} -> {[r['search_name'] for r in results[:3]]}")
    slowest: list[tuple[float, str, str]] = []
    for _ in range(args.repeat):
        for kind, q, _check in queries:
            started, cpu_started = time.perf_counter(), time.thread_time()
            run(q)
            ms = (time.perf_counter() - started) * 1000
            cpu[kind].append((time.thread_time() - cpu_started) * 1000)
            timings[kind].append(ms)
            slowest.append((ms, kind, q))
            if args.show:
                print(f"{kind:<14}{ms:8.1f} ms  {q}")

    calibration_after = calibrate(args.database_url)
    audit_per_request = (AuditEvent.objects.count() - audit_before) / (len(queries) * (args.repeat + 1))
    if args.audit_prototype:
        drop_audit_prototype()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    print(
        f"person search, centre {args.centre} ({centre.jurisdiction}, {n_persons:,} persons), PostgreSQL {version}"
        if connection.vendor == "postgresql"
        else f"person search, centre {args.centre} ({n_persons:,} persons), {connection.vendor}"
    )
    print(f"measured through: {how}{'; gc.freeze() after start-up' if args.gc_freeze else ''}")
    load = os.getloadavg()
    print(
        f"{len(queries)} queries x {args.repeat} timed runs after 1 warm-up run, one client, sequential; "
        f"load average at the end {load[0]:.2f} (1 min) on {os.cpu_count()} CPUs"
    )
    print(calibration_before.line("calibration before"))
    print(calibration_after.line("calibration after"))
    print(
        f"{'kind':<15}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'cpu p50':>9}"
        f"{'results':>9}{'found':>9}"
    )
    every: list[float] = []
    every_cpu: list[float] = []
    for kind in KINDS:
        values = timings.get(kind)
        if not values:
            continue
        every.extend(values)
        every_cpu.extend(cpu[kind])
        hit = found.get(kind)
        hit_text = f"{sum(hit)}/{len(hit)}" if hit else "-"
        print(
            f"{kind:<15}{len(values) // args.repeat:>8}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
            f"{percentile(values, 99):>9.1f}{max(values):>9.1f}{percentile(cpu[kind], 50):>9.1f}"
            f"{statistics.mean(sizes[kind]):>9.1f}{hit_text:>9}"
        )
    print(
        f"{'overall':<15}{len(every) // args.repeat:>8}{percentile(every, 50):>9.1f}{percentile(every, 95):>9.1f}"
        f"{percentile(every, 99):>9.1f}{max(every):>9.1f}{percentile(every_cpu, 50):>9.1f}"
    )
    print("cpu p50: CPU time of this process per request (Python and the database driver, not the server)")
    audit_text = f"audit events written per search: {audit_per_request:.2f}"
    if audit_writes:
        ms = [m for m, _rows in audit_writes]
        audit_text += (
            f"; the audit prototype's write (an event and {statistics.mean(r for _m, r in audit_writes):.1f} "
            f"person rows on average) p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms"
        )
    print(audit_text)
    print("slowest:", ", ".join(f"{q!r} ({kind}) {ms:.0f} ms" for ms, kind, q in sorted(slowest, reverse=True)[:5]))
    if misses:
        print(f"targets not found ({len(misses)}):")
        for miss in misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
