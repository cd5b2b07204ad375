"""Demo supervision and calendar entries per centre, written through the real services (decision 0016):

- group supervision every month for the last three months (held: participants, topics and notes that only they
  and the director read, follow-ups) and the next one planned; MD's topics are those of Dubăsari's community
  social workers (mobilising a village, burnout, working with the mayor's office), PL's and LT's their own;
  one session facilitated by an external supervisor, one by the team leader;
- trainings (one with the staff concerned), an office closure on a public holiday of the country, a staff
  meeting.

The same seed gives the same story; dates follow today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from socius.accounts.models import Centre, User
from socius.accounts.roles import Role
from socius.community import calendar as entries
from socius.community import supervision

SUPERVISORS = {"PL": "dr Ewa Malinowska", "MD": "Lilia Gherman", "LT": "dr. Aušra Kazlauskienė"}

TOPICS = {
    "PL": (
        ("Praca z rodziną po interwencji Niebieskiej Karty", "Ustalono wspólny plan wizyt z dzielnicowym."),
        ("Wypalenie zawodowe i dyżury", "Rotacja dyżurów od przyszłego miesiąca."),
        ("Klient odmawiający współpracy", "Omówiono techniki dialogu motywującego."),
    ),
    "MD": (
        ("Mobilizarea comunitară în satul Oxentea", "Primăria va pune la dispoziție sala pentru cantina socială."),
        ("Epuizarea profesională a asistenților sociali comunitari", "Grup de sprijin lunar între colegi."),
        ("Colaborarea cu primăria și medicul de familie", "Întâlnire comună la Doroțcaia luna viitoare."),
    ),
    "LT": (
        ("Darbas su vienišais senyvo amžiaus žmonėmis seniūnijose", "Sutarta dėl lankymo grafiko su seniūnaičiais."),
        ("Profesinis perdegimas", "Kas mėnesį kolegų palaikymo grupė."),
        ("Integrali pagalba namuose: atvejų aptarimas", "Suderinti slaugytojo ir socialinio darbuotojo vizitai."),
    ),
}

TRAININGS = {
    "PL": ("Szkolenie: procedura Niebieskiej Karty", "Szkolenie: dialog motywujący"),
    "MD": ("Instruire: mobilizarea comunitară", "Instruire: managementul de caz"),
    "LT": ("Mokymai: atvejo vadyba", "Mokymai: smurto artimoje aplinkoje atpažinimas"),
}

CLOSURES = {
    # Public holidays of the country: the office is closed (titles in the centre's language).
    "PL": (
        (11, 11, "Narodowe Święto Niepodległości — urząd nieczynny"),
        (5, 3, "Święto Konstytucji 3 Maja — urząd nieczynny"),
    ),
    "MD": ((8, 27, "Ziua Independenței — oficiul închis"), (1, 7, "Crăciunul pe stil vechi — oficiul închis")),
    "LT": (
        (2, 16, "Lietuvos valstybės atkūrimo diena — įstaiga nedirba"),
        (3, 11, "Nepriklausomybės atkūrimo diena — įstaiga nedirba"),
    ),
}

STAFF_MEETING = {"PL": "Zebranie zespołu", "MD": "Ședința echipei", "LT": "Komandos pasitarimas"}


def _user(centre: Centre, role: str) -> User | None:
    return User.objects.filter(centre=centre, role=role, is_active=True).order_by("pk").first()


def _next(month: int, day: int, today: dt.date) -> dt.date:
    candidate = dt.date(today.year, month, day)
    return candidate if candidate >= today else dt.date(today.year + 1, month, day)


def load_calendar_demo(centre: Centre, *, seed: int = 0, today: dt.date | None = None) -> str:
    """Supervision sessions and calendar entries for the centre; a one-line summary."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-calendar-{centre.code}")
    country = centre.jurisdiction
    worker, assistant = _user(centre, Role.SOCIAL_WORKER), _user(centre, Role.FAMILY_ASSISTANT)
    teamlead, director = _user(centre, Role.TEAM_LEADER), _user(centre, Role.DIRECTOR)
    if not (worker and teamlead and director):
        return "no calendar demo (staff missing)"
    people = [u.pk for u in (worker, assistant, teamlead) if u]
    held = 0
    topics = TOPICS.get(country, TOPICS["PL"])
    for months_ago, (topic, note) in zip((3, 2, 1), topics, strict=True):
        day = (today.replace(day=1) - dt.timedelta(days=28 * months_ago - 14)).replace(day=rng.choice((8, 12, 15)))
        internal = months_ago == 2
        session = supervision.plan_supervision(
            director,
            date=day,
            starts_at=dt.time(13),
            ends_at=dt.time(15),
            facilitator_kind="internal" if internal else "external",
            facilitator=teamlead.pk if internal else None,
            facilitator_name="" if internal else SUPERVISORS[country],
            participants=people,
            on=day,
        )
        supervision.record_supervision_held(
            worker,
            session,
            participants=people,
            topics=topic,
            notes=note,
            follow_ups=[supervision.FollowUpInput(text=note, responsible=teamlead, due_on=day + dt.timedelta(days=30))],
            on=day,
        )
        held += 1
    supervision.plan_supervision(
        teamlead,
        date=today + dt.timedelta(days=rng.randint(5, 20)),
        starts_at=dt.time(13),
        ends_at=dt.time(15),
        facilitator_kind="external",
        facilitator_name=SUPERVISORS[country],
        participants=people,
        on=today,
    )
    first, second = TRAININGS.get(country, TRAININGS["PL"])
    added = 0
    for title, offset, staff in ((first, rng.randint(3, 12), [worker.pk]), (second, rng.randint(20, 40), [])):
        entries.create_entry(
            teamlead,
            {"kind": "training", "title": title, "starts_on": today + dt.timedelta(days=offset),
             "starts_at": dt.time(9), "ends_at": dt.time(13), "staff": staff},
            on=today,
        )  # fmt: skip
        added += 1
    month, day, title = min(CLOSURES[country], key=lambda c: _next(c[0], c[1], today))
    closed = _next(month, day, today)
    entries.create_entry(
        teamlead, {"kind": "office_closure", "title": title, "starts_on": closed, "ends_on": closed}, on=today
    )
    monday = today + dt.timedelta(days=7 - today.weekday())
    entries.create_entry(
        teamlead,
        {"kind": "other", "title": STAFF_MEETING[country], "starts_on": monday, "starts_at": dt.time(8, 30),
         "ends_at": dt.time(9, 30)},
        on=today,
    )  # fmt: skip
    added += 2
    return f"{held + 1} supervisions, {added} calendar entries"
