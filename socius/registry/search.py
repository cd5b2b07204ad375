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
# Person score (0-100, mean over the tokens of the best word score) a person must reach.
CUTOFF = 70
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


def search_persons(base: QuerySet[Person], raw_query: str, *, limit: int = 20) -> list[Person]:
    """Persons from `base` (already scoped to a centre) matching the query, best first, each with `rank`."""
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


def _numeric_order(qs: QuerySet[Person], limit: int) -> list[Person]:
    return list(qs.order_by("-rank", "national_id", "last_name", "first_name", "id")[:limit])


def _search_numeric(base: QuerySet[Person], digits: str, limit: int) -> list[Person]:
    if len(digits) < MIN_ID_PREFIX:
        return list(base.filter(national_id=digits).annotate(rank=Value(1.0, output_field=FloatField()))[:limit])
    condition = Q(national_id__startswith=digits)
    if len(digits) >= MIN_PHONE_FRAGMENT:
        condition |= Q(phone_digits__contains=digits)
    return _numeric_order(base.filter(condition).annotate(rank=_numeric_rank(digits)), limit)


def _search_numeric_postgres(base: QuerySet[Person], digits: str, limit: int) -> list[Person]:
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


def _holding_words(qs: QuerySet[Person], groups: list[list[str]]) -> QuerySet[Person]:
    """Persons having, for every group, at least one of its words (GIN array overlap, AND between groups)."""
    for words in groups:
        qs = qs.filter(
            ExpressionWrapper(
                RawSQL(f"{PERSON_WORDS_SQL} && %s::text[]", [words]),  # noqa: S611 (constant SQL, bound params)
                output_field=BooleanField(),
            )
        )
    return qs


def _search_text_postgres(base: QuerySet[Person], text: str, limit: int) -> list[Person]:
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
    return _best_persons(base, rows, text, tokens, limit)


def _candidates_sql(base: QuerySet[Person], tiers: list[list[list[str]]], cap: int, limit: int):
    """SQL for at most `cap` candidates of each tier: (id, search_name, search_address, last_name, first_name).

    Each tier is a MATERIALIZED CTE: planned for all its rows it uses the GIN index (with a LIMIT
    inside, the planner would rather read the table until it has enough rows, which is slower), and
    only `cap` rows are read from it. The second tier (all matching words) is read only when the
    first (the best words) has fewer than `limit` persons. `base`'s filters (the centre, API filters)
    apply inside each tier, so a filtered search is not starved of candidates.
    """
    ctes, params = [], []
    for i, groups in enumerate(tiers):
        qs = _holding_words(base.order_by(), groups).values(*CANDIDATE_FIELDS)
        sql, sql_params = qs.query.get_compiler(connection=connection).as_sql()
        ctes.append(f"tier{i} AS MATERIALIZED ({sql})")
        params.extend(sql_params)
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


class _Scorer:
    """token_score with a memo for one search: candidates share most of their words."""

    def __init__(self):
        self.memo: dict[tuple[str, str], float] = {}

    def __call__(self, token: str, word: str) -> float:
        key = (token, word)
        score = self.memo.get(key)
        if score is None:
            score = self.memo[key] = token_score(token, word)
        return score


def person_score(tokens: list[str], name: str, address: str, scorer=token_score) -> float:
    """Mean over the query tokens of the best word score in the name (or, weighing less, the address)."""
    name_words, address_words = name.split(), address.split()
    total = 0.0
    for token in tokens:
        best = max((scorer(token, w) for w in name_words), default=0.0)
        if best < EXACT and address_words:
            best = max(best, ADDRESS_WEIGHT * max(scorer(token, w) for w in address_words))
        total += best
    return total / len(tokens)


def _best_persons(base: QuerySet[Person], rows, text: str, tokens: list[str], limit: int) -> list[Person]:
    """The `limit` best of (pk, search_name, search_address, last_name, first_name) rows, as persons.

    Best first: score, then closeness of the whole name (or address) to the query (the exact name
    before longer ones with the same words), then name and id, so that equal scores keep a stable order.
    """
    scored = []
    scorer = _Scorer()
    for pk, name, address, last_name, first_name in rows:
        score = person_score(tokens, name, address, scorer)
        if score >= CUTOFF:
            closeness = max(ratio(text, name), ratio(text, address) * ADDRESS_WEIGHT)
            scored.append((-score, -closeness, last_name, first_name, pk))
    top = sorted(scored)[:limit]
    by_pk = base.in_bulk([row[-1] for row in top])
    results = []
    for neg_score, *_rest, pk in top:
        person = by_pk[pk]
        person.rank = -neg_score / 100
        results.append(person)
    return results


# --- names and addresses: SQLite (every person of the centre, in Python) ------------------------------


def _search_text_python(base: QuerySet[Person], text: str, limit: int) -> list[Person]:
    rows = base.order_by().values_list(*CANDIDATE_FIELDS).iterator(chunk_size=5000)
    return _best_persons(base, rows, text, text.split()[:MAX_TOKENS], limit)
