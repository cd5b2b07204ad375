"""Folding text for search: case, diacritics and script forgiven.

`fold("Łukasz Żółć")` == "lukasz zolc"; `fold("Ștefan Ţurcan")` == "stefan turcan";
`fold("Ольга")` == "olga". NFKD strips combining marks (ș, ş, ț, ţ, ė, ę, ą, č ...); the letters that
do not decompose (ł, đ, ø, ß ...) and Cyrillic are mapped by table.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
    }
)

# Russian/Ukrainian Cyrillic to Latin, the common passport-style transliteration (ICAO 9303 base).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i",
    "ї": "i", "є": "ie", "ґ": "g",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
_NON_WORD = re.compile(r"[^\w@.+]+")


def has_cyrillic(value: str) -> bool:
    return bool(_CYRILLIC_RE.search(value or ""))


def transliterate(value: str) -> str:
    """Latin transliteration of Cyrillic text, keeping capitals (Ольга -> Olga)."""
    out = []
    for ch in value:
        low = ch.lower()
        if low in _CYRILLIC:
            latin = _CYRILLIC[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


@functools.cache
def _combining_marks() -> dict[int, None]:
    """str.translate table deleting the combining marks of the Basic Multilingual Plane (built once)."""
    return {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}


def fold(value: str | None) -> str:
    """Lower-case, ASCII-only, single-spaced form used for search columns and queries.

    Called for every name and address a search, a registration or an import writes (four times per
    row of an import), hence the fast paths: ASCII text has nothing to map or decompose, and the
    combining marks are deleted by one translate rather than a test per character.
    """
    if not value:
        return ""
    text = value.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_SPECIAL).translate(_CYRILLIC_TABLE))
        text = text.translate(_combining_marks())
        if not text.isascii() and max(text) > "\uffff":  # marks beyond the BMP: rare, tested one by one
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()  # whitespace is not a word character: runs become one space


def digits_only(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


# Characters that change the direction of the text around them: embeddings and overrides (U+202A–U+202E),
# isolates (U+2066–U+2069) and the invisible marks (LRM, RLM, ALM). No name needs one, and in a name
# they reorder what is shown after it (a spoofing tool), so names refuse them.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_bidi_controls(value: str) -> bool:
    return bool(_BIDI_CONTROLS.search(value or ""))


def has_letter(value: str) -> bool:
    """Whether the text holds a visible letter of any script (zero-width and other format characters are not)."""
    return any(ch.isalpha() for ch in value or "")


def name_problem(value: str) -> str | None:
    """Why a non-empty name is refused, translated, or None: it needs a letter and no direction controls."""
    from django.utils.translation import gettext as _

    if has_bidi_controls(value):
        return _("A name cannot contain invisible characters that change the direction of the text.")
    if not has_letter(value):
        return _("A name must contain at least one letter.")
    return None
