"""UI actions that turn casework into benefit proposals: a social contract breach flag on the case page into
the proposal its consequence asks for (art. 11 ust. 2 u.p.s.), and a change in a household's income
reported on a grant into its amendment (the form's view is with the decision's, in benefit_decisions). Each
calls one benefits service and lands on the proposal; a refusal comes back to the page with its reasons."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.roles import PROPOSE_DECISIONS
from socius.benefits import services
from socius.benefits.models import Application, Decision
from socius.benefits.statuses import GRANTING_KINDS, ApplicationStatus, DecisionStatus, GrantState
from socius.casework.permissions import can_manage_case
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.plans.models import CaseFlag, Consequence
from socius.registry.models import Person
from socius.web.access import requires
from socius.web.forms_benefit_gaps import BreachProposalForm, IncomeChangeForm
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import reasons_of
from socius.web.views.benefits import _benefit_label

# --- a contract breach flag into a proposal (the case page) ----------------------------------------------


def _grants_of(case) -> list[Decision]:
    language = get_language()
    grants = list(
        Decision.objects.filter(
            case=case,
            status=DecisionStatus.APPROVED,
            kind__in=GRANTING_KINDS,
            state__in=(GrantState.ACTIVE, GrantState.SUSPENDED),
            amount__gt=0,
        ).order_by("-decided_on", "-id")
    )
    for grant in grants:
        grant.benefit_label = _benefit_label(grant.benefit, language)
    return grants


def _open_applications_of(case) -> list[Application]:
    language = get_language()
    rows = list(
        Application.objects.filter(
            case=case, status__in=(ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
        ).order_by("-applied_on", "-id")
    )
    for row in rows:
        row.benefit_label = _benefit_label(row.benefit, language)
    return rows


def breach_flags(actor, case, flags, *, failed: dict | None = None) -> list[CaseFlag]:
    """The case's active flags, each with `proposal` (the proposal or decision it already produced, newest)
    and, for those who propose decisions on this open case, `propose_form` (the breach turned into its
    proposal); `failed` gives a refused flag its bound form back."""
    failed = failed or {}
    flags = list(flags)
    produced = {}
    for decision in Decision.objects.filter(flag__in=flags).order_by("proposed_at", "id"):
        produced[decision.flag_id] = decision
    may_propose = actor.can(PROPOSE_DECISIONS) and case.is_open and can_manage_case(actor, case)
    grants = applications = None
    for flag in flags:
        flag.proposal = produced.get(flag.pk)
        flag.propose_form = None
        waiting = flag.proposal is not None and flag.proposal.status == DecisionStatus.PROPOSED
        if may_propose and flag.consequence != Consequence.NONE and not waiting:
            if grants is None:
                grants, applications = _grants_of(case), _open_applications_of(case)
            flag.propose_form = failed.get(flag.pk) or BreachProposalForm(
                flag=flag, grants=grants, applications=applications, auto_id=f"breach{flag.pk}_%s"
            )
    return flags


@requires(PROPOSE_DECISIONS)
@require_POST
@domain_404
def flag_propose(request, pk):
    flag = CaseFlag.objects.filter(pk=pk, case__centre_id=request.user.centre_id).select_related("case").first()
    if flag is None:
        raise NotFound()
    case = flag.case
    case_url = reverse("web:case_detail", args=[case.pk]) + "#plan-flags"
    form = BreachProposalForm(
        request.POST,
        flag=flag,
        grants=_grants_of(case),
        applications=_open_applications_of(case),
        auto_id=f"breach{flag.pk}_%s",
    )
    if form.is_valid():
        try:
            decision = services.propose_breach_consequence(request.user, flag.pk, form.service_data())
        except Conflict as exc:
            reasons = [str(exc.message)]
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
            reasons = reasons_of(form)
        else:
            messages.success(request, _("The proposal was submitted for approval."))
            return redirect("web:benefit_decision", decision.pk)
    else:
        reasons = reasons_of(form)
    messages.error(request, " ".join([_("Nothing was proposed."), *reasons]))
    return redirect(case_url)


# --- a change in a household's income reported on a grant (the decision page) ---------------------------


def may_report_income_change(actor, decision: Decision) -> bool:
    return (
        actor.can(PROPOSE_DECISIONS)
        and decision.status == DecisionStatus.APPROVED
        and decision.kind in GRANTING_KINDS
        and decision.state == GrantState.ACTIVE
        and decision.application_id is not None
        and not decision.one_off
    )


def income_change_form(decision: Decision, data=None) -> IncomeChangeForm:
    """One row a person counted in the decision, the party first."""
    ids = list(dict.fromkeys([decision.applicant_id, *(decision.member_ids or [])]))
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return IncomeChangeForm(data, persons=[persons[i] for i in ids if i in persons], auto_id="income_%s")
