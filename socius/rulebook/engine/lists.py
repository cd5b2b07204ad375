"""Statutory and practice lists a pack provides: qualifying circumstances, contact topics and outcomes.

Each pack keeps them as YAML beside its code (`circumstances.yaml`, `contact_topics.yaml`,
`contact_outcomes.yaml`). Labels are the statutory or customary names in the country's language:
they are data, never gettext. Each item carries its `translations` into the other interface languages
(see engine.translations); `label_in(language)` answers the one to show, and `label` stays the
statutory wording. Codes are English snake_case and shared across countries where the concept is the
same, so reports can compare like with like.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, as_optional_date, load_yaml, require_text
from socius.rulebook.engine.translations import Translations, read_translations, text_in

# A source carrying this marker was not confirmed in DOMAIN.md or a primary text; see the pack's YAML.
NOT_CONFIRMED = "[NOT CONFIRMED]"


class UnknownCode(LookupError):
    """No entry with this code in the list (or none in force on the day asked)."""


class Labelled:
    """An item with a statutory `label` and its `translations`."""

    label: str
    translations: Translations

    def label_in(self, language: str | None) -> str:
        """The label in `language`; the statutory label in the pack's own language (or an unknown one)."""
        return text_in(self.label, self.translations, language)


@dataclass(frozen=True)
class Circumstance(Labelled):
    """One ground on which help is given (PL art. 7 u.p.s. point, MD beneficiary category, LT risk factor).

    `valid_from` is inclusive and `valid_until` exclusive; a reworded point is two entries with the same
    code and consecutive validity, so a case opened on a day keeps the wording of that day.
    `sensitive` marks special-category content (health, disability, addiction, violence, criminal
    record): casework shows it only to those allowed to see the case content.
    """

    code: str
    label: str
    legal_basis: str
    source: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    point: str | None = None  # the statute's own numbering, e.g. "7a" for art. 7 pkt 7a u.p.s.
    sensitive: bool = False
    translations: Translations = ()

    def is_in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on < self.valid_until)

    @property
    def is_confirmed(self) -> bool:
        return NOT_CONFIRMED not in self.source


@dataclass(frozen=True)
class ContactTopic(Labelled):
    """What a citizen came about (front-desk intake)."""

    code: str
    label: str
    source: str
    legal_basis: str = ""
    sensitive: bool = False
    translations: Translations = ()


@dataclass(frozen=True)
class ContactOutcome(Labelled):
    """What was done at a contact."""

    code: str
    label: str
    source: str
    legal_basis: str = ""
    translations: Translations = ()


@dataclass(frozen=True)
class DefaultTeam(Labelled):
    """A team a new centre starts with: its problem group and its name (customary, not statutory)."""

    code: str  # the problem group
    label: str
    translations: Translations = ()


@cache
def default_teams(pack_dir: Path) -> tuple[DefaultTeam, ...]:
    path = pack_dir / "teams.yaml"
    document = _document(path)
    items = []
    for raw, where in _rows(document, path):
        items.append(
            DefaultTeam(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                translations=read_translations(raw, where),
            )
        )
    _check_unique(items, path)
    return tuple(items)


def circumstances_in_force(pack_dir: Path, on: dt.date) -> list[Circumstance]:
    return [item for item in all_circumstances(pack_dir) if item.is_in_force(on)]


@cache
def all_circumstances(pack_dir: Path) -> tuple[Circumstance, ...]:
    """Every version of every circumstance, in file order (statute order)."""
    path = pack_dir / "circumstances.yaml"
    document = _document(path)
    default_basis = document.get("legal_basis", "")
    items = []
    for raw, where in _rows(document, path):
        items.append(
            Circumstance(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                legal_basis=(raw.get("legal_basis") or default_basis).strip(),
                source=require_text(raw, "source", where),
                valid_from=as_date(raw.get("valid_from"), f"{where}.valid_from"),
                valid_until=as_optional_date(raw.get("valid_until"), f"{where}.valid_until"),
                point=None if raw.get("point") is None else str(raw["point"]),
                sensitive=_flag(raw, "sensitive", where),
                translations=read_translations(raw, where),
            )
        )
    _check_no_overlap(items, path)
    return tuple(items)


@cache
def contact_topics(pack_dir: Path) -> tuple[ContactTopic, ...]:
    path = pack_dir / "contact_topics.yaml"
    document = _document(path)
    items = []
    for raw, where in _rows(document, path):
        items.append(
            ContactTopic(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                source=(raw.get("source") or document.get("source") or "").strip(),
                legal_basis=(raw.get("legal_basis") or "").strip(),
                sensitive=_flag(raw, "sensitive", where),
                translations=read_translations(raw, where),
            )
        )
    _check_unique(items, path)
    return tuple(items)


@cache
def contact_outcomes(pack_dir: Path) -> tuple[ContactOutcome, ...]:
    path = pack_dir / "contact_outcomes.yaml"
    document = _document(path)
    items = []
    for raw, where in _rows(document, path):
        items.append(
            ContactOutcome(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                source=(raw.get("source") or document.get("source") or "").strip(),
                legal_basis=(raw.get("legal_basis") or "").strip(),
                translations=read_translations(raw, where),
            )
        )
    _check_unique(items, path)
    return tuple(items)


def _rows(document: dict, path: Path):
    """(item, where) for each entry of a list file, `where` naming it in error messages."""
    for index, raw in enumerate(document.get("items") or []):
        yield raw, f"{path}: items[{index}]"


def _document(path: Path) -> dict:
    if not path.is_file():
        raise PackDataError(f"{path}: missing; every pack provides this list")
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping with 'items'")
    return document


def _flag(raw: dict, key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise PackDataError(f"{where}: '{key}' must be true or false")
    return value


def _check_unique(items: list, path: Path) -> None:
    codes = [item.code for item in items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise PackDataError(f"{path}: duplicate codes {duplicates}")


def _check_no_overlap(items: list[Circumstance], path: Path) -> None:
    # Two versions of one code may follow each other but never be in force on the same day.
    by_code: dict[str, list[Circumstance]] = {}
    for item in items:
        if item.valid_until is not None and item.valid_until <= item.valid_from:
            raise PackDataError(f"{path}: {item.code} ends before it starts")
        by_code.setdefault(item.code, []).append(item)
    for code, versions in by_code.items():
        ordered = sorted(versions, key=lambda item: item.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_until is None or earlier.valid_until > later.valid_from:
                raise PackDataError(f"{path}: versions of {code} overlap")
