"""UI view: the change trail on the auditor's audit page (docs/decisions/0008): what the database itself
recorded, who/what/when/before→after, filtered by person, kind of record and record, a page at a time.

Reading it is audited like any read of persons' data: one view event naming every person the page showed.
"""

from __future__ import annotations

from django.apps import apps
from django.shortcuts import render
from django.urls import reverse

from socius.accounts import trail
from socius.accounts.audit import record_view
from socius.accounts.roles import VIEW_AUDIT
from socius.web.access import requires
from socius.web.forms_audit import TRAIL_LABELS, TrailFilterForm
from socius.web.trail import as_events, persons_of_trail, trail_of_person
from socius.web.views._helpers import describe_changes, paginate
from socius.web.views.audit import _MODELS, _PAGES, person_lookup, person_lookup_context

PAGE_SIZE = 50
VALUE_CHARS = 200  # a long value (an interview's answers) is cut on the page; the API gives it whole


@requires(VIEW_AUDIT)
def audit_trail(request):
    actor = request.user
    if request.htmx and "lookup" in request.GET:
        return person_lookup(request)
    form = TrailFilterForm(request.GET or None, actor=actor)
    valid = not form.is_bound or form.is_valid()  # validating finds the chosen person for the filter's chip
    context = {"form": form, "recorded": trail.trail_is_recorded(), "page": None, "value_chars": VALUE_CHARS}
    context.update(person_lookup_context(request, form))
    if not context["recorded"] or not valid:
        # SQLite records no trail: the page says so instead of an empty list that would look complete.
        return render(request, "web/audit_trail.html", context)
    filters = form.selector_filters() if form.is_bound else {}
    entries = trail.list_change_trail_for(
        actor, record_type=filters.get("record_type"), record_id=filters.get("record_id")
    )
    if filters.get("person_id"):
        entries = trail_of_person(entries, actor, filters["person_id"])
    page = paginate(request, entries, PAGE_SIZE)
    shown = as_events(page.object_list)
    models = {**_MODELS, **{t: m for t, m in _trail_models().items() if t not in _MODELS}}
    describe_changes(shown, models)
    for entry in shown:
        entry.record_label = TRAIL_LABELS.get(entry.object_type, entry.table_name)
        entry.record_url = _record_url(entry)
    page.object_list = shown
    if shown:
        described = {k: v for k, v in filters.items() if v}
        record_view(
            actor,
            object_type="change_trail",
            object_id=None,
            centre_id=actor.centre_id,
            person_ids=persons_of_trail(shown),
            changes={"filters": [None, described]} if described else None,
        )
    context["page"] = page
    return render(request, "web/audit_trail.html", context)


def _trail_models() -> dict:
    return {t: apps.get_model(label) for t, label in trail.TRAIL_RECORD_TYPES.items()}


def _record_url(entry) -> str | None:
    if entry.operation == "DELETE" or entry.object_type not in _PAGES:
        return None
    return reverse(_PAGES[entry.object_type], args=[entry.row_id])
