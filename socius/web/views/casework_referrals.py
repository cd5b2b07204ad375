"""UI views: the centre's partner institutions and a case's referrals (list, new referral, status moves).

A case's referrals are content: the section `web/cases_referrals_section.html` is drawn inside the case
page's content part (read with `get_case_content_for`, audited there); `case_page_context` gives it what it
needs. Writes go through casework.services; a refusal re-renders the case page with the form and its messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.models import Case
from socius.casework.permissions import can_work_case_referrals
from socius.casework.selectors_referrals import (
    get_partner_for,
    list_partners_for,
    referral_case_id_for,
    referrals_for_case,
)
from socius.casework.services.referrals import change_referral_status, create_partner, create_referral, update_partner
from socius.casework.statuses import REFERRAL_TRANSITIONS, ReferralStatus
from socius.common.errors import Conflict, ValidationFailed
from socius.web.access import requires
from socius.web.forms_referrals import PartnerFilterForm, PartnerForm, ReferralForm, ReferralOutcomeForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate

PAGE_SIZE = 50

# Action name in the URL -> target status, in the order the buttons are shown.
ACTIONS = {
    "acknowledge": ReferralStatus.ACKNOWLEDGED,
    "answer": ReferralStatus.ANSWERED,
    "close": ReferralStatus.CLOSED,
}


# --- partners -------------------------------------------------------------------------------------


@requires(VIEW_CASES)
def partner_list(request):
    actor = request.user
    form = PartnerFilterForm(request.GET or None)
    filters = form.selector_filters() if form.is_bound else {}
    page = paginate(request, list_partners_for(actor, **filters), PAGE_SIZE)
    return render(request, "web/partners_list.html", {"form": form, "page": page, "may_edit": actor.can(WORK_CASES)})


def _partner_data(form: PartnerForm) -> dict:
    return dict(form.cleaned_data)


@requires(WORK_CASES)
def partner_create(request):
    actor = request.user
    form = PartnerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            partner = create_partner(actor, _partner_data(form))
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added to the partners.") % {"name": partner.name})
            return redirect("web:partner_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/partners_form.html", {"form": form, "partner": None}, status=status)


@requires(WORK_CASES)
@domain_404
def partner_edit(request, pk):
    actor = request.user
    partner = get_partner_for(actor, pk)
    form = PartnerForm(request.POST if request.method == "POST" else None, partner=partner)
    if form.is_bound and form.is_valid():
        try:
            saved = update_partner(actor, partner.pk, _partner_data(form))
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": saved.name})
            return redirect("web:partner_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/partners_form.html", {"form": form, "partner": partner}, status=status)


# --- a case's referrals, on the case page ---------------------------------------------------------


def case_page_context(actor: User, case: Case, forms_: dict) -> dict:
    """The referrals section of a case page whose content the actor may read (one query)."""
    may_refer = actor.can(WORK_CASES) and can_work_case_referrals(actor, case) and case.is_open
    referrals = list(referrals_for_case(case, on=timezone.localdate()))
    for referral in referrals:
        allowed = REFERRAL_TRANSITIONS.get(referral.status, frozenset())
        referral.actions = [name for name, target in ACTIONS.items() if target in allowed] if may_refer else []
        for action in ("answer", "close"):
            form = forms_.get(f"referral-{action}-{referral.pk}")
            setattr(referral, f"{action}_form", form or ReferralOutcomeForm(auto_id=f"r{referral.pk}_{action}_%s"))
    referral_form = None
    if may_refer:
        referral_form = forms_.get("referral") or ReferralForm(actor=actor, auto_id="referral_%s")
    return {"referrals": referrals, "may_refer": may_refer, "referral_form": referral_form}


def _rerender(request, pk, forms_: dict, status: int):
    from socius.web.views.casework import render_case_page  # the case page owns the layout

    return render_case_page(request, pk, forms_=forms_, status=status)


def _back_to_case(case_id: int):
    return redirect(f"{reverse('web:case_detail', args=[case_id])}#referrals")


@requires(WORK_CASES)
@require_POST
@domain_404
def case_referral_create(request, pk):
    actor = request.user
    form = ReferralForm(request.POST, actor=actor, auto_id="referral_%s")
    if form.is_valid():
        try:
            referral = create_referral(actor, pk, form.referral_data())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return _rerender(request, pk, {}, 409)
        else:
            messages.success(
                request,
                _("The referral to %(name)s has been recorded; a response is due on %(date)s.")
                % {
                    "name": referral.partner.name,
                    "date": formats.date_format(referral.response_due_on, "SHORT_DATE_FORMAT"),
                },
            )
            return _back_to_case(referral.case_id)
    messages.error(request, _("The referral was not recorded."))
    return _rerender(request, pk, {"referral": form}, 400)


def _move(request, pk, action: str):
    actor = request.user
    case_id = referral_case_id_for(actor, pk)
    key = f"referral-{action}-{pk}"
    form = ReferralOutcomeForm(request.POST, auto_id=f"r{pk}_{action}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = change_referral_status(
                actor, pk, ACTIONS[action], outcome=data.get("outcome") or "", on=data.get("on")
            )
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return _rerender(request, case_id, {}, 409)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("The referral to %(name)s is now “%(status)s”.")
                % {"name": referral.partner.name, "status": referral.get_status_display()},
            )
            return _back_to_case(referral.case_id)
    messages.error(request, _("The referral's status was not changed."))
    return _rerender(request, case_id, {key: form}, 400)


def _move_view(action: str):
    @requires(WORK_CASES)
    @require_POST
    @domain_404
    def view(request, pk):
        return _move(request, pk, action)

    view.__name__ = view.__qualname__ = f"referral_{action}"
    return view


referral_acknowledge = _move_view("acknowledge")
referral_answer = _move_view("answer")
referral_close = _move_view("close")
