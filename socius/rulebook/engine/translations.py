"""Translations of a pack's labels, kept in the pack as data beside the statutory wording.

A label in a pack is written in the jurisdiction's own language: that is the statutory (or customary)
wording and stays the authoritative text. Beside it, an item may carry a `translations:` map with the
same text in the other interface languages:

    - code: poverty
      label: "ubóstwo"
      translations: {ro: "sărăcie", lt: "skurdas", ru: "бедность", en: "poverty"}

The map never repeats the own language (the label is that text), so the statutory wording has one
home. `text_in(label, translations, language)` answers the translation, or the statutory label when
the language is the pack's own. A missing translation falls back to the statutory label; the packs'
tests require every translation, so the fallback is only a guard.

Translations are not part of an instrument version: adding or correcting one changes no stored answer,
so it does not make a new version (the structure, codes and statutory labels do).
"""

from __future__ import annotations

from collections.abc import Mapping

from socius.rulebook.engine.data import PackDataError

# The interface languages of the product; every pack label is translated into each of them.
LANGUAGES = ("pl", "ro", "lt", "ru", "en")

Translations = tuple[tuple[str, str], ...]  # ((language, text), ...): hashable, for frozen dataclasses


def read_translations(raw: Mapping, where: str, key: str = "translations") -> Translations:
    """The `translations` map of one YAML item, checked: known languages, non-empty text."""
    value = raw.get(key)
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise PackDataError(f"{where}: '{key}' must map languages ({', '.join(LANGUAGES)}) to text")
    result = []
    for language, text in value.items():
        if language not in LANGUAGES:
            raise PackDataError(f"{where}: '{key}' names an unknown language {language!r}")
        if not isinstance(text, str) or not text.strip():
            raise PackDataError(f"{where}: '{key}.{language}' must be non-empty text")
        result.append((language, text.strip()))
    return tuple(sorted(result))


def text_in(statutory: str, translations: Translations, language: str | None) -> str:
    """The text in `language`: its translation, else the statutory wording (the pack's own language)."""
    if language:
        wanted = language.split("-")[0].lower()
        for code, text in translations:
            if code == wanted:
                return text
    return statutory


def missing_languages(translations: Translations, own_language: str) -> list[str]:
    """The interface languages, other than the pack's own, that have no translation."""
    present = {code for code, _text in translations}
    return [code for code in LANGUAGES if code != own_language and code not in present]


def normalise_language(language: str | None) -> str | None:
    """ "ru-RU" → "ru"; None or an unknown language → None (meaning: the statutory text)."""
    if not language:
        return None
    code = language.split("-")[0].lower()
    return code if code in LANGUAGES else None
