"""Child protection per pack: the bodies that meet on children's cases and the statutory names of the forms
of care (`child_protection.yaml`).

Each body carries its statutory name (in the pack's language, with translations), its legal basis and its
quorum rule as dated versions, so a meeting held on a day is checked against the rule of that day:

    bodies:
      - code: md_commission
        label: "Comisia pentru protecția copilului aflat în dificultate"
        translations: {pl: "...", lt: "...", ru: "...", en: "..."}
        legal_basis: "HG nr. 7 din 20.01.2016"
        source: "..."
        quorum:
          2016-01-22: {rule: more_than_half, source: "[NOT CONFIRMED] ..."}
    forms_of_care:
      - code: foster_family
        label: "asistență parentală profesionistă"
        translations: {...}
        legal_basis: "..."

A quorum rule is one of QUORUM_RULES, counted on the voting members of the meeting; `minimum` (optional)
raises the count to a floor. A pack without the file has no bodies and no statutory names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, load_yaml, require_text
from socius.rulebook.engine.lists import NOT_CONFIRMED, Labelled, UnknownCode
from socius.rulebook.engine.translations import Translations, read_translations

FILE_NAME = "child_protection.yaml"

# How many of the voting members must be present for the body to decide.
MORE_THAN_HALF = "more_than_half"  # a majority: floor(n / 2) + 1
AT_LEAST_HALF = "at_least_half"  # ceil(n / 2)
AT_LEAST_TWO_THIRDS = "at_least_two_thirds"  # ceil(2n / 3)
NO_QUORUM = "none"  # the law sets none: any number present may decide
QUORUM_RULES = (MORE_THAN_HALF, AT_LEAST_HALF, AT_LEAST_TWO_THIRDS, NO_QUORUM)


@dataclass(frozen=True)
class QuorumRule:
    """One version of a body's quorum rule, in force from `valid_from` until the next version."""

    rule: str
    valid_from: dt.date
    source: str
    minimum: int = 0

    def quorum(self, voting_members: int) -> int | None:
        """The number of voting members who must be present; None when the law sets no quorum."""
        if voting_members < 0:
            raise ValueError("voting_members must not be negative")
        n = voting_members
        if self.rule == NO_QUORUM:
            return None
        if self.rule == MORE_THAN_HALF:
            needed = n // 2 + 1
        elif self.rule == AT_LEAST_HALF:
            needed = -(-n // 2)
        else:  # AT_LEAST_TWO_THIRDS
            needed = -(-2 * n // 3)
        return max(needed, self.minimum)

    @property
    def is_confirmed(self) -> bool:
        return NOT_CONFIRMED not in self.source


@dataclass(frozen=True)
class MeetingBodyDefinition(Labelled):
    """A body of the pack that meets on children's cases, with its statutory name and dated quorum rules."""

    code: str
    label: str  # statutory name in the pack's language (not gettext); label_in() for the reader's language
    legal_basis: str
    source: str
    quorum_rules: tuple[QuorumRule, ...]  # ordered by valid_from
    translations: Translations = ()

    def quorum_rule_on(self, on: dt.date) -> QuorumRule | None:
        """The version in force on `on`; None before the first one."""
        found = None
        for version in self.quorum_rules:
            if version.valid_from <= on:
                found = version
        return found

    def quorum_on(self, on: dt.date, voting_members: int) -> int | None:
        """The quorum for a meeting on `on` with this many voting members; None: the law sets none (or none
        was in force yet)."""
        version = self.quorum_rule_on(on)
        return None if version is None else version.quorum(voting_members)

    @property
    def latest_quorum_rule(self) -> QuorumRule | None:
        return self.quorum_rules[-1] if self.quorum_rules else None

    @property
    def is_confirmed(self) -> bool:
        return NOT_CONFIRMED not in self.source


@dataclass(frozen=True)
class FormOfCareName(Labelled):
    """The statutory name of a form of care in the pack's country (codes of the application's FormOfCare)."""

    code: str
    label: str
    legal_basis: str
    source: str
    translations: Translations = ()


@dataclass(frozen=True)
class ChildProtectionPack:
    bodies: tuple[MeetingBodyDefinition, ...] = ()
    forms_of_care: tuple[FormOfCareName, ...] = ()

    def body(self, code: str) -> MeetingBodyDefinition:
        for body in self.bodies:
            if body.code == code:
                return body
        raise UnknownCode(f"no meeting body {code!r} in this pack")

    def has_body(self, code: str) -> bool:
        return any(body.code == code for body in self.bodies)

    def form_of_care(self, code: str) -> FormOfCareName | None:
        for form in self.forms_of_care:
            if form.code == code:
                return form
        return None


@cache
def child_protection(pack_dir: Path) -> ChildProtectionPack:
    """The pack's bodies and forms of care in file order; empty when the pack has no file."""
    path = pack_dir / FILE_NAME
    if not path.is_file():
        return ChildProtectionPack()
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping with 'bodies'")
    default_basis = (document.get("legal_basis") or "").strip()
    bodies = []
    for index, raw in enumerate(document.get("bodies") or []):
        where = f"{path}: bodies[{index}]"
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: expected a mapping")
        bodies.append(
            MeetingBodyDefinition(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                legal_basis=(raw.get("legal_basis") or default_basis).strip(),
                source=require_text(raw, "source", where),
                quorum_rules=_quorum_rules(raw.get("quorum"), f"{where}.quorum"),
                translations=read_translations(raw, where),
            )
        )
    forms = []
    for index, raw in enumerate(document.get("forms_of_care") or []):
        where = f"{path}: forms_of_care[{index}]"
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: expected a mapping")
        forms.append(
            FormOfCareName(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                legal_basis=(raw.get("legal_basis") or default_basis).strip(),
                source=require_text(raw, "source", where),
                translations=read_translations(raw, where),
            )
        )
    for kind, items in (("bodies", bodies), ("forms_of_care", forms)):
        codes = [item.code for item in items]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise PackDataError(f"{path}: duplicate {kind} codes {duplicates}")
    return ChildProtectionPack(bodies=tuple(bodies), forms_of_care=tuple(forms))


def _quorum_rules(value, where: str) -> tuple[QuorumRule, ...]:
    if not isinstance(value, dict) or not value:
        raise PackDataError(f"{where}: expected dated versions {{ISO date: {{rule, source}}}}")
    versions = []
    for key, raw in value.items():
        valid_from = as_date(key, f"{where}.{key}")
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}.{key}: expected a mapping with 'rule' and 'source'")
        rule = raw.get("rule")
        if rule not in QUORUM_RULES:
            raise PackDataError(f"{where}.{key}: 'rule' must be one of {', '.join(QUORUM_RULES)}")
        minimum = raw.get("minimum", 0)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
            raise PackDataError(f"{where}.{key}: 'minimum' must be a whole number, 0 or more")
        versions.append(
            QuorumRule(
                rule=rule,
                valid_from=valid_from,
                source=require_text(raw, "source", f"{where}.{key}"),
                minimum=minimum,
            )
        )
    versions.sort(key=lambda version: version.valid_from)
    dates = [version.valid_from for version in versions]
    if len(set(dates)) != len(dates):
        raise PackDataError(f"{where}: two versions start on the same day")
    return tuple(versions)
