"""UI of retention and erasure (decision 0023): the director's list of retention reviews, a review's page (every
person listed with the records and rules that make them expired, to approve or reject), the erasure requests
(GDPR art. 17) recorded from a person's page and decided by the director.

Reads through socius.privacy.selectors_retention, writes one call each of socius.privacy.services_retention. A
review's page and the list of erasure requests name persons: each page shown is one view event naming them.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_RETENTION, REQUEST_SUBJECT_ACCESS
from socius.common.errors import Conflict, ValidationFailed
from socius.privacy import selectors_retention as selectors
from socius.privacy import services_retention as services
from socius.privacy.retention import RECORD_TYPES
from socius.registry.selectors import get_person_for
from socius.web.access import requires
from socius.web.forms_retention import ErasureRequestForm, ReasonForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate


def record_type_labels() -> dict[str, str]:
    return {
        "registry_entry": _("Registry record"),
        "contact": _("Contact"),
        "case_file": _("Case file"),
        "benefit_decision": _("Benefit decision"),
        "payment": _("Payment"),
    }


def _messages_of(exc: ValidationFailed) -> str:
    return " ".join(str(m) for ms in exc.errors.values() for m in ms)


# --- reviews ---------------------------------------------------------------------------------------------------


@requires(APPROVE_RETENTION)
def retention_reviews(request):
    actor = request.user
    page = paginate(request, selectors.list_reviews_for(actor))
    pending = selectors.list_reviews_for(actor).filter(status="pending").first()
    return render(
        request, "web/retention/reviews.html", {"page": page, "reviews": page.object_list, "pending": pending}
    )


@requires(APPROVE_RETENTION)
@require_POST
def retention_run(request):
    actor = request.user
    review = services.review_retention(actor.centre, on=services.centre_today(actor.centre), actor=actor)
    messages.success(request, _("The review has listed what has expired today."))
    return redirect("web:retention_review", pk=review.pk)


@requires(APPROVE_RETENTION)
@domain_404
def retention_review(request, pk: int):
    actor = request.user
    review = selectors.get_review_for(actor, pk)
    page = paginate(request, selectors.items_of(review))
    labels = record_type_labels()
    rows = []
    for item in page.object_list:
        order = {t: i for i, t in enumerate(RECORD_TYPES)}
        basis = sorted(item.basis, key=lambda b: (order.get(b["record_type"], 99), b.get("anchor_on") or ""))
        for b in basis:
            b["label"] = labels.get(b["record_type"], b["record_type"])
        rows.append({"item": item, "basis": basis})
    record_list_view(actor, object_type=services.REVIEW, person_ids=[i.person_id for i in page.object_list])
    return render(
        request,
        "web/retention/review.html",
        {"review": review, "page": page, "rows": rows, "reject_form": ReasonForm(auto_id="reject_%s")},
    )


@requires(APPROVE_RETENTION)
@require_POST
@domain_404
def retention_approve(request, pk: int):
    actor = request.user
    review = selectors.get_review_for(actor, pk)
    try:
        review = services.approve_review(actor, review.pk)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect("web:retention_review", pk=review.pk)
    count = review.anonymised_count
    messages.success(
        request,
        ngettext("%(count)s person is anonymised.", "%(count)s persons are anonymised.", count) % {"count": count},
    )
    return redirect("web:retention_review", pk=review.pk)


@requires(APPROVE_RETENTION)
@require_POST
@domain_404
def retention_reject(request, pk: int):
    actor = request.user
    review = selectors.get_review_for(actor, pk)
    _decide_with_reason(
        request,
        missing=_("Say why the review is rejected."),
        decide=lambda reason: services.reject_review(actor, review.pk, reason),
        done=_("The review is rejected; nothing was anonymised."),
    )
    return redirect("web:retention_review", pk=review.pk)


def _decide_with_reason(request, *, missing: str, decide, done: str) -> None:
    """A refusal or rejection posted with its reason: the reason is required, the service decides, and the
    outcome (or why not) is a message on the page the view redirects to."""
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed({"reason": [missing]})
        decide(form.cleaned_data["reason"])
    except ValidationFailed as exc:
        messages.error(request, _messages_of(exc))
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)


# --- erasure requests -----------------------------------------------------------------------------------------


@requires(APPROVE_RETENTION)
def erasure_requests(request):
    actor = request.user
    page = paginate(request, selectors.list_erasures_for(actor))
    record_list_view(actor, object_type=services.ERASURE, person_ids=[r.person_id for r in page.object_list])
    return render(request, "web/retention/erasures.html", {"page": page, "requests": page.object_list})


@requires(REQUEST_SUBJECT_ACCESS)
@domain_404
def erasure_new(request, pk: int):
    actor = request.user
    person = get_person_for(actor, pk)
    if request.method == "POST":
        form = ErasureRequestForm(request.POST, auto_id="erasure_%s")
        if form.is_valid():
            try:
                made = services.request_erasure(
                    actor, person, received_on=form.cleaned_data["received_on"], note=form.cleaned_data["note"]
                )
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, str(exc.message))
            else:
                if made.status == "refused":
                    messages.warning(request, _("The request is refused: the law keeps this person's records."))
                else:
                    messages.success(request, _("The request is recorded and waits for the director's approval."))
                return redirect("web:erasure_request", pk=made.pk)
        status = 400
    else:
        form = ErasureRequestForm(initial={"received_on": services.centre_today(actor.centre)}, auto_id="erasure_%s")
        status = 200
    record_view(actor, object_type="person", object_id=person.pk, centre_id=person.centre_id, person_id=person.pk)
    return render(request, "web/retention/erasure_new.html", {"person": person, "form": form}, status=status)


@requires(REQUEST_SUBJECT_ACCESS)
@domain_404
def erasure_request(request, pk: int):
    actor = request.user
    erasure = selectors.get_erasure_for(actor, pk)
    labels = record_type_labels()
    kept = [{**k, "label": labels.get(k["record_type"], k["record_type"])} for k in erasure.kept_by_law]
    record_view(
        actor, object_type=services.ERASURE, object_id=erasure.pk, centre_id=erasure.centre_id,
        person_id=erasure.person_id,
    )  # fmt: skip
    return render(
        request,
        "web/retention/erasure.html",
        {
            "erasure": erasure,
            "kept": kept,
            "may_decide": actor.can(APPROVE_RETENTION),
            "refuse_form": ReasonForm(auto_id="refuse_%s"),
        },
    )


@requires(APPROVE_RETENTION)
@require_POST
@domain_404
def erasure_approve(request, pk: int):
    actor = request.user
    erasure = selectors.get_erasure_for(actor, pk)
    try:
        services.approve_erasure(actor, erasure.pk)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The person is anonymised."))
    return redirect("web:erasure_request", pk=erasure.pk)


@requires(APPROVE_RETENTION)
@require_POST
@domain_404
def erasure_refuse(request, pk: int):
    actor = request.user
    erasure = selectors.get_erasure_for(actor, pk)
    _decide_with_reason(
        request,
        missing=_("Say why the request is refused."),
        decide=lambda reason: services.refuse_erasure(actor, erasure.pk, reason),
        done=_("The request is refused."),
    )
    return redirect("web:erasure_request", pk=erasure.pk)
