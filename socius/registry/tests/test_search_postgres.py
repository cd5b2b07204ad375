"""Person search on PostgreSQL: the word dictionary, the GIN indexes, forgiving and ranked results.

Runs only in the PostgreSQL pass (`DATABASE_URL=postgres://... pytest`).
"""

import pytest
from django.db import connection

from socius.registry.models import Person
from socius.registry.search import _candidates_sql, search_persons
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
from socius.testing.factories import CentreFactory, PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def dictionary_has(*words) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM registry_search_word WHERE word = ANY(%s)", [list(words)])
        return {word for (word,) in cursor.fetchall()}


def plan(sql: str, params) -> str:
    """EXPLAIN with sequential and plain index scans priced out, as on a centre of a million persons
    (where reading the centre's rows, by table or by the centre's B-tree, is what the indexes avoid)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(line for (line,) in cursor.fetchall())


def sql_of(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


@pytest.fixture
def crowd(pl_centre):
    """5,000 persons in the centre and fresh statistics: enough rows for the planner to pick indexes.

    The GIN indexes' pending lists (fastupdate) are merged first, as VACUUM does on a live database:
    rows earlier tests inserted and rolled back would otherwise sit there and make them look costly.
    """
    first = ["anna", "jan", "ewa", "piotr", "maria", "tomasz", "zofia", "adam"]
    Person.objects.bulk_create(
        Person(
            centre=pl_centre,
            first_name=first[i % 8].title(),
            last_name=f"Nazwisko{i % 700}",
            search_name=f"{first[i % 8]} nazwisko{i % 700}",
            search_address=f"ul. ulica{i % 90} {i % 120}",
            national_id=f"{i:011d}",
            phone_digits=f"{(i * 7919 + 13) % 10**9:09d}",
        )
        for i in range(5000)
    )
    with connection.cursor() as cursor:
        for index in ("person_search_words", "person_phone_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE registry_person")
    return pl_centre


# --- forgiving and ranked -----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), FORGIVING, ids=[q for q, _ in FORGIVING])
def test_search_forgives_case_diacritics_script_fragments_and_typos(pl_centre, query, expected):
    register_persons(pl_centre)

    found = names(search_persons(Person.objects.filter(centre=pl_centre), query))

    assert set(expected) <= set(found)


@pytest.mark.parametrize(("query", "first"), EXACT_FIRST, ids=[q for q, _ in EXACT_FIRST])
def test_search_ranks_the_exact_name_first(pl_centre, query, first):
    register_persons(pl_centre)

    found = search_persons(Person.objects.filter(centre=pl_centre), query)

    assert found[0].full_name == first
    assert found[0].rank == 1.0
    assert [p.rank for p in found] == sorted((p.rank for p in found), reverse=True)


@pytest.mark.parametrize(("query", "expected"), CUT_BELOW_THE_BEST, ids=[q for q, _ in CUT_BELOW_THE_BEST])
def test_search_cuts_matches_far_below_the_best_one(pl_centre, query, expected):
    register_neighbours(pl_centre)

    assert names(search_persons(Person.objects.filter(centre=pl_centre), query)) == expected


@pytest.mark.parametrize(("query", "first"), TYPOS_FOUND, ids=[q for q, _ in TYPOS_FOUND])
def test_search_still_finds_names_and_addresses_typed_with_typos(pl_centre, query, first):
    register_neighbours(pl_centre)

    found = search_persons(Person.objects.filter(centre=pl_centre), query)

    assert found[0].full_name == first
    assert found[0].rank < 1.0  # a typo: not an exact match


@pytest.mark.parametrize("query", NOT_FOUND)
def test_search_does_not_stretch_to_unrelated_names(pl_centre, query):
    register_persons(pl_centre)

    assert search_persons(Person.objects.filter(centre=pl_centre), query) == []


def test_search_never_returns_another_centres_persons(pl_worker, md_centre):
    register_persons(md_centre)
    mine = PersonFactory(centre=pl_worker.centre, first_name="Ion", last_name="Rusu", national_id="44051401359")
    PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu", national_id="44051401359")

    assert search_persons_for(pl_worker, "ion rusu") == [mine]
    assert search_persons_for(pl_worker, "ion rusy") == [mine]
    assert search_persons_for(pl_worker, "440514") == [mine]
    assert search_persons_for(pl_worker, "lukasz zolc") == []
    assert search_persons_for(pl_worker, "olga ivanova", within=Person.objects.all()) == []


def test_search_finds_a_name_typed_with_an_address_word(pl_centre):
    ewa = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Nowak", street_address="ul. Lipowa 12")
    PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Nowak", street_address="ul. Długa 3")

    assert search_persons(Person.objects.filter(centre=pl_centre), "nowak lipowa") == [ewa]
    assert search_persons(Person.objects.filter(centre=pl_centre), "ul. lipowa 12")[0] == ewa


def test_search_of_a_common_name_answers_the_limit_from_the_best_words(pl_centre):
    """More candidates than CANDIDATES: the exact word's persons come first, the limit holds."""
    Person.objects.bulk_create(
        [
            Person(centre=pl_centre, first_name="Jan", last_name=last, search_name=f"jan {last.lower()}")
            for last in ("Kowalski", "Kowalska")
            for _ in range(450)
        ]
    )

    found = search_persons(Person.objects.filter(centre=pl_centre), "kowalski", limit=30)

    assert len(found) == 30
    assert {p.last_name for p in found} == {"Kowalski"}


def test_search_by_national_id_prefix_then_phone_fragment(pl_centre):
    by_id = PersonFactory(centre=pl_centre, national_id="44051401359", phone="")
    by_phone = PersonFactory(centre=pl_centre, national_id="", phone="+48 512 440 514")
    base = Person.objects.filter(centre=pl_centre)

    assert search_persons(base, "44051401359") == [by_id]
    assert search_persons(base, "4405") == [by_id, by_phone]
    assert search_persons(base, "512 440") == [by_phone]


# --- the dictionary of words, kept by the database -------------------------------------------------------


def test_registering_and_renaming_a_person_adds_its_words_to_the_dictionary(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Łukasz", last_name="Żółć", street_address="ul. Wąska 7")

    assert dictionary_has("lukasz", "zolc", "waska", "7") == {"lukasz", "zolc", "waska", "7"}

    person.last_name = "Brzęczyszczykiewicz"
    person.save()

    assert dictionary_has("brzeczyszczykiewicz") == {"brzeczyszczykiewicz"}
    assert search_persons(Person.objects.filter(centre=pl_centre), "brzeczyszczykiewic") == [person]


def test_bulk_inserted_persons_are_in_the_dictionary_too(pl_centre):
    Person.objects.bulk_create(
        [
            Person(centre=pl_centre, first_name="Ąžuolas", last_name="Šimkus", search_name="azuolas simkus"),
            Person(centre=pl_centre, first_name="Rūta", last_name="Šimkienė", search_name="ruta simkiene"),
        ]
    )

    assert dictionary_has("azuolas", "simkus", "ruta", "simkiene") == {"azuolas", "simkus", "ruta", "simkiene"}
    assert names(search_persons(Person.objects.filter(centre=pl_centre), "ruta simkiene")) == ["Rūta Šimkienė"]


# --- the indexes the plans use ----------------------------------------------------------------------------


def test_name_candidates_come_from_the_gin_index_on_the_words(crowd):
    register_persons(crowd)
    base = Person.objects.filter(centre=crowd)

    sql, params = _candidates_sql(
        base, [[["kowalski"], ["jan"]], [["kowalski", "kowalska"], ["jan", "janina"]]], 400, 20
    )

    explained = plan(sql, params)
    assert "Bitmap Index Scan on person_search_words" in explained, explained
    assert "Seq Scan on registry_person" not in explained, explained


def test_national_id_prefixes_use_the_pattern_btree_and_phone_fragments_the_trigram_index(crowd):
    PersonFactory(centre=crowd, national_id="44051401359", phone="512 440 514")
    base = Person.objects.filter(centre=crowd).order_by()

    assert "person_centre_natid_prefix" in plan(*sql_of(base.filter(national_id__startswith="440514")))
    # Without the centre's condition: with 5,000 rows its B-tree looks as cheap as the trigram index.
    assert "person_phone_trgm" in plan(*sql_of(Person.objects.filter(phone_digits__contains="440514")))


def test_a_centre_with_no_persons_answers_empty(pl_centre):
    empty = CentreFactory(code="empty", jurisdiction="PL")
    register_persons(pl_centre)

    assert search_persons(Person.objects.filter(centre=empty), "kowalski") == []
    assert search_persons(Person.objects.filter(centre=empty), "850") == []
