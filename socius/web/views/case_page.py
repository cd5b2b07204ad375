"""UI views: the case page, a shell of sections (visits, social work, interviews, plans, contracts,
referrals, documents, timeline), and each section alone (`GET /cases/<id>/sections/<name>/`).

The shell draws the summary, the household's members, the flags and the status and sharing forms; each
section is loaded when revealed (htmx) or drawn in the page when asked (`?open=<name>`, a browser without
JavaScript). The action views (casework, casework_visits, casework_referrals, casework_documents, plans)
use `CASE_PAGE.run_action`; they import this module, and it imports none of them.

A case's content is read only with `get_case_content_for`, which audits every view: one event per page
view (the shell's, naming the case's persons; the sections it loads lazily carry its page-view token and
are not audited again), and one for each section served alone (decision 0007).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.accounts.roles import ASSIGN_CASES, VIEW_CASES, WORK_CASES
from socius.assessments.models import Assessment, AssessmentStatus
from socius.casework import selectors, statutory
from socius.casework.models import Case, HomeVisit, VisitStatus
from socius.casework.permissions import (
    can_manage_case,
    can_reassign_case,
    can_share_case,
    can_view_case_content,
    can_work_case_referrals,
)
from socius.casework.selectors_documents import documents_for_case, max_document_bytes
from socius.casework.selectors_referrals import referrals_for_case
from socius.casework.statuses import ALLOWED_TRANSITIONS, REFERRAL_TRANSITIONS, CaseStatus, ReferralStatus
from socius.common.errors import Forbidden, NotFound
from socius.desk.case_timeline import Group, case_timeline
from socius.family.models import (
    AgendaItem,
    ChildInDifficulty,
    FamilyEnrolment,
    FollowUpTask,
    Placement,
)
from socius.family.permissions import (
    can_record_children,
    can_request_enrolment,
    can_view_enrolment,
    can_work_task,
)
from socius.family.statuses import OPEN_ENROLMENT_STATUSES, ChildStatus, TaskStatus
from socius.family.timeline import optional_url
from socius.plans.models import variants_for
from socius.plans.selectors import active_flags_for_case
from socius.plans.selectors_read import completed_interviews, contracts_for_case, plans_for_case
from socius.registry.models import Person, Relationship
from socius.registry.selectors import current_memberships
from socius.web.access import requires
from socius.web.forms_assessments import StartAssessmentForm
from socius.web.forms_casework import CloseCaseForm, ReasonForm, ShareForm
from socius.web.forms_casework_visits import (
    ActivityForm,
    CancelVisitForm,
    PlanVisitForm,
    RecordVisitForm,
    VisitDoneForm,
)
from socius.web.forms_documents import DocumentForm
from socius.web.forms_plans import ContractForm, PlanForm
from socius.web.forms_referrals import ReferralForm, ReferralOutcomeForm
from socius.web.views._helpers import domain_404, get_or_404
from socius.web.views._sections import Section, SectionedPage
from socius.web.views.benefit_gaps import breach_flags

SECTION_ROWS = 10
TIMELINE_PAGE_SIZE = 50

# Status actions of the case (action name in the URL -> target status).
STATUS_ACTIONS = {
    "activate": CaseStatus.ACTIVE,
    "suspend": CaseStatus.SUSPENDED,
    "close": CaseStatus.CLOSED,
    "reopen": CaseStatus.ACTIVE,
}
# Referral moves (action name in the URL -> target status), in the order the buttons are shown.
REFERRAL_ACTIONS = {
    "acknowledge": ReferralStatus.ACKNOWLEDGED,
    "answer": ReferralStatus.ANSWERED,
    "close": ReferralStatus.CLOSED,
}


# --- what the action views share ---------------------------------------------------------------------


def workable_case(actor: User, pk) -> Case:
    """The case in the URL (NotFound outside the centre, Forbidden without its content). The service
    checks again inside its transaction."""
    case = selectors.cases_in_scope(actor).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    if not can_view_case_content(actor, case):
        raise Forbidden()
    return case


def case_id_of(actor: User, model, pk, path: str = "case") -> int:
    """The case of a visit/plan/contract/... in the URL: 404 outside the centre, 403 without its content."""
    case_id = model.objects.filter(pk=pk).values_list(f"{path}_id" if "__" not in path else path, flat=True).first()
    return workable_case(actor, case_id if case_id is not None else 0).pk


def persons_of_case(case: Case):
    if case.person_id:
        return Person.objects.filter(pk=case.person_id)
    return Person.objects.filter(pk__in=case.household.memberships.values("person_id")).order_by(
        "last_name", "first_name"
    )


def _may_work(request, case: Case) -> bool:
    return request.user.can(WORK_CASES) and case.is_open


def _labels(items) -> dict[str, str]:
    return {item.code: item.label for item in items}


# --- the sections ---------------------------------------------------------------------------------------


def _visits(case: Case, show_all: bool) -> tuple[list[HomeVisit], bool]:
    """Every planned visit (each waits for an action) and the latest SECTION_ROWS others; all with
    `show_all`. The rest stay one click away, and on the timeline. Returns (visits, more hidden?)."""
    visits = selectors.visits_for_case(case)
    if show_all:
        return list(visits), False
    planned = list(visits.filter(status=VisitStatus.PLANNED))
    others = list(visits.exclude(status=VisitStatus.PLANNED)[: SECTION_ROWS + 1])
    merged = sorted(planned + others[:SECTION_ROWS], key=lambda v: (v.planned_on, v.pk), reverse=True)
    return merged, len(others) > SECTION_ROWS


def build_visits(request, case: Case, forms_: dict) -> dict:
    actor = request.user
    visits, more = _visits(case, "visits" in request.GET.getlist("all"))
    may_work = _may_work(request, case)
    now = timezone.localtime()
    today = now.date()
    if may_work:
        for visit in visits:
            if visit.status == VisitStatus.PLANNED:
                visit.done_form = forms_.get(f"done-{visit.pk}") or VisitDoneForm(
                    initial={"done_on": min(today, max(visit.planned_on, case.opened_on))},
                    auto_id=f"done{visit.pk}_%s",
                )
                visit.cancel_form = forms_.get(f"cancel-{visit.pk}") or CancelVisitForm(auto_id=f"cancel{visit.pk}_%s")
    return {
        "case": case,
        "visits": visits,
        "more_visits": more,
        "section_rows": SECTION_ROWS,
        "may_work": may_work,
        "record_visit_form": (
            forms_.get("record_visit")
            or RecordVisitForm(
                actor=actor,
                case=case,
                initial={"done_on": today, "done_time": now.time().replace(second=0, microsecond=0)},
                auto_id="record_%s",
            )
        )
        if may_work
        else None,
        "plan_visit_form": (forms_.get("plan_visit") or PlanVisitForm(actor=actor, case=case, auto_id="visit_%s"))
        if may_work
        else None,
    }


def build_activities(request, case: Case, forms_: dict) -> dict:
    show_all = "activities" in request.GET.getlist("all")
    activities = list(selectors.activities_for_case(case)[: None if show_all else SECTION_ROWS + 1])
    more = len(activities) > SECTION_ROWS and not show_all
    may_work = _may_work(request, case)
    return {
        "case": case,
        "activities": activities[:SECTION_ROWS] if more else activities,
        "more_activities": more,
        "section_rows": SECTION_ROWS,
        "activity_form": (
            forms_.get("activity")
            or ActivityForm(
                actor=request.user,
                persons=persons_of_case(case),
                case=case,
                initial={"performed_on": timezone.localdate()},
                auto_id="activity_%s",
            )
        )
        if may_work
        else None,
    }


DONE_INTERVIEWS = (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)


def build_interviews(request, case: Case, forms_: dict) -> dict:
    today = timezone.localdate()
    assessments = list(Assessment.objects.filter(case_id=case.pk).order_by("-need_identified_on", "-id"))
    latest_done = max(
        (a for a in assessments if a.status in DONE_INTERVIEWS and a.completed_on),
        key=lambda a: (a.completed_on, a.pk),
        default=None,
    )
    for item in assessments:
        item.due_overdue = item.status == AssessmentStatus.DRAFT and item.due_on is not None and item.due_on < today
        item.renewal_overdue = item is latest_done and item.renewal_due_on is not None and item.renewal_due_on < today
    may_work = _may_work(request, case)
    return {
        "case": case,
        "assessments": assessments,
        "start_form": (
            forms_.get("assessment")
            or StartAssessmentForm(initial={"need_identified_on": today}, auto_id="interview_%s")
        )
        if may_work
        else None,
    }


def build_plans(request, case: Case, forms_: dict) -> dict:
    may_work = _may_work(request, case)
    return {
        "case": case,
        "help_plans": list(plans_for_case(case)),
        "new_plan_form": (
            (forms_.get("plans_new_plan") or PlanForm(auto_id="plan_%s", interviews=completed_interviews(case)))
            if may_work
            else None
        ),
    }


def contract_form(actor: User, case: Case, data=None) -> ContractForm:
    return ContractForm(
        data,
        persons=persons_of_case(case),
        variants=variants_for(actor.centre.jurisdiction),
        initial={"valid_from": timezone.localdate()},
        auto_id="contract_%s",
    )


def build_contracts(request, case: Case, forms_: dict) -> dict:
    may_work = _may_work(request, case)
    return {
        "case": case,
        "social_contracts": list(contracts_for_case(case)),
        "new_contract_form": (forms_.get("plans_new_contract") or contract_form(request.user, case))
        if may_work
        else None,
    }


def build_referrals(request, case: Case, forms_: dict) -> dict:
    actor = request.user
    may_refer = actor.can(WORK_CASES) and can_work_case_referrals(actor, case) and case.is_open
    referrals = list(referrals_for_case(case, on=timezone.localdate()))
    for referral in referrals:
        allowed = REFERRAL_TRANSITIONS.get(referral.status, frozenset())
        referral.actions = [name for name, to in REFERRAL_ACTIONS.items() if to in allowed] if may_refer else []
        for action in ("answer", "close"):
            form = forms_.get(f"referral-{action}-{referral.pk}")
            setattr(referral, f"{action}_form", form or ReferralOutcomeForm(auto_id=f"r{referral.pk}_{action}_%s"))
    referral_form = (forms_.get("referral") or ReferralForm(actor=actor, auto_id="referral_%s")) if may_refer else None
    return {"case": case, "referrals": referrals, "referral_form": referral_form}


def build_documents(request, case: Case, forms_: dict) -> dict:
    may_work = _may_work(request, case)
    return {
        "case": case,
        "documents": list(documents_for_case(case)),
        "may_work": may_work,
        "document_form": (forms_.get("document") or DocumentForm(auto_id="document_%s")) if may_work else None,
        "max_mb": round(max_document_bytes() / (1024 * 1024), 1),
    }


def build_family(request, case: Case, forms_: dict) -> dict:
    """The family's enrolment in the family assistant programme, the children in difficulty with their
    current form of care, the case's agenda items and decisions, and its open follow-up tasks (a fixed
    number of queries). Never the Blue Card: it is not on the case (decision 0015)."""
    actor = request.user
    today = timezone.localdate()
    enrolments = list(
        FamilyEnrolment.objects.filter(case_id=case.pk)
        .select_related("assistant", "household")
        .order_by("-requested_on", "-id")[:SECTION_ROWS]
    )
    for enrolment in enrolments:
        enrolment.url = (
            optional_url("web:family_enrolment", enrolment.pk) if can_view_enrolment(actor, enrolment) else ""
        )
    children = list(
        ChildInDifficulty.objects.filter(case_id=case.pk)
        .select_related("child", "responsible_worker")
        .prefetch_related(
            Prefetch("placements", queryset=Placement.objects.filter(valid_until__isnull=True), to_attr="current")
        )
        .order_by("status", "-identified_on", "-id")
    )
    for record in children:
        record.current_care = record.current[0] if record.current else None
        record.url = optional_url("web:child_detail", record.pk)
    items = list(
        AgendaItem.objects.filter(case_id=case.pk)
        .select_related("meeting", "child__child", "decision")
        .order_by("-meeting__scheduled_at", "-id")[:SECTION_ROWS]
    )
    for item in items:
        item.url = optional_url("web:meeting_detail", item.meeting_id)
        item.the_decision = getattr(item, "decision", None)  # None while the meeting has not decided
    tasks = list(
        FollowUpTask.objects.filter(case_id=case.pk, status=TaskStatus.OPEN)
        .select_related("assigned_to", "case")
        .order_by("due_on", "id")
    )
    for task in tasks:
        task.done_url = optional_url("web:task_done", task.pk) if case.is_open and can_work_task(actor, task) else ""
    has_open = any(e.status in OPEN_ENROLMENT_STATUSES for e in enrolments)
    may_request = case.is_open and not has_open and can_request_enrolment(actor, case)
    may_record = case.is_open and can_record_children(actor)
    return {
        "case": case,
        "today": today,
        "enrolments": enrolments,
        "children": children,
        "open_children": sum(1 for c in children if c.status == ChildStatus.OPEN),
        "agenda_items": items,
        "tasks": tasks,
        "request_url": optional_url("web:family_enrolment_request", case.pk) if may_request else "",
        "child_new_url": optional_url("web:child_new", case.pk) if may_record else "",
    }


def build_timeline(request, case: Case, forms_: dict) -> dict:
    """A page of the case's timeline (`?tpage=`), filtered by `?group=` (all when none)."""
    chosen = {g for g in request.GET.getlist("group") if g in Group.ALL}
    timeline = case_timeline(case, groups=chosen, page=request.GET.get("tpage"), per_page=TIMELINE_PAGE_SIZE)
    return {
        "case": case,
        "household": case.household,
        "timeline": timeline,
        "timeline_groups": Group.CHOICES,
        "timeline_chosen": chosen,
    }


# --- the page -------------------------------------------------------------------------------------------


def holder_name(summary, members: list) -> str:
    """Who the case is about, by name: the person, or the household's head (else its eldest member)."""
    if summary.person is not None:
        return summary.person.full_name
    return members[0].person.full_name if members else ""


def current_members(household_id: int, today) -> list:
    """The household's current members, head first, then by age (one query), each with `age`."""
    rows = list(current_memberships().filter(household_id=household_id).select_related("person"))
    for row in rows:
        birth = row.person.birth_date
        row.age = (
            None if birth is None else today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        )
    rows.sort(key=lambda m: (m.relationship != Relationship.HEAD, m.person.birth_date or today, m.pk))
    return rows


def _actions_for(status: str) -> list[str]:
    allowed = ALLOWED_TRANSITIONS.get(status, frozenset())
    if status == CaseStatus.CLOSED:
        return ["reopen"] if CaseStatus.ACTIVE in allowed else []
    return [name for name, target in STATUS_ACTIONS.items() if name != "reopen" and target in allowed]


class CasePage(SectionedPage):
    url_name = "web:case_detail"
    sections = {
        s.name: s
        for s in (
            Section("visits", _("Home visits"), "web/cases_visits_section.html", build_visits),
            Section("social-work", _("Social work"), "web/cases_activities_section.html", build_activities),
            Section("interviews", _("Interviews"), "web/assessments_case_list.html", build_interviews),
            Section("help-plans", _("Help plans"), "web/plans_case_section.html", build_plans),
            Section("social-contracts", _("Social contracts"), "web/contracts_case_section.html", build_contracts),
            Section("referrals", _("Referrals"), "web/cases_referrals_section.html", build_referrals),
            Section("documents", _("Documents"), "web/cases_documents_list.html", build_documents),
            Section("family", _("Family and children"), "web/cases_family_section.html", build_family),
            Section("timeline", _("Timeline"), "web/cases_timeline_section.html", build_timeline),
        )
    }

    def subject(self, request, pk) -> Case:
        # A section the page loads as a part of its own view was audited with the page; a section
        # loaded alone (after an action, a link inside it, another page view) is audited itself.
        part_of_page = request.method == "GET" and bool(request.htmx) and is_part_of_page_view(request, pk)
        return selectors.get_case_content_for(request.user, pk, audited_by_page=part_of_page)

    def render_page(self, request, pk, *, open_=(), forms_=None, refusals=None, status: int = 200):
        actor = request.user
        summary = get_or_404(selectors.get_case_for, actor, pk)
        try:
            case = selectors.get_case_content_for(actor, pk)  # audits the view
        except Forbidden:
            case = None
        except NotFound:
            raise Http404 from None
        forms_, refusals = forms_ or {}, refusals or {}
        members = current_members(summary.household.pk, timezone.localdate()) if summary.household else []
        context = {
            "summary": summary,
            "holder_name": holder_name(summary, members),
            "members": members,
            "case": case,
            "forms": forms_,
            "may_reassign": False,
        }
        if case is not None:
            items = statutory.circumstances(actor.centre.jurisdiction, on=case.opened_on)
            labels = {item.code: item.with_statutory for item in items}
            sensitive = statutory.sensitive_codes(items)
            context["circumstances"] = [(labels.get(c, c), c in sensitive) for c in case.circumstances]
            context["shares"] = list(case.shares.select_related("user").order_by("shared_at"))
            context["plan_flags"] = breach_flags(actor, case, active_flags_for_case(case))
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
            opened = set(open_) | self.opened(request)
            passed = {k: v for k, v in request.GET.lists() if k not in ("open", PAGE_VIEW)}
            page_view = page_view_token(actor, case.pk)
            context["sections"] = [
                {
                    "name": s.name,
                    "title": s.title,
                    "html": self.section_html(request, case, s.name, forms_=forms_, refusal=refusals.get(s.name))
                    if s.name in opened
                    else "",
                    "url": self.section_url(case.pk, s.name, {**passed, PAGE_VIEW: [page_view]}),
                    "open_url": self.page_url(case.pk, open_=s.name, anchor=s.name, **passed),
                }
                for s in self.sections.values()
            ]
        return render(request, "web/cases_detail.html", context, status=status)

    def section_url(self, pk, name: str, params: dict | None = None) -> str:
        url = reverse("web:case_section", args=[pk, name])
        return f"{url}?{urlencode(params, doseq=True)}" if params else url

    def section_context(self, request, subject, name, *, forms_=None, notice="", refusal=None) -> dict:
        context = super().section_context(request, subject, name, forms_=forms_, notice=notice, refusal=refusal)
        context["section_url"] = reverse("web:case_section", args=[subject.pk, name])
        return context


CASE_PAGE = CasePage()


# --- one audit event per page view ------------------------------------------------------------------
#
# The shell audits its read of the case (naming its persons); the sections it loads lazily are parts of
# that same view, so their loads carry a token the shell signed (`?pv=`): for this user and this case,
# valid for PAGE_VIEW_SECONDS. A section load with a valid token is not audited again; any other section
# load (alone, after an action, a link inside a section, a token of another user or case, forged or
# expired) is audited as before. Without JavaScript, the page draws the section itself: one event.

PAGE_VIEW = "pv"
PAGE_VIEW_SECONDS = 15 * 60
_PAGE_VIEW_SALT = "socius.web.case_page.page_view"


def page_view_token(actor: User, case_id: int) -> str:
    return signing.dumps({"u": actor.pk, "c": case_id}, salt=_PAGE_VIEW_SALT, compress=True)


def is_part_of_page_view(request, case_id) -> bool:
    token = request.GET.get(PAGE_VIEW, "")
    if not token:
        return False
    try:
        data = signing.loads(token, salt=_PAGE_VIEW_SALT, max_age=PAGE_VIEW_SECONDS)
    except signing.BadSignature:  # forged, altered or expired (SignatureExpired is a BadSignature)
        return False
    return data == {"u": request.user.pk, "c": int(case_id)}


@requires(VIEW_CASES)
def case_detail(request, pk):
    return CASE_PAGE.render_page(request, pk)


@requires(VIEW_CASES)
@domain_404
def case_section(request, pk, name):
    return CASE_PAGE.section_view(request, pk, name)
