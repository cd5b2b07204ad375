"""Answers checked against an instrument definition, and stored as JSON-ready values.

Storage form: text as stripped text, integer as int, decimal as text ("1234.50"), date as ISO text,
boolean as bool, choice as the option code, multi_choice as a list of option codes in the
definition's order. An empty value (None, "", []) removes the answer: drafts may be partial.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from socius.casework.statutory import reader_language
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.instruments import Field, Instrument

_INTEGER = re.compile(r"-?[0-9]+")


def instrument_for(jurisdiction: str, code: str, version: str, language: str | None = None) -> Instrument:
    """One version, as a reader in `language` (default: the active language) sees it: titles, labels and
    options translated, `statutory` the original (none in the jurisdiction's own language). Codes, types and
    limits are the version's own, so answers are checked and stored the same in every language."""
    pack = get_jurisdiction(jurisdiction)
    found = inst.get_instrument(pack.data_dir, code, version=version)
    return found.in_language(reader_language(language), pack.default_language)


def instrument_in_force(jurisdiction: str, on: dt.date, code: str | None = None) -> Instrument | None:
    """The jurisdiction's assessment instrument in force on a day: the one named by `code`, or the only one
    in force. None when there is none, or when several are in force and no code says which."""
    found = inst.instruments_in_force(get_jurisdiction(jurisdiction).data_dir, on)
    if code is not None:
        found = tuple(item for item in found if item.code == code)
    return found[0] if len(found) == 1 else None


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def clean_value(field: Field, value):
    """The storage form of `value`, or ValueError with a translated message."""
    kind = field.type
    if kind in (inst.TEXT, inst.LONG_TEXT):
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        value = value.strip()
        if field.max_length and len(value) > field.max_length:
            raise ValueError(
                _("Enter at most %(max)d characters (it has %(length)d).")
                % {"max": field.max_length, "length": len(value)}
            )
        return value
    if kind == inst.INTEGER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            value = int(value.strip())
        if not isinstance(value, int):
            raise ValueError(_("Enter a whole number."))
        _check_range(field, value, str(value))
        return value
    if kind == inst.DECIMAL:
        if isinstance(value, bool | float):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str | int | Decimal) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("Enter a number."))
        _check_range(field, number, str(number))
        return format(number, "f")
    if kind == inst.DATE:
        day = value
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                day = None
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ValueError(_("Enter a date."))
        _check_range(field, day, day.isoformat())
        return day.isoformat()
    if kind == inst.BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(_("Choose yes or no."))
        return value
    if kind == inst.CHOICE:
        if not isinstance(value, str) or value not in field.option_codes():
            raise ValueError(_("Choose one of the options."))
        return value
    if kind == inst.MULTI_CHOICE:
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise ValueError(_("Choose from the options."))
        codes = field.option_codes()
        unknown = [item for item in value if item not in codes]
        if unknown:
            raise ValueError(_("Choose from the options."))
        return [code for code in codes if code in value]
    raise ValueError(_("This field cannot be answered."))  # unreachable: the loader refuses unknown types


def _check_range(field: Field, value, shown: str) -> None:
    if field.min is not None and value < field.min:
        raise ValueError(_("Enter a value of at least %(min)s.") % {"min": _shown(field.min)})
    if field.max is not None and value > field.max:
        raise ValueError(_("Enter a value of at most %(max)s.") % {"max": _shown(field.max)})


def _shown(limit) -> str:
    return limit.isoformat() if isinstance(limit, dt.date) else str(limit)


def merge_answers(instrument: Instrument, current: dict, changes) -> tuple[dict, dict[str, list], list[str]]:
    """(new answers, errors keyed "answers.<section>.<field>", changed "<section>.<field>" keys).

    Unknown sections and fields are errors naming them; nothing is merged when there is any error."""
    errors: dict[str, list] = {}
    if not isinstance(changes, dict):
        return current, {"answers": [_("Answers must be grouped by section.")]}, []
    merged = {section: dict(values) for section, values in (current or {}).items()}
    changed: list[str] = []
    for section_code, values in changes.items():
        section = instrument.section(section_code)
        if section is None:
            errors[f"answers.{section_code}"] = [
                _("Unknown section “%(section)s” in %(instrument)s.")
                % {"section": section_code, "instrument": instrument.code}
            ]
            continue
        if not isinstance(values, dict):
            errors[f"answers.{section_code}"] = [_("Answers must be grouped by field.")]
            continue
        for field_code, value in values.items():
            key = f"answers.{section_code}.{field_code}"
            field = section.field(field_code)
            if field is None:
                errors[key] = [
                    _("Unknown field “%(field)s” in section “%(section)s”.")
                    % {"field": field_code, "section": section_code}
                ]
                continue
            bucket = merged.setdefault(section_code, {})
            if _empty(value):
                if field_code in bucket:
                    del bucket[field_code]
                    changed.append(f"{section_code}.{field_code}")
                continue
            try:
                cleaned = clean_value(field, value)
            except ValueError as exc:
                errors[key] = [str(exc)]
                continue
            if bucket.get(field_code) != cleaned:
                bucket[field_code] = cleaned
                changed.append(f"{section_code}.{field_code}")
    if errors:
        return current, errors, []
    merged = {section: values for section, values in merged.items() if values}
    return merged, {}, changed


def missing_required(instrument: Instrument, kind: str, answers: dict) -> list[dict]:
    """Required fields of the sections mandatory for `kind` that have no answer, in definition order."""
    missing = []
    for section in instrument.sections:
        if not section.is_mandatory(kind):
            continue
        given = (answers or {}).get(section.code) or {}
        for field in section.fields:
            if field.required and _empty(given.get(field.code)):
                missing.append(
                    {
                        "section": section.code,
                        "field": field.code,
                        "section_title": section.title,
                        "field_label": field.label,
                    }
                )
    return missing
