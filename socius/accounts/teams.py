"""Team names in the reader's language: a team that keeps its pack's default name (packs/*/teams.yaml) is shown
in the active language; a name the centre gave it is its own and shown as written."""

from __future__ import annotations

from functools import cache

from django.utils import translation

from socius.rulebook import get_jurisdiction, jurisdiction_codes
from socius.rulebook.engine.lists import DefaultTeam
from socius.rulebook.engine.translations import normalise_language


@cache
def _default_names() -> dict[tuple[str, str], DefaultTeam]:
    """(problem group, statutory default name) → the pack's entry, for every pack."""
    return {
        (item.code, item.label): item
        for code in jurisdiction_codes()
        for item in get_jurisdiction(code).default_team_names()
    }


def default_team_name(jurisdiction: str, problem_group: str) -> str:
    """The name a new team of this problem group gets at a centre of the jurisdiction (its own language)."""
    for item in get_jurisdiction(jurisdiction).default_team_names():
        if item.code == problem_group:
            return item.label
    raise LookupError(f"{jurisdiction}: no default team {problem_group!r}")


def team_label(name: str, problem_group: str, language: str | None = None) -> str:
    item = _default_names().get((problem_group, name))
    if item is None:
        return name
    return item.label_in(normalise_language(language or translation.get_language()))
