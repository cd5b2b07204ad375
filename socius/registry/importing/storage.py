"""Uploaded import files and their reports, kept in the default storage between the dry run and the real run.

Layout: imports/<user id>/<token>/{meta.json, source.csv|source.xlsx, report.json}. The token is random
and the user's id is part of the path, so one user never reaches another's upload. The source file is
deleted after the real run; everything is swept a day after upload.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from socius.registry.importing.reading import extension_of
from socius.registry.importing.report import ImportReport

ROOT = "imports"
KEEP = dt.timedelta(hours=24)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def is_token(value: str | None) -> bool:
    return bool(value and _TOKEN.match(value))


def _dir(user_id: int, token: str) -> str:
    if not is_token(token):
        raise ValueError("bad import token")
    return f"{ROOT}/{int(user_id)}/{token}"


def save_upload(user_id: int, uploaded) -> str:
    """Store an uploaded file (a Django UploadedFile) and return its token."""
    token = uuid.uuid4().hex
    base = _dir(user_id, token)
    meta = {"file_name": uploaded.name, "size": uploaded.size, "uploaded_at": timezone.now().isoformat()}
    default_storage.save(f"{base}/meta.json", ContentFile(json.dumps(meta).encode()))  # first: the sweep reads it
    default_storage.save(f"{base}/source{extension_of(uploaded.name)}", uploaded)
    return token


def read_meta(user_id: int, token: str) -> dict | None:
    name = f"{_dir(user_id, token)}/meta.json"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return json.loads(fh.read())


def _source_name(user_id: int, token: str) -> str | None:
    base = _dir(user_id, token)
    for ext in (".csv", ".xlsx"):
        if default_storage.exists(f"{base}/source{ext}"):
            return f"{base}/source{ext}"
    return None


def has_source(user_id: int, token: str) -> bool:
    return _source_name(user_id, token) is not None


def read_source(user_id: int, token: str) -> tuple[bytes, str]:
    """The stored file's bytes and its original name (FileNotFoundError when gone)."""
    name = _source_name(user_id, token)
    meta = read_meta(user_id, token)
    if name is None or meta is None:
        raise FileNotFoundError(token)
    with default_storage.open(name, "rb") as fh:
        return fh.read(), meta["file_name"]


def discard_source(user_id: int, token: str) -> None:
    name = _source_name(user_id, token)
    if name:
        default_storage.delete(name)


def save_report(user_id: int, token: str, report: ImportReport) -> None:
    name = f"{_dir(user_id, token)}/report.json"
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(report.to_json(), ensure_ascii=False).encode()))


def discard_report(user_id: int, token: str) -> None:
    default_storage.delete(f"{_dir(user_id, token)}/report.json")


def load_report(user_id: int, token: str) -> ImportReport | None:
    name = f"{_dir(user_id, token)}/report.json"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return ImportReport.from_json(json.loads(fh.read()))


def discard(user_id: int, token: str) -> None:
    base = _dir(user_id, token)
    for leaf in ("source.csv", "source.xlsx", "report.json", "meta.json"):
        default_storage.delete(f"{base}/{leaf}")
    default_storage.delete(base)


def sweep(now: dt.datetime | None = None) -> int:
    """Delete every upload older than KEEP (personal data must not linger). Returns how many went."""
    now = now or timezone.now()
    gone = 0
    # Not `exists(ROOT)`: on an object store (S3) a folder is only a prefix, and "exists" says no.
    try:
        user_dirs = default_storage.listdir(ROOT)[0]
    except FileNotFoundError:
        return 0
    for user_dir in user_dirs:
        if not user_dir.isdigit():
            continue
        for token in default_storage.listdir(f"{ROOT}/{user_dir}")[0]:
            if not is_token(token):
                continue
            meta = read_meta(int(user_dir), token)
            uploaded = dt.datetime.fromisoformat(meta["uploaded_at"]) if meta else None
            if uploaded is None or now - uploaded > KEEP:
                discard(int(user_dir), token)
                gone += 1
    return gone
