"""The director's page of staff authorised to approve benefit decisions (decision 0013, four eyes): the
current and past authorisations, authorising a member of staff and revoking an authorisation. Each write
calls one benefits service (audited there) and comes back to the page with its outcome."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.roles import AUTHORISE_APPROVERS
from socius.benefits import selectors, services
from socius.benefits.models import ApproverAuthorisation
from socius.common.errors import Conflict, NotFound
from socius.web.access import requires
from socius.web.views._helpers import domain_404


def _name(user) -> str:
    return user.get_full_name() or user.username


class AuthoriseForm(forms.Form):
    user = forms.ChoiceField(label=gettext_lazy("Member of staff"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—")] + [
            (str(u.pk), f"{_name(u)} ({u.get_role_display()})") for u in selectors.staff_to_authorise_for(actor)
        ]


def _page(request, form=None, status=200):
    actor = request.user
    grants = list(selectors.approver_authorisations_for(actor))
    return render(
        request,
        "web/benefits_approvers.html",
        {
            "current": [g for g in grants if g.revoked_at is None],
            "past": [g for g in grants if g.revoked_at is not None],
            "form": form or AuthoriseForm(actor=actor),
        },
        status=status,
    )


@requires(AUTHORISE_APPROVERS)
@domain_404
def approvers(request):
    return _page(request)


@requires(AUTHORISE_APPROVERS)
@require_POST
@domain_404
def approver_authorise(request):
    form = AuthoriseForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        grant = services.authorise_approver(request.user, form.cleaned_data["user"])
    except (Conflict, NotFound) as exc:
        form.add_error("user", getattr(exc, "message", "") or _("Choose an active member of staff of your centre."))
        return _page(request, form, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, _("%(name)s may now approve benefit decisions.") % {"name": _name(grant.user)})
    return redirect("web:benefit_approvers")


@requires(AUTHORISE_APPROVERS)
@require_POST
@domain_404
def approver_revoke(request, pk):
    grant = ApproverAuthorisation.objects.filter(pk=pk, centre_id=request.user.centre_id).select_related("user").first()
    if grant is None:
        raise NotFound()
    if grant.revoked_at is not None:
        messages.error(request, _("This authorisation was already revoked."))
        return redirect("web:benefit_approvers")
    services.revoke_approver(request.user, grant.user_id)
    messages.success(request, _("%(name)s may no longer approve benefit decisions.") % {"name": _name(grant.user)})
    return redirect("web:benefit_approvers")
