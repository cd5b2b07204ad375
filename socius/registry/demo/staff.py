"""Demo centres, their teams by problem group and their staff accounts (synthetic names)."""

from __future__ import annotations

from dataclasses import dataclass

from socius.accounts.roles import Role

CENTRE_NAMES = {
    "PL": "Gminny Ośrodek Pomocy Społecznej w Moszczenicy",
    "MD": "Direcția Asistență Socială Dubăsari",
    "LT": "Šalčininkų rajono socialinių paslaugų centras",
}

# The letterhead of each demo centre's documents: address, place of issue, phone, e-mail. Synthetic
# (the street numbers, phones and the reserved .example domain are made up), in each country's usual form.
CENTRE_LETTERHEADS = {
    "PL": {
        "address": "ul. Piotrkowska 21, 97-310 Moszczenica",
        "locality": "Moszczenica",
        "phone": "+48 44 616 10 20",
        "email": "sekretariat@gops-moszczenica.example",
    },
    "MD": {
        "address": "str. Ștefan cel Mare 12, MD-4571 Cocieri, raionul Dubăsari",
        "locality": "Cocieri",
        "phone": "+373 248 5 12 34",
        "email": "das@dubasari.example",
    },
    "LT": {
        "address": "Vilniaus g. 19, LT-17116 Šalčininkai",
        "locality": "Šalčininkai",
        "phone": "+370 380 5 12 34",
        "email": "info@spc-salcininkai.example",
    },
}

# Team names come from each pack's teams.yaml (accounts.teams.default_team_name), in the centre's language and
# shown in the reader's.


@dataclass(frozen=True)
class DemoUser:
    suffix: str  # username = country prefix + suffix
    role: str
    first_name: str
    last_name: str
    language: str
    team: str | None = None  # problem group of the user's team


# Names are invented combinations of common names; any likeness to a real person is chance.
USERS = {
    "PL": (
        DemoUser("worker", Role.SOCIAL_WORKER, "Katarzyna", "Wójcik", "pl", "family"),
        DemoUser("assistant", Role.FAMILY_ASSISTANT, "Magdalena", "Zielińska", "pl", "family"),
        DemoUser("teamlead", Role.TEAM_LEADER, "Agnieszka", "Kaczmarek", "pl", "family"),
        DemoUser("finance", Role.FINANCE_OFFICER, "Tomasz", "Lewandowski", "pl"),
        DemoUser("director", Role.DIRECTOR, "Barbara", "Szymańska", "pl"),
        DemoUser("auditor", Role.AUDITOR, "Marek", "Dąbrowski", "pl"),
        DemoUser("admin", Role.ADMINISTRATOR, "Piotr", "Kamiński", "pl"),
        DemoUser("carer", Role.CARER, "Grażyna", "Pawlak", "pl"),
        DemoUser("dpo", Role.DATA_PROTECTION_OFFICER, "Ewa", "Górska", "pl"),
    ),
    "MD": (
        DemoUser("worker", Role.SOCIAL_WORKER, "Elena", "Rusu", "ro", "family"),
        DemoUser("assistant", Role.FAMILY_ASSISTANT, "Natalia", "Ciobanu", "ro", "family"),
        DemoUser("teamlead", Role.TEAM_LEADER, "Ion", "Ceban", "ro", "family"),
        DemoUser("finance", Role.FINANCE_OFFICER, "Светлана", "Морозова", "ru"),
        DemoUser("director", Role.DIRECTOR, "Valentina", "Munteanu", "ro"),
        DemoUser("auditor", Role.AUDITOR, "Sergiu", "Rotari", "ro"),
        DemoUser("admin", Role.ADMINISTRATOR, "Andrei", "Cojocaru", "ro"),
        DemoUser("carer", Role.CARER, "Maria", "Botnaru", "ro"),
        DemoUser("dpo", Role.DATA_PROTECTION_OFFICER, "Victor", "Lungu", "ro"),
    ),
    "LT": (
        DemoUser("worker", Role.SOCIAL_WORKER, "Rasa", "Jankauskienė", "lt", "family"),
        DemoUser("assistant", Role.FAMILY_ASSISTANT, "Irena", "Sinkevič", "lt", "family"),
        DemoUser("teamlead", Role.TEAM_LEADER, "Jolanta", "Petrauskienė", "lt", "family"),
        DemoUser("finance", Role.FINANCE_OFFICER, "Tadeuš", "Jankovski", "lt"),
        DemoUser("director", Role.DIRECTOR, "Danutė", "Stankevičienė", "lt"),
        DemoUser("auditor", Role.AUDITOR, "Vytautas", "Paulauskas", "lt"),
        DemoUser("admin", Role.ADMINISTRATOR, "Marius", "Žukauskas", "lt"),
        DemoUser("carer", Role.CARER, "Alina", "Bogdanovič", "lt"),
        DemoUser("dpo", Role.DATA_PROTECTION_OFFICER, "Laura", "Kazlauskaitė", "lt"),
    ),
}
