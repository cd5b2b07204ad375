"""Values shown in the reader's language: money, for pages and PDFs alike (`money` template filter)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language

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
