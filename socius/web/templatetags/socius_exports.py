"""`{% export_links %}`: the links that download the list on the page as CSV and XLSX, with its filters
(socius.web.exports)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context, url: str = "", label: str = "") -> str:
    """The current page's query (its filters and sort, not its page number) with `export=csv` / `export=xlsx`, on
    `url` (the list's own route, when the page embeds the list) or the current path."""
    request = context["request"]
    query = request.GET.copy()
    for key in ("page", "export"):
        query.pop(key, None)
    links = []
    for fmt in ("csv", "xlsx"):
        query["export"] = fmt
        links.append((fmt, f"{url or request.path}?{query.urlencode()}"))
    return render_to_string("web/_export_links.html", {"links": links, "label": label})
