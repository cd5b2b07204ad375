"""One row of an import file checked on its own, then rows checked against each other (no database)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from socius.accounts.models import Centre, Territory
from socius.common.text import fold, name_problem
from socius.registry.importing.columns import Header, header_key
from socius.registry.models import Household, Person, Relationship
from socius.registry.national_id import check_national_id, problem_messages
from socius.rulebook import get_jurisdiction

_MAX_LENGTH = {
    "household_ref": Household._meta.get_field("external_ref").max_length,
    "first_name": Person._meta.get_field("first_name").max_length,
    "last_name": Person._meta.get_field("last_name").max_length,
    "street_address": Person._meta.get_field("street_address").max_length,
    "phone": Person._meta.get_field("phone").max_length,
    "email": Person._meta.get_field("email").max_length,
}
_AMBIGUOUS = "ambiguous"
_LOOSE_SPACE = re.compile(r"\s\s|[^\S ]")  # two blanks in a row, or a tab, newline, no-break space...


class ParsedRow:
    """A row's cleaned values and the problems found in it, each as (column code, translated message)."""

    __slots__ = (
        "birth_date",
        "citizenship",
        "email",
        "errors",
        "first_name",
        "household_ref",
        "last_name",
        "locality_name",
        "name_key",
        "national_id",
        "number",
        "phone",
        "relationship",
        "sex",
        "street_address",
        "territory_id",
    )

    def __init__(self, number: int):
        self.number = number
        self.errors: list[tuple[str, str]] = []

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def person_key(self) -> tuple[str, dt.date | None]:
        return (self.name_key, self.birth_date)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return (value.replace("\x00", "") if "\x00" in value else value).strip()  # no NUL in a database text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _parse_date(value) -> dt.date | None:
    """YYYY-MM-DD or DD.MM.YYYY (or a spreadsheet date cell); ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    if "-" in text:
        year, month, day = text.split("-")
    elif "." in text:
        day, month, year = text.split(".")
    else:
        raise ValueError(text)
    if len(year) != 4 or not (year + month + day).isdigit():
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))


def territory_index(centre: Centre) -> dict[str, tuple[int, str] | str]:
    """Folded name -> (territory id, name) for every node of the centre's tree, deepest node first.

    One query. When a name appears at the deepest level more than once it is ambiguous: the row must
    then be fixed by hand (a typical case: two villages of the same name in one district)."""
    nodes = list(
        Territory.objects.filter(jurisdiction=centre.jurisdiction).values_list("id", "parent_id", "name", "search_name")
    )
    children: dict[int | None, list] = defaultdict(list)
    for node in nodes:
        children[node[1]].append(node)
    by_id = {n[0]: n for n in nodes}
    roots = [by_id[centre.territory_id]] if centre.territory_id in by_id else children[None]
    best: dict[str, tuple[int, list]] = {}
    stack = [(root, 0) for root in roots]
    while stack:
        (node_id, _parent, name, search_name), depth = stack.pop()
        key = search_name or fold(name)
        seen = best.get(key)
        if seen is None or depth > seen[0]:
            best[key] = (depth, [(node_id, name)])
        elif depth == seen[0]:
            seen[1].append((node_id, name))
        stack.extend((child, depth + 1) for child in children[node_id])
    return {key: (found[0] if len(found) == 1 else _AMBIGUOUS) for key, (_depth, found) in best.items()}


def relationship_index() -> dict[str, str]:
    """Accepted spellings of a relationship: the code, or its label in any UI language (folded)."""
    table = {code: code for code in Relationship.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Relationship.choices:
                table.setdefault(header_key(str(label)), code)
    return table


class RowParser:
    """Checks one row at a time with the same rules as registration by hand (services.validate_person_data)."""

    def __init__(self, centre: Centre, header: Header, *, today: dt.date):
        self.centre = centre
        self.jurisdiction = centre.jurisdiction
        self.id_length = get_jurisdiction(centre.jurisdiction).national_id_length
        self.positions = header.positions
        self.width = len(header.positions) and max(header.positions.values()) + 1
        self.today = today
        self.territories = territory_index(centre)
        self.relationships = relationship_index()
        self.relationship_codes = ", ".join(Relationship.values)
        # Cells repeat (a few localities, nine relationships): fold each distinct spelling once.
        self._relationship_seen: dict[str, str] = {}
        self._locality_seen: dict[str, tuple] = {}

    def parse(self, number: int, cells: list) -> ParsedRow:
        row = ParsedRow(number)
        errors = row.errors
        get = self._getter(cells)

        for code in ("household_ref", "first_name", "last_name", "street_address", "phone", "email"):
            value = _text(get(code))
            if _LOOSE_SPACE.search(value):
                value = " ".join(value.split())
            setattr(row, code, value)
            limit = _MAX_LENGTH[code]
            if len(value) > limit:
                errors.append(
                    (
                        code,
                        _("At most %(max)s characters; this value has %(actual)s.")
                        % {"max": limit, "actual": len(value)},
                    )
                )
        if not row.household_ref:
            errors.append(
                ("household_ref", _("Enter the household reference: rows with the same reference form one household."))
            )
        if not row.first_name:
            errors.append(("first_name", _("Enter the given names.")))
        elif problem := name_problem(row.first_name):
            errors.append(("first_name", problem))
        if not row.last_name:
            errors.append(("last_name", _("Enter the family name.")))
        elif problem := name_problem(row.last_name):
            errors.append(("last_name", problem))
        row.name_key = fold(f"{row.first_name} {row.last_name}")

        raw = _text(get("relationship"))
        relationship = self._relationship_seen.get(raw)
        if relationship is None:
            relationship = self._relationship_seen[raw] = self.relationships.get(header_key(raw), "") if raw else ""
        row.relationship = relationship
        if not raw:
            errors.append(
                (
                    "relationship",
                    _("Enter the relationship to the head (%(codes)s).") % {"codes": self.relationship_codes},
                )
            )
        elif not row.relationship:
            errors.append(
                (
                    "relationship",
                    _("Unknown relationship “%(value)s”: use one of %(codes)s.")
                    % {"value": raw, "codes": self.relationship_codes},
                )
            )

        raw_date = get("birth_date")
        try:
            row.birth_date = _parse_date(raw_date)
        except ValueError:
            row.birth_date = None
            errors.append(
                (
                    "birth_date",
                    _("“%(value)s” is not a date: write YYYY-MM-DD or DD.MM.YYYY.") % {"value": _text(raw_date)},
                )
            )
        if row.birth_date and row.birth_date > self.today:
            errors.append(("birth_date", _("The birth date cannot be in the future.")))

        sex = _text(get("sex")).upper()
        row.sex = sex
        if sex not in ("", "F", "M"):
            row.sex = ""
            errors.append(("sex", _("Write F (female) or M (male), or leave the cell empty.")))

        self._national_id(row, get("national_id"))

        citizenship = _text(get("citizenship")).upper()
        row.citizenship = citizenship
        if citizenship and not (len(citizenship) == 2 and citizenship.isascii() and citizenship.isalpha()):
            errors.append(("citizenship", _("Write a two-letter country code (ISO 3166), such as PL, MD or LT.")))

        self._locality(row, _text(get("locality")))

        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(("email", _("Enter a valid e-mail address.")))

        if len(cells) > self.width and any(_text(c) for c in cells[self.width :]):
            errors.append(("", _("This row has more cells than the header has columns.")))
        return row

    def _getter(self, cells: list):
        positions = self.positions
        size = len(cells)

        def get(code: str):
            index = positions.get(code)
            return cells[index] if index is not None and index < size else None

        return get

    def _national_id(self, row: ParsedRow, raw) -> None:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            # A spreadsheet number cell drops leading zeros (PESEL of 2000s births: 0xxxxxxxxxx).
            raw = str(raw).zfill(self.id_length)
        value = _text(raw)
        row.national_id = value
        if not value:
            return
        check = check_national_id(self.jurisdiction, value, row.birth_date, row.sex or None)
        if check.problems:
            row.errors.extend(("national_id", message) for message in problem_messages(self.jurisdiction, check))
        else:
            row.national_id = check.number

    def _locality(self, row: ParsedRow, value: str) -> None:
        outcome = self._locality_seen.get(value)
        if outcome is None:
            outcome = self._locality_seen[value] = self._find_locality(value)
        row.territory_id, row.locality_name, error = outcome
        if error:
            row.errors.append(("locality", error))

    def _find_locality(self, value: str) -> tuple[int | None, str, str]:
        if not value:
            return None, "", ""
        found = self.territories.get(fold(value))
        if found is None:
            return None, "", _("No locality “%(value)s” in your centre's territory.") % {"value": value}
        if found == _AMBIGUOUS:
            return None, "", _("“%(value)s” names more than one place in your centre's territory.") % {"value": value}
        return found[0], found[1], ""


def _rows_text(rows: list[ParsedRow]) -> str:
    return ", ".join(str(r.number) for r in rows)


def check_across_rows(rows: list[ParsedRow]) -> dict[str, list[ParsedRow]]:
    """Rules no single row can check: duplicates in the file, one head per household. Returns the groups."""
    by_id: dict[str, list[ParsedRow]] = defaultdict(list)
    groups: dict[str, list[ParsedRow]] = {}
    for row in rows:
        if row.national_id:
            by_id[row.national_id].append(row)
        groups.setdefault(row.household_ref, []).append(row)
    for same in by_id.values():
        if len(same) > 1:
            for row in same:
                others = [r for r in same if r is not row]
                row.errors.append(
                    ("national_id", _("The same national ID is also in row %(rows)s.") % {"rows": _rows_text(others)})
                )
    for ref, members in groups.items():
        if not ref:
            continue  # each such row already carries its own error
        heads = [r for r in members if r.relationship == Relationship.HEAD]
        if not heads:
            message = _("Household “%(ref)s” has no head: mark exactly one member as head.") % {"ref": ref}
            for row in members:
                row.errors.append(("relationship", message))
        elif len(heads) > 1:
            for row in heads:
                row.errors.append(
                    (
                        "relationship",
                        _("Household “%(ref)s” has more than one head (rows %(rows)s): mark exactly one.")
                        % {"ref": ref, "rows": _rows_text(heads)},
                    )
                )
        by_person: dict[tuple, list[ParsedRow]] = defaultdict(list)
        for row in members:
            if row.name_key:
                by_person[row.person_key].append(row)
        for same in by_person.values():
            if len(same) > 1 and any(not r.national_id for r in same):
                for row in same:
                    others = [r for r in same if r is not row]
                    row.errors.append(
                        (
                            "first_name",
                            _("Row %(rows)s has the same person (same name and birth date) in this household.")
                            % {"rows": _rows_text(others)},
                        )
                    )
    return groups
