"""Assessment instruments (PL environmental interview, MD ancheta socială, LT need assessment) as data.

One YAML file per instrument version under a pack's `instruments/` folder. A file holds `code`,
`version`, `jurisdiction`, `title` (in the country's language), `valid_from`, `legal_basis`,
`source` and `sections`; each section has `code`, `title`, `mandatory` (true, false, or the
kinds — initial, update — for which it is) and `fields`; each field has
`code`, `label`, `type`, `required` and, by type, `options` (choice, multi_choice), `min`/`max`
(integer, decimal, date) or `max_length` (text, long_text). Labels and titles are data in the
country's language (the statutory wording), never gettext.

Their translations live beside the instrument in `instruments/translations/<code>.yaml` (or
`<code>@<version>.yaml` when a version rewords a label): `language` (the pack's own), then `title`,
`legal_basis`, `sections` (by section code), `fields` ("<section>.<field>") and `options`
("<section>.<field>.<option>"), each a map of all five interface languages. The own-language text must
equal the version's label, so a translation never silently belongs to another wording.
`Instrument.in_language(language, own_language)` gives the instrument as a reader in that language sees
it; translations are not part of a version (they change no stored answer).

A section may be `placeholder: true`: kept so that stored answers stay readable, but not part of the
confirmed structure (the app does not offer it on new forms and prints it only when it was answered).

An optional `roles` mapping says which field holds what the application knows by meaning, as
"<section>.<field>": the registry's facts it pre-fills (applicant_name, address, household_size,
household_members, monthly_income) and the texts a help plan builds on (diagnosis, conclusions).
Each role names an existing field of a fitting type; a role left out is simply not pre-filled or
shown.

A definition is checked when it is read: unique codes, known types, options for choices, limits that
fit the type. A published version is never edited: a change is a new file with a new `version`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, as_number, load_yaml, require_text
from socius.rulebook.engine.translations import LANGUAGES, Translations, normalise_language, text_in

TEXT = "text"
LONG_TEXT = "long_text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
BOOLEAN = "boolean"
CHOICE = "choice"
MULTI_CHOICE = "multi_choice"
FIELD_TYPES = frozenset({TEXT, LONG_TEXT, INTEGER, DECIMAL, DATE, BOOLEAN, CHOICE, MULTI_CHOICE})

# An assessment is a first one or an update of an earlier one (PL part IV, art. 107 ust. 4 u.p.s.).
KINDS = ("initial", "update")

# What the application knows by meaning, and the field types each may fill (see `roles` above).
ROLE_TYPES = {
    "applicant_name": frozenset({TEXT, LONG_TEXT}),
    "address": frozenset({TEXT, LONG_TEXT}),
    "household_size": frozenset({INTEGER}),
    "household_members": frozenset({TEXT, LONG_TEXT}),
    "monthly_income": frozenset({DECIMAL}),
    "diagnosis": frozenset({TEXT, LONG_TEXT}),
    "conclusions": frozenset({TEXT, LONG_TEXT}),
}

_NUMERIC = frozenset({INTEGER, DECIMAL})
_TEXTUAL = frozenset({TEXT, LONG_TEXT})
_CHOICES = frozenset({CHOICE, MULTI_CHOICE})


class UnknownInstrument(LookupError):
    """No instrument with this code (and version) in the pack."""


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    translations: Translations = ()

    def in_language(self, language: str) -> Option:
        return replace(self, label=text_in(self.label, self.translations, language))


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    type: str
    required: bool = False
    options: tuple[Option, ...] = ()
    min: int | Decimal | dt.date | None = None
    max: int | Decimal | dt.date | None = None
    max_length: int | None = None
    translations: Translations = ()

    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    def in_language(self, language: str) -> Field:
        return replace(
            self,
            label=text_in(self.label, self.translations, language),
            options=tuple(option.in_language(language) for option in self.options),
        )


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    mandatory_for: tuple[str, ...]  # the assessment kinds (initial, update) for which the section is mandatory
    fields: tuple[Field, ...]
    source: str = ""
    placeholder: bool = False  # not confirmed structure: see the module docstring
    translations: Translations = ()

    def in_language(self, language: str) -> Section:
        return replace(
            self,
            title=text_in(self.title, self.translations, language),
            fields=tuple(field.in_language(language) for field in self.fields),
        )

    def is_mandatory(self, kind: str) -> bool:
        return kind in self.mandatory_for

    def field(self, code: str) -> Field | None:
        for item in self.fields:
            if item.code == code:
                return item
        return None


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    jurisdiction: str
    title: str
    valid_from: dt.date
    legal_basis: str
    source: str
    sections: tuple[Section, ...]
    kinds: tuple[str, ...] = KINDS
    roles: tuple[tuple[str, str, str], ...] = ()  # (role, section code, field code)
    title_translations: Translations = ()
    legal_basis_translations: Translations = ()
    # Set on a translated copy: the statutory instrument and its language, to show beside the translation.
    statutory: Instrument | None = None
    statutory_language: str = ""

    def section(self, code: str) -> Section | None:
        for item in self.sections:
            if item.code == code:
                return item
        return None

    def role(self, name: str) -> tuple[str, str] | None:
        """(section code, field code) of the field that plays `name` (see ROLE_TYPES), or None."""
        for role, section, field in self.roles:
            if role == name:
                return section, field
        return None

    def in_language(self, language: str | None, own_language: str) -> Instrument:
        """The instrument as a reader in `language` sees it: itself in the pack's own language (or an unknown
        one), else a copy with every title, label and option translated and `statutory` set to the original."""
        return _in_language(self, normalise_language(language), own_language)


def instrument_paths(pack_dir: Path) -> list[Path]:
    root = pack_dir / "instruments"
    return sorted(root.glob("*.yaml")) if root.is_dir() else []


def instruments(pack_dir: Path) -> tuple[Instrument, ...]:
    """Every instrument version of a pack, ordered by code then valid_from."""
    items = [load_instrument_file(path) for path in instrument_paths(pack_dir)]
    seen: set[tuple[str, str]] = set()
    for item in items:
        key = (item.code, item.version)
        if key in seen:
            raise PackDataError(f"{pack_dir.name}: instrument {item.code} version {item.version} defined twice")
        seen.add(key)
    return tuple(sorted(items, key=lambda item: (item.code, item.valid_from, item.version)))


def get_instrument(pack_dir: Path, code: str, version: str | None = None, on: dt.date | None = None) -> Instrument:
    """One version by number, or the version in force on `on` (latest valid_from not after it)."""
    candidates = [item for item in instruments(pack_dir) if item.code == code]
    if version is not None:
        candidates = [item for item in candidates if item.version == version]
    if on is not None:
        candidates = [item for item in candidates if item.valid_from <= on]
    if not candidates:
        raise UnknownInstrument(f"{pack_dir.name}: no instrument {code!r} (version={version}, on={on})")
    return candidates[-1]


@cache
def _in_language(instrument: Instrument, language: str | None, own_language: str) -> Instrument:
    if language is None or language == own_language or instrument.statutory is not None:
        return instrument
    return replace(
        instrument,
        title=text_in(instrument.title, instrument.title_translations, language),
        legal_basis=text_in(instrument.legal_basis, instrument.legal_basis_translations, language),
        sections=tuple(section.in_language(language) for section in instrument.sections),
        statutory=instrument,
        statutory_language=own_language,
    )


@cache
def load_instrument_file(path: Path) -> Instrument:
    document = load_yaml(path)
    where = str(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{where}: expected a mapping")
    raw_sections = document.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise PackDataError(f"{where}: 'sections' must be a non-empty list")
    sections = tuple(_section(raw, f"{where}: sections[{i}]") for i, raw in enumerate(raw_sections))
    _unique([section.code for section in sections], f"{where}: section")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, str | int):
        raise PackDataError(f"{where}: 'version' must be text or a whole number")
    kinds = document.get("kinds") or list(KINDS)
    if not isinstance(kinds, list) or not set(kinds) <= set(KINDS):
        raise PackDataError(f"{where}: 'kinds' may list only 'initial' and 'update'")
    instrument = Instrument(
        code=require_text(document, "code", where),
        version=str(version),
        jurisdiction=require_text(document, "jurisdiction", where),
        title=require_text(document, "title", where),
        valid_from=as_date(document.get("valid_from"), f"{where}: valid_from"),
        legal_basis=require_text(document, "legal_basis", where),
        source=require_text(document, "source", where),
        sections=sections,
        kinds=tuple(kinds),
        roles=_roles(document.get("roles"), sections, where),
    )
    return _with_translations(instrument, path.parent / "translations")


def translations_path(folder: Path, code: str, version: str) -> Path | None:
    """The companion file of one version: `<code>@<version>.yaml`, else `<code>.yaml`; None without either."""
    for name in (f"{code}@{version}.yaml", f"{code}.yaml"):
        if (folder / name).is_file():
            return folder / name
    return None


def _with_translations(instrument: Instrument, folder: Path) -> Instrument:
    path = translations_path(folder, instrument.code, instrument.version)
    if path is None:
        return instrument
    document = load_yaml(path)
    where = str(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{where}: expected a mapping")
    own = require_text(document, "language", where)
    if own not in LANGUAGES:
        raise PackDataError(f"{where}: unknown language {own!r}")

    def entry(group: str, key: str, statutory: str) -> Translations:
        raw = document.get(group, {}) if group else {key: document.get(key)}
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: '{group}' must be a mapping")
        value = raw.get(key)
        if value is None:
            return ()
        spot = f"{where}: {group or key}[{key}]" if group else f"{where}: {key}"
        if not isinstance(value, dict) or not set(value) <= set(LANGUAGES):
            raise PackDataError(f"{spot}: expected a map of languages ({', '.join(LANGUAGES)}) to text")
        if " ".join(str(value.get(own, "")).split()) != " ".join(statutory.split()):
            raise PackDataError(
                f"{spot}: translates {value.get(own)!r}, but the label of version {instrument.version} is "
                f"{statutory!r}; give this version its own file {instrument.code}@{instrument.version}.yaml"
            )
        result = []
        for language, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise PackDataError(f"{spot}.{language}: must be non-empty text")
            if language != own:
                result.append((language, text.strip()))
        return tuple(sorted(result))

    def field_with(section: Section, field: Field) -> Field:
        key = f"{section.code}.{field.code}"
        options = tuple(
            replace(option, translations=entry("options", f"{key}.{option.code}", option.label))
            for option in field.options
        )
        return replace(field, translations=entry("fields", key, field.label), options=options)

    sections = tuple(
        replace(
            section,
            translations=entry("sections", section.code, section.title),
            fields=tuple(field_with(section, field) for field in section.fields),
        )
        for section in instrument.sections
    )
    return replace(
        instrument,
        sections=sections,
        title_translations=entry("", "title", instrument.title),
        legal_basis_translations=entry("", "legal_basis", instrument.legal_basis),
    )


def _roles(raw: object, sections: tuple[Section, ...], where: str) -> tuple[tuple[str, str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: 'roles' must map a role to '<section>.<field>'")
    by_code = {section.code: section for section in sections}
    roles = []
    for role, target in raw.items():
        if role not in ROLE_TYPES:
            raise PackDataError(f"{where}: unknown role {role!r}; known: {', '.join(sorted(ROLE_TYPES))}")
        section_code, _dot, field_code = str(target).partition(".")
        section = by_code.get(section_code)
        field = section.field(field_code) if section else None
        if field is None:
            raise PackDataError(f"{where}: role {role!r} names {target!r}, which is not a field of the instrument")
        if field.type not in ROLE_TYPES[role]:
            raise PackDataError(f"{where}: role {role!r} cannot be played by a {field.type} field ({target})")
        roles.append((role, section_code, field_code))
    return tuple(roles)


def _section(raw: object, where: str) -> Section:
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: expected a mapping")
    mandatory = raw.get("mandatory", False)
    if mandatory is True:
        mandatory_for = KINDS
    elif mandatory is False:
        mandatory_for = ()
    elif isinstance(mandatory, list) and mandatory and set(mandatory) <= set(KINDS):
        mandatory_for = tuple(mandatory)
    else:
        raise PackDataError(f"{where}: 'mandatory' must be true, false or a list of kinds (initial, update)")
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise PackDataError(f"{where}: 'fields' must be a non-empty list")
    fields = tuple(_field(item, f"{where}.fields[{i}]") for i, item in enumerate(raw_fields))
    _unique([item.code for item in fields], f"{where}: field")
    placeholder = raw.get("placeholder", False)
    if not isinstance(placeholder, bool):
        raise PackDataError(f"{where}: 'placeholder' must be true or false")
    if placeholder and mandatory_for:
        raise PackDataError(f"{where}: a placeholder section cannot be mandatory")
    return Section(
        code=require_text(raw, "code", where),
        title=require_text(raw, "title", where),
        mandatory_for=mandatory_for,
        fields=fields,
        source=(raw.get("source") or "").strip(),
        placeholder=placeholder,
    )


def _field(raw: object, where: str) -> Field:
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: expected a mapping")
    code = require_text(raw, "code", where)
    where = f"{where} ({code})"
    kind = require_text(raw, "type", where)
    if kind not in FIELD_TYPES:
        raise PackDataError(f"{where}: unknown type {kind!r}; known: {', '.join(sorted(FIELD_TYPES))}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise PackDataError(f"{where}: 'required' must be true or false")
    options: tuple[Option, ...] = ()
    if kind in _CHOICES:
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            raise PackDataError(f"{where}: a {kind} field needs a non-empty 'options' list")
        options = tuple(_option(item, f"{where}.options[{i}]") for i, item in enumerate(raw_options))
        _unique([option.code for option in options], f"{where}: option")
    elif "options" in raw:
        raise PackDataError(f"{where}: 'options' is only for choice and multi_choice fields")
    limits: dict = {}
    for key in ("min", "max"):
        if key in raw:
            if kind in _NUMERIC:
                value = as_number(raw[key], f"{where}.{key}")
                if kind == INTEGER and not isinstance(value, int):
                    raise PackDataError(f"{where}.{key}: an integer field needs a whole-number limit")
                limits[key] = value
            elif kind == DATE:
                limits[key] = as_date(raw[key], f"{where}.{key}")
            else:
                raise PackDataError(f"{where}: '{key}' is only for integer, decimal and date fields")
    if "min" in limits and "max" in limits and limits["min"] > limits["max"]:
        raise PackDataError(f"{where}: 'min' is greater than 'max'")
    max_length = raw.get("max_length")
    if max_length is not None:
        if kind not in _TEXTUAL:
            raise PackDataError(f"{where}: 'max_length' is only for text and long_text fields")
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
            raise PackDataError(f"{where}: 'max_length' must be a positive whole number")
    return Field(
        code=code,
        label=require_text(raw, "label", where),
        type=kind,
        required=required,
        options=options,
        min=limits.get("min"),
        max=limits.get("max"),
        max_length=max_length,
    )


def _option(raw: object, where: str) -> Option:
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: expected a mapping with 'code' and 'label'")
    return Option(code=require_text(raw, "code", where), label=require_text(raw, "label", where))


def _unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise PackDataError(f"{what} code {code!r} is used twice")
        seen.add(code)


def instruments_in_force(pack_dir: Path, on: dt.date) -> tuple[Instrument, ...]:
    """For each instrument code, the version in force on `on` (none when no version had started)."""
    latest: dict[str, Instrument] = {}
    for item in instruments(pack_dir):
        if item.valid_from <= on:
            latest[item.code] = item  # ordered by valid_from, so the last one wins
    return tuple(latest.values())
