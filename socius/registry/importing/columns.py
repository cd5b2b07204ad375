"""The columns an import file may have, and how a header row written by a person maps onto them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.common.text import fold


@dataclass(frozen=True)
class Column:
    code: str  # the English snake_case header
    label: Promise  # translated header also accepted (the model's field name where there is one)
    required: bool = False  # the header must have this column
    aliases: tuple[str, ...] = ()  # other English spellings accepted


COLUMNS: tuple[Column, ...] = (
    Column("household_ref", gettext_lazy("household reference"), True, ("household", "household_id", "reference")),
    Column("relationship", gettext_lazy("relationship to the head"), True, ("relation",)),
    Column("first_name", gettext_lazy("given names"), True, ("given_name", "given_names", "first_names")),
    Column("last_name", gettext_lazy("family name"), True, ("family_name", "surname")),
    Column("birth_date", gettext_lazy("birth date"), False, ("date_of_birth", "born")),
    Column("sex", gettext_lazy("sex"), False, ("gender",)),
    Column("national_id", gettext_lazy("national ID"), False, ("pesel", "idnp", "asmens_kodas", "personal_code")),
    Column("citizenship", gettext_lazy("citizenship"), False, ("nationality",)),
    Column("locality", gettext_lazy("locality"), False, ("place", "village", "town")),
    Column("street_address", gettext_lazy("street address"), False, ("street", "address")),
    Column("phone", gettext_lazy("phone"), False, ("telephone", "phone_number")),
    Column("email", gettext_lazy("e-mail"), False, ("e_mail",)),
)
COLUMN_CODES = tuple(c.code for c in COLUMNS)
REQUIRED_CODES = tuple(c.code for c in COLUMNS if c.required)


def header_key(text) -> str:
    """'Birth date', 'birth_date', ' BIRTH-DATE ' and 'Data urodzenia' folded to one comparable key."""
    return fold(str(text or "")).replace(" ", "_").replace("-", "_").replace(".", "_").strip("_")


def _aliases() -> dict[str, str]:
    """Header key -> column code: codes, English aliases, and the labels in every UI language.

    A translated label that would name two columns in some language is dropped (ambiguous)."""
    table: dict[str, str] = {}
    for column in COLUMNS:
        table[column.code] = column.code
        for alias in column.aliases:
            table[header_key(alias)] = column.code
    translated: dict[str, set[str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                translated.setdefault(header_key(str(column.label)), set()).add(column.code)
    for key, codes in translated.items():
        if len(codes) == 1 and key not in table:
            table[key] = next(iter(codes))
    return table


@dataclass(frozen=True)
class Header:
    positions: dict[str, int]  # column code -> index in the row
    written: dict[str, str]  # column code -> the header cell as the file spells it


def resolve_header(cells: list) -> tuple[Header | None, list[str]]:
    """Map a header row onto our columns; the errors name the offending header cells."""
    aliases = _aliases()
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        text = str(cell if cell is not None else "").strip()
        if not text:
            continue
        code = aliases.get(header_key(text))
        if code is None:
            unknown.append(text)
        elif code in positions:
            repeated.append(text)
        else:
            positions[code] = index
            written[code] = text
    errors: list[str] = []
    if unknown:
        errors.append(
            _("Unknown columns: %(columns)s. The columns this import understands are: %(known)s.")
            % {"columns": ", ".join(f"“{u}”" for u in unknown), "known": ", ".join(COLUMN_CODES)}
        )
    if repeated:
        errors.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(f"“{r}”" for r in repeated)})
    missing = [code for code in REQUIRED_CODES if code not in positions]
    if missing:
        errors.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if errors:
        return None, errors
    return Header(positions, written), []
