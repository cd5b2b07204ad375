"""UI views of the territory (issue 11): which localities of the centre's area outreach reached this year —
drawn as a map from the territorial tree (no tiles, no coordinates: a grid of elderships/communities, each a box
of its villages, every area a focusable link named in words, visited / planned / not reached told by a pattern
and a symbol as well as a colour, with a legend) and as a table with the same data — and the community
diagnosis of one territory (population, open cases by circumstance, beneficiaries, services, potential
recipients).

Reads: socius.community.selectors_outreach.territory_view and community_diagnosis (set-based; the diagnosis
counts persons, it names none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import TerritoryLevel
from socius.accounts.roles import VIEW_CASES
from socius.benefits.timeline import benefit_label
from socius.casework import statutory
from socius.community import permissions
from socius.community import selectors_outreach as selectors
from socius.community.outreach import leaflet_services
from socius.web.access import requires
from socius.web.forms_community import DiagnosisForm, TerritoryViewForm
from socius.web.views._helpers import domain_404

STATES = {
    "visited": {"label": _("Visited"), "symbol": "✓", "pattern": "pattern-visited"},
    "planned": {"label": _("Planned"), "symbol": "◷", "pattern": "pattern-planned"},
    "not_reached": {"label": _("Not reached"), "symbol": "–", "pattern": "pattern-not-reached"},
}

# The map's geometry (SVG user units): boxes of groups in columns, cells of localities inside them.
COLUMNS = 3
GROUP_W = 300
GAP = 12
HEAD_H = 34
CELL_W = 92
CELL_H = 40
CELL_GAP = 4
CELLS_PER_ROW = 3
PAD = 8
NAME_CHARS = 12


@dataclass
class Cell:
    row: object
    x: int
    y: int
    w: int
    h: int

    @property
    def state(self) -> dict:
        return STATES.get(self.row.state, STATES["not_reached"])

    @property
    def short_name(self) -> str:
        name = self.row.name
        return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


@dataclass
class Group:
    head: Cell
    x: int
    y: int
    w: int
    h: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def head_name(self) -> str:
        name = self.head.row.name
        return name if len(name) <= 34 else name[:33] + "…"


def map_layout(view, columns: int = COLUMNS) -> tuple[list[Group], int, int]:
    """The map's boxes: one group per child of the root (an eldership, a community…), holding a cell per
    locality below it; a group without localities is one cell itself. Returns (groups, width, height)."""
    rows = list(view.rows)
    root_id = getattr(view.root, "pk", view.root)
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    tops = [row for row in rows if row.parent_id == root_id] or [r for r in rows if r.territory_id != root_id]

    def below(node_id) -> list:
        found, stack = [], list(children.get(node_id, ()))
        while stack:
            row = stack.pop(0)
            found.append(row)
            stack.extend(children.get(row.territory_id, ()))
        return found

    groups: list[Group] = []
    y, row_h, col = GAP, 0, 0
    for top in sorted(tops, key=lambda r: r.name):
        localities = sorted(below(top.territory_id), key=lambda r: r.name)
        cell_rows = max(1, -(-len(localities) // CELLS_PER_ROW))
        h = HEAD_H + PAD + cell_rows * (CELL_H + CELL_GAP) + PAD if localities else HEAD_H + PAD
        x = GAP + col * (GROUP_W + GAP)
        group = Group(head=Cell(top, x, y, GROUP_W, HEAD_H), x=x, y=y, w=GROUP_W, h=h)
        for index, row in enumerate(localities):
            cx = x + PAD + (index % CELLS_PER_ROW) * (CELL_W + CELL_GAP)
            cy = y + HEAD_H + PAD + (index // CELLS_PER_ROW) * (CELL_H + CELL_GAP)
            group.cells.append(Cell(row, cx, cy, CELL_W, CELL_H))
        groups.append(group)
        row_h = max(row_h, h)
        col += 1
        if col == columns:
            y, row_h, col = y + row_h + GAP, 0, 0
    height = y + row_h + GAP if col else y
    width = GAP + min(columns, max(len(groups), 1)) * (GROUP_W + GAP)
    return groups, width, max(height, 2 * GAP)


def table_rows(view) -> list[dict]:
    """The same data as the map, in the tree's order (each node under its parent)."""
    rows = list(view.rows)
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    root_id = getattr(view.root, "pk", view.root)
    levels = dict(TerritoryLevel.choices)
    ordered: list[dict] = []

    def walk(parent_id, depth):
        for row in sorted(children.get(parent_id, ()), key=lambda r: r.name):
            ordered.append({"row": row, "depth": depth, "level": levels.get(row.level, row.level),
                            "state": STATES.get(row.state, STATES["not_reached"])})  # fmt: skip
            walk(row.territory_id, depth + 1)

    walk(root_id, 0)
    if len(ordered) < len([r for r in rows if r.territory_id != root_id]):  # nodes whose parent is not listed
        seen = {item["row"].territory_id for item in ordered}
        ordered += [
            {
                "row": r,
                "depth": 0,
                "level": levels.get(r.level, r.level),
                "state": STATES.get(r.state, STATES["not_reached"]),
            }
            for r in rows
            if r.territory_id not in seen and r.territory_id != root_id
        ]
    return ordered


@requires(VIEW_CASES)
@domain_404
def territory_view(request):
    actor = request.user
    day = timezone.localdate()
    form = TerritoryViewForm(request.GET or None, actor=actor, initial={"year": day.year}, auto_id="map_%s")
    root, year, status = None, day.year, 200
    if form.is_bound:
        if form.is_valid():
            root = form.cleaned_data["root"]
            year = form.cleaned_data["year"] or day.year
        else:
            status = 400
    view = selectors.territory_view(actor, root.pk if root else None, year, on=day)
    rows = table_rows(view)
    # Two drawings of the same map: three columns for wide screens, one for phones (CSS shows one of them).
    maps = []
    for name, columns in (("wide", COLUMNS), ("narrow", 1)):
        groups, width, height = map_layout(view, columns)
        maps.append({"name": name, "groups": groups, "width": width, "height": height})
    counts = Counter(item["row"].state for item in rows)  # every area drawn (elderships and their villages)
    context = {
        "tab": "map",
        "form": form,
        "view": view,
        "year": year,
        "maps": maps,
        "has_map": bool(maps[0]["groups"]),
        "rows": rows,
        "states": [{"key": key, **value, "count": counts.get(key, 0)} for key, value in STATES.items()],
        "may_work": permissions.can_work_community(actor),
    }
    return render(request, "web/community/territory.html", context, status=status)


@requires(VIEW_CASES)
@domain_404
def community_diagnosis(request):
    actor = request.user
    day = timezone.localdate()
    form = DiagnosisForm(request.GET or None, actor=actor, auto_id="diag_%s")
    territory, status = None, 200
    if form.is_bound:
        if form.is_valid():
            territory = form.cleaned_data["territory"]
        else:
            status = 400
    diagnosis = selectors.community_diagnosis(actor, territory.pk if territory else actor.centre.territory_id, on=day)
    language = get_language()
    jurisdiction = actor.centre.jurisdiction
    circumstance_labels = {c.code: c.label for c in statutory.circumstances(jurisdiction, day, language)}
    service_labels = dict(leaflet_services(jurisdiction, language))
    recipients = diagnosis.recipients or {}
    context = {
        "tab": "map",
        "form": form,
        "may_work": permissions.can_work_community(actor),
        "diagnosis": diagnosis,
        "territory": diagnosis.territory,
        "day": day,
        "circumstances": [(circumstance_labels.get(c, c), n) for c, n in diagnosis.cases_by_circumstance],
        "benefits": [(benefit_label(code), n) for code, n in diagnosis.benefits],
        "services": [(service_labels.get(code, code), n) for code, n in diagnosis.services],
        "recipients": [
            (label, recipients.get(key, 0))
            for key, label in (
                ("found", _("Found this year")),
                ("open", _("To follow up")),
                ("contacted", _("Became a contact")),
                ("referred", _("Referred")),
                ("dismissed", _("Dismissed")),
            )
        ],
    }
    return render(request, "web/community/diagnosis.html", context, status=status)
