"""The embedded SQLite database: parallel writers wait for each other instead of failing "database is locked".

The test suite's own database is SQLite in memory (one connection, no lock contention), so these tests build
a file database with the very options `make run` uses (config.env.database_config) and write to it from
several threads, each with its own connection, as several gunicorn workers or threads would.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from config.env import database_config
from socius.accounts.models import Centre, Team, Territory, User
from socius.registry.models import Household

ALIAS = "parallel_sqlite"
WRITERS = 8
WRITES_EACH = 15


@pytest.fixture(scope="module")
def sqlite_file_db(tmp_path_factory, django_db_blocker):
    """One file database for the module, with the tables the writers touch; each test seeds its own rows."""
    with pytest.MonkeyPatch.context() as patch:  # the PostgreSQL pass sets DATABASE_URL; this is about SQLite
        patch.delenv("DATABASE_URL", raising=False)
        config = database_config(tmp_path_factory.mktemp("sqlite") / "parallel.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    config = {**connections.settings["default"], **config, "TEST": {}}
    connections.settings[ALIAS] = config
    try:
        with django_db_blocker.unblock():
            # Only the tables the writers touch, straight from the models: replaying every migration took a
            # minute, and what is tested here is the connection's options, not the schema.
            with connections[ALIAS].schema_editor() as editor:
                for model in (ContentType, Permission, Group, Territory, Centre, Team, User, Household):
                    editor.create_model(model)
            yield config
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def _seed(alias: str) -> list[int]:
    territory = Territory.objects.using(alias).create(jurisdiction="PL", level="municipality", name="Moszczenica")
    centre = Centre.objects.using(alias).create(
        code=f"pl-{Centre.objects.using(alias).count()}", name="GOPS", jurisdiction="PL", territory=territory
    )
    return [Household.objects.using(alias).create(centre=centre, notes="").pk for _ in range(4)]


def _new_rows_of(household_ids: list[int]):
    centre_id = Household.objects.using(ALIAS).get(pk=household_ids[0]).centre_id
    return Household.objects.using(ALIAS).filter(centre_id=centre_id).exclude(pk__in=household_ids)


def _run_writers(alias: str, household_ids: list[int]) -> list[BaseException]:
    """Each thread reads a household and then appends to its notes, in one transaction (like a PATCH)."""
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(WRITES_EACH):
                pk = household_ids[(number + i) % len(household_ids)]
                with transaction.atomic(using=alias):
                    household = Household.objects.using(alias).get(pk=pk)  # read first, then write
                    household.notes += f"{number}.{i};"
                    household.save(using=alias, update_fields=["notes"])
                    Household.objects.using(alias).create(centre_id=household.centre_id, notes=f"new {number}.{i}")
        except BaseException as exc:  # collected, and asserted on by the test
            errors.append(exc)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_the_embedded_sqlite_options_begin_transactions_immediately_in_wal_mode(sqlite_file_db):
    assert sqlite_file_db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert sqlite_file_db["OPTIONS"]["timeout"] >= 20
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_parallel_writers_all_land_and_none_fails(sqlite_file_db):
    household_ids = _seed(ALIAS)

    errors = _run_writers(ALIAS, household_ids)

    assert errors == []
    notes = "".join(Household.objects.using(ALIAS).filter(pk__in=household_ids).values_list("notes", flat=True))
    written = sorted(notes.rstrip(";").split(";"))
    assert written == sorted(f"{n}.{i}" for n in range(WRITERS) for i in range(WRITES_EACH))
    assert _new_rows_of(household_ids).count() == WRITERS * WRITES_EACH


def test_without_immediate_transactions_the_same_writers_fail_database_is_locked(sqlite_file_db):
    """The control: proves the test above can fail, and why the option is there."""
    household_ids = _seed(ALIAS)
    connections.settings[ALIAS]["OPTIONS"] = {**sqlite_file_db["OPTIONS"], "transaction_mode": None}
    connections[ALIAS].close()
    try:
        errors = _run_writers(ALIAS, household_ids)
    finally:
        connections.settings[ALIAS]["OPTIONS"] = sqlite_file_db["OPTIONS"]

    assert errors
    assert all("database is locked" in str(error) for error in errors)
