"""UI views: staff group supervision — the centre's sessions (date, status, facilitator, how many took part),
planning one, a session's page (topics, notes, participants and follow-ups only for its participants, its
facilitator on staff and the director), recording it as held, cancelling it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.roles import VIEW_CASES, WORK_COMMUNITY
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.community import supervision as services
from socius.community.permissions import can_work_community
from socius.community.selectors_supervision import get_supervision_for, list_supervisions_for
from socius.community.statuses import SupervisionStatus
from socius.web.access import requires
from socius.web.forms_calendar import SupervisionForm, SupervisionHeldForm
from socius.web.views._helpers import add_domain_errors, paginate

SHOWN = 50


def _session_or_404(actor, pk):
    try:
        return get_supervision_for(actor, pk)
    except NotFound:
        raise Http404() from None


@requires(VIEW_CASES)
def supervisions(request):
    actor = request.user
    page = paginate(request, list_supervisions_for(actor))
    return render(
        request,
        "web/community/supervisions.html",
        {"page": page, "sessions": page.object_list, "can_plan": can_work_community(actor)},
    )


@requires(WORK_COMMUNITY)
def supervision_new(request):
    actor = request.user
    form = SupervisionForm(request.POST or None, actor=actor, initial={"facilitator_kind": "external"})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.plan_supervision(actor, **form.data_for_service(), on=timezone.localdate())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The supervision was planned."))
            return redirect("web:supervision", session.pk)
    return render(request, "web/community/supervision_form.html", {"form": form})


@requires(VIEW_CASES)
def supervision(request, pk):
    actor = request.user
    session = _session_or_404(actor, pk)
    held_form = None
    if session.can_read_notes and session.status == SupervisionStatus.PLANNED and can_work_community(actor):
        held_form = SupervisionHeldForm(
            actor=actor,
            initial={"participants": session.participant_list, "topics": session.topics, "notes": session.notes},
        )
    return render(request, "web/community/supervision_detail.html", _context(actor, session, held_form))


def _context(actor, session, held_form, refusal: str = "") -> dict:
    return {
        "session": session,
        "held_form": held_form,
        "can_work": can_work_community(actor),
        "refusal": refusal,
    }


@requires(WORK_COMMUNITY)
@require_POST
def supervision_held(request, pk):
    actor = request.user
    session = _session_or_404(actor, pk)
    form = SupervisionHeldForm(request.POST, actor=actor)
    refusal = ""
    if form.is_valid():
        try:
            services.record_supervision_held(actor, session, **form.data_for_service(), on=timezone.localdate())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except Conflict as exc:
            refusal = str(exc.message)
        except (Forbidden, NotFound):
            raise Http404() from None
        else:
            messages.success(request, _("The supervision was recorded as held."))
            return redirect("web:supervision", session.pk)
    session = _session_or_404(actor, pk)
    return render(request, "web/community/supervision_detail.html", _context(actor, session, form, refusal), status=400)


@requires(WORK_COMMUNITY)
@require_POST
def supervision_cancel(request, pk):
    actor = request.user
    session = _session_or_404(actor, pk)
    try:
        services.cancel_supervision(actor, session, on=timezone.localdate())
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The supervision was cancelled."))
    return redirect("web:supervision", session.pk)
