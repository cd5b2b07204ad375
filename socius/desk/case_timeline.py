"""Read model: one case's whole timeline, newest first, merged from the domain apps' append-only event tables.

Each domain app keeps its own table (casework CaseEvent, assessments AssessmentEvent, plans PlanEvent, …) so
a lower app never learns of a higher one, and offers it with the words for its kinds in its `timeline.py`
(`socius.common.timeline.EventTable`, registered in `socius.desk.sources`). This module, above them all,
merges them in SQL (UNION ALL ordered by time, paged with LIMIT/OFFSET), so a page costs the same few
queries whatever the case's history and however many apps write it: the page, its count, and one query
for the users named on it.

Content: every entry is case content. `case_timeline_for` fetches the case with `get_case_content_for`
(NotFound outside the centre, Forbidden without content access, the view audited); `case_timeline` takes
a case already fetched that way (the case page, which has audited it once).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.casework.models import Case
from socius.casework.selectors import get_case_content_for
from socius.common.timeline import Entry, EventTable
from socius.desk.sources import GroupChoices, timeline_sources

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# What a reader filters the case timeline by: the household timeline's kinds of record but its contacts
# (which belong to no case), and the case's documents. `Group.CHOICES`, `Group.ALL`, `Group.VISIT`, …
Group = GroupChoices("in_case_timeline")

__all__ = ["Entry", "Group", "TimelinePage", "case_timeline", "case_timeline_for", "described_entries", "timeline_rows"]


def _tables() -> dict[str, EventTable]:
    return {source.events.source: source.events for source in timeline_sources() if source.events is not None}


def timeline_rows(case_id: int, groups: frozenset[str] | set[str] | None = None) -> QuerySet:
    """The case's events of `groups` (all when None) as one UNION ALL query, newest first.

    Rows are tuples (source, id, at, kind, actor_id, data); slice it (LIMIT/OFFSET) and count it in SQL."""
    wanted = frozenset(Group.ALL & set(groups or ())) or Group.ALL
    parts = [rows for table in _tables().values() if (rows := table.rows(case_id, wanted)) is not None]
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    # "source" breaks ties between tables written in the same microsecond, "id" within one.
    return combined.order_by("-at", "-source", "-id")


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    page: Page
    groups: frozenset[str]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def case_timeline(
    case: Case, *, groups=None, page: int | str | None = 1, per_page: int = PAGE_SIZE, centre_id: int | None = None
) -> TimelinePage:
    """A page of the timeline of a case already fetched with `get_case_content_for`, newest first, each
    entry described in words. Three queries: the count, the page, the users it names."""
    wanted = frozenset(Group.ALL & set(groups or ())) or Group.ALL
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    paginator = Paginator(timeline_rows(case.pk, wanted), per_page)
    current = paginator.get_page(page)
    entries = described_entries(current.object_list, centre_id if centre_id is not None else case.centre_id)
    return TimelinePage(entries=entries, page=current, groups=wanted)


def case_timeline_for(actor: User, case_id, **options) -> TimelinePage:
    """`case_timeline` of a case the actor may read (NotFound / Forbidden otherwise; the view audited)."""
    case = get_case_content_for(actor, case_id)
    return case_timeline(case, **options)


# --- describing entries in words ---------------------------------------------------------------------


def described_entries(rows, centre_id: int) -> list[Entry]:
    """Rows of `timeline_rows` (a page of them) as entries described in words (one query for the users)."""
    entries = [Entry(*row) for row in rows]
    for entry in entries:
        entry.data = entry.data if isinstance(entry.data, dict) else {}
    describe(entries, centre_id)
    return entries


def describe(entries: list[Entry], centre_id: int) -> None:
    """Fill each entry's group, label, `actor_name` and `lines` (what happened, in the reader's language),
    each by the app whose table it came from: one query for the users they name."""
    tables = _tables()
    ids = {e.actor_id for e in entries if e.actor_id}
    for entry in entries:
        ids.update(tables[entry.source].user_ids(entry))
    users = User.objects.filter(centre_id=centre_id).in_bulk(ids) if ids else {}

    def name(user_id) -> str:
        user = users.get(user_id)
        return (user.get_full_name() or user.username) if user else "—"

    for entry in entries:
        table = tables[entry.source]
        entry.group = table.group_of(entry.kind)
        entry.label = str(table.labels.get(entry.kind, entry.kind))
        entry.actor_name = name(entry.actor_id) if entry.actor_id else ""
        lines = table.describe(entry, name)
        if entry.data.get("note") and entry.kind not in table.own_note_kinds:
            lines.append(_("Note: %(note)s") % {"note": entry.data["note"]})
        entry.lines = [str(line) for line in lines]
