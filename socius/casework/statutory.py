"""Statutory code lists for casework (qualifying circumstances, contact topics and outcomes) from the pack.

The adapter reads the agreed rulebook interface on a jurisdiction pack:

    jurisdiction.circumstances(on: date) -> list[obj with .code, .label, .sensitive]
    jurisdiction.contact_topics()         -> list[obj with .code, .label]
    jurisdiction.contact_outcomes()       -> list[obj with .code, .label]

TODO(rulebook): while a pack does not provide one of these methods yet, its list is empty, so every code
is refused: nothing unvalidated is ever stored. Remove the fallback once all three packs implement them.

Labels come in the reader's language (the active one unless `language=` names another): `label` is the
translation, `statutory` the jurisdiction's own wording, which stays the authoritative text. Where a legal
term matters (qualifying circumstances), pages show `with_statutory`: the translation followed by the
statutory wording and its legal basis in a `<span class="statutory" lang="…">`, the one place where text of
another language may appear on a page (see web/tests/test_content_language.py for the rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.translations import normalise_language


@dataclass(frozen=True)
class StatutoryCode:
    code: str
    label: str  # in the reader's language
    sensitive: bool = False
    statutory: str = ""  # the jurisdiction's own wording (the authoritative text)
    legal_basis: str = ""
    statutory_language: str = ""  # the jurisdiction's language
    language: str = ""  # the language of `label`

    @property
    def is_translated(self) -> bool:
        return self.language != self.statutory_language

    @property
    def with_statutory(self) -> SafeString:
        """The label, followed by the statutory wording and legal basis when the label is a translation."""
        if not self.is_translated:
            return format_html("{}", self.label)
        original = ", ".join(part for part in (self.statutory, self.legal_basis) if part)
        return format_html(
            '{} <span class="statutory" lang="{}">({})</span>', self.label, self.statutory_language, original
        )


def reader_language(language: str | None = None) -> str | None:
    """The language to show labels in: `language`, else the active one (None: the statutory text)."""
    return normalise_language(language or translation.get_language())


def _jurisdiction(code: str):
    return get_jurisdiction(code)


def _read(jurisdiction_code: str, method: str, language: str | None = None, **kwargs) -> list[StatutoryCode]:
    try:
        pack = _jurisdiction(jurisdiction_code)
    except KeyError:
        return []
    provider = getattr(pack, method, None)
    if not callable(provider):
        return []  # TODO(rulebook): see the module docstring.
    shown = reader_language(language) or getattr(pack, "default_language", "")
    own = getattr(pack, "default_language", None) or shown  # a pack without translations: its labels as they are
    return [
        StatutoryCode(
            code=item.code,
            label=item.label_in(shown) if hasattr(item, "label_in") else str(item.label),
            sensitive=bool(getattr(item, "sensitive", False)),
            statutory=item.label,
            legal_basis=getattr(item, "legal_basis", "") or "",
            statutory_language=own,
            language=shown,
        )
        for item in provider(**kwargs)
    ]


def circumstances(jurisdiction_code: str, on: dt.date, language: str | None = None) -> list[StatutoryCode]:
    """Qualifying circumstances in force on the day (PL: art. 7 u.p.s.), labelled in the reader's language."""
    return _read(jurisdiction_code, "circumstances", language, on=on)


def contact_topics(jurisdiction_code: str, language: str | None = None) -> list[StatutoryCode]:
    return _read(jurisdiction_code, "contact_topics", language)


def contact_outcomes(jurisdiction_code: str, language: str | None = None) -> list[StatutoryCode]:
    return _read(jurisdiction_code, "contact_outcomes", language)


def unknown_codes(codes: Iterable[str], valid: Iterable[StatutoryCode]) -> list[str]:
    """The codes not on the list, in the order given."""
    known = {item.code for item in valid}
    return [code for code in codes if code not in known]


def sensitive_codes(valid: Iterable[StatutoryCode]) -> frozenset[str]:
    return frozenset(item.code for item in valid if item.sensitive)
