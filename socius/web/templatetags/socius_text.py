"""Template filters for user-written text (names, places, notes) shown inside the application's own text."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
def bdi(value, autoescape=True):
    """The value, escaped, inside <bdi>: its own direction, isolated from the text around it.

    A name with a right-to-left override ("Anna\\u202eowak") or written in Hebrew or Arabic then cannot
    reorder the words that follow it (a date, a status, the next name). Empty values render nothing."""
    if value is None or value == "":
        return ""
    text = conditional_escape(value) if autoescape else value
    return mark_safe(f"<bdi>{text}</bdi>")  # noqa: S308 - the value is escaped just above


@register.filter
def isolate(value) -> str:
    """Plain-text isolation, where no element may be used (a page <title>, an attribute): the value
    between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. Still escaped by the template as usual."""
    if value is None or value == "":
        return ""
    return f"\u2068{value}\u2069"


SITE_NAME = "Socius"


@register.filter(is_safe=True)
def with_site_name(value) -> str:
    """A page's <title>: "<page title> · Socius", or "Socius" alone when the page names no title. Used as
    `{% filter with_site_name %}{% block title %}…{% endblock %}{% endfilter %}`: a template cannot ask
    whether a block is empty, so the rendered block is joined to the name here (whitespace collapsed)."""
    title = " ".join(str(value).split())
    return f"{title} · {SITE_NAME}" if title else SITE_NAME
