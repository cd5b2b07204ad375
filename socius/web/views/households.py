"""UI views: households — list, register, detail, edit, history, and the member search partial."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.audit import record_list_view
from socius.accounts.models import AuditAction
from socius.accounts.roles import EDIT_REGISTRY, VIEW_AUDIT, VIEW_REGISTRY
from socius.accounts.selectors import list_audit_events_for
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.registry.models import Household, Person, Relationship
from socius.registry.selectors import (
    attach_current_households,
    attach_household_heads,
    get_household_for,
    get_person_for,
    list_households_for,
    list_persons_for,
    search_persons_for,
)
from socius.registry.selectors import (
    household_history as membership_history_of_household,
)
from socius.registry.services import MemberSpec, create_household, open_household_record, update_household
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_households import (
    HouseholdFilterForm,
    HouseholdForm,
    MemberRow,
    parse_member_rows,
    relationship_choices,
)
from socius.web.views._helpers import get_or_404, paginate, registry_cases
from socius.web.views.audit import annotate_events

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50
MEMBER_MATCHES = 200  # persons considered when filtering the list by a member's name
MEMBER_SEARCH_RESULTS = 10

_RELATIONSHIP_ORDER = {code: i for i, code in enumerate(Relationship.values)}
_HOUSEHOLD_FIELDS = ("territory", "street_address", "external_ref", "notes")


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _ordered_members(memberships) -> list:
    """Head first, then by relationship, oldest first within one relationship."""
    today = timezone.localdate()
    members = sorted(
        memberships,
        key=lambda m: (_RELATIONSHIP_ORDER.get(m.relationship, 99), m.person.birth_date or dt.date.max, m.pk),
    )
    for m in members:
        m.age = age_on(m.person.birth_date, today)
    return members


# --- list ------------------------------------------------------------------------------------------


def _within(territory_id: int) -> Q:
    """Households in the place or anywhere below it (trees are at most four levels deep)."""
    return (
        Q(territory_id=territory_id)
        | Q(territory__parent_id=territory_id)
        | Q(territory__parent__parent_id=territory_id)
        | Q(territory__parent__parent__parent_id=territory_id)
    )


def _attach_heads(households) -> None:
    for household in households:
        household.head = next((m for m in household.current_members if m.relationship == Relationship.HEAD), None)


HOUSEHOLD_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Household"), lambda h: h.pk),
    ExportColumn(gettext_lazy("Head of household"), lambda h: h.head.person.full_name if h.head else ""),
    ExportColumn(gettext_lazy("Members"), lambda h: len(h.current_members)),
    ExportColumn(gettext_lazy("Locality"), lambda h: h.territory.name if h.territory_id else ""),
    ExportColumn(gettext_lazy("Street address"), lambda h: h.street_address),
)


@requires(VIEW_REGISTRY)
def household_list(request):
    actor = request.user
    form = HouseholdFilterForm(list_params(request) or None, actor=actor)
    households = list_households_for(actor).order_by("-id")
    member_query = ""
    matched: dict[int, list[int]] = {}  # household id: the members the search matched
    if form.is_bound and form.is_valid():
        if form.cleaned_data["locality"]:
            households = households.filter(_within(form.cleaned_data["locality"]))
        member_query = form.cleaned_data["member"].strip()
        if member_query:
            # Best-matching member first: households in the order their members rank in the search.
            order: list[int] = []
            for person in search_persons_for(actor, member_query, limit=MEMBER_MATCHES):
                membership = person.current_membership
                if membership is not None:
                    matched.setdefault(membership.household_id, []).append(person.pk)
                if membership is not None and membership.household_id not in order:
                    order.append(membership.household_id)
            households = households.filter(pk__in=order).order_by(
                Case(
                    *[When(pk=pk, then=Value(i)) for i, pk in enumerate(order)],
                    default=Value(len(order)),
                    output_field=IntegerField(),
                )
            )
    if export_format(request):
        return export_response(
            request,
            households,
            columns=HOUSEHOLD_EXPORT_COLUMNS,
            object_type="household",
            persons_of=lambda h: [h.head.person_id] if h.head else [],
            name="households",
            query=member_query,
            prepare=_attach_heads,
        )
    page = paginate(request, households, PAGE_SIZE)
    page.object_list = list(page.object_list)
    for household in page.object_list:
        household.head = next((m for m in household.current_members if m.relationship == Relationship.HEAD), None)
    # The list shows each head's name, and a household found by a member's name tells where that
    # member lives: both are named.
    shown = [h.head.person_id for h in page.object_list if h.head]
    shown += [p for h in page.object_list for p in matched.get(h.pk, [])]
    record_list_view(actor, object_type="household", person_ids=shown, query=member_query)
    context = {"form": form, "page": page, "member_query": member_query}
    template = "web/households_list_results.html" if request.htmx else "web/households_list.html"
    return render(request, template, context)


# --- detail and history ----------------------------------------------------------------------------


@requires(VIEW_REGISTRY)
def household_detail(request, pk):
    actor = request.user
    household = get_or_404(open_household_record, actor, pk)  # logs the view
    attach_household_heads([household])
    return render(
        request,
        "web/households_detail.html",
        {
            "household": household,
            "members": _ordered_members(household.current_members),
            "territory_path": household.territory.path() if household.territory_id else [],
            "membership_history": list(membership_history_of_household(household)),
            "cases": registry_cases(actor, household=household),
        },
    )


def _discarded_membership_ids(actor, household: Household, memberships) -> set[int]:
    """Memberships deleted as same-day corrections are gone from the table; their DELETE events say
    which household they belonged to, so their events stay in the household's history."""
    deletions = list_audit_events_for(actor, object_type="membership", action=AuditAction.DELETE).filter(
        person_id__in={m.person_id for m in memberships}
    )
    return {
        e.object_id
        for e in deletions.select_related(None).only("object_id", "changes")
        if ((e.changes or {}).get("household") or [None])[0] == household.pk
    }


@requires(VIEW_AUDIT)
def household_history(request, pk):
    actor = request.user
    household = get_or_404(get_household_for, actor, pk)
    memberships = list(membership_history_of_household(household))
    membership_ids = {m.pk for m in memberships} | _discarded_membership_ids(actor, household, memberships)
    events = list_audit_events_for(actor).filter(
        Q(object_type="household", object_id=household.pk) | Q(object_type="membership", object_id__in=membership_ids)
    )
    page = paginate(request, events, HISTORY_PAGE_SIZE)
    page.object_list = annotate_events(actor, list(page.object_list))
    return render(
        request,
        "web/households_history.html",
        {"household": household, "page": page, "membership_history": memberships},
    )


# --- register and edit -----------------------------------------------------------------------------


def _rows_with_persons(actor, rows: list[MemberRow]) -> list[MemberRow]:
    """Give each posted row its person (one query, with their current household) for re-rendering."""
    ids = [r.person_id for r in rows if r.person_id]
    persons = {p.pk: p for p in list_persons_for(actor).filter(pk__in=ids)} if ids else {}
    attach_current_households(list(persons.values()))
    for row in rows:
        row.person = persons.get(row.person_id)
    return rows


def _apply_errors(form: HouseholdForm, exc: ValidationFailed) -> list[str]:
    """Put the service's messages next to their fields; return those about the member list."""
    member_errors: list[str] = []
    for field, messages_ in exc.errors.items():
        for message in messages_:
            if field == "members":
                member_errors.append(str(message))
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)
    return member_errors


def _household_form_page(request, *, household: Household | None):
    actor = request.user
    in_other: list[int] = []
    member_errors: list[str] = []
    if request.method == "POST":
        form = HouseholdForm(request.POST, actor=actor)
        rows, member_errors = parse_member_rows(request.POST)
        if form.is_valid() and not member_errors:
            specs = [MemberSpec(r.person_id, r.relationship) for r in rows]
            move = form.cleaned_data["move"]
            try:
                if household is None:
                    saved = create_household(actor, form.household_data(), specs, move=move)
                    messages.success(request, _("The household has been registered."))
                else:
                    saved = update_household(actor, household.pk, form.household_data(), specs, move=move)
                    messages.success(request, _("The household has been saved."))
            except Forbidden:
                raise PermissionDenied from None
            except NotFound:
                raise Http404 from None
            except ValidationFailed as exc:
                member_errors = _apply_errors(form, exc)
                in_other = list(exc.extra.get("in_other_household", []))
            else:
                return redirect("web:household_detail", pk=saved.pk)
    elif household is not None:
        form = HouseholdForm(initial={f: getattr(household, f) for f in _HOUSEHOLD_FIELDS}, actor=actor)
        if household.territory_id:
            form.initial["territory"] = household.territory_id
        rows = [MemberRow(m.person_id, m.relationship) for m in _ordered_members(household.current_members)]
    else:
        form = HouseholdForm(actor=actor)
        rows = []
        head = request.GET.get("head")
        if head:
            try:
                person = get_person_for(actor, head)
            except NotFound:
                messages.warning(request, _("The person to put at the head was not found."))
            else:
                # Started from the person's page: they head it, and the household lives at their address.
                rows = [MemberRow(person.pk, Relationship.HEAD)]
                form = HouseholdForm(
                    initial={"territory": person.territory_id, "street_address": person.street_address},
                    actor=actor,
                )
    rows = _rows_with_persons(actor, rows)
    for row in rows:
        row.in_other_household = row.person_id in in_other
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/households_form.html",
        {
            "form": form,
            "household": household,
            "rows": rows,
            "member_errors": member_errors,
            "household_id": household.pk if household else None,
            "offer_move": bool(in_other) or bool(form.is_bound and form.data.get("move")),
            "relationship_choices": relationship_choices(),
        },
        status=status,
    )


@requires(EDIT_REGISTRY)
def household_create(request):
    return _household_form_page(request, household=None)


@requires(EDIT_REGISTRY)
def household_edit(request, pk):
    return _household_form_page(request, household=get_or_404(get_household_for, request.user, pk))


# --- member search (htmx partials of the registration form) ---------------------------------------


@requires(EDIT_REGISTRY)
def member_search(request):
    """`?q=` lists matching persons with an Add button; `?add=<id>` returns the member row to append.

    The form's current rows come along as `person` values, so that a person is not added twice and
    the first person added is proposed as the head.
    """
    actor = request.user
    present = {int(v) for v in request.GET.getlist("person") if v.isdigit()}
    household_id = int(request.GET["household"]) if request.GET.get("household", "").isdigit() else None
    if "add" in request.GET:
        try:
            person = get_person_for(actor, request.GET["add"])
        except NotFound:
            raise Http404 from None
        if person.pk in present:
            return HttpResponse(status=204)  # already in the list: htmx swaps nothing
        attach_current_households([person])
        row = MemberRow(person.pk, Relationship.HEAD if not present else "")
        row.person = person
        return render(
            request,
            "web/households_member_row.html",
            {"row": row, "relationship_choices": relationship_choices(), "household_id": household_id},
        )
    query = request.GET.get("q", "").strip()
    persons: list[Person] = search_persons_for(actor, query, limit=MEMBER_SEARCH_RESULTS) if len(query) >= 2 else []
    record_list_view(actor, object_type="person", person_ids=[p.pk for p in persons], query=query)
    for person in persons:
        person.is_listed = person.pk in present
    return render(
        request,
        "web/households_member_results.html",
        {"persons": persons, "query": query, "household_id": household_id},
    )
