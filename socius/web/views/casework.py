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
from django.views.decorators.http import require_POST

from socius.accounts.models import Team, User
from socius.accounts.roles import ASSIGN_CASES, RECORD_CONTACTS, VIEW_CASES, WORK_CASES, Role
from socius.casework import selectors, services, statutory
from socius.casework.models import ContactChannel
from socius.casework.permissions import can_manage_case, can_reassign_case, can_share_case
from socius.casework.statuses import ALLOWED_TRANSITIONS, OPEN_STATUSES, CaseStatus
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.plans.case_timeline import Group, case_timeline
from socius.plans.desk import caseload_for
from socius.registry.models import Household, Person
from socius.registry.selectors import (
    current_membership_of,
    get_household_for,
    get_person_for,
    list_persons_for,
    search_persons_for,
)
from socius.web.access import requires
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
    local_day_bounds,
)
from socius.web.views import casework_referrals, casework_visits
from socius.web.views import plans as plans_views
from socius.web.views._helpers import add_domain_errors, domain_404, get_or_404, paginate

PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 50
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
    return Household.objects.filter(centre_id=actor.centre_id, pk=int(value)).select_related("territory").first()


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
                household = household or (membership.household if membership else None)
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
            "topic_labels": [topics.get(c, c) for c in contact.topics],
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
        return render(request, "web/contacts_person_row.html", {"person": person, "added": True})
    query = request.GET.get("q", "").strip()
    persons = search_persons_for(actor, query, limit=PERSON_SEARCH_RESULTS) if len(query) >= 2 else []
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
    form = ContactFilterForm(request.GET or None)
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
    page = paginate(request, contacts, PAGE_SIZE)
    page.object_list = list(page.object_list)
    jurisdiction = actor.centre.jurisdiction
    topics = _labels(statutory.contact_topics(jurisdiction))
    outcomes = _labels(statutory.contact_outcomes(jurisdiction))
    for contact in page.object_list:
        contact.topic_labels = [topics.get(c, c) for c in contact.topics]
        contact.outcome_labels = [outcomes.get(c, c) for c in contact.outcomes]
    return render(
        request,
        "web/contacts_list.html",
        {"form": form, "page": page, "person": person, "channels": dict(ContactChannel.choices)},
    )


# --- cases: list, open ---------------------------------------------------------------------------------


def _default_worker(actor: User) -> str:
    """Workers start on their own cases; team leaders and directors on everyone's."""
    return MINE if actor.can(WORK_CASES) and not actor.can(ASSIGN_CASES) else ""


@requires(VIEW_CASES)
def case_list(request):
    actor = request.user
    params = request.GET.copy()
    params.pop("page", None)
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


# --- cases: the case page --------------------------------------------------------------------------------


_ACTIONS = {
    # action name in the URL -> (target status, button label)
    "activate": CaseStatus.ACTIVE,
    "suspend": CaseStatus.SUSPENDED,
    "close": CaseStatus.CLOSED,
    "reopen": CaseStatus.ACTIVE,
}


def _actions_for(status: str) -> list[str]:
    allowed = ALLOWED_TRANSITIONS.get(status, frozenset())
    if status == CaseStatus.CLOSED:
        return ["reopen"] if CaseStatus.ACTIVE in allowed else []
    return [name for name, target in _ACTIONS.items() if name != "reopen" and target in allowed]


def _timeline_context(request, case) -> dict:
    """The case's timeline section: a page of it (`?tpage=`), filtered by `?group=` (all when none)."""
    chosen = {g for g in request.GET.getlist("group") if g in Group.ALL}
    timeline = case_timeline(case, groups=chosen, page=request.GET.get("tpage"), per_page=TIMELINE_PAGE_SIZE)
    return {"timeline": timeline, "timeline_groups": Group.CHOICES, "timeline_chosen": chosen}


def render_case_page(request, pk, *, forms_: dict | None = None, status: int = 200):
    actor = request.user
    summary = get_or_404(selectors.get_case_for, actor, pk)
    try:
        case = selectors.get_case_content_for(actor, pk)  # audits the view
    except Forbidden:
        case = None
    except NotFound:
        raise Http404 from None
    forms_ = forms_ or {}
    context = {"summary": summary, "case": case, "forms": forms_}
    if case is not None:
        on = case.opened_on
        items = statutory.circumstances(actor.centre.jurisdiction, on=on)
        labels = {item.code: item.with_statutory for item in items}
        sensitive = statutory.sensitive_codes(items)
        context["circumstances"] = [(labels.get(c, c), c in sensitive) for c in case.circumstances]
        context.update(_timeline_context(request, case))
        context["shares"] = list(case.shares.select_related("user").order_by("shared_at"))
        if can_manage_case(actor, case):
            context["actions"] = _actions_for(case.status)
            context["close_form"] = forms_.get("close") or CloseCaseForm(auto_id="close_%s")
            context["reopen_form"] = forms_.get("reopen") or ReasonForm(auto_id="reopen_%s")
            context["move_form"] = forms_.get("activate") or forms_.get("suspend") or ReasonForm(auto_id="move_%s")
        if can_share_case(actor, case):
            exclude = [case.assigned_worker_id, *[s.user_id for s in context["shares"]]]
            context["share_form"] = forms_.get("share") or ShareForm(
                actor=actor, exclude=exclude, case=case, auto_id="share_%s"
            )
        context["may_reassign"] = actor.can(ASSIGN_CASES) and can_reassign_case(actor, case) and case.is_open
        expand = frozenset(request.GET.getlist("all"))
        context.update(casework_visits.case_page_context(actor, case, forms_, expand))
        context.update(casework_referrals.case_page_context(actor, case, forms_))
        context.update(plans_views.case_page_context(actor, case, forms_))
    return render(request, "web/cases_detail.html", context, status=status)


@requires(VIEW_CASES)
def case_detail(request, pk):
    return render_case_page(request, pk)


def _change_status(request, pk, action: str):
    actor = request.user
    target = _ACTIONS[action]
    if action == "close":
        form = CloseCaseForm(request.POST, auto_id="close_%s")
    else:
        form = ReasonForm(request.POST, auto_id="reopen_%s" if action == "reopen" else "move_%s")
    if not form.is_valid():  # only a malformed day can fail here; the service checks the rest
        messages.error(request, _("The status was not changed."))
        return render_case_page(request, pk, forms_={action: form}, status=400)
    data = form.cleaned_data
    try:
        case = services.change_case_status(
            actor,
            pk,
            target,
            reason=data.get("reason") or "",
            note=data.get("note") or "",
            on=data.get("on"),
            # A stale page must not reopen through "activate" or activate through "reopen".
            reopening={"reopen": True, "activate": False}.get(action),
        )
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        messages.error(request, str(exc))
        return render_case_page(request, pk, status=409)
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        messages.error(request, _("The status was not changed."))
        return render_case_page(request, pk, forms_={action: form}, status=400)
    messages.success(
        request,
        _("Case %(reference)s is now “%(status)s”.")
        % {"reference": case.reference, "status": case.get_status_display()},
    )
    return redirect("web:case_detail", pk=case.pk)


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
    if form.is_valid():
        try:
            services.share_case(actor, pk, form.cleaned_data["user"].pk)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            user = form.cleaned_data["user"]
            messages.success(
                request, _("The case is now shared with %(name)s.") % {"name": user.get_full_name() or user.username}
            )
            return redirect("web:case_detail", pk=pk)
    return render_case_page(request, pk, forms_={"share": form}, status=400)


@requires(WORK_CASES)
@require_POST
@domain_404
def case_unshare(request, pk):
    """Withdraw a colleague's share (from the list on the case page); withdrawing twice changes nothing."""
    actor = request.user
    user_id = request.POST.get("user", "")
    user = User.objects.filter(centre_id=actor.centre_id, pk=int(user_id)).first() if user_id.isdigit() else None
    if user is None:
        messages.error(request, _("Choose a colleague the case is shared with."))
        return render_case_page(request, pk, status=400)
    services.unshare_case(actor, pk, user.pk)
    messages.success(
        request, _("%(name)s no longer sees the case's content.") % {"name": user.get_full_name() or user.username}
    )
    return redirect(f"{reverse('web:case_detail', args=[pk])}#h-sharing")


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
            "total": sum(r.open_cases for r in rows),
            "total_overdue": sum(r.overdue.total for r in rows),
            "open_statuses": OPEN_STATUSES,
            "today": timezone.localdate(),
        },
    )
