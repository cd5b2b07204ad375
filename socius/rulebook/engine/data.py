"""Reading a pack's YAML data files: safe loading, ISO dates, and no floats anywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml


class PackDataError(ValueError):
    """A pack data file is malformed: a bug in the pack, found when the file is first read."""


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise PackDataError(f"{path}: not valid YAML ({exc})") from exc
    _refuse_floats(content, path)
    return content


def as_date(value: object, where: str) -> dt.date:
    """YAML reads an unquoted 2021-11-11 as a date; a quoted one stays a string. Accept both, nothing else."""
    if isinstance(value, dt.datetime):
        raise PackDataError(f"{where}: expected a date, got a timestamp {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise PackDataError(f"{where}: {value!r} is not an ISO date") from exc
    raise PackDataError(f"{where}: expected an ISO date, got {value!r}")


def as_optional_date(value: object, where: str) -> dt.date | None:
    return None if value is None else as_date(value, where)


def as_number(value: object, where: str) -> int | Decimal:
    """Whole numbers stay int; quoted amounts ("1010.00") become Decimal, as ARCHITECTURE.md asks of money."""
    if isinstance(value, bool):
        raise PackDataError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise PackDataError(f"{where}: {value!r} is not a decimal number") from exc
    raise PackDataError(f"{where}: expected an integer or a quoted decimal, got {value!r}")


def require_text(mapping: dict, key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackDataError(f"{where}: '{key}' must be non-empty text")
    return value.strip()


def _refuse_floats(node: Any, path: Path) -> None:
    # A float in law data is a rounding bug waiting to happen; amounts are quoted strings read as Decimal.
    if isinstance(node, float):
        raise PackDataError(f"{path}: float {node!r} found; quote amounts so they are read as Decimal")
    if isinstance(node, dict):
        for key, value in node.items():
            _refuse_floats(key, path)
            _refuse_floats(value, path)
    elif isinstance(node, list):
        for item in node:
            _refuse_floats(item, path)
