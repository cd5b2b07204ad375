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
