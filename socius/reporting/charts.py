"""Server-rendered SVG charts (issue 12): readable in print and in grayscale (patterns and labels, not colour
alone), each with a title and description for screen readers; the page shows a table alternative beside each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def sparkline_svg(
    values: Sequence[int | Decimal],
    labels: Sequence[str],
    *,
    title: str,
    width: int = 160,
    height: int = 36,
    highlight_last: bool = True,
) -> SafeString:
    """A small bar chart of `values` (oldest first), the last bar (the report's month) drawn solid and the others
    hatched grey, so it reads in grayscale. `labels` name each bar (month names) in the <title> of each bar."""
    count = len(values)
    if count == 0:
        return mark_safe("")
    top = max((float(v) for v in values), default=0.0) or 1.0
    gap = 2
    bar = max((width - gap * (count - 1)) / count, 1)
    parts = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = 0 if not value else max(round(float(value) / top * (height - 2), 1), 1)
        x = round(index * (bar + gap), 1)
        y = round(height - h, 1)
        last = highlight_last and index == count - 1
        fill = "currentColor" if last else "#9a9a9a"
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                x,
                y,
                round(bar, 1),
                h,
                fill,
                label,
                value,
            )
        )
    return format_html(
        '<svg class="sparkline" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-label="{t}"><title>{t}</title>{bars}</svg>',
        w=width,
        h=height,
        t=title,
        bars=mark_safe("".join(parts)),  # noqa: S308 (built from format_html)
    )


# --- dashboard charts (issue 12) --------------------------------------------------------------------------------
#
# Each chart names itself (role="img" with <title> and <desc>, or role="group" when its parts are links), tells
# series and classes apart by pattern, dash and marker as well as by shade, and prints its values beside the
# marks; the page shows a table with the same figures beside each (the table alternative).

# Grey shades and patterns of the series/classes, lightest first: all readable in grayscale and in print.
_FILLS = ("#ffffff", "#d9d9d9", "url(#{p}-hatch)", "url(#{p}-cross)", "#4d4d4d", "#1a1a1a")


def _patterns(prefix: str) -> SafeString:
    """The hatch and cross-hatch patterns of one chart (ids prefixed, so two charts on a page never clash)."""
    return format_html(
        '<defs><pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<rect width="2.5" height="6" fill="#6b6b6b"/></pattern>'
        '<pattern id="{p}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#bdbdbd"/><path d="M0 0L6 6M6 0L0 6" stroke="#333333" '
        'stroke-width="1.2"/></pattern></defs>',
        p=prefix,
    )


def _fill(index: int, prefix: str) -> str:
    return _FILLS[index % len(_FILLS)].format(p=prefix)


def _number(value) -> str:
    from django.utils.formats import number_format

    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def bar_chart_svg(
    items: Sequence[tuple[str, int | Decimal]],
    *,
    title: str,
    description: str = "",
    chart_id: str = "bars",
    width: int = 560,
    bar_height: int = 22,
    label_width: int = 200,
) -> SafeString:
    """Horizontal bars, one per (label, value), each with its value printed at its end; bars are dark grey with a
    black outline (readable in grayscale and print). Empty when there is nothing to draw."""
    if not items:
        return mark_safe("")
    top = max((float(v) for _l, v in items), default=0.0) or 1.0
    gap = 6
    plot = width - label_width - 90
    rows = []
    for index, (label, value) in enumerate(items):
        y = index * (bar_height + gap)
        w = round(float(value) / top * plot, 1) if value else 0
        short = label if len(label) <= 30 else label[:29] + "…"
        rows.append(
            format_html(
                "<g><title>{label}: {value}</title>"
                '<text x="{tx}" y="{ty}" text-anchor="end" class="chart-label">{short}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#595959" stroke="#000000" stroke-width="1"/>'
                '<text x="{vx}" y="{ty}" class="chart-value">{value}</text></g>',
                label=label,
                value=_number(value),
                short=short,
                tx=label_width - 6,
                ty=y + bar_height - 6,
                x=label_width,
                y=y,
                w=w,
                h=bar_height,
                vx=label_width + w + 6,
            )
        )
    height = len(items) * (bar_height + gap)
    return format_html(
        '<svg class="chart bar-chart" id="{id}" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>{rows}</svg>',
        id=chart_id,
        w=width,
        h=height,
        t=title,
        d=description,
        rows=mark_safe("".join(rows)),  # noqa: S308 (built from format_html)
    )


# Line styles of the trend's series: solid with circles, dashed with squares, dotted with triangles.
_DASHES = ("", "6 3", "2 3")
_MARKERS = ("circle", "square", "triangle")


def _marker(kind: str, x: float, y: float) -> SafeString:
    if kind == "square":
        return format_html(
            '<rect x="{}" y="{}" width="7" height="7" fill="#ffffff" stroke="#000000"/>', x - 3.5, y - 3.5
        )
    if kind == "triangle":
        return format_html(
            '<path d="M{} {}L{} {}L{} {}Z" fill="#000000"/>', x, y - 4.5, x + 4.5, y + 3.5, x - 4.5, y + 3.5
        )
    return format_html('<circle cx="{}" cy="{}" r="3.5" fill="#000000"/>', x, y)


def trend_svg(
    series: Sequence[tuple[str, Sequence[int | Decimal]]],
    labels: Sequence[str],
    *,
    title: str,
    description: str = "",
    chart_id: str = "trend",
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Lines over months: each series its own dash and marker (told apart without colour), a legend, the month
    labels under the axis and the last value printed at each line's end."""
    count = len(labels)
    if count == 0 or not series:
        return mark_safe("")
    left, right, top_pad, bottom = 44, 60, 26, 34
    plot_w = width - left - right
    plot_h = height - top_pad - bottom
    peak = max((float(v) for _n, values in series for v in values), default=0.0) or 1.0
    step = plot_w / max(count - 1, 1)

    def point(index: int, value) -> tuple[float, float]:
        return round(left + index * step, 1), round(top_pad + plot_h - float(value) / peak * plot_h, 1)

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000000"/>',
            left,
            top_pad + plot_h,
            left + plot_w,
            top_pad + plot_h,
        ),
        format_html(
            '<text x="{}" y="{}" text-anchor="end" class="chart-axis">{}</text>',
            left - 4,
            top_pad + 4,
            _number(int(peak) if peak == int(peak) else peak),
        ),
        format_html('<text x="{}" y="{}" text-anchor="end" class="chart-axis">0</text>', left - 4, top_pad + plot_h),
    ]
    for index, label in enumerate(labels):
        if count <= 12 or index % 2 == 0:
            x, _y = point(index, 0)
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="chart-axis">{}</text>',
                    x,
                    height - bottom + 16,
                    label,
                )
            )
    for number, (name, values) in enumerate(series):
        dash = _DASHES[number % len(_DASHES)]
        marker = _MARKERS[number % len(_MARKERS)]
        points = [point(i, v) for i, v in enumerate(values)]
        path = " ".join(f"{x},{y}" for x, y in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="#000000" stroke-width="2"{}/>',
                path,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        )
        for (x, y), label, value in zip(points, labels, values, strict=True):
            parts.append(
                format_html("<g><title>{} — {}: {}</title>{}</g>", name, label, _number(value), _marker(marker, x, y))
            )
        last_x, last_y = points[-1]
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>', last_x + 8, last_y + 4, _number(values[-1])
            )
        )
        # The legend, above the plot.
        lx = left + number * 170
        parts.append(
            format_html(
                '<g class="chart-legend"><line x1="{}" y1="10" x2="{}" y2="10" stroke="#000000" stroke-width="2"{}/>{}'
                '<text x="{}" y="14">{}</text></g>',
                lx,
                lx + 26,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                _marker(marker, lx + 13, 10),
                lx + 32,
                name,
            )
        )
    return format_html(
        '<svg class="chart trend-chart" id="{id}" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>{parts}</svg>',
        id=chart_id,
        w=width,
        h=height,
        t=title,
        d=description,
        parts=mark_safe("".join(parts)),  # noqa: S308 (built from format_html)
    )


@dataclass(frozen=True)
class MapArea:
    """One territory of the choropleth: its name, figure (already formatted), shade class (0: nothing) and link."""

    name: str
    value_text: str
    shade: int
    href: str | None = None
    children: tuple[MapArea, ...] = ()


def choropleth_svg(
    groups: Sequence[MapArea],
    *,
    title: str,
    chart_id: str = "choropleth",
    columns: int = 3,
) -> SafeString:
    """The territorial tree as boxes (no tiles, no coordinates), as the community map draws it: a box per group
    (community, eldership) with a cell per locality inside, each shaded by its class (white, light grey, hatched,
    cross-hatched, dark, black: lighter is less) and printing its name and figure. Every area is a link named in
    words. Empty when there are no groups."""
    if not groups:
        return mark_safe("")
    group_w, gap, head_h, cell_w, cell_h, cell_gap, per_row, pad = 300, 12, 34, 92, 44, 4, 3, 8
    parts = [_patterns(chart_id)]
    y, row_h, col = gap, 0, 0

    def area(item: MapArea, x, y, w, h, *, head: bool) -> SafeString:
        shade = max(0, min(item.shade, len(_FILLS) - 1))
        name = item.name
        limit = 34 if head else 12
        short = name if len(name) <= limit else name[: limit - 1] + "…"
        # The text is drawn with a white halo (stroke under the fill), readable on every shade, in print too.
        body = format_html(
            '<title>{name}: {value}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" '
            'stroke="#333333" class="map-shade-{shade}"/>'
            '<text x="{tx}" y="{ty}" class="{cls}" stroke="#ffffff" stroke-width="3.5" paint-order="stroke" '
            'stroke-linejoin="round">{short}</text>'
            '<text x="{tx}" y="{vy}" class="map-value" stroke="#ffffff" stroke-width="3.5" paint-order="stroke" '
            'stroke-linejoin="round">{value}</text>',
            name=name,
            value=item.value_text,
            x=x,
            y=y,
            w=w,
            h=h,
            fill=_fill(shade, chart_id),
            shade=shade,
            tx=x + 5,
            ty=y + (15 if not head else 14),
            vy=y + (32 if not head else 29),
            cls="map-head" if head else "map-name",
            short=short,
        )
        if item.href:
            return format_html('<a href="{}" aria-label="{}: {}">{}</a>', item.href, name, item.value_text, body)
        return format_html('<g role="img" aria-label="{}: {}">{}</g>', name, item.value_text, body)

    for group in groups:
        cells = list(group.children)
        cell_rows = max(1, -(-len(cells) // per_row))
        h = head_h + pad + cell_rows * (cell_h + cell_gap) + pad if cells else head_h
        x = gap + col * (group_w + gap)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#f4f4f4" stroke="#999999"/>', x, y, group_w, h
            )
        )
        parts.append(area(group, x, y, group_w, head_h, head=True))
        for index, cell in enumerate(cells):
            cx = x + pad + (index % per_row) * (cell_w + cell_gap)
            cy = y + head_h + pad + (index // per_row) * (cell_h + cell_gap)
            parts.append(area(cell, cx, cy, cell_w, cell_h, head=False))
        row_h = max(row_h, h)
        col += 1
        if col == columns:
            y, row_h, col = y + row_h + gap, 0, 0
    height = y + row_h + gap if col else y
    width = gap + min(columns, len(groups)) * (group_w + gap)
    return format_html(
        '<svg class="chart choropleth" id="{id}" role="group" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-title"><title id="{id}-title">{t}</title>'
        "{parts}</svg>",
        id=chart_id,
        w=width,
        h=max(height, 2 * gap),
        t=title,
        parts=mark_safe("".join(parts)),  # noqa: S308 (built from format_html)
    )


def shade_legend_svg(shade: int, *, chart_id: str) -> SafeString:
    """A swatch of one shade class, for the legend under the choropleth (hidden from screen readers)."""
    shade = max(0, min(shade, len(_FILLS) - 1))
    return format_html(
        '<svg width="28" height="18" aria-hidden="true" focusable="false">{}<rect x="1" y="1" width="26" height="16" '
        'fill="{}" stroke="#333333"/></svg>',
        _patterns(f"{chart_id}-legend-{shade}"),
        _fill(shade, f"{chart_id}-legend-{shade}"),
    )
