"""UI views: help plans and social contracts (case page sections, plan page, contract page, their writes).

The case page's sections are drawn by `web/plans_case_section.html`, `web/contracts_case_section.html`
and the flag banner `web/plans_flags_banner.html`; `case_page_context` gives them what they need. Reads
go through plans.selectors_read (the case view is audited), writes through plans.services; a refusal
re-renders the page with the form and its messages (400) or the reason (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.models import Case
from socius.common.errors import Conflict, ValidationFailed
from socius.plans import services
from socius.plans.models import CaseFlag, Goal, HelpPlan, Obligation, PlanAction, SocialContract, variants_for
from socius.plans.rules import consequence_labels
from socius.plans.selectors import active_flags_for_case
from socius.plans.selectors_read import (
    completed_interviews,
    contracts_for_case,
    get_contract_for,
    get_plan_for,
    plans_for_case,
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
    ContractForm,
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
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views.casework_visits import persons_of_case, workable_case


def _may_work(actor: User, case: Case) -> bool:
    return actor.can(WORK_CASES) and case.is_open


def _contract_form(actor: User, case: Case, data=None) -> ContractForm:
    return ContractForm(
        data,
        persons=persons_of_case(case),
        variants=variants_for(actor.centre.jurisdiction),
        initial={"valid_from": timezone.localdate()},
        auto_id="contract_%s",
    )


def case_page_context(actor: User, case: Case, forms_: dict) -> dict:
    """The plans and contracts sections and the flag banner of a case page whose content the actor may read."""
    may_work = _may_work(actor, case)
    return {
        "help_plans": list(plans_for_case(case)),
        "social_contracts": list(contracts_for_case(case)),
        "plan_flags": active_flags_for_case(case),
        "plans_may_work": may_work,
        "new_plan_form": (
            (forms_.get("plans_new_plan") or PlanForm(auto_id="plan_%s", interviews=completed_interviews(case)))
            if may_work
            else None
        ),
        "new_contract_form": (forms_.get("plans_new_contract") or _contract_form(actor, case)) if may_work else None,
    }


def _case_page(request, pk, key: str, form, status: int):
    from socius.web.views.casework import render_case_page  # the case page owns the layout

    return render_case_page(request, pk, forms_={key: form} if form is not None else {}, status=status)


def _case_id(actor: User, model, pk, path: str = "case") -> int:
    """The case of a plan/contract/... in the URL: 404 outside the centre, 403 without its content."""
    case_id = model.objects.filter(pk=pk).values_list(f"{path}_id" if "__" not in path else path, flat=True).first()
    return workable_case(actor, case_id if case_id is not None else 0).pk


# --- pages ----------------------------------------------------------------------------------------


# What the buttons of a plan's moves say (verbs; the statuses themselves are past participles).
PLAN_MOVE_LABELS = {
    PlanStatus.ACTIVE: gettext_lazy("Put the plan into effect"),
    PlanStatus.CANCELLED: gettext_lazy("Cancel the plan"),
}


def _plan_page(request, pk, forms_: dict | None = None, status: int = 200):
    actor, forms_ = request.user, forms_ or {}
    plan = get_plan_for(actor, pk)  # audits the case view
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
    context = {
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
    return render(request, "web/plans_detail.html", context, status=status)


@requires(VIEW_CASES)
@domain_404
def plan_detail(request, pk):
    return _plan_page(request, pk)


_CONTRACT_MOVES = {
    "sign": ContractStatus.SIGNED,
    "start": ContractStatus.IN_PROGRESS,
    "fulfil": ContractStatus.FULFILLED,
    "breach": ContractStatus.BREACHED,
    "refuse": ContractStatus.REFUSED,
    "terminate": ContractStatus.TERMINATED,
}


def _contract_page(request, pk, forms_: dict | None = None, status: int = 200):
    actor, forms_ = request.user, forms_ or {}
    contract = get_contract_for(actor, pk)  # audits the case view
    may_work = _may_work(actor, contract.case)
    allowed = CONTRACT_TRANSITIONS[contract.status] if may_work else frozenset()
    consequences = consequence_labels(actor.centre.jurisdiction)
    today = timezone.localdate()
    flags = list(contract.flags.all())
    for flag in flags:
        if flag.is_active and may_work:
            flag.clear_form = forms_.get(f"clear-{flag.pk}") or ClearFlagForm(auto_id=f"clear{flag.pk}_%s")
    context = {
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
    return render(request, "web/contracts_detail.html", context, status=status)


@requires(VIEW_CASES)
@domain_404
def contract_detail(request, pk):
    return _contract_page(request, pk)


# --- writes ---------------------------------------------------------------------------------------


def _run(request, form, write, *, done: str, failed: str, page, key: str, success_url):
    """Validate the form, call the service; 400 with the form's messages, 409 with the reason."""
    if form is None or form.is_valid():
        try:
            write(form.cleaned_data if form is not None else {})
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return page({}, 409)
        except ValidationFailed as exc:
            if form is None:
                messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
                return page({}, 400)
            add_domain_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(success_url)
    messages.error(request, failed)
    return page({key: form}, 400)


@requires(WORK_CASES)
@require_POST
@domain_404
def case_plan_create(request, pk):
    actor = request.user
    workable_case(actor, pk)
    form = PlanForm(request.POST, auto_id="plan_%s", interviews=completed_interviews(pk))
    created = {}

    def write(data):
        created["plan"] = services.create_plan(actor, pk, data)

    response = _run(
        request,
        form,
        write,
        done=_("The help plan is created."),
        failed=_("The help plan was not created."),
        page=lambda forms_, status: _case_page(request, pk, "plans_new_plan", forms_.get("plans_new_plan"), status),
        key="plans_new_plan",
        success_url=reverse("web:case_detail", kwargs={"pk": pk}),
    )
    if "plan" in created:
        return redirect("web:plan_detail", pk=created["plan"].pk)
    return response


def _plan_write(request, pk, form, write, *, key, done, failed):
    return _run(
        request,
        form,
        write,
        done=done,
        failed=failed,
        page=lambda forms_, status: _plan_page(request, pk, forms_, status),
        key=key,
        success_url=_plan_url(pk),
    )


def _plan_url(pk) -> str:
    return reverse("web:plan_detail", kwargs={"pk": pk})


def _contract_url(pk) -> str:
    return reverse("web:contract_detail", kwargs={"pk": pk})


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_goal_add(request, pk):
    _case_id(request.user, HelpPlan, pk)
    form = GoalForm(request.POST, auto_id="goal_%s")
    return _plan_write(
        request,
        pk,
        form,
        lambda d: services.add_goal(request.user, pk, description=d["description"]),
        key="goal",
        done=_("The goal is added."),
        failed=_("The goal was not added."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_action_add(request, pk):
    _case_id(request.user, HelpPlan, pk)
    form = ActionForm(request.POST, goals=Goal.objects.filter(plan_id=pk), auto_id="action_%s")

    def write(data):
        data = dict(data)
        services.add_action(request.user, data.pop("goal"), data)

    return _plan_write(
        request,
        pk,
        form,
        write,
        key="action",
        done=_("The action is added."),
        failed=_("The action was not added."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_status(request, pk):
    _case_id(request.user, HelpPlan, pk)
    form = OutcomeForm(request.POST, auto_id="outcome_%s")
    to_status = request.POST.get("status", "")
    return _plan_write(
        request,
        pk,
        form,
        lambda d: services.change_plan_status(request.user, pk, to_status, outcome=d.get("outcome") or ""),
        key="outcome",
        done=_("The plan's status is changed."),
        failed=_("The plan's status was not changed."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_review(request, pk):
    _case_id(request.user, HelpPlan, pk)
    form = ReviewForm(request.POST, auto_id="review_%s")
    return _plan_write(
        request,
        pk,
        form,
        lambda d: services.review_plan(request.user, pk, d["on"], d["note"], next_review_on=d.get("next_review_on")),
        key="review",
        done=_("The review is recorded."),
        failed=_("The review was not recorded."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def plan_action_status(request, pk):
    _case_id(request.user, PlanAction, pk, "goal__plan__case")
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
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def case_contract_create(request, pk):
    actor = request.user
    case = workable_case(actor, pk)
    form = _contract_form(actor, case, request.POST)
    created = {}

    def write(data):
        data = {**data, "clients": [p.pk for p in data["clients"]]}
        created["contract"] = services.draft_contract(actor, pk, data)

    response = _run(
        request,
        form,
        write,
        done=_("The social contract is drafted."),
        failed=_("The social contract was not drafted."),
        page=lambda forms_, status: _case_page(
            request, pk, "plans_new_contract", forms_.get("plans_new_contract"), status
        ),
        key="plans_new_contract",
        success_url=reverse("web:case_detail", kwargs={"pk": pk}),
    )
    if "contract" in created:
        return redirect("web:contract_detail", pk=created["contract"].pk)
    return response


def _contract_write(request, pk, form, write, *, key, done, failed):
    return _run(
        request,
        form,
        write,
        done=done,
        failed=failed,
        page=lambda forms_, status: _contract_page(request, pk, forms_, status),
        key=key,
        success_url=_contract_url(pk),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def contract_obligation_add(request, pk):
    _case_id(request.user, SocialContract, pk)
    form = ObligationForm(request.POST, auto_id="obligation_%s")
    return _contract_write(
        request,
        pk,
        form,
        lambda d: services.add_obligation(request.user, pk, **d),
        key="obligation",
        done=_("The obligation is added."),
        failed=_("The obligation was not added."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def obligation_done(request, pk):
    _case_id(request.user, Obligation, pk, "contract__case")
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
    )


def _contract_move(request, pk, form, write, key):
    _case_id(request.user, SocialContract, pk)
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
    _case_id(request.user, CaseFlag, pk)
    contract_pk = CaseFlag.objects.filter(pk=pk).values_list("contract_id", flat=True).get()
    form = ClearFlagForm(request.POST, auto_id=f"clear{pk}_%s")
    return _contract_write(
        request,
        contract_pk,
        form,
        lambda d: services.clear_flag(request.user, pk, d["reason"]),
        key=f"clear-{pk}",
        done=_("The flag is cleared."),
        failed=_("The flag was not cleared."),
    )
