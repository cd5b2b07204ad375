"""Person search that forgives case, diacritics, script and typos, ranked by similarity.

PostgreSQL: pg_trgm word similarity on folded columns (GIN trigram indexes), ID and phone by
trigram-indexed prefix/substring. SQLite (embedded, demo-sized data): the same folded columns,
scored in Python with rapidfuzz.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from rapidfuzz import fuzz

from socius.common.db import is_postgres
from socius.common.text import digits_only, fold
from socius.registry.models import Person

# pg_trgm word-similarity threshold: 0.5 lets one or two typos through in names of 5+ letters.
WORD_SIMILARITY_THRESHOLD = 0.5
# rapidfuzz token score (0-100) a name must reach on SQLite.
SQLITE_CUTOFF = 72


@dataclass(frozen=True)
class SearchQuery:
    text: str  # folded
    digits: str

    @property
    def is_numeric(self) -> bool:
        return bool(self.digits) and not any(ch.isalpha() for ch in self.text)


def parse_query(raw: str) -> SearchQuery:
    return SearchQuery(text=fold(raw), digits=digits_only(raw))


def search_persons(base: QuerySet[Person], raw_query: str, *, limit: int = 20) -> list[Person]:
    """Persons from `base` (already scoped to a centre) matching the query, best first."""
    query = parse_query(raw_query)
    if not query.text:
        return []
    if query.is_numeric:
        return _search_numeric(base, query.digits, limit)
    if is_postgres():
        return _search_names_postgres(base, query.text, limit)
    return _search_names_python(base, query.text, limit)


def _search_numeric(base: QuerySet[Person], digits: str, limit: int) -> list[Person]:
    if len(digits) < 3:
        return list(base.filter(national_id=digits)[:limit])
    rank = Case(
        When(national_id=digits, then=Value(3)),
        When(national_id__startswith=digits, then=Value(2)),
        When(phone_digits__endswith=digits, then=Value(1)),
        default=Value(0),
        output_field=FloatField(),
    )
    qs = base.filter(Q(national_id__startswith=digits) | Q(phone_digits__contains=digits))
    return list(qs.annotate(rank=rank).order_by("-rank", "last_name", "first_name", "id")[:limit])


def _search_names_postgres(base: QuerySet[Person], text: str, limit: int) -> list[Person]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(WORD_SIMILARITY_THRESHOLD)]
        )
    qs = (
        base.filter(Q(search_name__trigram_word_similar=text) | Q(search_address__trigram_word_similar=text))
        .annotate(
            rank=Greatest(
                TrigramWordSimilarity(text, "search_name"),
                TrigramWordSimilarity(text, "search_address") * Value(0.9),
            )
        )
        .order_by(F("rank").desc(), "last_name", "first_name", "id")
    )
    return list(qs[:limit])


def _token_score(query_tokens: list[str], target: str) -> float:
    words = target.split()
    if not words:
        return 0.0
    total = 0.0
    for token in query_tokens:
        best = 0.0
        for word in words:
            score = 100.0 if word.startswith(token) else fuzz.ratio(token, word)
            best = max(best, score)
        total += best
    return total / len(query_tokens)


def _search_names_python(base: QuerySet[Person], text: str, limit: int) -> list[Person]:
    tokens = text.split()
    scored: list[tuple[float, int]] = []
    for pk, name, address in base.values_list("pk", "search_name", "search_address").iterator(chunk_size=5000):
        score = max(_token_score(tokens, name), _token_score(tokens, address) * 0.9)
        if score >= SQLITE_CUTOFF:
            scored.append((score, pk))
    scored.sort(key=lambda item: -item[0])
    top = scored[:limit]
    by_pk = base.in_bulk([pk for _, pk in top])
    results = []
    for score, pk in top:
        person = by_pk[pk]
        person.rank = score / 100
        results.append(person)
    return results
