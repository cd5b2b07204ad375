"""UI views: casework — contacts (front desk), cases (list, open, page, status moves, share, reassign), caseload.

Reads go through casework.selectors, writes through casework.services. A case's content (circumstances,
notes, timeline) is read only with `get_case_content_for`, which audits every view; everyone else of the
centre sees the summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.models import Team, User
from socius.accounts.roles import ASSIGN_CASES, RECORD_CONTACTS, VIEW_CASES, WORK_CASES, Role
from socius.casework import selectors, services, statutory
from socius.casework.models import ContactChannel
from socius.casework.statuses import OPEN_STATUSES
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.desk.selectors import caseload_for
from socius.registry.models import Household, Person
from socius.registry.selectors import (
    attach_household_heads,
    current_membership_of,
    get_household_for,
    get_person_for,
    list_persons_for,
    search_persons_for,
)
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_casework import (
    MINE,
    OPEN,
    CaseFilterForm,
    CloseCaseForm,
    ContactFilterForm,
    ContactForm,
    OpenCaseForm,
    ReasonForm,
    ReassignForm,
    ShareForm,
    UnshareForm,
    local_day_bounds,
)
from socius.web.views._helpers import add_domain_errors, domain_404, get_or_404, paginate
from socius.web.views.case_page import CASE_PAGE, STATUS_ACTIONS

PAGE_SIZE = 25
PERSON_SEARCH_RESULTS = 10
PERSON_NAME_MATCHES = 200


def _labels(items) -> dict[str, str]:
    return {item.code: item.label for item in items}


# --- contacts ------------------------------------------------------------------------------------------


def _picked_persons(actor, ids: list[int]) -> list[Person]:
    """The posted persons that are in the centre (one query), in the order picked, for re-rendering."""
    if not ids:
        return []
    found = {p.pk: p for p in list_persons_for(actor).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def _household_of_form(actor, value) -> Household | None:
    """The household named by the form (for its label; the service checks it again), if of the centre."""
    if not str(value or "").isdigit():
        return None
    household = Household.objects.filter(centre_id=actor.centre_id, pk=int(value)).select_related("territory").first()
    attach_household_heads([household])
    return household


@requires(RECORD_CONTACTS)
def contact_create(request):
    """The front-desk form. `?person=` picks a person (and their household); `?household=` links one."""
    actor = request.user
    picked: list[Person] = []
    if request.method == "POST":
        form = ContactForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                contact = services.record_contact(actor, form.contact_data())
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                names = ", ".join(p.full_name for p in contact.persons.all()) or _("anonymous")
                link = reverse("web:contact_detail", args=[contact.pk])
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("The contact has been recorded (%(who)s).") % {"who": names},
                        link,
                        _("See the contact"),
                    ),
                )
                return redirect("web:contact_create")
        raw = [v for v in request.POST.getlist("persons") if v.isdigit()]
        picked = _picked_persons(actor, [int(v) for v in raw])
        household = _household_of_form(actor, request.POST.get("household"))
    else:
        household = _household_of_form(actor, request.GET.get("household"))
        person_id = request.GET.get("person", "")
        if person_id.isdigit():
            try:
                picked = [get_person_for(actor, person_id)]
            except NotFound:
                messages.warning(request, _("The person was not found."))
            else:
                membership = current_membership_of(picked[0])
                household = household or (_household_of_form(actor, membership.household_id) if membership else None)
        form = ContactForm(actor=actor, initial={"household": household.pk if household else None})
    return render(
        request,
        "web/contacts_form.html",
        {"form": form, "picked": picked, "household": household},
        status=400 if form.is_bound else 200,
    )


@requires(VIEW_CASES)
def contact_detail(request, pk):
    actor = request.user
    contact = get_or_404(selectors.get_contact_for, actor, pk)  # audited
    jurisdiction = actor.centre.jurisdiction
    topics = _labels(statutory.contact_topics(jurisdiction))
    outcomes = _labels(statutory.contact_outcomes(jurisdiction))
    return render(
        request,
        "web/contacts_detail.html",
        {
            "contact": contact,
            "persons": list(contact.persons.all()),
            "topic_labels": [topics.get(c, c) for c in contact.shown_topics],
            "outcome_labels": [outcomes.get(c, c) for c in contact.outcomes],
            "may_open_case": actor.can(WORK_CASES),
        },
    )


@requires(VIEW_CASES)
def person_search(request):
    """htmx partial: `?q=` lists matching persons; `?add=<id>` returns the picked person's row.

    `for=case` lists them with links to open a case for the person or their household instead.
    """
    actor = request.user
    present = {int(v) for v in request.GET.getlist("persons") if v.isdigit()}
    if "add" in request.GET:
        if not actor.can(RECORD_CONTACTS):
            raise Http404
        person = get_or_404(get_person_for, actor, request.GET["add"])
        if person.pk in present:
            return HttpResponse(status=204)
        # The first registered person added brings their current household, unless the form has one.
        linked = None
        if not request.GET.get("household", "").strip():
            membership = current_membership_of(person)
            if membership is not None:
                linked = _household_of_form(actor, membership.household_id)
        return render(
            request, "web/contacts_person_row.html", {"person": person, "added": True, "linked_household": linked}
        )
    query = request.GET.get("q", "").strip()
    persons = search_persons_for(actor, query, limit=PERSON_SEARCH_RESULTS) if len(query) >= 2 else []
    record_list_view(actor, object_type="person", person_ids=[p.pk for p in persons], query=query)
    for person in persons:
        person.is_listed = person.pk in present
    return render(
        request,
        "web/contacts_person_results.html",
        {"persons": persons, "query": query, "for_case": request.GET.get("for") == "case"},
    )


@requires(VIEW_CASES)
def contact_list(request):
    actor = request.user
    form = ContactFilterForm(list_params(request) or None)
    contacts = selectors.list_contacts_for(actor)
    person = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["date_from"]:
            contacts = contacts.filter(occurred_at__gte=local_day_bounds(data["date_from"])[0])
        if data["date_to"]:
            contacts = contacts.filter(occurred_at__lt=local_day_bounds(data["date_to"])[1])
        if data["person"]:
            person = get_or_404(get_person_for, actor, data["person"])
            contacts = contacts.filter(persons__id=person.pk)
        if data["person_name"].strip():
            ids = [p.pk for p in search_persons_for(actor, data["person_name"], limit=PERSON_NAME_MATCHES)]
            contacts = contacts.filter(
                pk__in=selectors.list_contacts_for(actor).filter(persons__id__in=ids).values("pk")
            )
    if export_format(request):
        return _export_contacts(request, contacts, getattr(form, "cleaned_data", {}).get("person_name") or "")
    page = paginate(request, contacts, PAGE_SIZE)
    page.object_list = list(page.object_list)
    record_list_view(
        actor, object_type="contact", person_ids=[p.pk for contact in page.object_list for p in contact.persons.all()]
    )
    jurisdiction = actor.centre.jurisdiction
    topics = _labels(statutory.contact_topics(jurisdiction))
    outcomes = _labels(statutory.contact_outcomes(jurisdiction))
    selectors.withhold_contact_content(actor, page.object_list)
    for contact in page.object_list:
        contact.topic_labels = [topics.get(c, c) for c in contact.shown_topics]
        contact.outcome_labels = [outcomes.get(c, c) for c in contact.outcomes]
    return render(
        request,
        "web/contacts_list.html",
        {"form": form, "page": page, "person": person, "channels": dict(ContactChannel.choices)},
    )


def _export_contacts(request, contacts, query: str):
    """The contacts of the list as a file: what the list shows (sensitive topics withheld from who may not
    read them), audited under every person heard."""
    actor = request.user
    jurisdiction = actor.centre.jurisdiction
    topics = _labels(statutory.contact_topics(jurisdiction))
    outcomes = _labels(statutory.contact_outcomes(jurisdiction))
    channels = dict(ContactChannel.choices)
    columns = (
        ExportColumn(gettext_lazy("Date and time"), lambda c: c.occurred_at),
        ExportColumn(gettext_lazy("Channel"), lambda c: channels.get(c.channel, c.channel)),
        ExportColumn(
            gettext_lazy("Persons"), lambda c: ", ".join(p.full_name for p in c.persons.all()) or _("anonymous")
        ),
        ExportColumn(gettext_lazy("Topics"), lambda c: ", ".join(str(topics.get(t, t)) for t in c.shown_topics)),
        ExportColumn(gettext_lazy("What was done"), lambda c: ", ".join(str(outcomes.get(o, o)) for o in c.outcomes)),
        ExportColumn(
            gettext_lazy("Handled by"),
            lambda c: (c.handled_by.get_full_name() or c.handled_by.username) if c.handled_by_id else "",
        ),
    )
    return export_response(
        request,
        contacts,
        columns=columns,
        object_type="contact",
        persons_of=lambda c: [p.pk for p in c.persons.all()],
        name="contacts",
        query=query.strip(),
        prepare=lambda chunk: selectors.withhold_contact_content(actor, chunk),
    )


CASE_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Reference"), lambda s: s.reference),
    ExportColumn(gettext_lazy("Holder"), lambda s: s.client_name),
    ExportColumn(
        gettext_lazy("Assigned worker"), lambda s: s.assigned_worker.get_full_name() or s.assigned_worker.username
    ),
    ExportColumn(gettext_lazy("Team"), lambda s: s.team.label if s.team else ""),
    ExportColumn(gettext_lazy("Status"), lambda s: s.status_label),
    ExportColumn(gettext_lazy("Opened on"), lambda s: s.opened_on),
    ExportColumn(gettext_lazy("Closed on"), lambda s: s.closed_on),
)


def _case_persons(summary) -> list[int]:
    """The person a case summary names: its person, or the head who names its household."""
    if summary.person is not None:
        return [summary.person.pk]
    head = getattr(summary.household, "head_member", None) if summary.household is not None else None
    return [head.pk] if head is not None else []


# --- cases: list, open ---------------------------------------------------------------------------------


def _default_worker(actor: User) -> str:
    """Workers start on their own cases; team leaders and directors on everyone's."""
    return MINE if actor.can(WORK_CASES) and not actor.can(ASSIGN_CASES) else ""


@requires(VIEW_CASES)
def case_list(request):
    actor = request.user
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)  # the file is the list as the page shows it, defaults included
    if not params:
        params.update({"status": OPEN, "worker": _default_worker(actor), "team": ""})
    form = CaseFilterForm(params, actor=actor)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == OPEN:
            filters["open_only"] = True
        elif data["status"]:
            filters["status"] = data["status"]
        if data["worker"] == MINE:
            filters["worker"] = actor.pk
        elif data["worker"]:
            filters["worker"] = int(data["worker"])
        if data["team"]:
            filters["team"] = data["team"]
    if export_format(request):
        return export_response(
            request,
            selectors.list_cases_for(actor, **filters),
            columns=CASE_EXPORT_COLUMNS,
            object_type="case",
            persons_of=_case_persons,
            name="cases",
        )
    page = paginate(request, selectors.list_cases_for(actor, **filters), PAGE_SIZE)
    return render(
        request,
        "web/cases_list.html",
        {"form": form, "page": page, "may_reassign": actor.can(ASSIGN_CASES), "may_open": actor.can(WORK_CASES)},
    )


@requires(WORK_CASES)
def case_create(request):
    actor = request.user
    source = request.POST if request.method == "POST" else request.GET
    household = person = None
    if source.get("household"):
        household = get_or_404(get_household_for, actor, source["household"])
    elif source.get("person"):
        person = get_or_404(get_person_for, actor, source["person"])
    if household is None and person is None:
        return render(request, "web/cases_choose.html", {})
    may_assign = actor.can(ASSIGN_CASES)
    if request.method == "POST":
        form = OpenCaseForm(request.POST, actor=actor, may_assign=may_assign)
        if form.is_valid():
            data = form.case_data()
            data["household" if household else "person"] = (household or person).pk
            try:
                case = services.open_case(actor, data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("Case %(reference)s has been opened.") % {"reference": case.reference})
                return redirect("web:case_detail", pk=case.pk)
    else:
        form = OpenCaseForm(actor=actor, may_assign=may_assign)
    return render(
        request,
        "web/cases_form.html",
        {"form": form, "household": household, "person": person},
        status=400 if form.is_bound else 200,
    )


# --- cases: status moves and sharing (cards of the case page: they change the whole page) -----------------


def _change_status(request, pk, action: str):
    actor = request.user
    target = STATUS_ACTIONS[action]
    if action == "close":
        form = CloseCaseForm(request.POST, auto_id="close_%s")
    else:
        form = ReasonForm(request.POST, auto_id="reopen_%s" if action == "reopen" else "move_%s")

    def write(data):
        return services.change_case_status(
            actor,
            pk,
            target,
            reason=data.get("reason") or "",
            note=data.get("note") or "",
            on=data.get("on"),
            # A stale page must not reopen through "activate" or activate through "reopen".
            reopening={"reopen": True, "activate": False}.get(action),
        )

    return CASE_PAGE.run_action(
        request,
        pk,
        "status",
        form=form,
        write=write,
        key=action,
        open_="timeline",  # the move, seen on the timeline, with the status card in view
        done=lambda case: (
            _("Case %(reference)s is now “%(status)s”.")
            % {"reference": case.reference, "status": case.get_status_display()}
        ),
        failed=_("The status was not changed."),
    )


def _status_view(action: str):
    @requires(WORK_CASES)
    @require_POST
    @domain_404
    def view(request, pk):
        return _change_status(request, pk, action)

    view.__name__ = view.__qualname__ = f"case_{action}"
    return view


case_activate = _status_view("activate")
case_suspend = _status_view("suspend")
case_close = _status_view("close")
case_reopen = _status_view("reopen")


@requires(WORK_CASES)
@require_POST
@domain_404
def case_share(request, pk):
    actor = request.user
    case = selectors.cases_in_scope(actor).filter(pk=pk).first()
    if case is None:
        raise Http404
    form = ShareForm(request.POST, actor=actor, case=case, auto_id="share_%s")
    return CASE_PAGE.run_action(
        request,
        pk,
        "sharing",
        form=form,
        write=lambda data: services.share_case(actor, pk, data["user"].pk),
        key="share",
        done=lambda _r: (
            _("The case is now shared with %(name)s.")
            % {"name": form.cleaned_data["user"].get_full_name() or form.cleaned_data["user"].username}
        ),
        failed=_("The case was not shared."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def case_unshare(request, pk):
    """Withdraw a colleague's share (from the list on the case page); withdrawing twice changes nothing."""
    actor = request.user
    form = UnshareForm(request.POST, actor=actor)
    return CASE_PAGE.run_action(
        request,
        pk,
        "sharing",
        form=form,
        write=lambda data: services.unshare_case(actor, pk, data["user"].pk),
        done=lambda _r: (
            _("%(name)s no longer sees the case's content.")
            % {"name": form.cleaned_data["user"].get_full_name() or form.cleaned_data["user"].username}
        ),
        failed=_("The share was not withdrawn."),
    )


# --- cases: reassign, caseload --------------------------------------------------------------------------


@requires(ASSIGN_CASES)
def case_reassign(request):
    actor = request.user
    source = request.POST if request.method == "POST" else request.GET
    ids = list(dict.fromkeys(int(v) for v in source.getlist("case") if v.isdigit()))
    summaries = list(selectors.CaseSummaries(actor, selectors.cases_in_scope(actor).filter(pk__in=ids).order_by("pk")))
    if len(summaries) != len(ids):
        raise Http404
    if request.method == "POST":
        form = ReassignForm(request.POST, actor=actor)
        if not ids:
            form.add_error(None, _("Choose at least one case."))
        if form.is_valid():
            try:
                changed = services.reassign_cases(
                    actor, ids, form.cleaned_data["worker"].pk, reason=form.cleaned_data["reason"]
                )
            except NotFound:
                raise Http404 from None
            except Forbidden:
                form.add_error(None, _("You may reassign only the cases of the teams you lead. Nothing was changed."))
            except Conflict as exc:
                form.add_error(None, f"{exc} {_('Nothing was changed.')}")
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                worker = form.cleaned_data["worker"]
                messages.success(
                    request,
                    _("%(count)d case(s) reassigned to %(name)s.")
                    % {"count": len(changed), "name": worker.get_full_name() or worker.username},
                )
                return redirect(f"{reverse('web:case_list')}?worker={worker.pk}&status={OPEN}")
    else:
        form = ReassignForm(actor=actor)
    return render(
        request,
        "web/cases_reassign.html",
        {"form": form, "summaries": summaries},
        status=400 if form.is_bound else 200,
    )


@requires(ASSIGN_CASES)
@domain_404
def caseload(request):
    actor = request.user
    teams = Team.objects.filter(centre_id=actor.centre_id, is_active=True).order_by("name")
    if actor.role != Role.DIRECTOR:
        teams = teams.filter(members=actor)
    teams = list(teams)
    team_id = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == team_id), None)
    rows = caseload_for(actor, team=team)
    return render(
        request,
        "web/cases_caseload.html",
        {
            "rows": rows,
            "teams": teams,
            "team": team,
            # Every column totalled; a visit made by two workers counts for each of them.
            "totals": {
                name: sum(getattr(r, name) for r in rows)
                for name in (
                    "opened",
                    "active",
                    "suspended",
                    "open_cases",
                    "visits_this_month",
                    "visits_planned_this_month",
                )
            },
            "total_overdue": sum(r.overdue.total for r in rows),
            "open_statuses": OPEN_STATUSES,
            "today": timezone.localdate(),
        },
    )
