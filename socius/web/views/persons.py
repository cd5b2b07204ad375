"""UI views: persons — list, register, inline validation, detail, edit, history, moving out."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, Q, QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.models import User
from socius.accounts.roles import EDIT_REGISTRY, VIEW_AUDIT, VIEW_REGISTRY
from socius.accounts.selectors import list_audit_events_for
from socius.common.errors import ValidationFailed
from socius.registry.models import Membership, Person
from socius.registry.search import parse_query
from socius.registry.selectors import (
    attach_current_households,
    attach_household_heads,
    current_membership_of,
    get_person_for,
    list_persons_for,
    membership_history_of,
)
from socius.registry.services import (
    end_membership,
    open_person_record,
    register_person,
    update_person,
    validate_person_data,
)
from socius.rulebook import get_jurisdiction
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms import CITIZENSHIP_SUGGESTIONS, MoveOutForm, PersonFilterForm, PersonForm
from socius.web.forms_audit import CHANNELS
from socius.web.views._helpers import (
    add_domain_errors,
    describe_changes,
    domain_404,
    get_or_404,
    paginate,
    registry_cases,
)
from socius.web.views.privacy_registers import person_consents_lazy

# --- list ----------------------------------------------------------------------------------------

# Sort keys offered by the list: the fields each orders by (ties broken by name and id).
SORTS = {
    "name": ("last_name", "first_name", "id"),
    "birth_date": ("birth_date", "last_name", "first_name", "id"),
    "national_id": ("national_id", "id"),
    "locality": ("territory__name", "last_name", "first_name", "id"),
    "created": ("created_at", "id"),
}
SORT_LABELS = {
    "name": gettext_lazy("Name"),
    "birth_date": gettext_lazy("Birth date"),
    "national_id": gettext_lazy("National ID"),
    "locality": gettext_lazy("Locality"),
    "created": gettext_lazy("Registered"),
}


PERSON_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Last name"), lambda p: p.last_name),
    ExportColumn(gettext_lazy("First name"), lambda p: p.first_name),
    ExportColumn(gettext_lazy("Birth date"), lambda p: p.birth_date),
    ExportColumn(gettext_lazy("Sex"), lambda p: p.get_sex_display()),
    ExportColumn(gettext_lazy("National ID"), lambda p: p.national_id),
    ExportColumn(gettext_lazy("Locality"), lambda p: p.territory.name if p.territory_id else ""),
    ExportColumn(
        gettext_lazy("Household"), lambda p: p.current_membership.household_id if p.current_membership else None
    ),
    ExportColumn(gettext_lazy("Registered"), lambda p: p.created_at),
)


def _order(qs: QuerySet[Person], sort: str) -> tuple[QuerySet[Person], str]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        key, sort = "name", "name"
    first, *rest = SORTS[key]
    # Persons without a birth date or locality stay at the end in either direction.
    primary = F(first).desc(nulls_last=True) if sort.startswith("-") else F(first).asc(nulls_last=True)
    return qs.order_by(primary, *rest), sort


def _filtered_persons(actor: User, data: dict) -> QuerySet[Person]:
    """The list filters: every word of the query in the name or address (or an ID/phone prefix), sex, area."""
    qs = list_persons_for(actor)
    query = parse_query(data.get("q") or "")
    if query.is_numeric:
        qs = qs.filter(Q(national_id__startswith=query.digits) | Q(phone_digits__contains=query.digits))
    else:
        for word in query.text.split():
            qs = qs.filter(Q(search_name__contains=word) | Q(search_address__contains=word))
    sex = data.get("sex")
    if sex == PersonFilterForm.SEX_UNKNOWN:
        qs = qs.filter(sex="")
    elif sex:
        qs = qs.filter(sex=sex)
    territory = data.get("territory")
    if territory is not None:
        # The chosen area and everything under it (trees are at most four levels deep).
        qs = qs.filter(
            Q(territory=territory)
            | Q(territory__parent=territory)
            | Q(territory__parent__parent=territory)
            | Q(territory__parent__parent__parent=territory)
        )
    return qs


@requires(VIEW_REGISTRY)
def person_list(request, *args, **kwargs):
    actor = request.user
    form = PersonFilterForm(list_params(request) or None, actor=actor)
    form.is_valid()  # invalid filters are shown with their error and ignored
    data = getattr(form, "cleaned_data", {})
    qs, sort = _order(_filtered_persons(actor, data), request.GET.get("sort", "name"))
    if export_format(request):
        return export_response(
            request,
            qs,
            columns=PERSON_EXPORT_COLUMNS,
            object_type="person",
            persons_of=lambda p: [p.pk],
            name="persons",
            query=data.get("q") or "",
            prepare=attach_current_households,
        )
    page = paginate(request, qs)
    page.object_list = list(page.object_list)
    attach_current_households(page.object_list)
    record_list_view(
        actor, object_type="person", person_ids=[p.pk for p in page.object_list], query=data.get("q") or ""
    )
    columns = []
    for key, label in SORT_LABELS.items():
        is_current = sort.removeprefix("-") == key
        columns.append(
            {
                "key": key,
                "label": label,
                "next_sort": f"-{key}" if sort == key else key,
                "aria_sort": ("descending" if sort.startswith("-") else "ascending") if is_current else None,
            }
        )
    columns_by_key = {c["key"]: c for c in columns}
    return render(
        request,
        "web/persons_list.html",
        {
            "form": form,
            "page_obj": page,
            "columns": columns_by_key,
            "is_filtered": any(data.get(k) for k in ("q", "sex", "territory")),
        },
    )


# --- register and edit ---------------------------------------------------------------------------


def _domain_errors(form: PersonForm) -> tuple[dict[str, list], dict]:
    """Form errors plus the registry's checks (national ID rules, duplicate ID), writing nothing."""
    form.is_valid()
    errors: dict[str, list] = {name: list(errs) for name, errs in form.errors.items()}
    extra: dict = {}
    cleaned = getattr(form, "cleaned_data", {})
    data = {name: cleaned.get(name) for name in Person.AUDITED_FIELDS}
    for name in ("first_name", "last_name", "national_id"):
        data[name] = data[name] or ""
    try:
        validate_person_data(form.actor, data, instance=form.person, allow_similar=True)
    except ValidationFailed as exc:
        extra = exc.extra
        for field, messages_ in exc.errors.items():
            if field not in errors:
                errors[field] = list(messages_)
    return errors, extra


def _duplicates_context(actor: User, extra: dict) -> dict:
    context: dict = {}
    duplicate_id = extra.get("duplicate_of")
    if duplicate_id:
        context["duplicate_of"] = list_persons_for(actor).filter(pk=duplicate_id).first()
    candidate_ids = extra.get("possible_duplicates")
    if candidate_ids:
        candidates = list(list_persons_for(actor).filter(pk__in=candidate_ids))
        attach_current_households(candidates)
        context["possible_duplicates"] = candidates
    return context


def _validate_url(person: Person | None) -> str:
    url = reverse("web:person_validate")
    return f"{url}?pk={person.pk}" if person else url


def _render_form(request, form: PersonForm, context: dict, status: int = 200):
    person = form.person
    for bound in form.live_fields():
        bound.field.widget.attrs.update(
            {
                "hx-post": _validate_url(person),
                "hx-trigger": "change",
                "hx-target": f"#{bound.auto_id}-errors",
                "hx-swap": "innerHTML",
                "hx-include": "closest form",
            }
        )
    # Offered only beside the candidates it confirms; ticking it once does not carry over to later edits.
    show_confirm = bool(context.get("possible_duplicates"))
    return render(
        request,
        "web/persons_form.html",
        {
            "form": form,
            "person": person,
            "show_confirm": show_confirm,
            "citizenship_suggestions": CITIZENSHIP_SUGGESTIONS,
            **context,
        },
        status=status,
    )


def _save(request, form: PersonForm):
    """Run the service; on refusal put its messages on the form. Returns (person or None, context)."""
    actor = request.user
    if not form.is_valid():
        errors, extra = _domain_errors(form)
        for field, messages_ in errors.items():
            if field not in form.errors:
                add_domain_errors(form, ValidationFailed({field: messages_}))
        return None, _duplicates_context(actor, extra)
    try:
        if form.person is None:
            person = register_person(
                actor, form.person_data(), allow_similar=form.cleaned_data.get("confirm_different", False)
            )
        else:
            person = update_person(actor, form.person.pk, form.person_data())
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return None, _duplicates_context(actor, exc.extra)
    return person, {}


@requires(EDIT_REGISTRY)
def person_create(request, *args, **kwargs):
    actor = request.user
    if request.method == "POST":
        form = PersonForm(request.POST, actor=actor)
        person, context = _save(request, form)
        if person is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("web:person_detail", pk=person.pk)
        return _render_form(request, form, context)
    form = PersonForm(actor=actor, initial={"citizenship": actor.centre.jurisdiction})
    return _render_form(request, form, {})


@requires(EDIT_REGISTRY)
@domain_404
def person_edit(request, pk, *args, **kwargs):
    actor = request.user
    person = get_person_for(actor, pk)
    if request.method == "POST":
        form = PersonForm(request.POST, actor=actor, person=person)
        saved, context = _save(request, form)
        if saved is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("web:person_detail", pk=saved.pk)
        return _render_form(request, form, context)
    return _render_form(request, PersonForm(actor=actor, person=person), {})


@requires(EDIT_REGISTRY)
@require_POST
def person_validate(request, *args, **kwargs):
    """Inline validation (htmx): the error list of the field that changed, plus dependent fields.

    The national ID is checked against the birth date and sex entered, so a change of either also
    refreshes the national ID's messages (out-of-band swap). Nothing is written.
    """
    actor = request.user
    person = get_or_404(get_person_for, actor, request.GET["pk"]) if request.GET.get("pk") else None
    form = PersonForm(request.POST, actor=actor, person=person)
    field = request.GET.get("field") or (request.htmx.trigger_name if request.htmx else None) or ""
    if field not in form.fields:
        return render(request, "web/persons_validate.html", {"items": []})
    errors, extra = _domain_errors(form)
    names = [field]
    if field in ("birth_date", "sex") and (form.data.get("national_id") or "").strip():
        names.append("national_id")
    duplicate = _duplicates_context(actor, extra).get("duplicate_of")
    items = [
        {
            "id": form[name].auto_id,
            "errors": errors.get(name, []),
            "oob": name != field,
            "duplicate_of": duplicate if name == "national_id" else None,
        }
        for name in names
    ]
    return render(request, "web/persons_validate.html", {"items": items})


# --- detail, history, moving out -----------------------------------------------------------------


def _age(birth_date, today) -> int | None:
    if not birth_date:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@requires(VIEW_REGISTRY)
@domain_404
def person_detail(request, pk, *args, **kwargs):
    person = open_person_record(request.user, pk)  # logs the view in the audit
    membership = current_membership_of(person)
    if membership is not None:
        attach_household_heads([membership.household])
    return render(
        request,
        "web/persons_detail.html",
        {
            "person": person,
            "age": _age(person.birth_date, timezone.localdate()),
            "national_id_name": _national_id_name(request.user),
            "membership": membership,
            "memberships": list(membership_history_of(person)),
            "cases": registry_cases(request.user, person=person),
            "consents_section": person_consents_lazy(person),
        },
    )


def _national_id_name(actor: User) -> str:
    return get_jurisdiction(actor.centre.jurisdiction).national_id_name


@requires(VIEW_AUDIT)
@domain_404
def person_history(request, pk, *args, **kwargs):
    actor = request.user
    person = get_person_for(actor, pk)
    page = paginate(request, list_audit_events_for(actor, person_id=person.pk))
    page.object_list = list(page.object_list)
    describe_changes(page.object_list, {"person": Person, "membership": Membership})
    for event in page.object_list:
        event.channel_label = CHANNELS.get(event.channel, event.channel)
    return render(request, "web/persons_history.html", {"person": person, "page_obj": page})


@requires(EDIT_REGISTRY)
@domain_404
def person_move_out(request, pk, *args, **kwargs):
    """GET asks for the date and a confirmation; POST ends the current membership (history kept)."""
    actor = request.user
    person = get_person_for(actor, pk)
    membership = current_membership_of(person)
    if membership is None:
        messages.info(request, _("This person is not a member of any household."))
        return redirect("web:person_detail", pk=person.pk)
    today = timezone.localdate()
    if request.method == "POST":
        form = MoveOutForm(request.POST)
        if form.is_valid():
            on = form.cleaned_data["on"]
            if on > today:
                form.add_error("on", _("The date cannot be in the future."))
            elif on < membership.valid_from:
                form.add_error("on", _("The date cannot be before the person joined the household."))
            else:
                try:
                    end_membership(actor, person.pk, on=on)
                except ValidationFailed as exc:
                    add_domain_errors(form, exc)
                else:
                    messages.success(
                        request, _("%(name)s has moved out of the household.") % {"name": person.full_name}
                    )
                    return redirect("web:person_detail", pk=person.pk)
    else:
        form = MoveOutForm(initial={"on": today})
    return render(request, "web/persons_move_out.html", {"person": person, "membership": membership, "form": form})
