"""UI views: the family page of the family assistant programme (issue 10) and its writes.

The page (`family_enrolment`) is a shell of sections (ARCHITECTURE.md, "pages are shells of sections"): the
enrolment's summary and the sections asked for, drawn from one read (socius.family.selectors_support.family_page
with only the parts those sections show); the others (the family and its consents, the work plan, the activity
log, the assessments, the closure) load when revealed, or by a plain link without JavaScript. Each
section has its own URL, which answers the section alone (htmx) and takes the section's forms: every write is
one service call through `run_action`, answered with the section swapped in place, or without JavaScript a
redirect to the page at the section; a refusal (a cap, a missing consent, a move the map does not allow) says
why at the section's top and beside the field, and nothing is written.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.roles import VIEW_CASES, WORK_FAMILY_SUPPORT
from socius.casework.models_referrals import Partner
from socius.family import permissions
from socius.family import selectors_support as selectors
from socius.family import support as services
from socius.family.models import EnrolmentConsent, FamilyEnrolment, WorkPlanItem
from socius.family.statuses import (
    ENROLMENT_TRANSITIONS,
    EnrolmentRoute,
    EnrolmentStatus,
    PlanItemStatus,
    WorkArea,
    WorkPlanStatus,
)
from socius.registry.models import Person
from socius.web.access import requires
from socius.web.forms_family_support import (
    ActivityForm,
    AgreePlanForm,
    AssessmentForm,
    CloseWorkForm,
    ConsentForm,
    EndMonitoringForm,
    ItemStatusForm,
    PlanItemForm,
    WithdrawConsentForm,
)
from socius.web.views._helpers import domain_404, paginate
from socius.web.views._sections import Section, SectionedPage

ACTIVITIES_PER_PAGE = 20


def visible_enrolment(actor, pk) -> FamilyEnrolment:
    """The enrolment if the actor may see it; 404 otherwise (missing, another centre, not a reader)."""
    try:
        return selectors.get_enrolment_for(actor, pk)
    except FamilyEnrolment.DoesNotExist:
        raise Http404 from None


def member_persons(page) -> list[Person]:
    """The family's current members as persons (the selector gives memberships or persons)."""
    return [getattr(m, "person", m) for m in page.members]


def _members_qs(persons):
    return Person.objects.filter(pk__in=[p.pk for p in persons]).order_by("last_name", "first_name", "id")


def area_labels(codes) -> str:
    labels = dict(WorkArea.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ())


# --- the sections ---------------------------------------------------------------------------------------


def build_consents(request, page, forms_: dict) -> dict:
    enrolment = page.enrolment
    persons = member_persons(page)
    may_work = page.can_work and enrolment.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)
    consents = list(page.consents)
    for consent in consents:
        if may_work and consent.withdrawn_on is None:
            consent.withdraw_form = forms_.get(f"withdraw-{consent.pk}") or WithdrawConsentForm(
                initial={"withdrawn_on": page.day}, auto_id=f"withdraw{consent.pk}_%s"
            )
    return {
        "page": page,
        "enrolment": enrolment,
        "members": persons,
        "consents": consents,
        "needs_consent": enrolment.route != EnrolmentRoute.COURT_ORDER,
        "consent_form": (forms_.get("consent") or ConsentForm(
            members=_members_qs(persons), initial={"given_on": page.day}, auto_id="consent_%s"
        )) if may_work else None,
    }  # fmt: skip


def build_plan(request, page, forms_: dict) -> dict:
    enrolment = page.enrolment
    persons = member_persons(page)
    may_work = page.can_work and enrolment.status == EnrolmentStatus.ACTIVE
    draft_items = list(page.draft.items.all()) if page.draft else []
    for item in draft_items:
        item.edit_form = forms_.get(f"item-{item.pk}") or PlanItemForm(
            initial={f: getattr(item, f) for f in PlanItemForm.base_fields}, auto_id=f"item{item.pk}_%s"
        )
    plan_items = list(page.agreed_items)
    for item in plan_items:
        if may_work and item.status not in (PlanItemStatus.DONE, PlanItemStatus.DROPPED):
            item.status_form = forms_.get(f"status-{item.pk}") or ItemStatusForm(
                initial={"status": item.status, "on": page.day}, auto_id=f"status{item.pk}_%s"
            )
    agree_initial = {"agreed_on": page.day, "social_worker": enrolment.case.assigned_worker_id}
    return {
        "page": page,
        "enrolment": enrolment,
        "plan": page.agreed_plan,
        "plan_items": plan_items,
        "draft": page.draft,
        "draft_items": draft_items,
        "versions": page.plan_versions,
        "may_work": may_work,
        "item_form": forms_.get("item") or PlanItemForm(auto_id="item_%s"),
        "agree_form": forms_.get("agree")
        or AgreePlanForm(
            members=_members_qs(persons), centre_id=enrolment.centre_id, initial=agree_initial, auto_id="agree_%s"
        ),
    }


def build_activities(request, page, forms_: dict) -> dict:
    enrolment = page.enrolment
    persons = member_persons(page)
    may_work = page.can_work and enrolment.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)
    if request.GET.get("page"):  # an older page of the log: read it alone
        rows = paginate(
            request,
            enrolment.activities.select_related("assistant").prefetch_related("family_members", "partners"),
            ACTIVITIES_PER_PAGE,
        )
        activities = list(rows)
    else:
        activities, rows = list(page.activities), None
    for activity in activities:
        activity.area_text = area_labels(activity.areas)
    partners = Partner.objects.filter(centre_id=enrolment.centre_id, is_active=True).order_by("name")
    return {
        "page": page,
        "enrolment": enrolment,
        "activities": activities,
        "activity_count": page.activity_count,
        "rows": rows,
        "more": rows is None and page.activity_count > len(activities),
        "activity_form": (forms_.get("activity") or ActivityForm(
            members=_members_qs(persons), partners=partners, initial={"on": page.day, "place": "family_home"},
            auto_id="activity_%s",
        )) if may_work else None,
    }  # fmt: skip


def build_assessments(request, page, forms_: dict) -> dict:
    enrolment = page.enrolment
    may_work = page.can_work and enrolment.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)
    last = page.assessments[0] if page.assessments else None
    period_from = last.period_until if last else enrolment.started_on
    initial = {"assessed_on": page.day, "period_from": period_from, "period_until": page.day}
    return {
        "page": page,
        "enrolment": enrolment,
        "assessments": page.assessments,
        "next_due": page.next_assessment_due,
        "overdue": page.next_assessment_due is not None and page.next_assessment_due < page.day,
        "assessment_form": (forms_.get("assessment") or AssessmentForm(initial=initial, auto_id="assessment_%s"))
        if may_work
        else None,
    }


def build_closure(request, page, forms_: dict) -> dict:
    enrolment = page.enrolment
    may_work = page.can_work
    moves = ENROLMENT_TRANSITIONS[enrolment.status]
    return {
        "page": page,
        "enrolment": enrolment,
        "close_form": (forms_.get("close") or CloseWorkForm(initial={"closed_on": page.day}, auto_id="close_%s"))
        if may_work and enrolment.status == EnrolmentStatus.ACTIVE and EnrolmentStatus.MONITORING in moves
        else None,
        "end_form": (forms_.get("end") or EndMonitoringForm(initial={"ended_on": page.day}, auto_id="end_%s"))
        if may_work and enrolment.status == EnrolmentStatus.MONITORING
        else None,
    }


TITLES = {
    "consents": gettext_lazy("Family and consents"),
    "plan": gettext_lazy("Work plan"),
    "activities": gettext_lazy("Activity log"),
    "assessments": gettext_lazy("Family assessments"),
    "closure": gettext_lazy("Closure and monitoring"),
}


# What each section reads of the family beyond the enrolment, its members and consents (family_page's parts).
SECTION_PARTS = {"consents": (), "plan": ("plan",), "activities": ("activities",), "assessments": ("assessments",)}
# The sections drawn in the page without being asked: the family and its consents, under the summary.
OPEN_BY_DEFAULT = frozenset({"consents"})


class FamilyPageView(SectionedPage):
    """The family page: a shell with the enrolment's summary and the sections asked for (`?open=`, the family
    and consents by default); the other sections load when revealed (htmx), or, without JavaScript, by a
    link that draws the page with them open. Each section also answers alone at its own URL."""

    url_name = "web:family_enrolment"
    lazy = True
    sections = {
        s.name: s
        for s in (
            Section("consents", TITLES["consents"], "web/family_consents_section.html", build_consents),
            Section("plan", TITLES["plan"], "web/family_plan_section.html", build_plan),
            Section("activities", TITLES["activities"], "web/family_activities_section.html", build_activities),
            Section("assessments", TITLES["assessments"], "web/family_assessments_section.html", build_assessments),
            Section("closure", TITLES["closure"], "web/family_closure_section.html", build_closure),
        )
    }

    def read(self, request, pk, names):
        """The family's page with what the sections `names` show: one read of the enrolment (404 when the
        actor may not see it), audited under the family's members."""
        day = timezone.localdate()
        parts = {part for name in names for part in SECTION_PARTS.get(name, ())}
        try:
            page = selectors.family_page(request.user, pk, day, parts=parts)
        except FamilyEnrolment.DoesNotExist:
            raise Http404 from None
        page.day = day
        return page

    def subject(self, request, pk):
        return self.read(request, pk, set(self.sections))

    def render_section(self, request, pk, name, *, forms_=None, notice="", refusal=None, status: int = 200):
        page = self.read(request, pk, {name})
        context = self.section_context(request, page, name, forms_=forms_, notice=notice, refusal=refusal)
        return render(request, self.sections[name].template, context, status=status)

    def render_page(self, request, pk, *, open_=(), forms_=None, refusals=None, status: int = 200):
        refusals = refusals or {}
        opened = set(open_) | self.opened(request) | set(refusals) | OPEN_BY_DEFAULT
        page = self.read(request, pk, opened)
        enrolment = page.enrolment
        sections = [
            {
                "name": s.name,
                "title": s.title,
                "html": self.section_html(request, page, s.name, forms_=forms_, refusal=refusals.get(s.name))
                if s.name in opened
                else "",
                "url": reverse("web:family_section", args=[enrolment.pk, s.name]),
                "open_url": self.page_url(enrolment.pk, open_=s.name, anchor=s.name),
            }
            for s in self.sections.values()
        ]
        context = {
            "page": page,
            "enrolment": enrolment,
            "case": enrolment.case,
            "members": member_persons(page),
            "sections": sections,
            "may_decide": enrolment.status == EnrolmentStatus.REQUESTED
            and permissions.can_decide_enrolment(request.user, enrolment),
        }
        return render(request, "web/family_enrolment.html", context, status=status)


FAMILY_PAGE = FamilyPageView()


@requires(VIEW_CASES)
@domain_404
def family_enrolment(request, pk):
    return FAMILY_PAGE.render_page(request, pk)


@requires(VIEW_CASES)
@domain_404
def family_section(request, pk, name):
    """GET of one section of the family page, for anyone who sees the family (what the shell loads)."""
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET"])
    return FAMILY_PAGE.section_view(request, pk, name)


def _section_or_write(request, pk, name, post):
    """GET: the section (alone for htmx, else the page); POST: the section's write."""
    if request.method == "POST":
        return post()
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "POST"])
    return FAMILY_PAGE.section_view(request, pk, name)


def _household_members(enrolment) -> list[Person]:
    from socius.registry.selectors import current_memberships

    return list(
        Person.objects.filter(
            pk__in=current_memberships().filter(household_id=enrolment.household_id).values("person_id")
        ).order_by("last_name", "first_name", "id")
    )


# --- consents -------------------------------------------------------------------------------------------


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_consent_new(request, pk):
    def post():
        actor = request.user
        enrolment = visible_enrolment(actor, pk)
        members = _members_qs(_household_members(enrolment))
        form = ConsentForm(request.POST, members=members, auto_id="consent_%s")
        return FAMILY_PAGE.run_action(
            request, pk, "consents", form=form, key="consent",
            write=lambda d: services.record_consent(
                actor, enrolment, person=d["person"], given_on=d["given_on"], method=d["method"], note=d["note"]
            ),
            done=_("The consent is recorded."), failed=_("The consent was not recorded."),
        )  # fmt: skip

    return _section_or_write(request, pk, "consents", post)


@requires(WORK_FAMILY_SUPPORT)
@require_POST
@domain_404
def family_consent_withdraw(request, pk):
    actor = request.user
    try:
        consent = EnrolmentConsent.objects.select_related("enrolment").get(pk=pk)
    except EnrolmentConsent.DoesNotExist:
        raise Http404 from None
    enrolment = visible_enrolment(actor, consent.enrolment_id)
    form = WithdrawConsentForm(request.POST, auto_id=f"withdraw{pk}_%s")
    return FAMILY_PAGE.run_action(
        request, enrolment.pk, "consents", form=form, key=f"withdraw-{pk}",
        write=lambda d: services.withdraw_consent(actor, consent, withdrawn_on=d["withdrawn_on"], note=d["note"]),
        done=_("The consent is withdrawn."), failed=_("The consent was not withdrawn."),
    )  # fmt: skip


# --- the work plan --------------------------------------------------------------------------------------


def _current_draft(actor, enrolment):
    """The draft to edit: the open one, else a new version drafted now (copying the agreed plan's items)."""
    draft = enrolment.work_plans.filter(status=WorkPlanStatus.DRAFT).first()
    return draft or services.draft_work_plan(actor, enrolment)


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_plan(request, pk):
    """GET: the plan section. POST `op`: add (an item to the draft), draft (a new version), agree."""

    def post():
        actor = request.user
        enrolment = visible_enrolment(actor, pk)
        op = request.POST.get("op", "add")
        if op == "draft":
            return FAMILY_PAGE.run_action(
                request, pk, "plan", form=None, write=lambda _d: services.draft_work_plan(actor, enrolment),
                done=_("A new version of the plan is drafted."), failed=_("The plan was not drafted."),
            )  # fmt: skip
        if op == "agree":
            members = _members_qs(_household_members(enrolment))
            form = AgreePlanForm(request.POST, members=members, centre_id=enrolment.centre_id, auto_id="agree_%s")

            def agree(d):
                draft = enrolment.work_plans.filter(status=WorkPlanStatus.DRAFT).first()
                if draft is None:
                    from socius.common.errors import ValidationFailed

                    raise ValidationFailed({"__all__": [_("There is no draft to agree.")]})
                return services.agree_work_plan(
                    actor, draft, agreed_on=d["agreed_on"], agreed_with=list(d["agreed_with"]),
                    social_worker=d["social_worker"], review_on=d.get("review_on"),
                )  # fmt: skip

            return FAMILY_PAGE.run_action(
                request, pk, "plan", form=form, key="agree", write=agree,
                done=_("The work plan is agreed."), failed=_("The work plan was not agreed."),
            )  # fmt: skip
        if op != "add":
            raise Http404
        form = PlanItemForm(request.POST, auto_id="item_%s")
        return FAMILY_PAGE.run_action(
            request, pk, "plan", form=form, key="item",
            write=lambda d: services.add_plan_item(actor, _current_draft(actor, enrolment), **d),
            done=_("The item is added to the draft."), failed=_("The item was not added."),
        )  # fmt: skip

    return _section_or_write(request, pk, "plan", post)


@requires(WORK_FAMILY_SUPPORT)
@require_POST
@domain_404
def family_plan_item(request, pk):
    """POST `op`: edit or remove (a draft's item), or status (an agreed plan's item)."""
    actor = request.user
    try:
        item = WorkPlanItem.objects.select_related("plan").get(pk=pk)
    except WorkPlanItem.DoesNotExist:
        raise Http404 from None
    enrolment = visible_enrolment(actor, item.plan.enrolment_id)
    op = request.POST.get("op", "")
    if op == "edit":
        form = PlanItemForm(request.POST, auto_id=f"item{pk}_%s")
        return FAMILY_PAGE.run_action(
            request, enrolment.pk, "plan", form=form, key=f"item-{pk}", anchor=f"item-{pk}",
            write=lambda d: services.update_plan_item(actor, item, **d),
            done=_("The item is changed."), failed=_("The item was not changed."),
        )  # fmt: skip
    if op == "remove":
        return FAMILY_PAGE.run_action(
            request, enrolment.pk, "plan", form=None, write=lambda _d: services.remove_plan_item(actor, item),
            done=_("The item is removed from the draft."), failed=_("The item was not removed."),
        )  # fmt: skip
    if op == "status":
        form = ItemStatusForm(request.POST, auto_id=f"status{pk}_%s")
        return FAMILY_PAGE.run_action(
            request, enrolment.pk, "plan", form=form, key=f"status-{pk}", anchor=f"item-{pk}",
            write=lambda d: services.set_plan_item_status(actor, item, status=d["status"], on=d["on"]),
            done=_("The item's status is changed."), failed=_("The item's status was not changed."),
        )  # fmt: skip
    raise Http404


# --- the activity log -----------------------------------------------------------------------------------


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_activities(request, pk):
    def post():
        actor = request.user
        enrolment = visible_enrolment(actor, pk)
        members = _members_qs(_household_members(enrolment))
        partners = Partner.objects.filter(centre_id=enrolment.centre_id, is_active=True)
        form = ActivityForm(request.POST, members=members, partners=partners, auto_id="activity_%s")

        def write(d):
            return services.log_activity(
                actor, enrolment, on=d["on"], minutes=d["minutes"], place=d["place"], areas=list(d["areas"]),
                family_members=list(d["family_members"]), partners=list(d["partners"]),
                others_present=d["others_present"], notes=d["notes"],
            )  # fmt: skip

        return FAMILY_PAGE.run_action(
            request, pk, "activities", form=form, key="activity", write=write,
            done=_("The activity is logged."), failed=_("The activity was not logged."),
        )  # fmt: skip

    return _section_or_write(request, pk, "activities", post)


# --- assessments ----------------------------------------------------------------------------------------


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_assessment_new(request, pk):
    def post():
        actor = request.user
        enrolment = visible_enrolment(actor, pk)
        form = AssessmentForm(request.POST, auto_id="assessment_%s")

        def write(d):
            return services.record_assessment(
                actor, enrolment, assessed_on=d["assessed_on"], period_from=d["period_from"],
                period_until=d["period_until"], situation=d["situation"], recommendation=d["recommendation"],
                progress=d["progress"], strengths=d["strengths"], difficulties=d["difficulties"],
                is_court_opinion=d["is_court_opinion"], court_name=d["court_name"],
                court_reference=d["court_reference"], requested_on=d.get("requested_on"),
            )  # fmt: skip

        return FAMILY_PAGE.run_action(
            request, pk, "assessments", form=form, key="assessment", write=write,
            done=_("The assessment is recorded."), failed=_("The assessment was not recorded."),
        )  # fmt: skip

    return _section_or_write(request, pk, "assessments", post)


# --- closure and monitoring -----------------------------------------------------------------------------


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_close(request, pk):
    def post():
        actor = request.user
        enrolment = visible_enrolment(actor, pk)
        form = CloseWorkForm(request.POST, auto_id="close_%s")
        return FAMILY_PAGE.run_action(
            request, pk, "closure", form=form, key="close",
            write=lambda d: services.close_work(
                actor, enrolment, closed_on=d["closed_on"], outcome=d["outcome"], note=d["note"]
            ),
            done=_("The work with the family is closed."), failed=_("The work was not closed."),
        )  # fmt: skip

    return _section_or_write(request, pk, "closure", post)


@requires(WORK_FAMILY_SUPPORT)
@require_POST
@domain_404
def family_end_monitoring(request, pk):
    actor = request.user
    enrolment = visible_enrolment(actor, pk)
    form = EndMonitoringForm(request.POST, auto_id="end_%s")
    return FAMILY_PAGE.run_action(
        request, pk, "closure", form=form, key="end",
        write=lambda d: services.end_monitoring(actor, enrolment, ended_on=d["ended_on"], note=d["note"]),
        done=_("The monitoring is ended."), failed=_("The monitoring was not ended."),
    )  # fmt: skip
