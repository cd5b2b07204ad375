"""Person search on SQLite (the embedded demo): every person of the centre scored in Python.

The same forgiving cases as the PostgreSQL tests (search_cases.py); the word rule itself
(`token_score`) is pure Python and tested here for both databases.
"""

import pytest
from django.db import connection

from socius.registry.models import Person
from socius.registry.search import PREFIX_TYPO, search_persons, token_score
from socius.registry.selectors import search_persons_for
from socius.registry.tests.search_cases import (
    CUT_BELOW_THE_BEST,
    EXACT_FIRST,
    FORGIVING,
    NOT_FOUND,
    TYPOS_FOUND,
    names,
    register_neighbours,
    register_persons,
)
from socius.testing.factories import PersonFactory

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the Python path runs on SQLite")


# --- the word rule (no database) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "word", "score"),
    [
        ("kowalski", "kowalski", 100),
        ("kowal", "kowalski", 95),  # a fragment
        ("nowac", "nowak", 85),  # one typo in 4-5 letters
        ("kowalsky", "kowalski", 85),
        ("kowlasky", "kowalski", 75),  # two typos from 6 letters: a swap counts as one
        ("cocjaru", "cojocaru", 75),  # a letter dropped, then the two it joined swapped
        ("kowlas", "kowalski", PREFIX_TYPO),  # a fragment with a typo
        ("jna", "jan", 0),  # no typo forgiven in three letters
        ("nwoka", "nowak", 0),  # two typos in five letters
        ("kwlsky", "kowalski", 0),  # three typos
        ("cowalski", "kowalski", 0),  # the first letter is kept
        ("12", "12", 100),
        ("12", "13", 0),  # numbers match as they are
    ],
)
def test_token_score_forgives_fragments_and_one_or_two_typos_by_length(token, word, score):
    assert token_score(token, word) == score


# --- search on SQLite --------------------------------------------------------------------------------


@on_sqlite
@pytest.mark.parametrize(("query", "expected"), FORGIVING, ids=[q for q, _ in FORGIVING])
def test_search_forgives_case_diacritics_script_fragments_and_typos(pl_centre, query, expected):
    register_persons(pl_centre)

    found = names(search_persons(Person.objects.filter(centre=pl_centre), query))

    assert set(expected) <= set(found)


@on_sqlite
@pytest.mark.parametrize(("query", "first"), EXACT_FIRST, ids=[q for q, _ in EXACT_FIRST])
def test_search_ranks_the_exact_name_first(pl_centre, query, first):
    register_persons(pl_centre)

    found = search_persons(Person.objects.filter(centre=pl_centre), query)

    assert found[0].full_name == first
    assert found[0].rank == 1.0
    assert [p.rank for p in found] == sorted((p.rank for p in found), reverse=True)


@on_sqlite
@pytest.mark.parametrize(("query", "expected"), CUT_BELOW_THE_BEST, ids=[q for q, _ in CUT_BELOW_THE_BEST])
def test_search_cuts_matches_far_below_the_best_one(pl_centre, query, expected):
    register_neighbours(pl_centre)

    assert names(search_persons(Person.objects.filter(centre=pl_centre), query)) == expected


@on_sqlite
@pytest.mark.parametrize(("query", "first"), TYPOS_FOUND, ids=[q for q, _ in TYPOS_FOUND])
def test_search_still_finds_names_and_addresses_typed_with_typos(pl_centre, query, first):
    register_neighbours(pl_centre)

    found = search_persons(Person.objects.filter(centre=pl_centre), query)

    assert found[0].full_name == first
    assert found[0].rank < 1.0  # a typo: not an exact match


@on_sqlite
@pytest.mark.parametrize("query", NOT_FOUND)
def test_search_does_not_stretch_to_unrelated_names(pl_centre, query):
    register_persons(pl_centre)

    assert search_persons(Person.objects.filter(centre=pl_centre), query) == []


@on_sqlite
def test_search_stays_in_the_actors_centre(pl_worker, md_centre):
    register_persons(md_centre)
    mine = PersonFactory(centre=pl_worker.centre, first_name="Ion", last_name="Rusu")
    PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu")

    assert search_persons_for(pl_worker, "ion rusu") == [mine]
    assert search_persons_for(pl_worker, "lukasz zolc") == []


@on_sqlite
def test_search_by_address_ranks_below_the_same_words_in_a_name(pl_centre):
    in_name = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Lipowa")
    at_address = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Nowak", street_address="ul. Lipowa 12")

    found = search_persons(Person.objects.filter(centre=pl_centre), "lipowa")

    assert found == [in_name, at_address]
    assert found[1].rank == pytest.approx(0.9)


@on_sqlite
def test_search_by_national_id_prefix_and_phone_fragment(pl_centre):
    by_id = PersonFactory(centre=pl_centre, national_id="44051401359", phone="")
    by_phone = PersonFactory(centre=pl_centre, national_id="", phone="+48 512 440 514")
    base = Person.objects.filter(centre=pl_centre)

    assert search_persons(base, "44051401359") == [by_id]
    assert search_persons(base, "4405") == [by_id, by_phone]  # ID prefix before phone fragment
    assert search_persons(base, "512 440") == [by_phone]
    assert search_persons(base, "44") == []  # two digits: only a whole ID would do


@on_sqlite
def test_search_respects_the_limit_and_an_empty_query(pl_centre):
    register_persons(pl_centre)
    base = Person.objects.filter(centre=pl_centre)

    assert len(search_persons(base, "kowal", limit=2)) == 2
    assert search_persons(base, "  ,;-  ") == []
