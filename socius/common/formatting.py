"""Values shown in the reader's language: money, for pages, PDFs and texts a service writes (`money` filter)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# How each language writes an amount of each currency: the symbol, and whether it comes first.
# pl "1 878,91 zł", ro (Moldova) "1.878,91 lei", lt "1 878,91 €", ru "1 878,91 zł", en "€1,878.91" (CLDR usage);
# the digits' separators come from config/formats/<lang>/formats.py.
_SYMBOLS = {
    "PLN": {"pl": "zł", "ro": "zł", "lt": "zł", "ru": "zł", "en": "PLN"},
    "MDL": {"pl": "MDL", "ro": "lei", "lt": "MDL", "ru": "лей", "en": "MDL"},
    "EUR": {"pl": "€", "ro": "€", "lt": "€", "ru": "€", "en": "€"},
}
_SYMBOL_FIRST = {"en"}


def format_money(amount: Decimal | int | str | None, currency: str, language: str | None = None) -> str:
    """An amount with two decimals, grouped and signed as the language writes it, with the currency's symbol.

    Never through float: the amount is quantized as a Decimal (half up, as the packs round money).
    """
    if amount is None or amount == "":
        return ""
    language = (language or get_language() or "en").split("-")[0]
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    with translation.override(language):
        digits = number_format(abs(value), 2, use_l10n=True, force_grouping=True)
    symbol = _SYMBOLS.get(currency, {}).get(language, currency)
    sign = "-" if value < 0 else ""
    if language in _SYMBOL_FIRST:
        return f"{sign}{symbol}{digits}" if symbol == "€" else f"{sign}{symbol}\xa0{digits}"
    return f"{sign}{digits}\xa0{symbol}"


# The units packs write beside a parameter (engine.parameters), as the reader says them; others shown as written.
UNITS = {
    "working_days": gettext_lazy("working days"),
    "days": gettext_lazy("days"),
    "calendar_days": gettext_lazy("days"),
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years"),
    "persons": gettext_lazy("persons"),
    "percent": "%",
    "ratio": "",
    "coefficient": "",
}


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(value, places, use_l10n=True, force_grouping=True)


def format_value(value: str, unit: str, currency: str) -> str:
    """A trace value as the reader writes it: money, yes/no, or a number with its unit."""
    if value == "true":
        return _("yes")
    if value == "false":
        return _("no")
    if unit and unit == currency:
        try:
            return format_money(Decimal(value), currency)
        except (InvalidOperation, ValueError):
            return value
    shown = _number(value)
    unit = str(UNITS.get(unit, unit))
    return f"{shown}\xa0{unit}" if unit else shown


# Languages that write a month's name in lower case inside a sentence ("lista wypłat za grudzień 2026",
# "plăți pentru decembrie 2026", "выплаты за декабрь 2026 г."); Django's YEAR_MONTH_FORMAT gives the
# stand-alone, capitalised form ("Grudzień 2026"), right at the start of a heading only.
_MONTH_LOWER_IN_TEXT = frozenset({"pl", "ro", "ru", "lt"})


def month_in_text(day) -> str:
    """A month and year as written inside a sentence of the active language (see _MONTH_LOWER_IN_TEXT)."""
    text = date_format(day, "YEAR_MONTH_FORMAT")
    language = (get_language() or "en").split("-")[0]
    return text.lower() if language in _MONTH_LOWER_IN_TEXT else text
