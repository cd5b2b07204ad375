"""A jurisdiction pack: national specifics behind one small interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from socius.rulebook.engine.national_id import IdCheck, check_consistency


@dataclass(frozen=True)
class Jurisdiction:
    code: str  # ISO 3166-1 alpha-2
    national_id_name: str  # statutory name, shown untranslated (PESEL, IDNP, asmens kodas)
    national_id_length: int
    currency: str  # ISO 4217
    default_language: str
    faker_locale: str
    territory_levels: tuple[str, ...]  # level codes from the top of the tree down
    default_teams: tuple[str, ...]  # problem-group codes
    parse_national_id: Callable[[str], IdCheck]
    legal_notes: str = ""

    def validate_national_id(self, value: str, birth_date: dt.date | None = None, sex: str | None = None) -> IdCheck:
        """Check a national ID and, when given, its consistency with the birth date and sex entered."""
        return check_consistency(self.parse_national_id(value), birth_date, sex)


_REGISTRY: dict[str, Jurisdiction] = {}


def register(jurisdiction: Jurisdiction) -> Jurisdiction:
    _REGISTRY[jurisdiction.code] = jurisdiction
    return jurisdiction


def get_jurisdiction(code: str) -> Jurisdiction:
    _load_packs()
    return _REGISTRY[code]


def jurisdiction_codes() -> list[str]:
    _load_packs()
    return sorted(_REGISTRY)


def _load_packs() -> None:
    # Importing the packs registers them; Python caches the imports, so this is cheap after the first call
    # (and stays right when one pack module was imported on its own first).
    from socius.rulebook.packs import lt, md, pl  # noqa: F401
