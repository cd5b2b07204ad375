"""The family assistant's desk on the home page (issue 10): load against the cap, this month's hours, the plan
actions and assessments due, their families. Read here (socius.family.selectors_support.assistant_desk), drawn
by web/family_home.html inside the home page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from socius.accounts.roles import WORK_FAMILY_SUPPORT, Role
from socius.family import selectors_support as selectors


def desk_context(actor, today: dt.date) -> dict:
    """What the desk shows (the page and the home card)."""
    desk = selectors.assistant_desk(actor, today)  # audited under the families it names
    for row in desk.families:
        row.hours = row.minutes_this_month / 60  # rounded by the template, as the month's total is
    cap = desk.cap.value if desk.cap is not None else None
    return {
        "desk": desk,
        "today": today,
        "hours": desk.minutes_this_month / 60,
        "cap_value": cap,
        "at_cap": cap is not None and desk.load >= cap,
    }


def family_home(actor, today: dt.date | None = None) -> dict | None:
    """The family assistant's desk card; None for everyone else (their work is on the family pages)."""
    if actor.role != Role.FAMILY_ASSISTANT or not actor.can(WORK_FAMILY_SUPPORT):
        return None
    return desk_context(actor, today or timezone.localdate())
