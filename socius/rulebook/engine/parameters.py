"""Dated legal parameters: one YAML file per parameter under a pack's `parameters/` folder.

A file holds `description`, `unit`, `legal_basis` and `values` keyed by ISO start date, each value
with its `source`. A value holds from its date until the next one; asking for a day before the
first date is an error, never a silent fallback. A file with no values records a fact that was
looked for and not found ([NOT FOUND] in `status`): the parameter is known to be absent, and
asking for it raises ParameterNotInForce with that status in the message.

The parameter name is the file's path below `parameters/` without `.yaml`, e.g.
`casework/assessment/deadline`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, as_number, load_yaml, require_text

# Units a deadline parameter may carry (see engine/deadlines.py); others (a currency code, "percent") are allowed.
WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
MONTHS = "months"


class ParameterError(LookupError):
    """A parameter cannot be given for the day asked."""


class UnknownParameter(ParameterError):
    """The pack has no file for this parameter name."""


class ParameterNotInForce(ParameterError):
    """The parameter exists but has no value on the day asked (before its first date, or not found in law)."""


@dataclass(frozen=True)
class ParameterValue:
    """One value in force, with what a trace needs to explain it."""

    name: str
    value: int | Decimal
    unit: str
    valid_from: dt.date
    source: str
    legal_basis: str
    # False where the value could not be confirmed in a primary source: the best-sourced value is
    # encoded and listed in docs/unconfirmed-law.md; traces and decisions show the mark.
    confirmed: bool = True


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    legal_basis: str
    values: tuple[ParameterValue, ...]  # ordered by valid_from
    status: str = ""  # e.g. "[NOT FOUND] …" when `values` is empty

    def value_on(self, on: dt.date) -> ParameterValue:
        if not self.values:
            raise ParameterNotInForce(f"parameter {self.name!r} has no value in law: {self.status or 'none recorded'}")
        index = bisect_right([value.valid_from for value in self.values], on) - 1
        if index < 0:
            first = self.values[0].valid_from.isoformat()
            raise ParameterNotInForce(f"parameter {self.name!r} has no value before {first} (asked for {on})")
        return self.values[index]


@cache
def parameter_in_force(pack_dir: Path, name: str, on: dt.date) -> ParameterValue:
    # Cached: a batch evaluates a million households for the same month with the same few parameters.
    return load_parameter(pack_dir, name).value_on(on)


def has_parameter(pack_dir: Path, name: str, on: dt.date) -> bool:
    try:
        parameter_in_force(pack_dir, name, on)
    except ParameterError:
        return False
    return True


def knows_parameter(pack_dir: Path, name: str) -> bool:
    """Whether the pack has the parameter at all, whatever the day (a cached read, not a walk of the folder)."""
    try:
        load_parameter(pack_dir, name)
    except UnknownParameter:
        return False
    return True


def parameter_names(pack_dir: Path) -> list[str]:
    root = pack_dir / "parameters"
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root).with_suffix("").as_posix() for path in root.rglob("*.yaml"))


@cache
def load_parameter(pack_dir: Path, name: str) -> Parameter:
    root = pack_dir / "parameters"
    path = (root / name).with_suffix(".yaml")
    # Names are code constants, but refuse anything that would climb out of the parameters folder.
    if ".." in Path(name).parts or not path.is_file():
        raise UnknownParameter(f"no parameter {name!r} in {pack_dir.name} pack")
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping")
    where = str(path)
    unit = require_text(document, "unit", where)
    legal_basis = require_text(document, "legal_basis", where)
    raw_values = document.get("values") or {}
    if not isinstance(raw_values, dict):
        raise PackDataError(f"{path}: 'values' must map ISO start dates to values")
    values = []
    for key, entry in raw_values.items():
        start = as_date(key, f"{where}: values key")
        entry_where = f"{where}: values[{start}]"
        if not isinstance(entry, dict):
            raise PackDataError(f"{entry_where}: expected a mapping with 'value' and 'source'")
        values.append(
            ParameterValue(
                name=name,
                value=as_number(entry.get("value"), f"{entry_where}.value"),
                unit=unit,
                valid_from=start,
                source=require_text(entry, "source", entry_where),
                legal_basis=(entry.get("legal_basis") or legal_basis).strip(),
                confirmed=_as_confirmed(entry.get("confirmed", True), f"{entry_where}.confirmed"),
            )
        )
    values.sort(key=lambda value: value.valid_from)
    status = (document.get("status") or "").strip()
    if not values and not status:
        raise PackDataError(f"{path}: no values; say why in 'status' (e.g. [NOT FOUND] …)")
    return Parameter(
        name=name,
        description=require_text(document, "description", where),
        unit=unit,
        legal_basis=legal_basis,
        values=tuple(values),
        status=status,
    )


def _as_confirmed(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise PackDataError(f"{where}: expected true or false, got {value!r}")
    return value
