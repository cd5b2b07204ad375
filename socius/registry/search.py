"""Person search that forgives case, diacritics, script and one or two typos, ranked by similarity.

Both databases search the folded columns (`Person.search_name`, `search_address`, `phone_digits`)
and score alike (`token_score`, `person_score`): a query token matches a word that is the token
itself, a word it begins, or a word within one typo (tokens of 4-5 letters) or two (6 letters on);
a person scores the mean over the tokens of the best word in the name (address words weigh 0.9).

PostgreSQL (docs/decisions/0004-person-search-at-scale.md), for a million persons and more: the tokens are
first matched against the dictionary of words (`registry_search_word`, a few thousand rows read by
B-tree range), then the persons holding those words are found through a GIN index on the array of
their words, at most `CANDIDATES` of them per tier (the best-matching words first, all matching
words only when that gives too few), and only these are ranked. Ranking every pg_trgm match of
"kowal" among a million names took a third of a second; this takes a few milliseconds. National ID
prefixes use a B-tree range scan (varchar_pattern_ops), phone fragments the pg_trgm index on
`phone_digits`.

SQLite (embedded, demo-sized data): every person of the centre is scored in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import ratio

from socius.common.db import is_postgres
from socius.common.text import digits_only, fold
from socius.registry.models import Person

# A word matching a token: itself, a word it begins, or within the allowed typos.
EXACT, PREFIX = 100.0, 95.0
TYPO_SCORES = {1: 85.0, 2: 75.0}
PREFIX_TYPO = 80.0  # a fragment with one typo
# Person score (0-100, mean over the tokens of the best word score) a person must reach,
CUTOFF = 70
# and at most this far below the best person of the search (100: exact, 95: a prefix, 85: one typo).
RELATIVE_CUTOFF = 15
# Address matches weigh a little less than name matches.
ADDRESS_WEIGHT = 0.9
# PostgreSQL: words kept per token, and persons read per tier before ranking.
EXPANSIONS_PER_TOKEN = 40
SHORT_EXPANSIONS = 10  # for a query of one- and two-letter tokens only
CANDIDATES = 400
MAX_TOKENS = 6
# Digits: national ID prefixes from 3 digits, phone fragments from 4.
MIN_ID_PREFIX = 3
MIN_PHONE_FRAGMENT = 4

# Same expression as the person_search_words index (migration 0002), or the index is not used.
# Unqualified, so that it holds whatever alias Django gives the table.
PERSON_WORDS_SQL = "registry_person_words(search_name, search_address)"


@dataclass(frozen=True)
class SearchQuery:
    text: str  # folded
    digits: str

    @property
    def is_numeric(self) -> bool:
        return bool(self.digits) and not any(ch.isalpha() for ch in self.text)


def parse_query(raw: str) -> SearchQuery:
    return SearchQuery(text=fold(raw), digits=digits_only(raw))


def allowed_typos(token: str) -> int:
    """Typos forgiven in a token: none up to 3 letters, one for 4-5 letters, two from 6."""
    if len(token) < 4:
        return 0
    return 1 if len(token) < 6 else 2


def token_score(token: str, word: str) -> float:
    """How well a folded query token matches one folded word: 0 (not at all) to 100 (the word itself).

    The word itself, a word the token begins, or a word within the allowed typos (Damerau-Levenshtein:
    a swap of neighbouring letters is one typo) that begins with the same letter: people rarely get
    the first letter wrong, and it keeps "mila" from matching "kamila". A fragment may carry one
    typo ("kowlas" finds "kowalski").
    """
    if word == token:
        return EXACT
    if word.startswith(token):
        return PREFIX
    allowed = allowed_typos(token)
    if not allowed or word[:1] != token[:1] or token.isdigit() or word.isdigit():
        return 0.0
    typos = DamerauLevenshtein.distance(token, word, score_cutoff=allowed)  # allowed + 1 when further
    if typos <= allowed:
        return TYPO_SCORES[typos]
    if len(word) > len(token) and DamerauLevenshtein.distance(token, word[: len(token)], score_cutoff=1) <= 1:
        return PREFIX_TYPO
    return 0.0


def rank_persons(base: QuerySet[Person], raw_query: str, *, limit: int = 20) -> list[tuple[int, float]]:
    """(person id, rank from 0 to 1) of the persons from `base` (already scoped to a centre) matching the
    query, best first. Only ids: a caller that shows a page of them fetches that page's rows alone
    (`fetch_ranked`), not the rows of every match."""
    query = parse_query(raw_query)
    if not query.text or limit <= 0:
        return []
    if query.is_numeric:
        if is_postgres():
            return _search_numeric_postgres(base, query.digits, limit)
        return _search_numeric(base, query.digits, limit)
    if is_postgres():
        return _search_text_postgres(base, query.text, limit)
    return _search_text_python(base, query.text, limit)


def fetch_ranked(base: QuerySet[Person], ranked: list[tuple[int, float]]) -> list[Person]:
    """The persons of `ranked` in its order (one query), each with its `rank`."""
    by_pk = base.in_bulk([pk for pk, _rank in ranked])
    persons = []
    for pk, rank in ranked:
        person = by_pk.get(pk)
        if person is not None:  # deleted since it was ranked
            person.rank = rank
            persons.append(person)
    return persons


def search_persons(base: QuerySet[Person], raw_query: str, *, limit: int = 20) -> list[Person]:
    """Persons from `base` (already scoped to a centre) matching the query, best first, each with `rank`."""
    return fetch_ranked(base, rank_persons(base, raw_query, limit=limit))


# --- numbers: national ID prefix, phone fragment ---------------------------------------------------


def _numeric_rank(digits: str):
    """The national ID itself, then IDs it begins, then phones ending with it, then phones containing it."""
    return Case(
        When(national_id=digits, then=Value(1.0)),
        When(national_id__startswith=digits, then=Value(0.95)),
        When(phone_digits__endswith=digits, then=Value(0.9)),
        default=Value(0.85),
        output_field=FloatField(),
    )


def _numeric_order(qs: QuerySet[Person], limit: int) -> list[tuple[int, float]]:
    ordered = qs.order_by("-rank", "national_id", "last_name", "first_name", "id")
    return list(ordered.values_list("pk", "rank")[:limit])


def _search_numeric(base: QuerySet[Person], digits: str, limit: int) -> list[tuple[int, float]]:
    if len(digits) < MIN_ID_PREFIX:
        exact = base.order_by("id").filter(national_id=digits)
        return [(pk, 1.0) for pk in exact.values_list("pk", flat=True)[:limit]]
    condition = Q(national_id__startswith=digits)
    if len(digits) >= MIN_PHONE_FRAGMENT:
        condition |= Q(phone_digits__contains=digits)
    return _numeric_order(base.filter(condition).annotate(rank=_numeric_rank(digits)), limit)


def _search_numeric_postgres(base: QuerySet[Person], digits: str, limit: int) -> list[tuple[int, float]]:
    """ID prefixes by B-tree range scan, phone fragments by trigram index, each cut before ranking."""
    if len(digits) < MIN_ID_PREFIX:
        return _search_numeric(base, digits, limit)
    plain = base.order_by()
    cap = max(CANDIDATES, limit)
    candidates = plain.filter(national_id__startswith=digits).values("pk")[:cap]
    if len(digits) >= MIN_PHONE_FRAGMENT:
        candidates = candidates.union(plain.filter(phone_digits__contains=digits).values("pk")[:cap])
    return _numeric_order(base.filter(pk__in=candidates).annotate(rank=_numeric_rank(digits)), limit)


# --- names and addresses: PostgreSQL ----------------------------------------------------------------


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _expansions(tokens: list[str]) -> dict[str, list[tuple[str, float]]]:
    """For each token, the dictionary words it matches, best first (one query for all tokens).

    The dictionary is read by B-tree range on the first letter (typos keep it, see token_score)
    and scored here with rapidfuzz: cheaper than trigram similarity in SQL, and the same rule as
    on SQLite.
    """
    found: dict[str, list[tuple[str, float]]] = {t: [(t, EXACT)] for t in tokens if t.isdigit()}
    fuzzy = [t for t in tokens if len(t) >= 3 and not t.isdigit()]
    if fuzzy:
        conditions, params = [], []
        for first in sorted({t[0] for t in fuzzy}):
            conditions.append("(word LIKE %s AND length(word) >= %s)")
            params += [_like_prefix(first), min(len(t) for t in fuzzy if t[0] == first) - 2]
        sql = f"SELECT word FROM registry_search_word WHERE {' OR '.join(conditions)}"  # noqa: S608 (bound params)
    elif not found:  # only one- and two-letter tokens: the words beginning with the longest
        fuzzy = [max(tokens, key=len)]
        sql, params = "SELECT word FROM registry_search_word WHERE word LIKE %s", [_like_prefix(fuzzy[0])]
    else:
        return found
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_first: dict[str, list[str]] = {}
        for (word,) in cursor.fetchall():
            by_first.setdefault(word[:1], []).append(word)
    keep = EXPANSIONS_PER_TOKEN if len(fuzzy[0]) >= 3 else SHORT_EXPANSIONS
    for token in fuzzy:
        scored = [(w, score) for w in by_first.get(token[:1], ()) if (score := token_score(token, w))]
        scored.sort(key=lambda ws: (-ws[1], len(ws[0]), ws[0]))
        found[token] = scored[:keep]
    return found


class _WordsMarker:
    """Stands for a group's words in SQL compiled once for several tiers (see _candidates_sql)."""


def _holding_words(qs: QuerySet[Person], groups: list) -> QuerySet[Person]:
    """Persons having, for every group, at least one of its words (GIN array overlap, AND between groups)."""
    for words in groups:
        qs = qs.filter(
            ExpressionWrapper(
                RawSQL(f"{PERSON_WORDS_SQL} && %s::text[]", [words]),  # noqa: S611 (constant SQL, bound params)
                output_field=BooleanField(),
            )
        )
    return qs


def _search_text_postgres(base: QuerySet[Person], text: str, limit: int) -> list[tuple[int, float]]:
    tokens = list(dict.fromkeys(text.split()))[:MAX_TOKENS]
    # Abbreviations ("ul.", "str.", "g.") are in nearly every address: they rank but do not select.
    selective = [t for t in tokens if "." not in t] or tokens
    expansions = _expansions(selective)
    matched = [expansions[t] for t in selective if expansions.get(t)]
    if not matched:
        return []
    best = [[w for w, s in words if s == words[0][1]] for words in matched]
    every = [[w for w, _s in words] for words in matched]
    tiers = [best] if every == best else [best, every]
    with connection.cursor() as cursor:
        cursor.execute(*_candidates_sql(base, tiers, max(CANDIDATES, limit), limit))
        rows = cursor.fetchall()
    return _best_ranked(rows, text, tokens, limit)


def _candidates_sql(base: QuerySet[Person], tiers: list[list[list[str]]], cap: int, limit: int):
    """SQL for at most `cap` candidates of each tier: (id, search_name, search_address, last_name, first_name).

    Each tier is a MATERIALIZED CTE: planned for all its rows it uses the GIN index (with a LIMIT
    inside, the planner would rather read the table until it has enough rows, which is slower), and
    only `cap` rows are read from it. The second tier (all matching words) is read only when the
    first (the best words) has fewer than `limit` persons. `base`'s filters (the centre, API filters)
    apply inside each tier, so a filtered search is not starved of candidates.
    """
    # The tiers differ only in their words: the query is compiled once (ORM compilation costs more CPU
    # than the database spends on the tier), with a marker for each group's words, filled per tier.
    markers = [_WordsMarker() for _group in tiers[0]]
    qs = _holding_words(base.order_by(), markers).values(*CANDIDATE_FIELDS)
    sql, sql_params = qs.query.get_compiler(connection=connection).as_sql()
    ctes, params = [], []
    for i, groups in enumerate(tiers):
        words_of = {id(marker): words for marker, words in zip(markers, groups, strict=True)}
        ctes.append(f"tier{i} AS MATERIALIZED ({sql})")
        params.extend(words_of.get(id(param), param) for param in sql_params)
    selects = ["(SELECT * FROM tier0 LIMIT %s)"]
    params.append(cap)
    if len(tiers) > 1:
        selects.append(
            "(SELECT * FROM tier1 WHERE (SELECT count(*) FROM (SELECT 1 FROM tier0 LIMIT %s) AS t) < %s LIMIT %s)"
        )
        params.extend([limit, limit, cap])
    sql = f"WITH {', '.join(ctes)} {' UNION '.join(selects)}"
    return sql, params


# --- ranking, both databases ---------------------------------------------------------------------

CANDIDATE_FIELDS = ("pk", "search_name", "search_address", "last_name", "first_name")


def person_score(tokens: list[str], name: str, address: str, memos: list[dict[str, float]] | None = None) -> float:
    """Mean over the query tokens of the best word score in the name (or, weighing less, the address).

    `memos`, one dict per token (word -> token_score), is shared by the candidates of one search: they
    share most of their words. This runs for every candidate (up to 2 x CANDIDATES), hence the plain loops.
    """
    if memos is None:
        memos = [{} for _token in tokens]
    address_words = None
    total = 0.0
    for token, memo in zip(tokens, memos, strict=True):
        best = 0.0
        for word in name.split():
            score = memo.get(word)
            if score is None:
                score = memo[word] = token_score(token, word)
            if score > best:
                best = score
        if best < EXACT:
            if address_words is None:
                address_words = address.split()
            for word in address_words:
                score = memo.get(word)
                if score is None:
                    score = memo[word] = token_score(token, word)
                if score * ADDRESS_WEIGHT > best:
                    best = score * ADDRESS_WEIGHT
        total += best
    return total / len(tokens)


def _best_ranked(rows, text: str, tokens: list[str], limit: int) -> list[tuple[int, float]]:
    """(pk, rank) of the `limit` best of (pk, search_name, search_address, last_name, first_name) rows.

    A person must score CUTOFF, and no more than RELATIVE_CUTOFF below the best match: beside an exact
    "Kawala", the "Kamila"s two typos away are noise, while with no exact match they are what the
    worker is looking for. Best first: score, then closeness of the whole name (or address) to the
    query (the exact name before longer ones with the same words), then name and id, so that equal
    scores keep a stable order.
    """
    scored = []
    memos: list[dict[str, float]] = [{} for _token in tokens]
    for pk, name, address, last_name, first_name in rows:
        score = person_score(tokens, name, address, memos)
        if score >= CUTOFF:
            scored.append((score, pk, name, address, last_name, first_name))
    if not scored:
        return []
    floor = max(score for score, *_rest in scored) - RELATIVE_CUTOFF
    ordered = sorted(
        (-score, -max(ratio(text, name), ratio(text, address) * ADDRESS_WEIGHT), last_name, first_name, pk)
        for score, pk, name, address, last_name, first_name in scored
        if score >= floor
    )
    return [(pk, -neg_score / 100) for neg_score, *_rest, pk in ordered[:limit]]


# --- names and addresses: SQLite (every person of the centre, in Python) ------------------------------


def _search_text_python(base: QuerySet[Person], text: str, limit: int) -> list[tuple[int, float]]:
    rows = base.order_by().values_list(*CANDIDATE_FIELDS).iterator(chunk_size=5000)
    return _best_ranked(rows, text, text.split()[:MAX_TOKENS], limit)
