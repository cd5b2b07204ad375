"""Statutory code lists for casework (qualifying circumstances, contact topics and outcomes) from the pack.

The adapter reads the agreed rulebook interface on a jurisdiction pack:

    jurisdiction.circumstances(on: date) -> list[obj with .code, .label, .sensitive]
    jurisdiction.contact_topics()         -> list[obj with .code, .label]
    jurisdiction.contact_outcomes()       -> list[obj with .code, .label]

TODO(rulebook): while a pack does not provide one of these methods yet, its list is empty, so every code
is refused: nothing unvalidated is ever stored. Remove the fallback once all three packs implement them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socius.rulebook import get_jurisdiction


@dataclass(frozen=True)
class StatutoryCode:
    code: str
    label: str
    sensitive: bool = False


def _jurisdiction(code: str):
    return get_jurisdiction(code)


def _read(jurisdiction_code: str, method: str, **kwargs) -> list[StatutoryCode]:
    try:
        pack = _jurisdiction(jurisdiction_code)
    except KeyError:
        return []
    provider = getattr(pack, method, None)
    if not callable(provider):
        return []  # TODO(rulebook): see the module docstring.
    return [
        StatutoryCode(code=item.code, label=str(item.label), sensitive=bool(getattr(item, "sensitive", False)))
        for item in provider(**kwargs)
    ]


def circumstances(jurisdiction_code: str, on: dt.date) -> list[StatutoryCode]:
    """Qualifying circumstances in force on the day (PL: art. 7 u.p.s.)."""
    return _read(jurisdiction_code, "circumstances", on=on)


def contact_topics(jurisdiction_code: str) -> list[StatutoryCode]:
    return _read(jurisdiction_code, "contact_topics")


def contact_outcomes(jurisdiction_code: str) -> list[StatutoryCode]:
    return _read(jurisdiction_code, "contact_outcomes")


def unknown_codes(codes: Iterable[str], valid: Iterable[StatutoryCode]) -> list[str]:
    """The codes not on the list, in the order given."""
    known = {item.code for item in valid}
    return [code for code in codes if code not in known]


def sensitive_codes(valid: Iterable[StatutoryCode]) -> frozenset[str]:
    return frozenset(item.code for item in valid if item.sensitive)
