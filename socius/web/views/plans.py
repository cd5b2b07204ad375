"""UI views: help plans and social contracts (case page sections, plan page, contract page, their writes).

The case page's plan and contract sections are drawn by `case_page`. The plan page and the contract page
are each one section (`PLAN_PAGE`, `CONTRACT_PAGE`): every write is one service call through `run_action`,
answered with the section swapped in place (htmx) or a redirect to the page at the anchor of the action;
a refusal says why at the top and beside the field (400), or gives the reason (409). Reads go through
plans.selectors_read (the case view is audited), writes through plans.services.
"""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.models import Case
from socius.plans import services
from socius.plans.models import CaseFlag, Goal, HelpPlan, Obligation, PlanAction, SocialContract
from socius.plans.rules import consequence_labels
from socius.plans.selectors_read import (
    completed_interviews,
    get_contract_for,
    get_plan_for,
)
from socius.plans.statuses import (
    ACTION_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    PLAN_TRANSITIONS,
    ActionStatus,
    ContractStatus,
    PlanStatus,
)
from socius.web.access import requires
from socius.web.forms_plans import (
    ActionForm,
    BreachForm,
    ClearFlagForm,
    DayForm,
    FulfilForm,
    GoalForm,
    ObligationForm,
    OutcomeForm,
    PlanForm,
    ReviewForm,
    SignForm,
    TerminateForm,
)
from socius.web.views._helpers import domain_404
from socius.web.views._sections import Section, SectionedPage
from socius.web.views.case_page import CASE_PAGE, case_id_of, contract_form, workable_case


def _may_work(actor: User, case: Case) -> bool:
    return actor.can(WORK_CASES) and case.is_open


# --- the plan page and the contract page: each one section, swapped in place after its actions ---------


# What the buttons of a plan's moves say (verbs; the statuses themselves are past participles).
PLAN_MOVE_LABELS = {
    PlanStatus.ACTIVE: gettext_lazy("Put the plan into effect"),
    PlanStatus.CANCELLED: gettext_lazy("Cancel the plan"),
}


def build_plan(request, plan: HelpPlan, forms_: dict) -> dict:
    actor = request.user
    goals = list(plan.goals.all())
    may_work = _may_work(actor, plan.case) and plan.status in (PlanStatus.DRAFT, PlanStatus.ACTIVE)
    for goal in goals:
        for act in goal.actions.all():
            act.next_statuses = (
                [(s, ActionStatus(s).label) for s in ActionStatus.values if s in ACTION_TRANSITIONS[act.status]]
                if may_work
                else []
            )
    moves = [s for s in PlanStatus.values if s in PLAN_TRANSITIONS[plan.status]] if _may_work(actor, plan.case) else []
    return {
        "plan": plan,
        "case": plan.case,
        "goals": goals,
        "may_work": may_work,
        "plan_moves": [(s, PLAN_MOVE_LABELS.get(s, PlanStatus(s).label)) for s in moves if s != PlanStatus.COMPLETED],
        "may_complete": PlanStatus.COMPLETED in moves,
        "goal_form": forms_.get("goal") or GoalForm(auto_id="goal_%s"),
        "action_form": forms_.get("action") or ActionForm(goals=goals, auto_id="action_%s"),
        "outcome_form": forms_.get("outcome") or OutcomeForm(auto_id="outcome_%s"),
        "review_form": forms_.get("review") or ReviewForm(initial={"on": timezone.localdate()}, auto_id="review_%s"),
    }


_CONTRACT_MOVES = {
    "sign": ContractStatus.SIGNED,
    "start": ContractStatus.IN_PROGRESS,
    "fulfil": ContractStatus.FULFILLED,
    "breach": ContractStatus.BREACHED,
    "refuse": ContractStatus.REFUSED,
    "terminate": ContractStatus.TERMINATED,
}


def build_contract(request, contract: SocialContract, forms_: dict) -> dict:
    actor = request.user
    may_work = _may_work(actor, contract.case)
    allowed = CONTRACT_TRANSITIONS[contract.status] if may_work else frozenset()
    consequences = consequence_labels(actor.centre.jurisdiction)
    today = timezone.localdate()
    flags = list(contract.flags.all())
    for flag in flags:
        if flag.is_active and may_work:
            flag.clear_form = forms_.get(f"clear-{flag.pk}") or ClearFlagForm(auto_id=f"clear{flag.pk}_%s")
    return {
        "contract": contract,
        "case": contract.case,
        "flags": flags,
        "may_work": may_work,
        "moves": {name for name, to in _CONTRACT_MOVES.items() if to in allowed},
        "may_add_obligation": may_work and contract.status == ContractStatus.DRAFT,
        "may_tick": may_work and contract.status in (ContractStatus.SIGNED, ContractStatus.IN_PROGRESS),
        "obligation_form": forms_.get("obligation") or ObligationForm(auto_id="obligation_%s"),
        "sign_form": forms_.get("sign") or SignForm(initial={"signed_on": today}, auto_id="sign_%s"),
        "start_form": forms_.get("start") or DayForm(initial={"on": today}, auto_id="start_%s"),
        "fulfil_form": forms_.get("fulfil") or FulfilForm(initial={"on": today}, auto_id="fulfil_%s"),
        "terminate_form": forms_.get("terminate") or TerminateForm(initial={"on": today}, auto_id="terminate_%s"),
        "breach_form": forms_.get("breach")
        or BreachForm(consequences=consequences, initial={"on": today}, auto_id="breach_%s"),
        "refuse_form": forms_.get("refuse")
        or BreachForm(consequences=consequences, initial={"on": today}, auto_id="refuse_%s"),
    }


class _WholePage(SectionedPage):
    """A page that is one section: the page's template draws the section's HTML under its breadcrumbs."""

    lazy = False
    page_template = ""
    section_name = ""
    fetch = staticmethod(lambda actor, pk: None)

    def subject(self, request, pk):
        return type(self).fetch(request.user, pk)  # audits the case view

    def render_page(self, request, pk, *, open_=(), forms_=None, refusals=None, status: int = 200):
        subject = self.subject(request, pk)
        name = self.section_name
        context = self.section_context(request, subject, name, forms_=forms_, refusal=(refusals or {}).get(name))
        html = render_to_string(self.sections[name].template, context, request=request)
        context["section_html"] = mark_safe(html)  # noqa: S308 - our own template's output
        return render(request, self.page_template, context, status=status)


class PlanPage(_WholePage):
    url_name = "web:plan_detail"
    page_template = "web/plans_detail.html"
    section_name = "plan"
    sections = {"plan": Section("plan", gettext_lazy("Help plan"), "web/plans_detail_section.html", build_plan)}
    fetch = staticmethod(get_plan_for)


class ContractPage(_WholePage):
    url_name = "web:contract_detail"
    page_template = "web/contracts_detail.html"
    section_name = "contract"
    sections = {
        "contract": Section(
            "contract", gettext_lazy("Social contract"), "web/contracts_detail_section.html", build_contract
        )
    }
    fetch = staticmethod(get_contract_for)


PLAN_PAGE, CONTRACT_PAGE = PlanPage(), ContractPage()


@requires(VIEW_CASES)
@domain_404
def plan_detail(request, pk):
    return PLAN_PAGE.render_page(request, pk)


@requires(VIEW_CASES)
@domain_404
def contract_detail(request, pk):
    return CONTRACT_PAGE.render_page(request, pk)


# --- writes: each one service call through `run_action` ---------------------------------------------------


@requires(WORK_CASES)
@require_POST
@domain_404
def case_plan_create(request, pk):
    actor = request.user
    workable_case(actor, pk)
    return CASE_PAGE.run_action(
        request,
        pk,
        "help-plans",
        form=PlanForm(request.POST, auto_id="plan_%s", interviews=completed_interviews(pk)),
        write=lambda data: services.create_plan(actor, pk, data),
        key="plans_new_plan",
        done=_("The help plan is created."),
        failed=_("The help plan was not created."),
        then=lambda plan: reverse("web:plan_detail", kwargs={"pk": plan.pk}),
    )


def _plan_write(request, pk, form, write, *, key: str, done: str, failed: str, anchor: str = ""):
    case_id_of(request.user, HelpPlan, pk)
    return PLAN_PAGE.run_action(
        request, pk, "plan", form=form, write=write, key=key, done=done, failed=failed, anchor=anchor
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_goal_add(request, pk):
    return _plan_write(
        request,
        pk,
        GoalForm(request.POST, auto_id="goal_%s"),
        lambda d: services.add_goal(request.user, pk, description=d["description"]),
        key="goal",
        done=_("The goal is added."),
        failed=_("The goal was not added."),
        anchor="goals",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_action_add(request, pk):
    def write(data):
        data = dict(data)
        return services.add_action(request.user, data.pop("goal"), data)

    return _plan_write(
        request,
        pk,
        ActionForm(request.POST, goals=Goal.objects.filter(plan_id=pk), auto_id="action_%s"),
        write,
        key="action",
        done=_("The action is added."),
        failed=_("The action was not added."),
        anchor="goals",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_status(request, pk):
    to_status = request.POST.get("status", "")
    return _plan_write(
        request,
        pk,
        OutcomeForm(request.POST, auto_id="outcome_%s"),
        lambda d: services.change_plan_status(request.user, pk, to_status, outcome=d.get("outcome") or ""),
        key="outcome",
        done=_("The plan's status is changed."),
        failed=_("The plan's status was not changed."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_review(request, pk):
    return _plan_write(
        request,
        pk,
        ReviewForm(request.POST, auto_id="review_%s"),
        lambda d: services.review_plan(request.user, pk, d["on"], d["note"], next_review_on=d.get("next_review_on")),
        key="review",
        done=_("The review is recorded."),
        failed=_("The review was not recorded."),
        anchor="review",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_action_status(request, pk):
    case_id_of(request.user, PlanAction, pk, "goal__plan__case")
    plan_pk = HelpPlan.objects.filter(goals__actions=pk).values_list("pk", flat=True).get()
    to_status = request.POST.get("status", "")
    return _plan_write(
        request,
        plan_pk,
        None,
        lambda _d: services.change_action_status(request.user, pk, to_status),
        key="",
        done=_("The action's status is changed."),
        failed=_("The action's status was not changed."),
        anchor=f"action-{pk}",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def case_contract_create(request, pk):
    actor = request.user
    case = workable_case(actor, pk)
    return CASE_PAGE.run_action(
        request,
        pk,
        "social-contracts",
        form=contract_form(actor, case, request.POST),
        write=lambda data: services.draft_contract(actor, pk, {**data, "clients": [p.pk for p in data["clients"]]}),
        key="plans_new_contract",
        done=_("The social contract is drafted."),
        failed=_("The social contract was not drafted."),
        then=lambda contract: reverse("web:contract_detail", kwargs={"pk": contract.pk}),
    )


def _contract_write(request, pk, form, write, *, key: str, done: str, failed: str, anchor: str = "contract-status"):
    return CONTRACT_PAGE.run_action(
        request, pk, "contract", form=form, write=write, key=key, done=done, failed=failed, anchor=anchor
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_obligation_add(request, pk):
    case_id_of(request.user, SocialContract, pk)
    return _contract_write(
        request,
        pk,
        ObligationForm(request.POST, auto_id="obligation_%s"),
        lambda d: services.add_obligation(request.user, pk, **d),
        key="obligation",
        done=_("The obligation is added."),
        failed=_("The obligation was not added."),
        anchor="obligations",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def obligation_done(request, pk):
    case_id_of(request.user, Obligation, pk, "contract__case")
    contract_pk = Obligation.objects.filter(pk=pk).values_list("contract_id", flat=True).get()
    is_done = request.POST.get("is_done", "1") == "1"
    return _contract_write(
        request,
        contract_pk,
        None,
        lambda _d: services.mark_obligation(request.user, pk, is_done=is_done),
        key="",
        done=_("The obligation is updated."),
        failed=_("The obligation was not updated."),
        anchor=f"obligation-{pk}",
    )


def _contract_move(request, pk, form, write, key):
    case_id_of(request.user, SocialContract, pk)
    return _contract_write(
        request,
        pk,
        form,
        write,
        key=key,
        done=_("The contract's status is changed."),
        failed=_("The contract's status was not changed."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_sign(request, pk):
    form = SignForm(request.POST, auto_id="sign_%s")
    return _contract_move(request, pk, form, lambda d: services.sign_contract(request.user, pk, d["signed_on"]), "sign")


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_start(request, pk):
    form = DayForm(request.POST, auto_id="start_%s")
    return _contract_move(request, pk, form, lambda d: services.start_contract(request.user, pk, on=d["on"]), "start")


def _consequences(request):
    return consequence_labels(request.user.centre.jurisdiction)


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_breach(request, pk):
    form = BreachForm(request.POST, consequences=_consequences(request), auto_id="breach_%s")
    return _contract_move(request, pk, form, lambda d: services.record_breach(request.user, pk, **d), "breach")


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_refuse(request, pk):
    form = BreachForm(request.POST, consequences=_consequences(request), auto_id="refuse_%s")
    return _contract_move(request, pk, form, lambda d: services.record_refusal(request.user, pk, **d), "refuse")


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_fulfil(request, pk):
    form = FulfilForm(request.POST, auto_id="fulfil_%s")
    return _contract_move(
        request,
        pk,
        form,
        lambda d: services.fulfil_contract(request.user, pk, evaluation=d["evaluation"], on=d["on"]),
        "fulfil",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_terminate(request, pk):
    form = TerminateForm(request.POST, auto_id="terminate_%s")
    return _contract_move(
        request,
        pk,
        form,
        lambda d: services.terminate_contract(request.user, pk, reasons=d["reasons"], on=d["on"]),
        "terminate",
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def flag_clear(request, pk):
    case_id_of(request.user, CaseFlag, pk)
    contract_pk = CaseFlag.objects.filter(pk=pk).values_list("contract_id", flat=True).get()
    return _contract_write(
        request,
        contract_pk,
        ClearFlagForm(request.POST, auto_id=f"clear{pk}_%s"),
        lambda d: services.clear_flag(request.user, pk, d["reason"]),
        key=f"clear-{pk}",
        done=_("The flag is cleared."),
        failed=_("The flag was not cleared."),
        anchor="flags",
    )
