"""What a pack says about data protection (decision 0024): the supervisory authority a personal data breach is
notified to and within how many hours, dated and sourced; and the model entries of the register of processing
activities (GDPR art. 30) a centre of the country starts from. Texts are in the country's language: the register
is a document the centre keeps for its own authority."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, load_yaml, require_text

REGISTER_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security_measures",
)


@dataclass(frozen=True)
class SupervisoryAuthority:
    """The authority a breach is notified to, and the deadline in hours from its discovery (art. 33 ust. 1)."""

    name: str
    short_name: str
    notification_hours: int
    legal_basis: str
    source: str
    valid_from: dt.date


@dataclass(frozen=True)
class ProcessingActivityModel:
    """One model entry of the register: `code` identifies it across versions of the pack; `retention_keys` name
    the record types of the pack's retention periods the entry's `retention` text summarises."""

    code: str
    name: str
    purpose: str
    legal_basis: str
    data_subjects: str
    data_categories: str
    recipients: str
    transfers: str
    retention: str
    security_measures: str
    source: str
    retention_keys: tuple[str, ...] = ()


def _mapping(path: Path) -> dict:
    if not path.is_file():
        raise PackDataError(f"{path}: missing; every pack provides it")
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping")
    return document


@cache
def supervisory_authorities(pack_dir: Path) -> tuple[SupervisoryAuthority, ...]:
    """Every version of the authority entry, oldest first."""
    path = pack_dir / "privacy" / "authority.yaml"
    document = _mapping(path)
    versions = []
    for index, raw in enumerate(document.get("versions") or []):
        where = f"{path}: versions[{index}]"
        hours = raw.get("notification_hours")
        if isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0:
            raise PackDataError(f"{where}: notification_hours must be a positive whole number")
        versions.append(
            SupervisoryAuthority(
                name=require_text(raw, "name", where),
                short_name=require_text(raw, "short_name", where),
                notification_hours=hours,
                legal_basis=require_text(raw, "legal_basis", where),
                source=require_text(raw, "source", where),
                valid_from=as_date(raw.get("valid_from"), where),
            )
        )
    if not versions:
        raise PackDataError(f"{path}: no versions")
    return tuple(sorted(versions, key=lambda v: v.valid_from))


def supervisory_authority(pack_dir: Path, on: dt.date) -> SupervisoryAuthority:
    """The authority entry in force on `on` (the earliest one before any is)."""
    versions = supervisory_authorities(pack_dir)
    current = versions[0]
    for version in versions:
        if version.valid_from <= on:
            current = version
    return current


@cache
def processing_activity_models(pack_dir: Path) -> tuple[ProcessingActivityModel, ...]:
    path = pack_dir / "privacy" / "processing_activities.yaml"
    document = _mapping(path)
    default_source = document.get("source", "")
    items = []
    for index, raw in enumerate(document.get("items") or []):
        where = f"{path}: items[{index}]"
        values = {field: require_text(raw, field, where) for field in REGISTER_FIELDS}
        keys = raw.get("retention_keys") or []
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise PackDataError(f"{where}: retention_keys must be a list of record type codes")
        items.append(
            ProcessingActivityModel(
                code=require_text(raw, "code", where),
                source=raw.get("source") or default_source,
                retention_keys=tuple(keys),
                **values,
            )
        )
    codes = [item.code for item in items]
    if len(codes) != len(set(codes)):
        raise PackDataError(f"{path}: duplicate codes")
    return tuple(items)
