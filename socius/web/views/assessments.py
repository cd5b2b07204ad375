"""UI views: the environmental interview (start on the case page, fill in by section, save a draft,
complete, sign, print).

The case page's "Interviews" section is drawn by `web.views.case_page`; the interview page renders the
instrument's sections with typed inputs built in
`web.forms_assessments`. Reads go through assessments.selectors (audited), writes through
assessments.services; a refusal re-renders the page with the messages (400) or the reason (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.assessments import services
from socius.assessments.answers import instrument_for
from socius.assessments.models import Assessment, AssessmentStatus
from socius.assessments.selectors import get_assessment_for
from socius.casework.permissions import can_view_case_content
from socius.casework.selectors import cases_in_scope
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.web.access import requires
from socius.web.forms_assessments import AnswersForm, CompleteForm, SignForm, StartAssessmentForm
from socius.web.views._helpers import add_domain_errors, domain_404


def _instrument(assessment: Assessment):
    return instrument_for(
        assessment.case.centre.jurisdiction, assessment.instrument_code, assessment.instrument_version
    )


def _page(
    request,
    assessment: Assessment,
    *,
    answers_form: AnswersForm | None = None,
    complete_form: CompleteForm | None = None,
    sign_form: SignForm | None = None,
    missing: list | None = None,
    status: int = 200,
    template: str = "web/assessments_detail.html",
):
    actor: User = request.user
    instrument = _instrument(assessment)
    today = timezone.localdate()
    may_work = actor.can(WORK_CASES) and assessment.case.is_open
    is_draft = assessment.status == AssessmentStatus.DRAFT
    # Editable only as a draft by those who work the case; otherwise the page reads as a document
    # (web/assessments_answers.html: labels and answers as text, no inputs, no "required" hints).
    form = answers_form or AnswersForm(instrument=instrument, kind=assessment.kind, answers=assessment.answers)
    missing_keys = {(item["section"], item["field"]) for item in missing or []}
    context = {
        "assessment": assessment,
        "case": assessment.case,
        "instrument": instrument,
        "form": form,
        "sections": form.sections(),
        "missing": missing or [],
        "missing_names": {f"{s}__{f}" for s, f in missing_keys},
        "may_edit": may_work and is_draft,
        "may_sign": may_work and assessment.status == AssessmentStatus.COMPLETED,
        "complete_form": complete_form or CompleteForm(initial={"completed_on": today}, auto_id="complete_%s"),
        "sign_form": sign_form or SignForm(initial={"signed_on": today}, auto_id="sign_%s"),
        "is_overdue": is_draft and assessment.due_on is not None and assessment.due_on < today,
    }
    return render(request, template, context, status=status)


@requires(VIEW_CASES)
@domain_404
def assessment_detail(request, pk):
    return _page(request, get_assessment_for(request.user, pk))


@requires(VIEW_CASES)
@domain_404
def assessment_print(request, pk):
    return _page(request, get_assessment_for(request.user, pk), template="web/assessments_print.html")


@requires(WORK_CASES)
@require_POST
@domain_404
def assessment_start(request, pk):
    actor = request.user
    case = cases_in_scope(actor).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    if not can_view_case_content(actor, case):
        raise Forbidden()
    form = StartAssessmentForm(request.POST, auto_id="interview_%s")
    status = 400
    if form.is_valid():
        try:
            assessment = services.start_assessment(actor, case.pk, **form.cleaned_data)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            status = 409
        else:
            messages.success(request, _("The interview was started."))
            return redirect("web:assessment_detail", pk=assessment.pk)
    return render(request, "web/assessments_start.html", {"case": case, "form": form}, status=status)


@requires(WORK_CASES)
@require_POST
@domain_404
def assessment_save(request, pk):
    """ "Save draft" (partial answers allowed) or "complete" (save, then complete on the given day)."""
    actor = request.user
    assessment = get_assessment_for(actor, pk)
    instrument = _instrument(assessment)
    form = AnswersForm(request.POST, instrument=instrument, kind=assessment.kind, answers=assessment.answers)
    completing = request.POST.get("action") == "complete"
    complete_form = CompleteForm(request.POST if completing else None, auto_id="complete_%s")
    if not form.is_valid() or (completing and not complete_form.is_valid()):
        return _page(
            request, assessment, answers_form=form, complete_form=complete_form if completing else None, status=400
        )
    try:
        with transaction.atomic():  # a refused completion keeps nothing, not even the answers sent with it
            services.save_draft(actor, assessment.pk, form.answers())
            if completing:
                services.complete_assessment(actor, assessment.pk, on=complete_form.cleaned_data["completed_on"])
    except ValidationFailed as exc:
        form.add_service_errors({k: v for k, v in exc.errors.items() if k != "answers" and k != "on"})
        if "on" in exc.errors:
            for message in exc.errors["on"]:
                complete_form.add_error("completed_on", message)
        refreshed = get_assessment_for(actor, pk)
        return _page(
            request,
            refreshed,
            answers_form=form,
            complete_form=complete_form if completing else None,
            missing=exc.extra.get("missing"),
            status=400,
        )
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return _page(request, get_assessment_for(actor, pk), status=409)
    if completing:
        messages.success(request, _("The interview was completed."))
    else:
        messages.success(request, _("The draft was saved."))
    return redirect("web:assessment_detail", pk=assessment.pk)


@requires(WORK_CASES)
@require_POST
@domain_404
def assessment_sign(request, pk):
    actor = request.user
    assessment = get_assessment_for(actor, pk)
    form = SignForm(request.POST, auto_id="sign_%s")
    if form.is_valid():
        try:
            services.sign_assessment(actor, assessment.pk, form.cleaned_data["signed_on"])
        except ValidationFailed as exc:
            for message in exc.errors.get("signed_on", []):
                form.add_error("signed_on", message)
            add_domain_errors(form, ValidationFailed({k: v for k, v in exc.errors.items() if k != "signed_on"}))
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return _page(request, assessment, status=409)
        else:
            messages.success(request, _("The interview was signed."))
            return redirect("web:assessment_detail", pk=assessment.pk)
    return _page(request, assessment, sign_form=form, status=400)
