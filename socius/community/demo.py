"""Demo outreach (decision 0016), written through the real services:

- LT: information meetings and preventive sessions in several Šalčininkai elderships (Jašiūnai, Turgeliai,
  Butrimonys, Dieveniškės, Akmenynė…) with the elder, sub-elders and community chairs, leaflets on home help,
  transport, preventive services and integrated care, a few potential recipients (one became a contact), and
  meetings planned in the elderships not reached yet.
- MD: community mobilisation meetings in Dubăsari villages (Oxentea, Cocieri, Molovata…) with the mayor.
- PL: sołectwo meetings in gmina Moszczenica with the sołtys (community chair) and the school.

Held events lie in the past months of this year, planned ones in the coming weeks; the same seed gives the same
story. Leaflets name services of the jurisdiction's catalogue.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from socius.accounts.models import Centre, Territory, User
from socius.community.outreach import plan_event, record_event_held, service_catalogue_of
from socius.community.recipients import make_contact, record_potential_recipient
from socius.community.selectors_outreach import subtree_q


@dataclass
class CommunitySummary:
    held: int = 0
    planned: int = 0
    recipients: int = 0
    contacts: int = 0

    def __str__(self) -> str:
        return (
            f"{self.held} outreach events held, {self.planned} planned, {self.recipients} potential recipients "
            f"({self.contacts} became contacts)"
        )


STORY = {
    "LT": {
        "kind": "information_meeting",
        "second_kind": "preventive_session",
        "held": ("Jašiūnų seniūnija", "Turgelių seniūnija", "Butrimonių seniūnija", "Dieveniškių seniūnija"),
        "planned": ("Akmenynės seniūnija", "Poškonių seniūnija", "Gerviškių seniūnija"),
        "title": "Susitikimas su bendruomene: socialinės paslaugos",
        "place": "Seniūnijos salė",
        "partners": (
            {"role": "elder", "name": "Seniūnas"},
            {"role": "sub_elder", "name": "Seniūnaitė"},
            {"role": "community_chair", "organisation": "Kaimo bendruomenė"},
        ),
        "questions": "Kaip gauti pagalbą į namus? Ar galima pavėžėti į polikliniką? Kiek kainuoja integrali pagalba?",
        "recipients": (
            ("", "Senyvo amžiaus vyras, gyvena vienas prie miško", "Malkos žiemai, pagalba į namus"),
            ("Stanislava", "", "Vežimas pas gydytoją kartą per mėnesį"),
            ("", "Šeima su trimis vaikais, tėvas neseniai neteko darbo", "Konsultacija dėl socialinės pašalpos"),
        ),
        "follow_up": "Aplankyti į namus senyvo amžiaus gyventoją",
    },
    "MD": {
        "kind": "community_mobilisation",
        "second_kind": "information_meeting",
        "held": ("Oxentea", "Cocieri", "Molovata"),
        "planned": ("Ustia", "Holercani"),
        "title": "Ședință de mobilizare comunitară",
        "place": "Primăria",
        "partners": (
            {"role": "mayor", "name": "Primarul"},
            {"role": "school", "organisation": "Gimnaziul din sat"},
        ),
        "questions": "Cine poate lua masa la cantina de ajutor social? Cum se cere îngrijire la domiciliu?",
        "recipients": (
            ("", "Bătrână singură, casa la marginea satului", "Îngrijire la domiciliu"),
            ("Vasile", "", "Mese la cantina de ajutor social"),
        ),
        "follow_up": "Vizită la domiciliu la bătrâna singură",
    },
    "PL": {
        "kind": "information_meeting",
        "second_kind": "preventive_session",
        "held": ("Moszczenica", "Srock", "Gazomka"),
        "planned": ("Raciborowice", "Kosów"),
        "title": "Zebranie wiejskie: pomoc społeczna w sołectwie",
        "place": "Świetlica wiejska",
        "partners": (
            {"role": "community_chair", "name": "Sołtys"},
            {"role": "school", "organisation": "Szkoła Podstawowa"},
        ),
        "questions": "Jak uzyskać usługi opiekuńcze? Czy GOPS pomaga w dowozie do lekarza?",
        "recipients": (
            ("", "Starsza pani mieszkająca samotnie przy lesie", "Usługi opiekuńcze, zakupy"),
            ("Henryk", "", "Posiłek, pomoc w opale"),
        ),
        "follow_up": "Wywiad środowiskowy u starszej pani",
    },
}


def _users(centre: Centre) -> dict[str, User]:
    prefix = {"PL": "pl-", "MD": "md-", "LT": "lt-"}[centre.jurisdiction]
    return {u.username.removeprefix(prefix): u for u in User.objects.filter(centre=centre, username__startswith=prefix)}


def _places(centre: Centre, names) -> list[Territory]:
    """The centre's territory nodes with these names (the first of each name, highest level first)."""
    nodes = Territory.objects.filter(subtree_q(centre.territory_id), name__in=names).order_by("level", "pk")
    by_name: dict[str, Territory] = {}
    for node in nodes:
        by_name.setdefault(node.name, node)
    return [by_name[n] for n in names if n in by_name]


def load_community_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> CommunitySummary:
    """Write the demo outreach of one demo centre (see the module's docstring)."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{centre.jurisdiction}-community")
    story = STORY[centre.jurisdiction]
    users = _users(centre)
    worker = users.get("worker")
    summary = CommunitySummary()
    if worker is None or not centre.territory_id:
        return summary
    staff = [u.pk for u in (worker, users.get("teamlead")) if u is not None]
    codes = [s.code for s in service_catalogue_of(centre.jurisdiction)]
    held_places = _places(centre, story["held"])
    first = dt.date(today.year, 1, 1)
    span = max((today - first).days, len(held_places) + 1)
    for i, place in enumerate(held_places):
        day = max(first, today - dt.timedelta(days=span - span * i // (len(held_places) + 1)))
        event = plan_event(
            worker,
            {
                "territory": place.pk,
                "kind": story["kind"] if i % 2 == 0 else story["second_kind"],
                "date": day,
                "title": story["title"],
                "place": story["place"],
                "starts_at": dt.time(10),
                "ends_at": dt.time(12),
                "staff": staff,
                "partners": list(story["partners"]),
            },
            on=day,
        )
        leaflets = [{"service_code": c, "count": rng.randint(5, 30)} for c in rng.sample(codes, min(3, len(codes)))]
        record_event_held(
            worker,
            event,
            {
                "headcount": rng.randint(12, 45),
                "leaflets": leaflets,
                "questions": story["questions"],
                "follow_ups": [{"text": story["follow_up"], "responsible": worker.pk, "due_on": day + dt.timedelta(7)}],
            },
            on=day,
        )
        summary.held += 1
        if i < len(story["recipients"]):
            name, description, need = story["recipients"][i]
            recipient = record_potential_recipient(
                worker, {"event": event.pk, "name": name, "description": description, "need": need}, on=day
            )
            summary.recipients += 1
            if i == 0:
                make_contact(worker, recipient, {"topics": ["elderly_care"]}, on=today)
                summary.contacts += 1
    for j, place in enumerate(_places(centre, story["planned"])):
        plan_event(
            worker,
            {
                "territory": place.pk,
                "kind": story["kind"],
                "date": today + dt.timedelta(days=7 * (j + 1) + rng.randint(0, 3)),
                "title": story["title"],
                "place": story["place"],
                "starts_at": dt.time(10),
                "staff": staff,
                "partners": list(story["partners"][:1]),
            },
            on=today,
        )
        summary.planned += 1
    return summary
