"""Demo social services of a demo centre, written through the real services (decision 0016):

- the centre's offer with prices and the weekly capacity of its own staff (home help and the like, transport,
  meals, day care), a contracted provider with its capacity, three or four carers and drivers, one of them the
  demo carer `<prefix>-carer` (who records her day from a phone);
- decisions in force for about ten clients of the open demo cases, with their usual week (drafted by the case's
  worker, issued by the director or the team leader: four eyes), a few with the income facts (co-payment
  assessed when issued), one suspended (the client in hospital);
- a waiting list for home help with an urgent, a high and a normal priority, and a draft waiting to be issued.

Prices and providers are synthetic (demo values, not a council's resolution). The same seed gives the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from socius.accounts.models import Centre, User
from socius.accounts.roles import ORDER_SERVICES
from socius.casework.models import Case
from socius.casework.statuses import OPEN_STATUSES
from socius.registry.models import Membership
from socius.services import catalogue, decisions, waiting
from socius.services.statuses import WaitingPriority, WorkerKind

PREFIX = {"PL": "pl-", "MD": "md-", "LT": "lt-"}


@dataclass
class ServicesSummary:
    offers: int = 0
    workers: int = 0
    decisions: int = 0
    waiting: int = 0

    def __str__(self) -> str:
        return (
            f"{self.offers} service prices, {self.workers} carers and drivers, {self.decisions} service decisions, "
            f"{self.waiting} on waiting lists"
        )


# code: (unit cost, capacity of the centre's staff a week or None)
OFFERS = {
    "PL": {
        "pl.home_help": ("32.50", "160"),
        "pl.specialist_care": ("48.00", "40"),
        "pl.transport": ("25.00", None),
        "pl.meals": ("14.00", None),
        "pl.counselling": ("0.00", None),
    },
    "MD": {
        "md.home_care": ("42.00", "160"),
        "md.social_canteen": ("35.00", None),
        "md.transport": ("60.00", None),
    },
    "LT": {
        "lt.home_help": ("9.80", "160"),
        "lt.integrated_care": ("14.50", "60"),
        "lt.transport": ("7.00", None),
        "lt.day_care": ("28.00", "75"),
    },
}
COST_SOURCE = {
    "PL": "Demo: cena godziny usług ustalona uchwałą rady gminy (wartość przykładowa)",
    "MD": "Demo: cost aprobat de consiliul raional (valoare de exemplu)",
    "LT": "Demo: kaina, patvirtinta savivaldybės tarybos sprendimu (pavyzdinė reikšmė)",
}
PROVIDER = {
    "PL": ("Stowarzyszenie Opiekunów „Przystań” (demo)", "pl.specialist_care", "40"),
    "MD": ("AO „Casa Speranței” (demo)", "md.home_care", "60"),
    "LT": ("VšĮ „Globos namai“ (demo)", "lt.integrated_care", "40"),
}
WORKERS = {
    "PL": (("Halina Mazur", WorkerKind.CARER, "40"), ("Renata Sikora", WorkerKind.CARER, "30"),
           ("Zbigniew Wróbel", WorkerKind.DRIVER, "20")),
    "MD": (("Tatiana Lungu", WorkerKind.CARER, "40"), ("Vasile Guțu", WorkerKind.DRIVER, "40")),
    "LT": (("Jadvyga Sinkevič", WorkerKind.CARER, "40"), ("Romuald Mickevič", WorkerKind.DRIVER, "30")),
}  # fmt: skip
CARE = {"PL": "pl.home_help", "MD": "md.home_care", "LT": "lt.home_help"}
TRANSPORT = {"PL": "pl.transport", "MD": "md.transport", "LT": "lt.transport"}
SECOND = {"PL": "pl.meals", "MD": "md.social_canteen", "LT": "lt.integrated_care"}
BASIS = {
    "PL": "art. 50 ustawy z dnia 12 marca 2004 r. o pomocy społecznej",
    "MD": "Legea nr. 123/2010 cu privire la serviciile sociale",
    "LT": "Lietuvos Respublikos socialinių paslaugų įstatymas",
}
REASONS = {
    "PL": ("Samotna, po udarze, porusza się z balkonikiem.", "Opiekunka rodzinna wyjechała do pracy.",
           "Cukrzyca, potrzebna pomoc w zakupach i przygotowaniu posiłków."),
    "MD": ("Persoană singură, cu mobilitate redusă.", "Copiii sunt plecați peste hotare.",
           "Are nevoie de ajutor la cumpărături și la pregătirea mesei."),
    "LT": ("Gyvena viena, po insulto.", "Vaikai dirba užsienyje.", "Reikia pagalbos apsiperkant ir gaminant maistą."),
}  # fmt: skip
PATTERNS = (
    [(0, "08:00", "2"), (2, "08:00", "2"), (4, "08:00", "2")],
    [(1, "10:00", "2"), (3, "10:00", "2")],
    [(0, "12:00", "1"), (1, "12:00", "1"), (2, "12:00", "1"), (3, "12:00", "1"), (4, "12:00", "1")],
    [(0, "14:00", "3"), (3, "14:00", "3")],
)


def _users(centre: Centre) -> dict[str, User]:
    prefix = PREFIX[centre.jurisdiction]
    return {u.username.removeprefix(prefix): u for u in User.objects.filter(centre=centre, username__startswith=prefix)}


def _clients(centre: Centre, limit: int) -> list[tuple[Case, int]]:
    """(case, client person id) of the open demo cases: the case's person or the head of its household."""
    cases = list(
        Case.objects.filter(centre=centre, status__in=OPEN_STATUSES).select_related("assigned_worker").order_by("pk")
    )
    household_ids = [c.household_id for c in cases if c.household_id]
    heads: dict[int, int] = {}
    for household_id, person_id in (
        Membership.objects.filter(household_id__in=household_ids, valid_until__isnull=True)
        .order_by("household_id", "valid_from", "pk")
        .values_list("household_id", "person_id")
    ):
        heads.setdefault(household_id, person_id)
    out = []
    seen: set[int] = set()
    for case in cases:
        person_id = case.person_id or heads.get(case.household_id)
        if person_id and person_id not in seen:
            seen.add(person_id)
            out.append((case, person_id))
        if len(out) >= limit:
            break
    return out


def load_services_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> ServicesSummary:
    """Write the demo services of one demo centre (see the module's docstring)."""
    today = today or timezone.localdate()
    country = centre.jurisdiction
    summary = ServicesSummary()
    users = _users(centre)
    if country not in OFFERS or not {"worker", "teamlead", "director"} <= set(users):
        return summary
    rng = random.Random(f"{seed}-{country}-services")
    director, teamlead = users["director"], users["teamlead"]
    since = dt.date(today.year - 1, 1, 1)
    for code, (cost, capacity) in OFFERS[country].items():
        catalogue.set_offer(
            director,
            code,
            valid_from=since,
            unit_cost=Decimal(cost),
            capacity_per_week=Decimal(capacity) if capacity else None,
            cost_source=COST_SOURCE[country],
        )
        summary.offers += 1
    name, provider_code, units = PROVIDER[country]
    provider = catalogue.create_provider(
        director,
        {"name": name, "contract_reference": f"U/{today.year}/7", "contract_from": dt.date(today.year, 1, 1)},
    )
    catalogue.set_provider_capacity(director, provider, provider_code, Decimal(units))
    if "carer" in users:
        carer = users["carer"]
        catalogue.create_worker(
            director,
            {
                "name": carer.get_full_name() or carer.username,
                "user": carer.pk,
                "weekly_hours": Decimal("40"),
                "service_codes": [CARE[country], SECOND[country]] if country == "LT" else [CARE[country]],
            },
        )
        summary.workers += 1
    for worker_name, kind, hours in WORKERS[country]:
        codes = [TRANSPORT[country]] if kind == WorkerKind.DRIVER else [CARE[country]]
        catalogue.create_worker(
            director, {"name": worker_name, "kind": kind, "weekly_hours": Decimal(hours), "service_codes": codes}
        )
        summary.workers += 1
    catalogue.create_worker(
        director,
        {"name": f"{name.split(' (')[0]} — 1", "provider": provider.pk, "weekly_hours": Decimal("30"),
         "service_codes": [provider_code]},
    )  # fmt: skip
    summary.workers += 1

    clients = _clients(centre, 14)
    # Ten in force and four waiting; a small demo (few cases) splits its clients in half.
    split = 10 if len(clients) >= 14 else len(clients) - len(clients) // 2
    in_force, queue = clients[:split], clients[split:]
    starts = today.replace(day=1) - dt.timedelta(days=62)
    for i, (case, person_id) in enumerate(in_force):
        drafter = case.assigned_worker if case.assigned_worker and case.assigned_worker.can(ORDER_SERVICES) else None
        drafter = drafter or users["worker"]
        if drafter.pk != case.assigned_worker_id and drafter.role != "director":
            drafter = director  # the director reads every case of the centre
        issuer = teamlead if drafter.pk == director.pk else director
        code = CARE[country] if i % 4 != 3 else SECOND[country]
        pattern = PATTERNS[i % len(PATTERNS)]
        data = {
            "case": case.pk,
            "person": person_id,
            "service_code": code,
            "quantity": sum(Decimal(u) for _, _, u in pattern),
            "per": "week",
            "weekly_pattern": [{"weekday": d, "start": t, "units": u} for d, t, u in pattern],
            "starts_on": starts + dt.timedelta(days=7 * (i % 3)),
            "legal_basis": BASIS[country],
            "notes": rng.choice(REASONS[country]),
        }
        if code == provider_code:
            data["provider"] = provider.pk
        if i % 3 == 0:
            data.update(
                income=Decimal(rng.choice(("1150.00", "1480.00", "2100.00"))), household_size=1, lives_alone=True
            )
        decision = decisions.draft_decision(drafter, data)
        decisions.issue_decision(issuer, decision, on=data["starts_on"] - dt.timedelta(days=3))
        if i == 5:
            decisions.suspend_decision(
                issuer, decision, on=today - dt.timedelta(days=4), reason=REASONS_HOSPITAL[country]
            )
        summary.decisions += 1
    priorities = (WaitingPriority.URGENT, WaitingPriority.HIGH, WaitingPriority.NORMAL, WaitingPriority.NORMAL)
    for i, (case, person_id) in enumerate(queue):
        drafter = users["worker"] if case.assigned_worker_id == users["worker"].pk else director
        entry = waiting.add_to_waiting_list(
            drafter,
            person=person_id,
            service_code=CARE[country],
            priority=priorities[i % len(priorities)],
            reason=REASONS[country][i % 3],
            requested_on=today - dt.timedelta(days=10 + 6 * i),
            case=case.pk,
        )
        summary.waiting += 1
        if i == 0:  # the urgent one: a draft waiting to be issued
            decisions.draft_decision(
                drafter,
                {
                    "case": case.pk,
                    "person": person_id,
                    "service_code": CARE[country],
                    "quantity": Decimal("6"),
                    "weekly_pattern": [{"weekday": d, "start": "09:00", "units": "2"} for d in (0, 2, 4)],
                    "starts_on": today + dt.timedelta(days=7 - today.weekday()),
                    "legal_basis": BASIS[country],
                    "waiting_entry": entry.pk,
                },
            )
    return summary


REASONS_HOSPITAL = {
    "PL": "Pobyt w szpitalu.",
    "MD": "Internată în spital.",
    "LT": "Gydoma ligoninėje.",
}
