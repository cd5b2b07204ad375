"""The shapes in which a domain app offers its rows to the read models of `socius.desk` (timelines, desk).

Each domain app declares, in its own `timeline.py`, what it adds: `timeline_source()` (its kinds of
row, its event table for the case timeline, its rows for the household and person timelines) and
`desk_sections()` (what is due on the worker's own cases). `socius.desk.sources` lists them in one
place, so a new app adds its rows with one entry there, and a lower app never learns of a higher one.
Plain shapes and word helpers only: no business rule here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Model, QuerySet, Value
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# --- kinds of row -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A kind of timeline row a reader filters by ("visit", "contract", …).

    `order` places it among the other apps' groups (filters and API enums list them by it);
    `in_case_timeline` / `in_household_timeline` say which timelines have it (contacts belong to no
    case; a case's documents are not on the household's timeline)."""

    code: str
    label: Any  # a lazy translation
    order: int
    in_case_timeline: bool = True
    in_household_timeline: bool = True


# --- the case timeline: one UNION ALL of the apps' event tables ---------------------------------------


@dataclass
class Entry:
    """One row of the case timeline, whichever table it came from; `group`, `label`, `actor_name` and
    `lines` (what happened, in the reader's language) are filled when it is described."""

    source: str
    id: int
    at: dt.datetime
    kind: str
    actor_id: int | None
    data: dict
    actor_name: str = ""
    lines: list[str] = field(default_factory=list)
    group: str = ""
    label: str = ""
    link: str = ""  # the page of the record the row is about, when its app names one (a decision's page)

    @property
    def key(self) -> str:
        """Unique across the tables (the ids of each table overlap)."""
        return f"{self.source}-{self.id}"


# A describer: (entry, name) -> lines; `name(user_id)` gives a user's name (one query for the page).
Describer = Callable[[Entry, Callable[[Any], str]], list]

TIMELINE_COLUMNS = ("source", "id", "at", "kind", "actor_id", "data")


def _no_users(entry: Entry) -> Iterable[int]:
    return ()


@dataclass(frozen=True)
class EventTable:
    """An app's append-only table of case events (columns case_id, id, at, kind, actor_id, data), as the
    case timeline unions it: `source` is the literal it is known by (`Entry.source`, the API's `source`),
    `groups` maps each event kind to its group (`default_group` for a kind not listed), `labels` names the
    kinds, `describe` tells an entry in words, `user_ids` lists the users its data names (besides the
    actor), and `own_note_kinds` are kinds whose describer tells the note itself."""

    source: str
    model: type[Model]
    groups: Mapping[str, str]
    labels: Mapping[str, Any]
    describe: Describer
    default_group: str = ""
    user_ids: Callable[[Entry], Iterable[int]] = _no_users
    own_note_kinds: frozenset[str] = frozenset()

    def group_of(self, kind: str) -> str:
        return self.groups.get(kind, self.default_group)

    def rows(self, case_id: int, wanted: frozenset[str]) -> QuerySet | None:
        """Its events of the case in the `wanted` groups as (source, id, at, kind, actor_id, data), ready to
        union; None when none of its groups is wanted. Unfiltered by kind when all of them are."""
        own = set(self.groups.values()) | ({self.default_group} if self.default_group else set())
        if not own & wanted:
            return None
        qs = self.model.objects.filter(case_id=case_id)
        if not own <= wanted:
            qs = qs.filter(kind__in=[kind for kind, group in self.groups.items() if group in wanted])
        return (
            qs.order_by().annotate(source=Value(self.source, output_field=CharField())).values_list(*TIMELINE_COLUMNS)
        )


# --- the household and person timelines ---------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One row of a household's or a person's timeline."""

    at: dt.datetime
    kind: str
    title: str
    link: str | None
    case_id: int | None = None
    case_reference: str = ""
    detail: str = ""
    restricted: bool = False
    sort_id: int = field(default=0, compare=False)
    all_day: bool = False  # a row known by its day alone: shown without a time of day


@dataclass(frozen=True)
class HistoryScope:
    """What a household's or person's timeline asks each source for: rows of the `wanted` groups, at most
    `limit` of each, of the cases whose content the actor may read (`readable_ids`) - and, for the source
    that tells a case's lifecycle, of the cases seen only as a summary (`summary_ids`, rows marked
    restricted) - and the contacts of the household (`household_id`, None on a person's timeline) or
    naming `person_ids`. `refs` gives each case's reference."""

    actor: Any
    wanted: frozenset[str]
    readable_ids: list[int]
    summary_ids: list[int]
    refs: Mapping[int, str]
    limit: int
    household_id: int | None
    person_ids: list[int]

    def case_item(self, at, kind, title, case_id, *, anchor="", detail="", sort_id=0, all_day=False, restricted=False):
        """A row about a case, linked to the case page (at `#anchor` when given)."""
        return TimelineItem(
            at=at,
            kind=kind,
            title=str(title),
            link=case_link(case_id, anchor),
            case_id=case_id,
            case_reference=self.refs[case_id],
            detail=detail,
            restricted=restricted,
            sort_id=sort_id,
            all_day=all_day,
        )


@dataclass(frozen=True)
class TimelineSource:
    """What one domain app adds to the timelines: its groups, its event table for the case timeline (one
    part of the UNION ALL; None if it has none) and its rows for the household and person timelines
    (`history(scope)`, a fixed number of queries, none when it has nothing to read; None if it has none)."""

    groups: tuple[Group, ...]
    events: EventTable | None = None
    history: Callable[[HistoryScope], list[TimelineItem]] | None = None


# --- the worker's desk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSection:
    """One kind of thing due on the worker's own open cases, as the desk shows it.

    `code` is its key in the desk API, `order` its place among the others' (in the API and on the page);
    `read(actor, day)` fetches its rows (a fixed number of queries,
    capped lists); `cases(rows)` lists the cases they name (the desk names all their clients in one
    query); `refs(rows, day)` gives them as API rows (`desk_ref`); `template` renders them on the home
    page, inside the "Due on your cases" card unless `own_card`."""

    code: str
    order: int
    read: Callable[[Any, dt.date], Any]
    cases: Callable[[Any], Iterable[Any]]
    refs: Callable[[Any, dt.date], list[dict]]
    template: str
    own_card: bool = False


def desk_ref(case, due_on, overdue, title) -> dict:
    """A desk API row: the case it is about, whose it is, when it is due, and what it is."""
    return {
        "case_id": case.pk,
        "case_reference": case.reference,
        "client_name": case.client_name,
        "due_on": due_on,
        "overdue": overdue,
        "title": title,
    }


# --- words and links ------------------------------------------------------------------------------------


def case_link(case_id: int, anchor: str = "") -> str:
    url = reverse("web:case_detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def day_start(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    """A day's rows sort at its start; a row with its time of day at that time."""
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time.min))


def day_text(value) -> str:
    """An ISO date from an event's data, in the reader's format ("—" when missing or malformed)."""
    try:
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return "—"


def clock_text(value) -> str:
    try:
        return formats.time_format(dt.time.fromisoformat(value), "TIME_FORMAT")
    except (TypeError, ValueError):
        return "—"


def move_text(choices, data: dict) -> str:
    """A status move recorded as data["from"] → data["to"], in words."""
    labels = dict(choices)
    return _("%(from)s → %(to)s") % {"from": labels.get(data.get("from"), "—"), "to": labels.get(data.get("to"), "—")}
