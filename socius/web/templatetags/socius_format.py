"""Template filters for showing values in the user's language."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import ngettext

from socius.common.formatting import format_money, month_in_text

register = template.Library()


@register.filter
def duration_words(value: dt.timedelta | None) -> str:
    """A lockout-sized duration in words ("15 minutes", "1 hour 30 minutes") from our own catalogues.

    Django's timesince has no Lithuanian wording, so the units are translated here.
    """
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours})
    if minutes:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes})
    return " ".join(parts)


@register.filter
def money(amount, currency: str) -> str:
    """`{{ amount|money:"PLN" }}`: the amount in the active language's format ("1 878,91 zł")."""
    return format_money(amount, currency)


@register.filter(name="month_in_text")
def month_in_text_filter(day) -> str:
    """`{{ month|month_in_text }}`: a month and year inside a sentence ("za grudzień 2026", not "za Grudzień")."""
    return month_in_text(day) if day else ""
