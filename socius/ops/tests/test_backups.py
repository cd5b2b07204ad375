"""Backups that restore: back up, verify, restore into a new database and compare every table's row count and
checksum and every file's sha256 (decision 0020). Round trips on SQLite and, when it is the test database, on
PostgreSQL. The tables are reached through the app registry: ops knows tables, not the domain."""

import datetime as dt
import decimal
import hashlib
import json
import re
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from socius.ops.backups import MANIFEST, read_manifest, sha256_of, verify_backup
from socius.ops.checksums import canonical_value, table_checksums

DOCUMENTS = {"documents/2026/12/plan.pdf": b"%PDF-1.7 plan", "imports/bank/statement.xml": "<Ntry>zł</Ntry>".encode()}


@pytest.fixture
def documents(settings):
    # A storage of its own: the suite's in-memory storage keeps what earlier tests saved in this process.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    for name, content in DOCUMENTS.items():
        default_storage.save(name, ContentFile(content))
    yield DOCUMENTS
    for name in DOCUMENTS:
        default_storage.delete(name)


@pytest.fixture
def some_data(pl_worker, md_worker):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditEvent.objects.create(
        centre_id=pl_worker.centre_id, actor=pl_worker, action="update", object_type="person", object_id=7,
        person_id=7, changes={"name": ["Łukasz", "Łucja"], "amount": ["12.50", None]}, ip="2001:db8::1", channel="web",
    )  # fmt: skip
    return pl_worker


def backup_into(tmp_path) -> Path:
    call_command("backup", "--output", str(tmp_path / "backups"))
    (found,) = (tmp_path / "backups").iterdir()
    return found


def digest_of(path: Path) -> str:
    return sha256_of(path) if path.exists() else ""


def test_canonical_values_read_alike_from_either_database():
    aware = dt.datetime(2026, 12, 8, 2, 30, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert canonical_value(aware) == "2026-12-08T01:30:00.000005"
    assert canonical_value(dt.datetime(2026, 12, 8, 1, 30)) == "2026-12-08T01:30:00.000000"
    assert canonical_value(decimal.Decimal("12.50")) == "12.50"
    assert canonical_value(True) is True and canonical_value(1) == 1
    assert canonical_value(dt.timedelta(days=1, microseconds=3)) == {"microseconds": 86_400_000_003}
    assert canonical_value(memoryview(b"\x00\xff")) == "AP8="
    assert canonical_value(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    assert canonical_value({"b": [dt.date(2026, 1, 2)], "a": 1.5}) == {"b": ["2026-01-02"], "a": "1.5"}


@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip_restores_every_table_and_file_identically(some_data, documents, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs on the SQLite test database")
    backup = backup_into(tmp_path)
    manifest = read_manifest(backup)

    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["tables"] == table_checksums()  # nothing written since: the live database is what was saved
    assert manifest["tables"]["accounts_user"]["rows"] == 2
    assert manifest["tables"]["accounts_auditevent"]["rows"] == 1
    assert {f["name"]: f["size"] for f in manifest["files"]} == {n: len(c) for n, c in documents.items()}
    assert verify_backup(backup) == []

    target, media = tmp_path / "restored.sqlite3", tmp_path / "media"
    call_command("restore", str(backup), "--database-url", f"sqlite:///{target}", "--media-dir", str(media))

    for name, content in documents.items():
        assert (media / name).read_bytes() == content
    call_command("verify_backup", str(backup))


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_that_has_tables_is_refused(some_data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite file target")
    backup = backup_into(tmp_path)
    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(backup), "--database-url", f"sqlite:///{target}")
    before = digest_of(target)

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), "--database-url", f"sqlite:///{target}")
    assert digest_of(target) == before

    with pytest.raises(CommandError, match="PostgreSQL database or a SQLite file"):
        call_command("restore", str(backup), "--database-url", "mysql://u@h/db")


@pytest.mark.django_db(transaction=True)
def test_verification_names_a_changed_document_a_changed_manifest_and_a_changed_database(
    some_data, documents, tmp_path
):
    backup = backup_into(tmp_path)
    (backup / "files" / "documents/2026/12/plan.pdf").write_bytes(b"%PDF-1.7 forged")
    assert verify_backup(backup) == ["files/documents/2026/12/plan.pdf: checksum differs"]
    (backup / "files" / "extra.txt").write_bytes(b"x")
    with pytest.raises(CommandError, match="damaged: 2 problem"):
        call_command("verify_backup", str(backup))

    manifest = backup / MANIFEST
    manifest.write_text(manifest.read_text().replace('"rows": 1', '"rows": 2', 1))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("verify_backup", str(backup))
    target = tmp_path / "never.sqlite3"
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(backup), "--database-url", f"sqlite:///{target}")
    assert not target.exists()


@pytest.mark.django_db(transaction=True)
def test_a_changed_row_in_a_sqlite_backup_is_named_by_its_table(some_data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the database copy is edited with sqlite3")
    backup = backup_into(tmp_path)
    copy = backup / "database.sqlite3"
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE accounts_auditevent SET object_id = 8")
    db.close()
    manifest = json.loads((backup / MANIFEST).read_text())
    # Someone who also rewrote the file's checksum in the manifest (and the manifest's own) is still caught:
    manifest["database"]["sha256"], manifest["database"]["size"] = sha256_of(copy), copy.stat().st_size
    body = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    (backup / MANIFEST).write_bytes(body)
    (backup / "manifest.json.sha256").write_text(f"{hashlib.sha256(body).hexdigest()}  manifest.json\n")

    assert verify_backup(backup) == ["table accounts_auditevent: content differs (same 1 rows)"]


@pytest.mark.django_db(transaction=True)
def test_documents_restore_into_the_storage_only_when_none_of_them_is_there(some_data, documents, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite file target")
    backup = backup_into(tmp_path)
    with pytest.raises(CommandError, match="already holds 2 of the files"):
        call_command("restore", str(backup), "--database-url", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--into-storage")

    for name in documents:
        default_storage.delete(name)
    call_command("restore", str(backup), "--database-url", f"sqlite:///{tmp_path / 'b.sqlite3'}", "--into-storage")
    for name, content in documents.items():
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == content


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_restores_every_table_and_file_identically(some_data, documents, tmp_path, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip runs on the PostgreSQL test database")
    backup = backup_into(tmp_path)
    manifest = read_manifest(backup)
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["tables"] == table_checksums()
    assert manifest["tables"]["accounts_auditevent"]["rows"] == 1
    assert verify_backup(backup) == []

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    auth = f"{settings['USER']}:{settings['PASSWORD']}@" if settings["PASSWORD"] else f"{settings['USER']}@"
    url = f"postgres://{auth}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    try:
        call_command("restore", str(backup), "--database-url", url, "--media-dir", str(tmp_path / "media"))
        out = capsys.readouterr().out
        assert re.search(rf"Restored and verified: {len(manifest['tables'])} tables", out)
        assert "2 files restored" in out
        with pytest.raises(CommandError, match="is not empty"):
            call_command("restore", str(backup), "--database-url", url)
    finally:
        params = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "user": settings["USER"]}
        if settings["PASSWORD"]:
            params["password"] = settings["PASSWORD"]
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
