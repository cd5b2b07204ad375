"""Person search at scale on PostgreSQL (a no-op on SQLite): see docs/decisions/0004-person-search-at-scale.md.

- registry_search_word: every distinct word of the persons' search columns, kept by a statement-level
  trigger (bulk inserts and COPY included): typos are matched against the words, a few thousand
  rows, instead of against a million names (the pattern the PostgreSQL manual gives for pg_trgm
  with full-text search). Read by B-tree range on the first letter.
- person_search_words: GIN over the array of a person's words, so that the persons holding the
  matched words are found with array overlap, which GIN answers in a few milliseconds.
- person_centre_natid_prefix: national ID prefix search by B-tree range scan (varchar_pattern_ops:
  the database collation is not C, so a plain B-tree cannot answer LIKE 'prefix%').
"""

from django.db import migrations

from socius.common.migrations_ops import RunPostgresSQL

# A person's words, as the GIN index holds them. PL/pgSQL with COST 50, about what splitting a name
# really costs (1-2 us): as a plain expression the planner thought it free and read a 20,000-person
# centre row by row (30 ms) instead of using the index; at COST 1000 it added a bitmap of the whole
# centre to every search of a large one (18 ms). PARALLEL UNSAFE: a costly recheck otherwise draws
# parallel workers to read a few hundred rows (20 ms of start-up). search.py calls it the same way.
WORDS_FUNCTION = """
CREATE FUNCTION registry_person_words(search_name text, search_address text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE COST 50 AS $$
BEGIN
    RETURN string_to_array(search_name || ' ' || search_address, ' ');
END
$$;
"""
PERSON_WORDS = "registry_person_words(search_name, search_address)"

# text_pattern_ops: the same unique index answers ON CONFLICT and LIKE 'k%' range scans.
WORD_TABLE = """
CREATE TABLE registry_search_word (word text NOT NULL);
CREATE UNIQUE INDEX registry_search_word_unique ON registry_search_word (word text_pattern_ops);
"""

# Sorted inserts: two transactions adding the same new words lock them in the same order (no deadlock).
WORD_TRIGGER = f"""
CREATE FUNCTION registry_search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registry_search_word (word)
    SELECT DISTINCT w FROM new_rows, unnest(registry_person_words(new_rows.search_name, new_rows.search_address)) AS w
    WHERE w <> ''
    ORDER BY w
    ON CONFLICT (word) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER registry_person_words_insert AFTER INSERT ON registry_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_search_words_add();
CREATE TRIGGER registry_person_words_update AFTER UPDATE ON registry_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_search_words_add();
INSERT INTO registry_search_word (word)
SELECT DISTINCT w FROM registry_person, unnest({PERSON_WORDS}) AS w WHERE w <> '';
"""  # noqa: S608 (constant SQL, no input)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        RunPostgresSQL(WORDS_FUNCTION, reverse_sql="DROP FUNCTION registry_person_words(text, text);"),
        RunPostgresSQL(WORD_TABLE, reverse_sql="DROP TABLE registry_search_word;"),
        RunPostgresSQL(
            WORD_TRIGGER,
            reverse_sql="""
                DROP TRIGGER registry_person_words_update ON registry_person;
                DROP TRIGGER registry_person_words_insert ON registry_person;
                DROP FUNCTION registry_search_words_add();
            """,
        ),
        RunPostgresSQL(
            f"CREATE INDEX person_search_words ON registry_person USING gin (({PERSON_WORDS}));",
            reverse_sql="DROP INDEX person_search_words;",
        ),
        RunPostgresSQL(
            "CREATE INDEX person_centre_natid_prefix ON registry_person (centre_id, national_id varchar_pattern_ops);",
            reverse_sql="DROP INDEX person_centre_natid_prefix;",
        ),
    ]
