"""The one list of what the domain apps add to the timelines and the desk.

Each domain app offers, in its `timeline.py`, `timeline_source()` (its groups, its event table for the
case timeline's UNION ALL, its rows for the household and person timelines) and `desk_sections()` (what
is due on the worker's own cases). A new app (benefits, payments, family, community) adds its rows with
one entry in each tuple below; nothing else in this app changes. Where their rows go among the others'
is declared with them (`Group.order`, `DeskSection.order`).
"""

from __future__ import annotations

from functools import cache

from socius.assessments import timeline as assessments
from socius.benefits import timeline as benefits
from socius.casework import timeline as casework
from socius.common.timeline import DeskSection, Group, TimelineSource
from socius.family import timeline as family
from socius.payments import timeline as payments
from socius.plans import timeline as plans
from socius.services import timeline as services

TIMELINE_SOURCES = (
    casework.timeline_source,
    assessments.timeline_source,
    plans.timeline_source,
    benefits.timeline_source,
    payments.timeline_source,
    family.timeline_source,
    services.timeline_source,
)

DESK_SECTIONS = (
    casework.desk_sections,
    assessments.desk_sections,
    plans.desk_sections,
    benefits.desk_sections,
    family.desk_sections,
)


@cache
def timeline_sources() -> tuple[TimelineSource, ...]:
    return tuple(offer() for offer in TIMELINE_SOURCES)


@cache
def desk_sections() -> tuple[DeskSection, ...]:
    """Every section the apps offer, in their declared order."""
    return tuple(sorted((s for offer in DESK_SECTIONS for s in offer()), key=lambda s: s.order))


@cache
def groups() -> tuple[Group, ...]:
    """Every kind of timeline row the apps offer, in their declared order."""
    return tuple(sorted((g for source in timeline_sources() for g in source.groups), key=lambda g: g.order))


class GroupChoices:
    """The kinds of row of one timeline, from the registered sources: `CHOICES` ((code, label) in their
    declared order), `ALL` (the codes), and each code as an attribute (`Group.VISIT == "visit"`)."""

    def __init__(self, timeline: str):
        self._timeline = timeline  # "in_case_timeline" or "in_household_timeline"

    def _groups(self) -> list[Group]:
        return [g for g in groups() if getattr(g, self._timeline)]

    @property
    def CHOICES(self) -> tuple[tuple[str, str], ...]:
        return tuple((g.code, g.label) for g in self._groups())

    @property
    def ALL(self) -> frozenset[str]:
        return frozenset(g.code for g in self._groups())

    def __getattr__(self, name: str) -> str:
        if name.isupper() and name.lower() in self.ALL:
            return name.lower()
        raise AttributeError(name)
