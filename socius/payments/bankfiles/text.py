"""Text as banks accept it: names and remittance lines cut to the fields' lengths, and for SEPA the Latin
character set of the EPC rulebook (letters without diacritics, digits and / - ? : ( ) . , ' + space)."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE"})
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdezijklmnoprstufye", strict=True)),
        **dict(zip("АБВГДЕЗИЙКЛМНОПРСТУФЫЭ", "ABVGDEZIJKLMNOPRSTUFYE", strict=True)),
        "ё": "e", "Ё": "E", "ж": "zh", "Ж": "Zh", "х": "h", "Х": "H", "ц": "ts", "Ц": "Ts", "ч": "ch", "Ч": "Ch",
        "ш": "sh", "Ш": "Sh", "щ": "sch", "Щ": "Sch", "ъ": "", "Ъ": "", "ь": "", "Ь": "", "ю": "yu", "Ю": "Yu",
        "я": "ya", "Я": "Ya",
    }
)  # fmt: skip


def sepa_text(value: str) -> str:
    """The text in the SEPA character set: diacritics dropped (Šalčininkų → Salcininku, Łódź → Lodz),
    Cyrillic transliterated, anything else outside the set replaced by a space."""
    plain = unicodedata.normalize("NFKD", (value or "").translate(_SPECIAL).translate(_CYRILLIC))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", _NOT_SEPA.sub(" ", plain)).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cut(value: str, length: int) -> str:
    """The text on one line, at most `length` characters, without control characters (not allowed in XML)."""
    value = " ".join((value or "").split())
    if not value.isprintable():
        value = " ".join(_CONTROL.sub(" ", value).split())
    return value[:length].rstrip()
