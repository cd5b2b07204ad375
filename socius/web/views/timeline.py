"""UI views: a household's and a person's timelines (contacts and case history).

The read models are `socius.desk.selectors.household_timeline` and `person_timeline` (who sees what is
decided and documented there).
"""

from __future__ import annotations

from django.shortcuts import render

from socius.accounts.roles import VIEW_CASES
from socius.desk.selectors import TimelineKind, household_timeline, person_timeline
from socius.registry.selectors import get_household_for, get_person_for
from socius.web.access import requires
from socius.web.views._helpers import domain_404

TIMELINE_LIMIT = 200


def _page(request, template: str, subject_name: str, subject, read):
    chosen = {k for k in request.GET.getlist("kind") if k in TimelineKind.ALL}
    items = read(request.user, subject.pk, kinds=chosen or None, limit=TIMELINE_LIMIT)
    context = {subject_name: subject, "items": items, "kinds": TimelineKind.CHOICES, "chosen": chosen}
    return render(request, template, {**context, "limit": TIMELINE_LIMIT})


@requires(VIEW_CASES)
@domain_404
def household_timeline_page(request, pk):
    household = get_household_for(request.user, pk)
    return _page(request, "web/households_timeline.html", "household", household, household_timeline)


@requires(VIEW_CASES)
@domain_404
def person_timeline_page(request, pk):
    person = get_person_for(request.user, pk)
    return _page(request, "web/persons_timeline.html", "person", person, person_timeline)
