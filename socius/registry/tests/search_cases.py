"""Persons and queries shared by the search tests of both databases (not a test module itself)."""

from __future__ import annotations

from socius.testing.factories import PersonFactory

# The persons every search test registers in its centre: (given names, family name).
PERSONS = [
    ("Łukasz", "Żółć"),
    ("Ștefan", "Țurcan"),  # s and t with comma below
    ("Ştefan", "Ţurcanu"),  # with cedilla, as older keyboards and documents write them
    ("Ольга", "Иванова"),
    ("Jan", "Kowalski"),
    ("Jan", "Kowalczyk"),
    ("Janina", "Kowalska"),
    ("Agnieszka", "Wiśniewska"),
    ("Ąžuolas", "Šimkus"),
    ("Anna", "Nowak"),
    ("Anna", "Nowakowska"),
    ("Ewa", "Zielińska"),
]

# (query, full names that must all be among the results): case, diacritics, script, fragments, typos.
FORGIVING = [
    ("lukasz zolc", ["Łukasz Żółć"]),
    ("ŁUKASZ", ["Łukasz Żółć"]),
    ("stefan", ["Ștefan Țurcan", "Ştefan Ţurcanu"]),
    ("Ştefan Ţurcan", ["Ștefan Țurcan", "Ştefan Ţurcanu"]),
    ("olga ivanova", ["Ольга Иванова"]),
    ("ольга", ["Ольга Иванова"]),
    ("azuolas simkus", ["Ąžuolas Šimkus"]),
    ("kowal", ["Jan Kowalski", "Jan Kowalczyk", "Janina Kowalska"]),
    ("kowalsky", ["Jan Kowalski"]),  # one typo
    ("nowac", ["Anna Nowak"]),  # one typo in a short name
    ("kowlasky", ["Jan Kowalski"]),  # two typos: a swap and a wrong letter
    ("agnieska wisniewksa", ["Agnieszka Wiśniewska"]),  # a typo in each word
    ("wisnievskaa", ["Agnieszka Wiśniewska"]),  # two typos in one word
]

# (query, the full name that must come first): the exact name before similar ones.
EXACT_FIRST = [
    ("jan kowalski", "Jan Kowalski"),
    ("kowalski", "Jan Kowalski"),
    ("anna nowak", "Anna Nowak"),
    ("Ştefan Ţurcanu", "Ştefan Ţurcanu"),
    ("lukasz zolc", "Łukasz Żółć"),
]

# Too far from any name: three typos in a short word, or another name altogether.
NOT_FOUND = ["kwlsky", "zenon"]


# Near and far matches (#17 of the 2026-12 UI review): (given names, family name, street address).
NEIGHBOURS = [
    ("Zofia", "Kawala", "ul. Polna 3"),
    ("Kamila", "Nowak", "ul. Lipowa 5"),
    ("Kamila", "Wrona", "ul. Lipowa 7"),
    ("Kamila", "Lis", "ul. Leśna 1"),
    ("Marta", "Mikołajczyk", "ul. Długa 8"),
    ("Marta", "Mikos", "ul. Długa 10"),
    ("Ignacy", "Wilczyński", "ul. Krótka 2"),
    ("Ignacy", "Wilk", "ul. Krótka 4"),
    ("Teresa", "Baran", "ul. Kościelna 112"),
    ("Tomasz", "Baran", "ul. Kościelna 12"),
    ("Piotr", "Nowacki", "ul. Ogrodowa 9"),
]

# (query, the full names found, in order): far below an exact match is cut, a near one is not.
CUT_BELOW_THE_BEST = [
    ("kawala", ["Zofia Kawala"]),  # not the "Kamila"s, two typos away
    ("kamila", ["Kamila Lis", "Kamila Nowak", "Kamila Wrona"]),  # not "Kawala"
    ("kamilla", ["Kamila Lis", "Kamila Nowak", "Kamila Wrona"]),  # no exact match: the typos are the answer
    ("nowac", ["Piotr Nowacki", "Kamila Nowak"]),  # a prefix first, the one-typo match kept
]

# (query, the full name that must come first): typos the review typed, still found.
TYPOS_FOUND = [
    ("Marta Mikolajczk", "Marta Mikołajczyk"),
    ("Ignacy Wilcyznski", "Ignacy Wilczyński"),
    ("Kosciena 112", "Teresa Baran"),
]


def register_neighbours(centre) -> None:
    for first_name, last_name, street_address in NEIGHBOURS:
        PersonFactory(centre=centre, first_name=first_name, last_name=last_name, street_address=street_address)


def register_persons(centre) -> None:
    for first_name, last_name in PERSONS:
        PersonFactory(centre=centre, first_name=first_name, last_name=last_name)


def names(persons) -> list[str]:
    return [p.full_name for p in persons]
