"""Backups that restore: the database (pg_dump or SQLite's online backup), the uploaded documents, a manifest with
row counts and checksums of every table and of every file; restore into a new database, verified against the
manifest (decision 0020, drill in docs/restore-drill.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connections, transaction

from socius.ops.checksums import compare, table_checksums, temporary_alias

FORMAT = "socius-backup"
VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
FILES_DIR = "files"
DB_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
_BLOCK = 1 << 20


class BackupError(Exception):
    """A backup, restore or verification that cannot go on; the message says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- the uploaded documents --------------------------------------------------------------------------------------


def storage_names(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in a storage (local folder, S3, memory), depth first, sorted."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for name in sorted(dirs):
        yield from storage_names(storage, f"{path}/{name}" if path else name)


def _copy_out(storage: Storage, name: str, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, target.open("wb") as out:
        for block in iter(lambda: source.read(_BLOCK), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


# --- the database --------------------------------------------------------------------------------------------------


def _pg_env(config: dict) -> dict:
    """libpq's environment for a DATABASES entry: no password on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            env[var] = str(config[key])
    options = config.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    env["PGDATABASE"] = config["NAME"]
    return env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_postgresql(alias: str, target: Path) -> dict[str, dict]:
    """pg_dump in the custom format, from the same snapshot as the checksums (one REPEATABLE READ transaction
    exports its snapshot to pg_dump and then reads every table)."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            _pg_env(connection.settings_dict),
        )
        return table_checksums(alias)


def _sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    out = sqlite3.connect(target)
    try:
        source.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        out.close()


def _sqlite_file_config(path: Path, *, read_only: bool) -> dict:
    name = f"file:{path}?mode=ro&immutable=1" if read_only else str(path)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}


def _dump_sqlite(alias: str, target: Path) -> dict[str, dict]:
    """SQLite's online backup API (a consistent copy while others write), then the checksums of the copy."""
    connection = connections[alias]
    connection.ensure_connection()
    _sqlite_copy(connection.connection, target)
    with temporary_alias(_sqlite_file_config(target, read_only=True)) as copy:
        return table_checksums(copy)


# --- backing up ----------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict = field(default_factory=dict)


def create_backup(output: Path, *, alias: str = "default", storage: Storage | None = None) -> BackupResult:
    """Write a backup into a new folder under `output` and return it. The folder is complete when it appears under
    its final name (it is written under a `.partial` name first)."""
    storage = storage or default_storage
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"No backup for the {vendor} database.")
    created = _now()
    name = f"socius-backup-{created:%Y%m%dT%H%M%S%fZ}"
    final, partial = output / name, output / f".{name}.partial"
    partial.mkdir(parents=True)
    try:
        db_file = partial / DB_FILES[vendor]
        tables = _dump_postgresql(alias, db_file) if vendor == "postgresql" else _dump_sqlite(alias, db_file)
        files = [_copy_out(storage, n, partial / FILES_DIR / n) for n in storage_names(storage)]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": created.isoformat(),
            "database": {
                "vendor": vendor,
                "file": db_file.name,
                "size": db_file.stat().st_size,
                "sha256": sha256_of(db_file),
            },
            "tables": tables,
            "files": files,
        }
        body = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
        (partial / MANIFEST).write_bytes(body)
        (partial / MANIFEST_SUM).write_text(f"{hashlib.sha256(body).hexdigest()}  {MANIFEST}\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(final, manifest)


# --- verifying a backup --------------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    """The manifest, after checking its own checksum."""
    body_path, sum_path = path / MANIFEST, path / MANIFEST_SUM
    if not body_path.is_file() or not sum_path.is_file():
        raise BackupError(f"{path} is not a Socius backup: {MANIFEST} or {MANIFEST_SUM} is missing.")
    body = body_path.read_bytes()
    expected = sum_path.read_text().split()[0] if sum_path.read_text().split() else ""
    if hashlib.sha256(body).hexdigest() != expected:
        raise BackupError(f"{MANIFEST} does not match its checksum: the manifest was changed or damaged.")
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} version {manifest.get('version')!r}.")
    return manifest


def verify_backup(path: Path) -> list[str]:
    """Every problem of a backup folder (empty: sound): the manifest's checksum, the database file's and every
    document's presence, size and sha256, files not in the manifest; for SQLite also the row counts and checksums
    of every table of the copy, for PostgreSQL that pg_restore can read the archive."""
    manifest = read_manifest(path)
    problems = []
    database = manifest["database"]
    db_file = path / database["file"]
    if not db_file.is_file():
        return [f"{database['file']}: missing"]
    if db_file.stat().st_size != database["size"] or sha256_of(db_file) != database["sha256"]:
        problems.append(f"{database['file']}: checksum differs")
    listed = set()
    for entry in manifest["files"]:
        listed.add(entry["name"])
        copy = path / FILES_DIR / entry["name"]
        if not copy.is_file():
            problems.append(f"{FILES_DIR}/{entry['name']}: missing")
        elif copy.stat().st_size != entry["size"] or sha256_of(copy) != entry["sha256"]:
            problems.append(f"{FILES_DIR}/{entry['name']}: checksum differs")
    root = path / FILES_DIR
    if root.is_dir():
        for extra in sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()):
            if extra not in listed:
                problems.append(f"{FILES_DIR}/{extra}: not in the manifest")
    if problems:
        return problems
    if database["vendor"] == "sqlite":
        with temporary_alias(_sqlite_file_config(db_file, read_only=True)) as copy:
            problems += [f"table {p}" for p in compare(manifest["tables"], table_checksums(copy))]
    else:
        _run(["pg_restore", "--list", str(db_file)], dict(os.environ))
    return problems


# --- restoring -----------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    files_where: str
    problems: list[str]


def parse_database_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url)
    except Exception as error:  # the library raises several kinds for a bad URL
        raise BackupError(f"Not a database URL: {error}") from error
    vendor = {"django.db.backends.postgresql": "postgresql", "django.db.backends.sqlite3": "sqlite"}.get(
        config.get("ENGINE", "")
    )
    if vendor is None or not config.get("NAME"):
        raise BackupError("The database URL must name a PostgreSQL database or a SQLite file.")
    config["vendor"] = vendor
    return config


def _prepare_postgresql(config: dict) -> None:
    """Create the target database when it does not exist; refuse one that has tables."""
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return
    with psycopg.connect(dbname=config["NAME"], **params) as target:
        tables = target.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]
    if tables:
        raise BackupError(f"The database {config['NAME']} is not empty ({tables} tables): restore into a new one.")


def _prepare_sqlite(config: dict) -> Path:
    target = Path(config["NAME"])
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} exists and is not empty: restore into a new file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _restore_files(path: Path, manifest: dict, media_dir: Path | None, storage: Storage | None) -> str:
    entries = manifest["files"]
    if media_dir is not None:
        if media_dir.exists() and any(media_dir.iterdir()):
            raise BackupError(f"{media_dir} is not empty: restore the documents into a new folder.")
        for entry in entries:
            target = media_dir / entry["name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path / FILES_DIR / entry["name"], target)
        return str(media_dir)
    if storage is not None:
        clashes = [e["name"] for e in entries if storage.exists(e["name"])]
        if clashes:
            raise BackupError(f"The storage already holds {len(clashes)} of the files (first: {clashes[0]}).")
        for entry in entries:
            with (path / FILES_DIR / entry["name"]).open("rb") as handle:
                saved = storage.save(entry["name"], File(handle))
            if saved != entry["name"]:
                raise BackupError(f"The storage saved {entry['name']} as {saved}.")
        return "the default storage"
    return ""


def _check_files(manifest: dict, media_dir: Path | None, storage: Storage | None) -> list[str]:
    problems = []
    for entry in manifest["files"]:
        if media_dir is not None:
            copy = media_dir / entry["name"]
            found = sha256_of(copy) if copy.is_file() else None
        elif storage is not None:
            digest = hashlib.sha256()
            with storage.open(entry["name"], "rb") as handle:
                for block in iter(lambda h=handle: h.read(_BLOCK), b""):
                    digest.update(block)
            found = digest.hexdigest()
        else:
            return []
        if found != entry["sha256"]:
            problems.append(f"file {entry['name']}: checksum differs after restore")
    return problems


def restore_backup(
    path: Path, database_url: str, *, media_dir: Path | None = None, storage: Storage | None = None
) -> RestoreResult:
    """Restore a verified backup into a new database (created when absent; refused when it has tables), and the
    documents into an empty folder or a storage (when asked); then compare every table's row count and checksum,
    and every file's, with the manifest. `problems` lists what differs (empty: the restore is exact)."""
    manifest = read_manifest(path)
    damaged = verify_backup(path)
    if damaged:
        raise BackupError("The backup is damaged: " + "; ".join(damaged[:5]))
    config = parse_database_url(database_url)
    vendor = config.pop("vendor")
    if vendor != manifest["database"]["vendor"]:
        raise BackupError(f"This is a {manifest['database']['vendor']} backup; it restores into {vendor} only.")
    if media_dir is not None and media_dir.exists() and any(media_dir.iterdir()):
        raise BackupError(f"{media_dir} is not empty: restore the documents into a new folder.")
    db_file = path / manifest["database"]["file"]
    if vendor == "postgresql":
        _prepare_postgresql(config)
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={config['NAME']}", str(db_file)],
            _pg_env(config),
        )  # fmt: skip
    else:
        target = _prepare_sqlite(config)
        source = sqlite3.connect(f"file:{db_file}?mode=ro&immutable=1", uri=True)
        try:
            _sqlite_copy(source, target)
        finally:
            source.close()
    with temporary_alias(config) as alias:
        found = table_checksums(alias)
    problems = [f"table {p}" for p in compare(manifest["tables"], found)]
    where = _restore_files(path, manifest, media_dir, storage)
    problems += _check_files(manifest, media_dir, storage)
    return RestoreResult(
        tables=len(found),
        rows=sum(t["rows"] for t in found.values()),
        files=len(manifest["files"]) if where else 0,
        files_where=where,
        problems=problems,
    )
