"""Template filters for showing values in the user's language."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration_words(value: dt.timedelta | None) -> str:
    """A duration in words, in the active language ("15 minutes", "15 минут")."""
    if not value:
        return ""
    now = timezone.now()
    return timesince(now - value, now)
