"""UI views: the centre's partner institutions and a case's referrals (list, new referral, status moves).

A case's referrals are content: the section "referrals" is drawn by `case_page` (read with
`get_case_content_for`, audited there). Writes go through casework.services, by `CASE_PAGE.run_action`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.selectors_referrals import (
    get_partner_for,
    list_partners_for,
    referral_case_id_for,
)
from socius.casework.services.referrals import change_referral_status, create_partner, create_referral, update_partner
from socius.common.errors import ValidationFailed
from socius.web.access import requires
from socius.web.forms_referrals import PartnerFilterForm, PartnerForm, ReferralForm, ReferralOutcomeForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views.case_page import CASE_PAGE, REFERRAL_ACTIONS

PAGE_SIZE = 50

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

REFERRALS = "referrals"


@requires(WORK_CASES)
@require_POST
@domain_404
def case_referral_create(request, pk):
    actor = request.user
    form = ReferralForm(request.POST, actor=actor, auto_id="referral_%s")
    return CASE_PAGE.run_action(
        request,
        pk,
        REFERRALS,
        form=form,
        write=lambda data: create_referral(actor, pk, form.referral_data()),
        key="referral",
        done=lambda referral: (
            _("The referral to %(name)s has been recorded; a response is due on %(date)s.")
            % {
                "name": referral.partner.name,
                "date": formats.date_format(referral.response_due_on, "SHORT_DATE_FORMAT"),
            }
        ),
        failed=_("The referral was not recorded."),
    )


def _move(request, pk, action: str):
    actor = request.user
    case_id = referral_case_id_for(actor, pk)
    return CASE_PAGE.run_action(
        request,
        case_id,
        REFERRALS,
        form=ReferralOutcomeForm(request.POST, auto_id=f"r{pk}_{action}_%s"),
        write=lambda data: change_referral_status(
            actor, pk, REFERRAL_ACTIONS[action], outcome=data.get("outcome") or "", on=data.get("on")
        ),
        key=f"referral-{action}-{pk}",
        done=lambda referral: (
            _("The referral to %(name)s is now “%(status)s”.")
            % {"name": referral.partner.name, "status": referral.get_status_display()}
        ),
        failed=_("The referral's status was not changed."),
    )


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
